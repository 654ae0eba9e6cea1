/// The stretch of time a dashboard page shows: turns that started in `[from, until)`, and how
/// the overview's chart buckets them.
///
/// Pages read it from the URL (`from=2026-11-01&until=2026-11-30&granularity=week`), so a view
/// can be bookmarked. People think of a period as days, last day included, so `until` names the
/// last day shown and the period ends at the following midnight (UTC); a moment with a time
/// (`2026-11-30T12:00Z`) is taken as the exclusive end itself. Without `from` and `until` the
/// period is the ``defaultDays`` days up to and including today.
///
/// ```swift
/// let period = DashboardPeriod(query: DashboardQuery(queryString: "from=2026-11-01&until=2026-11-30"),
///                              nowMilliseconds: now)
/// period.reportPeriod   // turns of November, for the store
/// ```
package struct DashboardPeriod: Sendable, Hashable {
    /// How the overview's spend chart groups days.
    package enum Granularity: String, Sendable, Hashable, CaseIterable {
        /// One point per UTC day.
        case day
        /// One point per week, weeks starting on Monday (UTC), as ISO 8601 counts them.
        case week

        /// Days in one bucket.
        package var days: Int64 {
            switch self {
            case .day: 1
            case .week: 7
            }
        }
    }

    /// Days shown when the URL names no period.
    package static let defaultDays = 30
    /// Periods longer than this many days are charted by week unless the URL asks for days:
    /// a point per day over a quarter is already a dense line.
    package static let dailyChartLimitDays = 92
    /// The period choices offered as links, in days.
    package static let presetDays = [1, 7, 30, 90, 365]

    /// The first included millisecond (Unix, UTC).
    package var from: Int64
    /// The first excluded millisecond.
    package var until: Int64
    /// How the overview's chart buckets the period.
    package var granularity: Granularity

    /// A period from its ends; `until` must be after `from`.
    package init(from: Int64, until: Int64, granularity: Granularity = .day) {
        self.from = from
        self.until = max(until, from + 1)
        self.granularity = granularity
    }

    /// Reads `from`, `until` and `granularity` from a dashboard URL.
    ///
    /// A missing or unreadable `until` is the end of today; a missing or unreadable `from`, or one
    /// not before `until`, is ``defaultDays`` days before `until`. Without `granularity`, periods
    /// up to ``dailyChartLimitDays`` days are charted by day and longer ones by week.
    ///
    /// - Parameters:
    ///   - query: The page's query items.
    ///   - nowMilliseconds: The current time, Unix milliseconds (injected: the dashboard reads no clock).
    package init(query: DashboardQuery, nowMilliseconds: Int64) {
        let day = UTCDateTime.millisecondsPerDay
        let until = query["until"].flatMap(Self.end(parsing:)) ?? Self.endOfDay(nowMilliseconds)
        var from = query["from"].flatMap(ReportPeriod.milliseconds(parsing:)) ?? (until - Int64(Self.defaultDays) * day)
        if from >= until { from = until - Int64(Self.defaultDays) * day }
        let granularity =
            query["granularity"].flatMap(Granularity.init(rawValue:))
            ?? ((until - from) > Int64(Self.dailyChartLimitDays) * day ? .week : .day)
        self.init(from: from, until: until, granularity: granularity)
    }

    /// The `days` days up to and including the day of `nowMilliseconds`.
    package static func lastDays(_ days: Int, nowMilliseconds: Int64) -> DashboardPeriod {
        let until = endOfDay(nowMilliseconds)
        let from = until - Int64(max(1, days)) * UTCDateTime.millisecondsPerDay
        return DashboardPeriod(
            from: from, until: until, granularity: days > dailyChartLimitDays ? .week : .day)
    }

    /// The same period as the store's ``ReportPeriod``.
    package var reportPeriod: ReportPeriod { ReportPeriod(from: from, until: until) }

    /// Whether a turn that started at `milliseconds` falls in the period.
    package func contains(_ milliseconds: Int64) -> Bool {
        milliseconds >= from && milliseconds < until
    }

    /// Whether activity from `first` to `last` (both included) overlaps the period.
    package func overlaps(first: Int64, last: Int64) -> Bool {
        last >= from && first < until
    }

    /// `from` as the URL writes it: a date at midnight, else date and time.
    package var fromText: String { Self.text(from) }

    /// `until` as the URL writes it: the last day included when the period ends at midnight,
    /// else the exclusive end with its time.
    package var untilText: String {
        until % UTCDateTime.millisecondsPerDay == 0
            ? UTCDateTime(unixMilliseconds: until - 1).date : Self.text(until)
    }

    /// The first and last day shown, for headings: `2026-11-01 – 2026-11-30`, or one date.
    package var caption: String {
        let first = UTCDateTime(unixMilliseconds: from).date
        let last = UTCDateTime(unixMilliseconds: until - 1).date
        return first == last ? first : "\(first) – \(last)"
    }

    /// The URL items that select this period (`from`, `until`; `granularity` when asked for).
    package func queryItems(includingGranularity: Bool = false) -> [(String, String)] {
        var items = [("from", fromText), ("until", untilText)]
        if includingGranularity { items.append(("granularity", granularity.rawValue)) }
        return items
    }

    /// The end of an `until` value: the midnight after a plain date, the moment itself otherwise.
    private static func end(parsing text: String) -> Int64? {
        guard let moment = ReportPeriod.milliseconds(parsing: text) else { return nil }
        return text.contains("T") ? moment : moment + UTCDateTime.millisecondsPerDay
    }

    /// The midnight (UTC) that ends the day of `milliseconds`.
    private static func endOfDay(_ milliseconds: Int64) -> Int64 {
        (UTCDateTime.daysSinceEpoch(unixMilliseconds: milliseconds) + 1) * UTCDateTime.millisecondsPerDay
    }

    /// `2026-11-01` at midnight, else `2026-11-01T12:30:15Z` (what ``ReportPeriod`` reads back).
    private static func text(_ milliseconds: Int64) -> String {
        let moment = UTCDateTime(unixMilliseconds: milliseconds)
        return milliseconds % UTCDateTime.millisecondsPerDay == 0 ? moment.date : moment.date + "T" + moment.time + "Z"
    }
}
