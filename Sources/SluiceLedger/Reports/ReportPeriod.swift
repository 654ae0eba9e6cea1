/// The period a report covers: turns that started in `[from, until)`, as `--since` and `--until`
/// write its ends.
package struct ReportPeriod: Sendable, Hashable {
    /// The first included millisecond; `nil` for no lower bound.
    package var from: Int64?
    /// The first excluded millisecond; `nil` for no upper bound.
    package var until: Int64?

    package init(from: Int64? = nil, until: Int64? = nil) {
        self.from = from
        self.until = until
    }

    /// A moment written `2026-11-01` (midnight UTC), `2026-11-01T12:30Z` or
    /// `2026-11-01T12:30:15Z` (UTC; a trailing `Z` is optional), as Unix milliseconds; `nil` for
    /// anything else.
    package static func milliseconds(parsing text: String) -> Int64? {
        let parts = text.split(separator: "T", maxSplits: 1, omittingEmptySubsequences: false)
        let date = parts[0].split(separator: "-", omittingEmptySubsequences: false)
        guard date.count == 3, date[0].count == 4, date[1].count == 2, date[2].count == 2,
            let year = Int(date[0]), let month = Int(date[1]), let day = Int(date[2]),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var seconds: Int64 = 0
        if parts.count == 2 {
            var time = parts[1]
            if time.hasSuffix("Z") { time = time.dropLast() }
            let fields = time.split(separator: ":", omittingEmptySubsequences: false)
            guard (2...3).contains(fields.count), fields.allSatisfy({ $0.count == 2 }),
                let hour = Int(fields[0]), let minute = Int(fields[1]), hour < 24, minute < 60
            else { return nil }
            let second = fields.count == 3 ? Int(fields[2]) : 0
            guard let second, second < 60 else { return nil }
            seconds = Int64(hour * 3_600 + minute * 60 + second)
        }
        let days = UTCDateTime.daysSinceEpoch(year: year, month: month, day: day)
        // A day past its month's end (2026-02-31) would silently roll over: refuse it.
        let back = UTCDateTime(unixMilliseconds: days * UTCDateTime.millisecondsPerDay)
        guard back.year == year, back.month == month, back.day == day else { return nil }
        return days * UTCDateTime.millisecondsPerDay + seconds * 1_000
    }
}
