import Foundation
import SluiceLedger
import Testing

@Suite struct SampleTests {
    @Test func meanVarianceAndNearestRankPercentiles() {
        let values: [Double] = [2, 4, 4, 4, 5, 5, 7, 9]
        #expect(Sample.mean(values) == 5)
        #expect(abs(Sample.variance(values) - 32.0 / 7) < 1e-12)  // Σ(x − 5)² = 32, n − 1 = 7
        let sorted = (1...10).map(Double.init)
        #expect(Sample.percentile(50, ofSorted: sorted) == 5)  // rank ⌈5⌉, the lower middle value
        #expect(Sample.percentile(90, ofSorted: sorted) == 9)
        #expect(Sample.percentile(99, ofSorted: sorted) == 10)
        #expect(Sample.mean([]) == 0)
        #expect(Sample.variance([3]) == 0)
        #expect(Sample.percentile(50, ofSorted: []) == 0)
    }

    @Test func pooledVarianceWeighsEachSampleByItsDegreesOfFreedom() throws {
        let first = SampleSummary([1, 2, 3])  // variance 1, 2 degrees of freedom
        let second = SampleSummary([2, 4, 6, 8, 10])  // variance 10, 4 degrees of freedom
        let pooled = try #require(SampleSummary.pooledVariance(first, second))
        #expect(abs(pooled - 7) < 1e-12)  // (2 × 1 + 4 × 10) / 6
        #expect(SampleSummary.pooledVariance(SampleSummary([1]), SampleSummary([2])) == nil)
    }

    @Test func naturalLogarithmAgreesWithTheSystemLibrary() {
        for x in [1e-300, 1e-9, 0.001, 0.05, 0.5, 0.7071, 1, 1.4142, 2, 3, 20, 1e6, 1e300] {
            #expect(abs(Logarithm.natural(x) - log(x)) <= 4e-16 * max(1, abs(log(x))))
        }
        #expect(Logarithm.natural(0) == -.infinity)
        #expect(Logarithm.natural(-1).isNaN)
    }

    @Test func normalQuantilesMatchTheTables() {
        #expect(abs(StandardNormal.quantile(0.975) - 1.959964) < 1e-6)
        #expect(abs(StandardNormal.quantile(0.8) - 0.841621) < 1e-6)
        #expect(abs(StandardNormal.quantile(0.01) + 2.326348) < 1e-6)  // the low tail's own formula
        #expect(abs(StandardNormal.quantile(0.999) - 3.090232) < 1e-6)
        #expect(StandardNormal.quantile(0.5) == 0)
        #expect(StandardNormal.quantile(0) == -.infinity)
        #expect(StandardNormal.quantile(1) == .infinity)
    }
}
