import SluiceLedger
import Testing

@Suite struct CostDistributionTests {
    @Test func tenSessionsFromOneToTenCents() {
        // Given in descending order: the distribution sorts them itself.
        let distribution = CostDistribution(sessionCosts: (1...10).reversed().map { USD.cents(Int64($0)) })
        #expect(distribution.count == 10)
        #expect(distribution.total == .cents(55))
        #expect(distribution.mean == USD(nanos: 55_000_000))
        #expect(distribution.median == .cents(5))  // rank ⌈0.5 × 10⌉ = 5
        #expect(distribution.p90 == .cents(9))  // rank 9
        #expect(distribution.p99 == .cents(10))  // rank ⌈9.9⌉ = 10
        #expect(distribution.maximum == .cents(10))
        #expect(distribution.topDecileCount == 1)
        #expect(distribution.topDecileShareBasisPoints == 1_818)  // 10 / 55 = 18.18 %
        #expect(distribution.suggestedCap == .cents(27))
    }

    @Test func noSessionsIsAllZeroWithoutAShare() {
        let distribution = CostDistribution(sessionCosts: [])
        #expect(distribution.count == 0)
        #expect(distribution.total == .zero)
        #expect(distribution.mean == .zero)
        #expect(distribution.median == .zero)
        #expect(distribution.p90 == .zero)
        #expect(distribution.p99 == .zero)
        #expect(distribution.maximum == .zero)
        #expect(distribution.topDecileCount == 0)
        #expect(distribution.topDecileShareBasisPoints == nil)
        #expect(distribution.suggestedCap == .zero)
        #expect(distribution.histogram.buckets.isEmpty)
        #expect(distribution.histogram.lines().isEmpty)
    }

    @Test func oneSessionIsEveryFigure() {
        let distribution = CostDistribution(sessionCosts: [.cents(25)])
        #expect(distribution.count == 1)
        #expect(distribution.mean == .cents(25))
        #expect(distribution.median == .cents(25))
        #expect(distribution.p90 == .cents(25))
        #expect(distribution.p99 == .cents(25))
        #expect(distribution.maximum == .cents(25))
        #expect(distribution.topDecileCount == 1)
        #expect(distribution.topDecileShareBasisPoints == 10_000)
        #expect(distribution.suggestedCap == .cents(75))
        #expect(
            distribution.histogram.buckets == [
                CostHistogram.Bucket(lower: USD(nanos: 100_000_000), upper: USD(nanos: 316_227_766), sessions: 1)
            ])
    }

    @Test func equalCostsShareTheTopDecileByCount() {
        let distribution = CostDistribution(sessionCosts: Array(repeating: .cents(5), count: 20))
        #expect(distribution.mean == .cents(5))
        #expect(distribution.median == .cents(5))
        #expect(distribution.p90 == .cents(5))
        #expect(distribution.p99 == .cents(5))
        #expect(distribution.maximum == .cents(5))
        #expect(distribution.topDecileCount == 2)
        #expect(distribution.topDecileShareBasisPoints == 1_000)  // 2 of 20 equal sessions: 10 %
        #expect(distribution.histogram.buckets.map(\.sessions) == [20])
    }

    @Test func zeroCostSessionsCountAndSitInTheirOwnBucket() {
        let distribution = CostDistribution(sessionCosts: [.zero, .cents(5), .zero])
        #expect(distribution.count == 3)
        #expect(distribution.total == .cents(5))
        #expect(distribution.mean == USD(nanos: 16_666_667))  // 50,000,000 / 3 = 16,666,666.67
        #expect(distribution.median == .zero)  // rank ⌈1.5⌉ = 2
        #expect(distribution.p90 == .cents(5))  // rank ⌈2.7⌉ = 3
        #expect(distribution.topDecileCount == 1)  // a tenth of 3 rounds down to 0, but at least 1
        #expect(distribution.topDecileShareBasisPoints == 10_000)
        #expect(distribution.histogram.buckets.first == CostHistogram.Bucket(lower: .zero, upper: USD(nanos: 1), sessions: 2))
        #expect(distribution.histogram.buckets.map(\.sessions) == [2, 1])
    }

    @Test func onlyFreeSessionsHaveNoShare() {
        let distribution = CostDistribution(sessionCosts: [.zero, .zero])
        #expect(distribution.total == .zero)
        #expect(distribution.mean == .zero)
        #expect(distribution.topDecileShareBasisPoints == nil)
        #expect(distribution.histogram.buckets.map(\.isZero) == [true])
    }

    @Test func theTopDecileRoundsDown() {
        // 25 sessions: the top 10 % is 2 of them (2.5 rounded down).
        let costs = Array(repeating: USD.cents(1), count: 23) + [.cents(10), .cents(10)]
        let distribution = CostDistribution(sessionCosts: costs)
        #expect(distribution.topDecileCount == 2)
        #expect(distribution.topDecileShareBasisPoints == 4_651)  // 20 / 43 = 46.51 %
    }

    @Test(arguments: [
        ([1, 2], 2),  // 1.5 rounds up
        ([1, 1, 2], 1),  // 1.33
        ([1, 2, 2, 2], 2),  // 1.75
        ([2, 2, 3], 2),  // 2.33
        ([0, 1], 1),  // 0.5 rounds up
        ([0, 0, 1], 0),  // 0.33
    ] as [([Int64], Int64)])
    func meanRoundsHalfUpToWholeNanodollars(nanos: [Int64], mean: Int64) {
        #expect(CostDistribution(sessionCosts: nanos.map { USD(nanos: $0) }).mean == USD(nanos: mean))
    }

    @Test(arguments: [
        (50, 4, Int64(2)),  // the lower of the two middles
        (90, 20, 18),
        (99, 20, 20),  // rank ⌈19.8⌉
        (90, 11, 10),  // rank ⌈9.9⌉
        (1, 20, 1),
        (100, 20, 20),
        (50, 1, 1),
    ])
    func percentilesUseTheNearestRank(percent: Int, count: Int, nanos: Int64) {
        let sorted = (1...count).map { USD(nanos: Int64($0)) }
        #expect(CostDistribution.percentile(percent, ofSorted: sorted) == USD(nanos: nanos))
    }

    @Test func percentileOfNothingIsZero() {
        #expect(CostDistribution.percentile(90, ofSorted: []) == .zero)
    }
}
