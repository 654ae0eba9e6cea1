import Foundation
import SluiceLedger
import Testing

/// `--since` and `--until`: UTC days and times, checked against Foundation's calendar.
@Suite struct ReportPeriodTests {
    static func expected(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0, _ second: Int = 0)
        -> Int64
    {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let date = calendar.date(
            from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second))!
        return Int64(date.timeIntervalSince1970) * 1_000
    }

    @Test func readsDaysAndTimes() {
        #expect(ReportPeriod.milliseconds(parsing: "2026-11-01") == Self.expected(2026, 11, 1))
        #expect(ReportPeriod.milliseconds(parsing: "2024-02-29") == Self.expected(2024, 2, 29))
        #expect(ReportPeriod.milliseconds(parsing: "1969-12-31") == Self.expected(1969, 12, 31))
        #expect(ReportPeriod.milliseconds(parsing: "2026-11-01T09:30Z") == Self.expected(2026, 11, 1, 9, 30))
        #expect(ReportPeriod.milliseconds(parsing: "2026-11-01T09:30:15") == Self.expected(2026, 11, 1, 9, 30, 15))
    }

    @Test(arguments: ["", "2026-1-01", "2026-13-01", "2026-11-01T25:00Z", "2026-11-01T09", "yesterday", "2026-11-01T09:30:61", "2026-02-29", "2026-04-31"])
    func refusesAnythingElse(_ text: String) {
        #expect(ReportPeriod.milliseconds(parsing: text) == nil)
    }
}
