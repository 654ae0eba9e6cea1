/// Means, variances and percentiles of samples of `Double`, the building blocks of the other
/// statistics.
///
/// Money stays in exact ``USD`` everywhere else; the statistics of an experiment (how much a
/// mean could move, whether two arms differ) are statements about money, not amounts of it, so
/// they work on `Double` dollars.
package enum Sample {
    /// The arithmetic mean; zero for no values.
    package static func mean(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        var sum = 0.0
        for value in values { sum += value }
        return sum / Double(values.count)
    }

    /// The sample variance (divided by n − 1, so it is unbiased); zero for fewer than two values.
    ///
    /// Two passes (the mean first, then squared deviations from it) avoid the cancellation of
    /// the one-pass `Σx² − n·mean²` when the values are large and close together.
    package static func variance(_ values: [Double]) -> Double {
        guard values.count > 1 else { return 0 }
        let average = mean(values)
        var squares = 0.0
        for value in values {
            let deviation = value - average
            squares += deviation * deviation
        }
        return squares / Double(values.count - 1)
    }

    /// The nearest-rank percentile of sorted values: the ⌈percent × n / 100⌉-th smallest (at
    /// least the first); zero for no values.
    ///
    /// The same rule as ``CostDistribution/percentile(_:ofSorted:)``, so a bootstrap interval of
    /// the median or p90 is an interval of the very figure the spend report prints.
    ///
    /// - Parameters:
    ///   - percent: 1...100.
    ///   - sorted: Values in ascending order.
    package static func percentile(_ percent: Int, ofSorted sorted: [Double]) -> Double {
        guard !sorted.isEmpty else { return 0 }
        return sorted[percentileIndex(percent, count: sorted.count)]
    }

    /// The 0-based index of the nearest-rank `percent` percentile among `count` sorted values.
    package static func percentileIndex(_ percent: Int, count: Int) -> Int {
        min(max((percent * count + 99) / 100, 1), count) - 1
    }
}
