/// Spend, the requested counterfactual and the all-frontier baseline per day or per week: the
/// overview's time series.
///
/// One pass over the turns adds each into its bucket, so a period of 100,000 turns costs one
/// division per turn. Every bucket of the period is listed, empty ones included, so a quiet
/// weekend shows as a dip rather than vanishing from the line. Sums are exact; the chart turns
/// them into coordinates only when it draws.
///
/// ```swift
/// let series = DashboardSpendSeries(turns: turns, period: period, nowMilliseconds: now)
/// series.points.count   // days (or weeks) in the period, up to today
/// ```
package struct DashboardSpendSeries: Sendable, Hashable {
    /// One bucket's sums.
    package struct Point: Sendable, Hashable {
        /// The first millisecond of the bucket (midnight UTC; a Monday for weeks).
        package var startMilliseconds: Int64
        /// What the bucket's turns cost.
        package var spend: USD
        /// The requested counterfactual (a turn without one counts at its cost).
        package var requested: USD
        /// The all-frontier counterfactual.
        package var baseline: USD
        /// How many turns started in the bucket.
        package var turns: Int

        package init(
            startMilliseconds: Int64, spend: USD = .zero, requested: USD = .zero, baseline: USD = .zero, turns: Int = 0
        ) {
            self.startMilliseconds = startMilliseconds
            self.spend = spend
            self.requested = requested
            self.baseline = baseline
            self.turns = turns
        }
    }

    /// The most buckets drawn; a longer span keeps its latest buckets. Ten years of days is far
    /// beyond what a line on a screen can show.
    package static let maximumPoints = 3_660

    /// Day or week.
    package var granularity: DashboardPeriod.Granularity
    /// The buckets in time order.
    package var points: [Point]

    /// Sums the turns per bucket.
    ///
    /// The buckets run from the one holding the period's start to the one holding its last
    /// millisecond, or only up to now (or the latest turn) when the period ends in the future,
    /// so today's chart does not trail off into empty days to come. Turns outside the period
    /// widen the span so that the chart adds up to the totals beside it; only turns before the
    /// earliest of ``maximumPoints`` buckets are left out of the chart.
    ///
    /// - Parameters:
    ///   - turns: The period's turns, in any order.
    ///   - period: The period and its granularity.
    ///   - nowMilliseconds: The current time, Unix milliseconds.
    package init(turns: [TurnRecord], period: DashboardPeriod, nowMilliseconds: Int64) {
        let step = period.granularity.days
        var first = period.from
        var last = period.until - 1
        if period.contains(nowMilliseconds) { last = nowMilliseconds }
        for turn in turns {
            first = min(first, turn.startedAtMilliseconds)
            last = max(last, turn.startedAtMilliseconds)
        }
        let lastBucket = Self.bucketDay(of: last, step: step)
        var firstBucket = Self.bucketDay(of: first, step: step)
        if (lastBucket - firstBucket) / step + 1 > Int64(Self.maximumPoints) {
            firstBucket = lastBucket - (Int64(Self.maximumPoints) - 1) * step
        }
        let count = Int((lastBucket - firstBucket) / step) + 1
        var points: [Point] = []
        points.reserveCapacity(count)
        for index in 0..<count {
            points.append(
                Point(startMilliseconds: (firstBucket + Int64(index) * step) * UTCDateTime.millisecondsPerDay))
        }
        for turn in turns {
            let offset = Self.bucketDay(of: turn.startedAtMilliseconds, step: step) - firstBucket
            guard offset >= 0 else { continue }
            let index = Int(offset / step)
            points[index].spend += turn.cost
            points[index].requested += turn.requested.cost
            points[index].baseline += turn.baselineCost
            points[index].turns += 1
        }
        granularity = period.granularity
        self.points = points
    }

    /// The day number (days since 1970-01-01) that starts the bucket of `milliseconds`: the day
    /// itself, or the Monday of its week (1970-01-01 was a Thursday, three days after a Monday).
    static func bucketDay(of milliseconds: Int64, step: Int64) -> Int64 {
        let day = UTCDateTime.daysSinceEpoch(unixMilliseconds: milliseconds)
        guard step == 7 else { return day }
        let weekday = ((day + 3) % 7 + 7) % 7  // 0 = Monday
        return day - weekday
    }

    /// A bucket's label: its date, or `week of` its Monday.
    func label(of point: Point) -> String {
        let date = UTCDateTime(unixMilliseconds: point.startMilliseconds).date
        return granularity == .week ? "week of " + date : date
    }
}
