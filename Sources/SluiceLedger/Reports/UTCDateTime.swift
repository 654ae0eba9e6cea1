/// A Unix time in milliseconds broken into UTC calendar fields, for reports.
///
/// The pure ring cannot use Foundation's date formatters, and reports must print the same text
/// on every machine whatever its time zone, so the civil date is computed with integer
/// arithmetic (the proleptic Gregorian calendar, days counted from 1970-01-01).
///
/// ```swift
/// UTCDateTime(unixMilliseconds: 951_782_400_000).iso8601   // "2000-02-29T00:00:00.000Z"
/// ```
package struct UTCDateTime: Sendable, Hashable {
    /// The year, such as 2026 (astronomical numbering: 0 is 1 BC).
    package var year: Int
    /// The month, 1...12.
    package var month: Int
    /// The day of the month, 1...31.
    package var day: Int
    /// The hour, 0...23.
    package var hour: Int
    /// The minute, 0...59.
    package var minute: Int
    /// The second, 0...59.
    package var second: Int
    /// The millisecond, 0...999.
    package var millisecond: Int

    /// Breaks a Unix time (milliseconds since 1970-01-01T00:00:00Z) into UTC fields; times
    /// before 1970 work too.
    package init(unixMilliseconds: Int64) {
        let (days, remainder) = Self.floorDivision(unixMilliseconds, Self.millisecondsPerDay)
        let millisecondOfDay = Int(remainder)
        hour = millisecondOfDay / 3_600_000
        minute = millisecondOfDay / 60_000 % 60
        second = millisecondOfDay / 1_000 % 60
        millisecond = millisecondOfDay % 1_000
        (year, month, day) = Self.civilDate(daysSinceEpoch: days)
    }

    /// ISO 8601 in UTC with milliseconds: `"2026-11-25T20:00:00.123Z"`.
    package var iso8601: String {
        "\(date)T\(time).\(NumberText.zeroPadded(millisecond, width: 3))Z"
    }

    /// The calendar date: `"2026-11-25"`.
    package var date: String {
        "\(NumberText.zeroPadded(year, width: 4))-\(NumberText.zeroPadded(month, width: 2))-"
            + NumberText.zeroPadded(day, width: 2)
    }

    /// The time of day to the second: `"20:00:00"`.
    package var time: String {
        "\(NumberText.zeroPadded(hour, width: 2)):\(NumberText.zeroPadded(minute, width: 2)):"
            + NumberText.zeroPadded(second, width: 2)
    }

    /// Date and time to the minute, for tables: `"2026-11-25 20:00"`.
    package var shortDisplay: String {
        "\(date) \(NumberText.zeroPadded(hour, width: 2)):\(NumberText.zeroPadded(minute, width: 2))"
    }

    /// Milliseconds in a UTC day.
    package static let millisecondsPerDay: Int64 = 86_400_000

    /// The UTC day a Unix time falls on, as days since 1970-01-01 (negative before 1970).
    package static func daysSinceEpoch(unixMilliseconds: Int64) -> Int64 {
        floorDivision(unixMilliseconds, millisecondsPerDay).quotient
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date: the inverse of the day arithmetic
    /// below (Howard Hinnant's `days_from_civil`).
    package static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int64 {
        let shifted = Int64(month <= 2 ? year - 1 : year)
        let era = (shifted >= 0 ? shifted : shifted - 399) / 400
        let yearOfEra = shifted - era * 400
        let monthIndex = Int64(month > 2 ? month - 3 : month + 9)
        let dayOfYear = (153 * monthIndex + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Quotient rounded toward negative infinity and the matching non-negative remainder.
    private static func floorDivision(_ value: Int64, _ divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        let quotient = value / divisor
        let remainder = value % divisor
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }

    /// Howard Hinnant's `civil_from_days`: shifts the year to start in March so the leap day
    /// is the last day of the year, then splits 400-year eras of 146,097 days.
    private static func civilDate(daysSinceEpoch days: Int64) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468  // days from 0000-03-01 to 1970-01-01
        let (era, dayOfEra) = floorDivision(shifted, 146_097)
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153  // 0 = March
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }
}
