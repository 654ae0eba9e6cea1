/// How spend spreads over sessions: the long tail that a per-session cap should cut.
///
/// Agent spend is heavy-tailed: most sessions are cheap and a few runaway ones cost as much as
/// all the rest. The mean hides that, so the report shows the median, p90, p99 and maximum, the
/// share of the most expensive tenth of sessions, and a cap suggestion derived from p90.
///
/// Percentiles use the **nearest-rank** method on the sorted costs: the p-th percentile of n
/// sessions is the ⌈p × n / 100⌉-th cheapest. Every figure is then some session's real cost
/// (never an interpolation between two), stays exact integer nanodollars, and needs no floating
/// point. The median is the 50th percentile by that rule, so with an even count it is the lower
/// of the two middle costs.
///
/// ```swift
/// let distribution = CostDistribution(sessionCosts: costs)
/// distribution.p90.display            // "$0.9000"
/// distribution.suggestedCap.display   // "$2.7000"
/// ```
package struct CostDistribution: Sendable, Hashable {
    /// Number of sessions.
    package var count: Int
    /// All sessions' costs summed.
    package var total: USD
    /// The average session cost, rounded half up to a whole nanodollar; zero without sessions.
    package var mean: USD
    /// The nearest-rank 50th percentile; zero without sessions.
    package var median: USD
    /// The nearest-rank 90th percentile; zero without sessions.
    package var p90: USD
    /// The nearest-rank 99th percentile; zero without sessions.
    package var p99: USD
    /// The most expensive session's cost (named so it does not shadow `Swift.max`); zero
    /// without sessions.
    package var maximum: USD
    /// How many sessions make up "the most expensive 10 %": a tenth of them rounded down, but at
    /// least one (zero without sessions).
    package var topDecileCount: Int
    /// The share of ``total`` that the ``topDecileCount`` most expensive sessions spent, in basis
    /// points rounded half up; `nil` when nothing was spent.
    package var topDecileShareBasisPoints: Int?
    /// The sessions counted in log-scale buckets.
    package var histogram: CostHistogram

    /// A per-session spending cap to suggest: 3 × p90.
    ///
    /// Three times the cost of a 90th-percentile session leaves ordinary heavy sessions alone and
    /// stops the runaway ones (loops, retries, unbounded context) that make the tail.
    package var suggestedCap: USD { Self.cap(p90: p90) }

    /// Computes the distribution.
    ///
    /// - Parameter sessionCosts: One cost per session, in any order.
    package init(sessionCosts: [USD]) {
        let sorted = sessionCosts.sorted()
        count = sorted.count
        let sum = sorted.reduce(Int128(0)) { $0 + Int128($1.nanos) }
        let total = USD(nanos: Int64(clamping: sum))
        self.total = total
        mean =
            sorted.isEmpty
            ? .zero : USD(nanos: Int64(clamping: Rounding.halfUp(sum, dividedBy: Int128(sorted.count))))
        median = Self.percentile(50, ofSorted: sorted)
        p90 = Self.percentile(90, ofSorted: sorted)
        p99 = Self.percentile(99, ofSorted: sorted)
        maximum = sorted.last ?? .zero
        let topCount = sorted.isEmpty ? 0 : max(1, sorted.count / 10)
        topDecileCount = topCount
        let topSpend = sorted.suffix(topCount).reduce(Int128(0)) { $0 + Int128($1.nanos) }
        topDecileShareBasisPoints = USD(nanos: Int64(clamping: topSpend)).basisPoints(of: total)
        histogram = CostHistogram(sessionCosts: sorted)
    }

    /// The nearest-rank percentile of sorted costs: the ⌈percent × n / 100⌉-th smallest (at
    /// least the first); zero for no costs.
    ///
    /// - Parameters:
    ///   - percent: 1...100.
    ///   - sorted: Costs in ascending order.
    package static func percentile(_ percent: Int, ofSorted sorted: [USD]) -> USD {
        guard !sorted.isEmpty else { return .zero }
        let rank = (percent * sorted.count + 99) / 100
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    /// 3 × `p90`, the cap rule shared by the overall suggestion and the per-tag ones.
    package static func cap(p90: USD) -> USD {
        USD(nanos: Int64(clamping: Int128(p90.nanos) * 3))
    }
}
