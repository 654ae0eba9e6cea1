import SluiceLedger
import Testing

@Suite struct CostHistogramTests {
    static func bar(_ length: Int) -> String {
        String(repeating: "█", count: length) + String(repeating: " ", count: 40 - length)
    }

    @Test func boundariesAreExactHalfDecadesInNanodollars() {
        let boundaries = CostHistogram.boundaries
        #expect(boundaries.count == 38)
        #expect(boundaries[0] == 1)
        #expect(boundaries[1] == 3)  // √10 = 3.16
        #expect(boundaries[2] == 10)
        #expect(boundaries[14] == 10_000_000)  // $0.01
        #expect(boundaries[15] == 31_622_777)  // $0.0316227766…
        #expect(boundaries[16] == 100_000_000)  // $0.10
        #expect(boundaries[17] == 316_227_766)  // $0.316227766016…
        #expect(boundaries[18] == 1_000_000_000)  // $1
        #expect(boundaries[19] == 3_162_277_660)  // $3.16227766016…
        #expect(boundaries[37] == 3_162_277_660_168_379_332)
    }

    @Test func everyOddBoundaryIsTheNearestIntegerToItsSquareRoot() {
        // round(√(10^k)) = b exactly when (b − ½)² < 10^k < (b + ½)², i.e. (2b − 1)² < 4·10^k < (2b + 1)².
        for k in stride(from: 1, to: 38, by: 2) {
            let boundary = Int128(CostHistogram.boundaries[k])
            let fourPower = (0..<k).reduce(Int128(4)) { product, _ in product * 10 }
            #expect((2 * boundary - 1) * (2 * boundary - 1) < fourPower, "k = \(k)")
            #expect(fourPower < (2 * boundary + 1) * (2 * boundary + 1), "k = \(k)")
        }
    }

    @Test(arguments: [
        (Int64(1), 0), (2, 0), (3, 1), (9, 1), (10, 2), (31_622_776, 14), (31_622_777, 15), (99_999_999, 15),
        (100_000_000, 16), (316_227_765, 16), (316_227_766, 17), (Int64.max, 37),
    ])
    func placesACostInTheBucketWhoseLowerBoundaryIsAtOrBelowIt(nanos: Int64, index: Int) {
        #expect(CostHistogram.bucketIndex(ofNanos: nanos) == index)
    }

    @Test(arguments: [
        (Int64(0), "$0"),
        (1, "$0.000000001"),
        (3, "$0.000000003"),
        (10_000_000, "$0.01"),
        (31_622_777, "$0.032"),
        (99_600_000, "$0.10"),  // 0.0996 rounds up to two significant digits
        (100_000_000, "$0.10"),
        (316_227_766, "$0.32"),
        (1_000_000_000, "$1.00"),
        (3_162_277_660, "$3.16"),
        (31_622_776_602, "$31.62"),
        (1_000_000_000_000, "$1,000.00"),
    ])
    func labelsBoundariesWithTwoSignificantDigitsBelowADollar(nanos: Int64, label: String) {
        #expect(CostHistogram.label(USD(nanos: nanos)) == label)
    }

    @Test func showsEveryBucketFromTheCheapestToTheDearestWithAlignedBars() {
        let costs: [USD] = [.cents(15), .zero, .cents(200), .cents(5), .cents(20)]
        let histogram = CostHistogram(sessionCosts: costs)
        #expect(
            histogram.buckets == [
                .init(lower: .zero, upper: USD(nanos: 1), sessions: 1),
                .init(lower: USD(nanos: 31_622_777), upper: USD(nanos: 100_000_000), sessions: 1),
                .init(lower: USD(nanos: 100_000_000), upper: USD(nanos: 316_227_766), sessions: 2),
                .init(lower: USD(nanos: 316_227_766), upper: USD(nanos: 1_000_000_000), sessions: 0),
                .init(lower: USD(nanos: 1_000_000_000), upper: USD(nanos: 3_162_277_660), sessions: 1),
            ])
        #expect(
            histogram.lines() == [
                "      $0           " + Self.bar(20) + "  1",
                "  $0.032 – $0.10   " + Self.bar(20) + "  1",
                "   $0.10 – $0.32   " + Self.bar(40) + "  2",
                "   $0.32 – $1.00   " + Self.bar(0) + "  0",
                "   $1.00 – $3.16   " + Self.bar(20) + "  1",
            ])
    }

    @Test func aBucketWithSessionsGetsAtLeastOneBlock() {
        let costs = Array(repeating: USD.cents(5), count: 100) + [.cents(50)]
        let lines = CostHistogram(sessionCosts: costs).lines()
        #expect(lines.count == 3)
        #expect(lines[0].hasSuffix(Self.bar(40) + "  100"))
        #expect(lines[1].hasSuffix(Self.bar(0) + "    0"))
        #expect(lines[2].hasSuffix(Self.bar(1) + "    1"))  // 0.4 of a block rounds up to the minimum of one
    }

    @Test func barsRoundHalfUp() {
        // 1 of 3 is 13.33 blocks, 2 of 3 is 26.67.
        let costs: [USD] = [.cents(5), .cents(20), .cents(20), .cents(50), .cents(50), .cents(50)]
        let lines = CostHistogram(sessionCosts: costs).lines()
        #expect(lines.map { line in line.count(where: { $0 == "█" }) } == [13, 27, 40])
    }
}
