/// A sample reduced to what the normal-theory statistics need: its size, mean and variance.
///
/// The always-valid interval is recomputed every time someone looks at an experiment; keeping
/// running figures lets a caller (or a simulation of daily peeking) update them per session
/// instead of re-reading every cost.
package struct SampleSummary: Sendable, Hashable {
    /// Number of values.
    package var count: Int
    /// Their mean; zero without values.
    package var mean: Double
    /// Their sample variance (n − 1); zero with fewer than two values.
    package var variance: Double

    /// A summary from figures computed elsewhere.
    package init(count: Int, mean: Double, variance: Double) {
        self.count = count
        self.mean = mean
        self.variance = variance
    }

    /// Summarizes `values`.
    package init(_ values: [Double]) {
        self.init(count: values.count, mean: Sample.mean(values), variance: Sample.variance(values))
    }

    /// The sample standard deviation.
    package var standardDeviation: Double { variance.squareRoot() }

    /// The variance of the sample's mean, `variance / count`; infinite without values.
    package var varianceOfMean: Double {
        count > 0 ? variance / Double(count) : .infinity
    }

    /// The pooled variance of two samples, `((n₁−1)s₁² + (n₂−1)s₂²) / (n₁+n₂−2)`: one estimate
    /// of the spread both share; `nil` when the two hold fewer than three values together.
    package static func pooledVariance(_ first: SampleSummary, _ second: SampleSummary) -> Double? {
        let degreesOfFreedom = first.count + second.count - 2
        guard degreesOfFreedom > 0 else { return nil }
        let firstSquares = Double(max(0, first.count - 1)) * first.variance
        let secondSquares = Double(max(0, second.count - 1)) * second.variance
        return (firstSquares + secondSquares) / Double(degreesOfFreedom)
    }
}
