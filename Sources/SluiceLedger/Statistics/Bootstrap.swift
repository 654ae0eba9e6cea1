/// Percentile bootstrap intervals: how far a statistic could move if the sessions were drawn
/// again.
///
/// Session costs are heavy-tailed (a few runaway sessions cost as much as the rest), so the
/// normal approximation behind `mean ± 1.96·s/√n` is poor for the sample sizes experiments
/// reach, and has no formula at all for the median or p90. The bootstrap makes no assumption
/// about the shape: it draws the sample again with replacement many times, computes the
/// statistic each time, and reports the middle `level` share of those values (Efron and
/// Tibshirani, "An Introduction to the Bootstrap", 1993, ch. 13).
///
/// ```swift
/// var generator = SeededGenerator(name: "cheap-first/control")
/// let interval = Bootstrap().interval(of: .mean, in: sessionDollars, using: &generator)
/// ```
///
/// Random draws come from a ``SeededGenerator``, so the same samples and seed give the same
/// interval. With the default 2,000 resamples the ends of a 95 % interval move by a few percent
/// of its width from seed to seed, well below what the interval itself says.
package struct Bootstrap: Sendable, Hashable {
    /// A statistic the bootstrap can take of a sample.
    package enum Statistic: String, Sendable, Hashable, CaseIterable {
        /// The arithmetic mean.
        case mean
        /// The nearest-rank 50th percentile.
        case median
        /// The nearest-rank 90th percentile.
        case p90

        /// The percentile it is; `nil` for the mean, which needs no order.
        var percent: Int? {
            switch self {
            case .mean: nil
            case .median: 50
            case .p90: 90
            }
        }
    }

    /// Resamples drawn unless told otherwise.
    package static let defaultResamples = 2_000

    /// How many times the sample is drawn again.
    package var resamples: Int
    /// The share of resampled statistics the interval spans: 0.95 for a 95 % interval.
    package var level: Double

    /// A bootstrap with `resamples` draws (at least 1) and the given level.
    package init(resamples: Int = Bootstrap.defaultResamples, level: Double = 0.95) {
        self.resamples = max(1, resamples)
        self.level = level
    }

    /// The percentile interval of `statistic` over `samples`; `nil` with fewer than two samples
    /// (one value has no spread to resample).
    ///
    /// - Parameters:
    ///   - statistic: What to estimate.
    ///   - samples: The values, in any order; the result depends on their order only through
    ///     which random draw picks which value.
    ///   - generator: The source of random draws.
    package func interval(
        of statistic: Statistic, in samples: [Double], using generator: inout SeededGenerator
    ) -> ConfidenceInterval? {
        guard samples.count >= 2 else { return nil }
        var resampler = Resampler(samples, statistic: statistic)
        var replicates: [Double] = []
        replicates.reserveCapacity(resamples)
        for _ in 0..<resamples {
            replicates.append(resampler.next(using: &generator))
        }
        return percentileInterval(of: &replicates)
    }

    /// The percentile interval of `statistic(treatment) − statistic(reference)` for two
    /// independent groups; `nil` when either has fewer than two samples.
    ///
    /// Each group is resampled on its own, at its own size, because the arms of an experiment
    /// are separate populations: pooling them would assume the very equality being tested.
    ///
    /// - Parameters:
    ///   - statistic: What to compare.
    ///   - reference: The reference group (an experiment's control arm).
    ///   - treatment: The group compared with it.
    ///   - generator: The source of random draws.
    package func intervalOfDifference(
        of statistic: Statistic, reference: [Double], treatment: [Double], using generator: inout SeededGenerator
    ) -> ConfidenceInterval? {
        guard reference.count >= 2, treatment.count >= 2 else { return nil }
        var treatments = Resampler(treatment, statistic: statistic)
        var references = Resampler(reference, statistic: statistic)
        var replicates: [Double] = []
        replicates.reserveCapacity(resamples)
        for _ in 0..<resamples {
            let treated = treatments.next(using: &generator)
            let referenced = references.next(using: &generator)
            replicates.append(treated - referenced)
        }
        return percentileInterval(of: &replicates)
    }

    /// Draws resamples of one group (same size, with replacement) and gives each one's statistic.
    ///
    /// The mean is summed straight from the draws. A percentile needs the resample in order, but
    /// not sorted: the values are sorted once, each draw counts one more copy of its value's
    /// place, and a walk up the counts finds the rank, O(n) per resample instead of sorting
    /// O(n log n) (for 2,000 resamples of thousands of sessions, the difference between a
    /// dashboard page in a fraction of a second and one in seconds). The draws are the same
    /// either way, so the replicates are exactly those of sorting each resample.
    private struct Resampler {
        let samples: [Double]
        let statistic: Statistic
        /// The values in order, and for each value in `samples` its place in that order.
        private let sorted: [Double]
        private let place: [Int]
        /// Copies of each sorted place drawn in the current resample.
        private var counts: [Int]

        init(_ samples: [Double], statistic: Statistic) {
            self.samples = samples
            self.statistic = statistic
            guard statistic.percent != nil else {
                (sorted, place, counts) = ([], [], [])
                return
            }
            let order = samples.indices.sorted { samples[$0] < samples[$1] }
            var place = [Int](repeating: 0, count: samples.count)
            for (rank, index) in order.enumerated() { place[index] = rank }
            self.sorted = order.map { samples[$0] }
            self.place = place
            counts = [Int](repeating: 0, count: samples.count)
        }

        /// The statistic of the next resample.
        mutating func next(using generator: inout SeededGenerator) -> Double {
            let count = samples.count
            guard let percent = statistic.percent else {
                var sum = 0.0
                for _ in 0..<count {
                    sum += samples[generator.index(below: count)]
                }
                return sum / Double(count)
            }
            for index in counts.indices { counts[index] = 0 }
            for _ in 0..<count {
                counts[place[generator.index(below: count)]] += 1
            }
            // The index Sample.percentile takes in the sorted resample.
            let target = Sample.percentileIndex(percent, count: count)
            var seen = 0
            for (position, copies) in counts.enumerated() {
                seen += copies
                if seen > target { return sorted[position] }
            }
            return sorted[count - 1]
        }
    }

    /// The interval between the replicates of the same rank from each end, which this sorts: the
    /// nearest-rank (1 − level)/2 quantile below and its mirror image above.
    ///
    /// With 2,000 replicates at 95 % that is the 50th smallest and the 50th largest (indices 49
    /// and 1,950), so 49 replicates lie beyond each end. Taking the nearest-rank (1 + level)/2
    /// quantile for the top instead (index 1,949) would leave 49 below and 50 above, an interval
    /// shifted down by one replicate.
    package func percentileInterval(of replicates: inout [Double]) -> ConfidenceInterval {
        replicates.sort()
        let lower = Self.rankIndex(of: (1 - level) / 2, count: replicates.count)
        return ConfidenceInterval(lower: replicates[lower], upper: replicates[replicates.count - 1 - lower])
    }

    /// The 0-based index of the nearest-rank `quantile` of `count` sorted values: ⌈q × n⌉ − 1,
    /// clamped to the array.
    ///
    /// The product is nudged down by a hair before rounding up because `(1 − 0.95) / 2 × 2000`
    /// is 50.000000000000004 in binary floating point, and must read as rank 50, not 51.
    static func rankIndex(of quantile: Double, count: Int) -> Int {
        let rank = (quantile * Double(count) - 1e-9).rounded(.up)
        guard rank.isFinite else { return quantile > 0.5 ? count - 1 : 0 }
        return min(max(Int(rank), 1), count) - 1
    }
}
