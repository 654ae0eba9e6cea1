import SluiceLedger
import Testing

@Suite struct UTCDateTimeTests {
    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00.000Z"),
        (951_782_400_000, "2000-02-29T00:00:00.000Z"),
        (1_795_636_800_123, "2026-11-25T20:00:00.123Z"),
        (1_709_210_096_789, "2024-02-29T12:34:56.789Z"),
        (-1, "1969-12-31T23:59:59.999Z"),
        (-2_203_891_200_000, "1900-03-01T00:00:00.000Z"),
        (4_133_980_799_999, "2100-12-31T23:59:59.999Z"),
    ])
    func formatsUnixMillisecondsAsISO8601InUTC(milliseconds: Int64, text: String) {
        #expect(UTCDateTime(unixMilliseconds: milliseconds).iso8601 == text)
    }

    @Test func exposesCalendarFields() {
        let time = UTCDateTime(unixMilliseconds: 1_795_636_800_123)
        #expect(time.year == 2026 && time.month == 11 && time.day == 25)
        #expect(time.hour == 20 && time.minute == 0 && time.second == 0 && time.millisecond == 123)
        #expect(time.shortDisplay == "2026-11-25 20:00")
    }

    @Test func agreesWithDayCountsAcrossFourCenturies() {
        // Walk day by day from 1970 to 2370 and check the calendar advances by exactly one day.
        var previous = UTCDateTime(unixMilliseconds: 0)
        for day in Int64(1)...146_097 {
            let current = UTCDateTime(unixMilliseconds: day * 86_400_000)
            let daysInMonth = [31, isLeap(previous.year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
            if previous.day < daysInMonth[previous.month - 1] {
                #expect(
                    current.year == previous.year && current.month == previous.month && current.day == previous.day + 1)
            } else if previous.month < 12 {
                #expect(current.year == previous.year && current.month == previous.month + 1 && current.day == 1)
            } else {
                #expect(current.year == previous.year + 1 && current.month == 1 && current.day == 1)
            }
            previous = current
        }
        #expect(previous.iso8601 == "2370-01-01T00:00:00.000Z")
    }

    private func isLeap(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }
}
