import SluiceLedger
import Testing

@Suite struct USDTests {
    @Test(arguments: [
        (Int64(0), "0.00"),
        (12_300_000, "0.0123"),
        (5_000_000, "0.005"),
        (1_500_000_000, "1.50"),
        (-1_500_000_000, "-1.50"),
        (-12_300_000, "-0.0123"),
        (1, "0.000000001"),
        (-1, "-0.000000001"),
        (12_340_000_000, "12.34"),
        (1_000_000_000_000, "1000.00"),
        (Int64.max, "9223372036.854775807"),
        (Int64.min, "-9223372036.854775808"),
    ])
    func decimalStringIsExactWithAtLeastTwoDecimals(nanos: Int64, text: String) {
        #expect(USD(nanos: nanos).decimalString == text)
    }

    @Test(arguments: [
        (Int64(0), "$0.0000"),
        (12_340_000_000, "$12.3400"),
        (12_300_000, "$0.0123"),
        (12_345_000, "$0.0123"),  // 0.012345 rounds to 4 decimals: the 5th digit is 4
        (12_350_000, "$0.0124"),  // exactly half rounds up
        (12_349_999, "$0.0123"),
        (-12_350_000, "-$0.0124"),  // half away from zero keeps the digits symmetric
        (-1_500_000_000, "-$1.5000"),
        (-40_000, "$0.0000"),  // rounds to zero: no sign
        (1_234_567_890_000, "$1,234.5679"),
        (999_999_950_000, "$1,000.0000"),
    ])
    func displayRoundsHalfUpToFourDecimals(nanos: Int64, text: String) {
        #expect(USD(nanos: nanos).display == text)
    }

    @Test func arithmeticIsExact() {
        var total = USD.zero
        for _ in 0..<10 { total += USD(nanos: 100_000_000) }  // ten dimes, which Double cannot sum to 1.0
        #expect(total == USD(nanos: 1_000_000_000))
        #expect(total - USD(nanos: 1) == USD(nanos: 999_999_999))
        #expect(USD(nanos: 1) < USD(nanos: 2))
    }

    @Test(arguments: [
        ("5", Int64(5_000_000_000)), ("0.25", 250_000_000), ("-1.5", -1_500_000_000), ("0.000000001", 1),
    ])
    func parsesDollarText(text: String, nanos: Int64) {
        #expect(USD(dollars: text) == USD(nanos: nanos))
    }

    @Test(arguments: ["", "$5", "1e3", "0.0000000001", "--1", "1.", "5 "])
    func rejectsMalformedDollarText(text: String) {
        #expect(USD(dollars: text) == nil)
    }

    @Test func basisPointsRoundHalfAwayFromZero() {
        #expect(USD(nanos: 3_300_000).basisPoints(of: USD(nanos: 4_500_000)) == 7_333)
        #expect(USD(nanos: 2).basisPoints(of: USD(nanos: 3)) == 6_667)
        #expect(USD(nanos: -2).basisPoints(of: USD(nanos: 3)) == -6_667)
        #expect(USD(nanos: 1).basisPoints(of: USD(nanos: 20_000)) == 1)  // exactly half a basis point
        #expect(USD(nanos: 1).basisPoints(of: USD(nanos: 20_001)) == 0)
        #expect(USD(nanos: 5).basisPoints(of: .zero) == nil)
        #expect(USD(nanos: Int64.max).basisPoints(of: USD(nanos: Int64.max)) == 10_000)
    }
}
