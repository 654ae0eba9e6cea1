import Foundation
import SluiceLedger
import Testing

@Suite struct AlwaysValidIntervalTests {
    @Test func isWiderThanTheFixedSampleInterval() throws {
        var data = SeededGenerator(seed: 50)
        let reference = data.normals(100, mean: 1, standardDeviation: 0.5)
        let treatment = data.normals(100, mean: 1.1, standardDeviation: 0.5)
        let always = try #require(AlwaysValidInterval(reference: reference, treatment: treatment))
        let fixedHalfWidth = 1.959964 * always.varianceOfEstimate.squareRoot()
        #expect(abs(always.estimate - (Sample.mean(treatment) - Sample.mean(reference))) < 1e-12)
        #expect(always.interval.width / 2 > fixedHalfWidth)
        // At the 100 sessions per arm it is tuned for, it is about 1.55 times as wide.
        #expect(abs(always.interval.width / 2 / fixedHalfWidth - 1.55) < 0.05)
    }

    @Test func theMixingVarianceRatioSolvesItsFixedPointEquation() {
        let ratio = AlwaysValidInterval.optimalVarianceRatio(alpha: 0.05)
        #expect(abs(ratio - 8.212) < 0.001)
        #expect(abs(ratio - (2 * log(20) + log(1 + ratio))) < 1e-9)
    }

    @Test func peekingEveryTenSessionsRarelyCrossesZeroUnderTheNull() throws {
        // 100 experiments in which both arms cost the same, each checked after every 10 sessions
        // per arm up to 500: the always-valid interval may leave out zero at some check in at most
        // about 5 % of them, while the fixed-sample interval, checked the same way, does so far
        // more often.
        var generator = SeededGenerator(seed: 52)
        var alwaysCrossed = 0
        var fixedCrossed = 0
        for _ in 0..<100 {
            var reference: [Double] = []
            var treatment: [Double] = []
            var always = false
            var fixed = false
            for size in 1...500 {
                reference.append(generator.normal())
                treatment.append(generator.normal())
                guard size % 10 == 0 else { continue }
                let referenceSummary = SampleSummary(reference)
                let treatmentSummary = SampleSummary(treatment)
                let interval = try #require(
                    AlwaysValidInterval(reference: referenceSummary, treatment: treatmentSummary))
                if interval.excludesZero { always = true }
                let estimate = treatmentSummary.mean - referenceSummary.mean
                let standardError = (referenceSummary.varianceOfMean + treatmentSummary.varianceOfMean).squareRoot()
                if abs(estimate) > 1.959964 * standardError { fixed = true }
            }
            if always { alwaysCrossed += 1 }
            if fixed { fixedCrossed += 1 }
        }
        #expect(alwaysCrossed <= 8)
        #expect(fixedCrossed > 2 * max(alwaysCrossed, 5))
    }

    @Test func aRealDifferenceIsFound() throws {
        var data = SeededGenerator(seed: 53)
        let reference = data.normals(200, mean: 1)
        let treatment = data.normals(200, mean: 0.5)
        let always = try #require(AlwaysValidInterval(reference: reference, treatment: treatment))
        #expect(always.excludesZero)
        #expect(always.interval.contains(-0.5))
    }

    @Test func samplesWithoutSpreadGiveTheEstimateItself() throws {
        let always = try #require(AlwaysValidInterval(reference: [2, 2, 2], treatment: [1, 1]))
        #expect(always.interval == ConfidenceInterval(lower: -1, upper: -1))
        #expect(always.excludesZero)
    }

    @Test func noIntervalBelowTwoValuesPerArm() {
        #expect(AlwaysValidInterval(reference: [1], treatment: [1, 2]) == nil)
    }
}
