import SluiceLedger
import Testing

@Suite struct SpendForecastTests {
    static func dollars(_ amount: Int64) -> USD { USD(nanos: amount * 1_000_000_000) }

    @Test func forecastsThirtyTimesTheDailyMeanWithAnEightyPercentInterval() {
        // $19, $1, $13, $7, $10, $10, $10: mean $10, squared deviations 81 + 81 + 9 + 9 = 180, so
        // the sample variance is 180 / 6 = 30 and s × √30 = √900 = $30 exactly; ± 1.2816 × $30.
        let days: [(day: Int64, spend: USD)] = [
            (106, Self.dollars(10)), (100, Self.dollars(19)), (101, Self.dollars(1)), (102, Self.dollars(13)),
            (103, Self.dollars(7)), (104, Self.dollars(10)), (105, Self.dollars(10)),
        ]
        let forecast = SpendForecast(dailySpend: days)
        #expect(forecast.daysOfHistory == 7)
        #expect(!forecast.isShortHistory)
        #expect(forecast.dailyMean == Self.dollars(10))
        #expect(forecast.spend == Self.dollars(300))
        #expect(forecast.low == USD(nanos: 261_552_000_000))
        #expect(forecast.high == USD(nanos: 338_448_000_000))
    }

    @Test func daysWithoutSpendCountAsZero() {
        // Days 10 and 12 at $2, day 11 empty: $4 over 3 days.
        let forecast = SpendForecast(dailySpend: [(12, Self.dollars(2)), (10, Self.dollars(2))])
        #expect(forecast.daysOfHistory == 3)
        #expect(forecast.isShortHistory)
        #expect(forecast.dailyMean == USD(nanos: 1_333_333_333))
        #expect(forecast.spend == Self.dollars(40))  // exactly $4 × 30 / 3, not 30 × the rounded mean
        // Variance (4/9 + 16/9 + 4/9) / 2 = 4/3; 1.2816 × √40 = 8.10555009854…
        #expect(forecast.low == USD(nanos: 31_894_449_901))
        #expect(forecast.high == USD(nanos: 48_105_550_099))
    }

    @Test func theLowEndIsFlooredAtZero() {
        // A $29 day, 28 empty days and a $1 day: mean $1, variance (28² + 28 × 1²) / 29 = 28.
        let forecast = SpendForecast(dailySpend: [(0, Self.dollars(29)), (29, Self.dollars(1))])
        #expect(forecast.daysOfHistory == 30)
        #expect(forecast.spend == Self.dollars(30))
        #expect(forecast.low == .zero)  // 30 − 1.2816 × √840 = −7.14
        #expect(forecast.high == USD(nanos: 67_144_296_876))
    }

    @Test func noHistoryForecastsNothing() {
        let forecast = SpendForecast(dailySpend: [])
        #expect(forecast.daysOfHistory == 0)
        #expect(forecast.isShortHistory)
        #expect(forecast.dailyMean == .zero)
        #expect(forecast.spend == .zero)
        #expect(forecast.low == .zero)
        #expect(forecast.high == .zero)
    }

    @Test func oneDayHasNoSpread() {
        let forecast = SpendForecast(dailySpend: [(20_000, USD(nanos: 123_456_789))])
        #expect(forecast.daysOfHistory == 1)
        #expect(forecast.isShortHistory)
        #expect(forecast.spend == USD(nanos: 3_703_703_670))
        #expect(forecast.low == forecast.spend)
        #expect(forecast.high == forecast.spend)
    }

    @Test func aDayListedTwiceCountsOnceWithItsSum() {
        let forecast = SpendForecast(dailySpend: [(5, Self.dollars(1)), (5, Self.dollars(2))])
        #expect(forecast.daysOfHistory == 1)
        #expect(forecast.spend == Self.dollars(90))
    }

    @Test func theHistoryIsShortBelowSevenDays() {
        let six = SpendForecast(dailySpend: [(0, Self.dollars(1)), (5, Self.dollars(1))])
        let seven = SpendForecast(dailySpend: [(0, Self.dollars(1)), (6, Self.dollars(1))])
        #expect(six.isShortHistory)
        #expect(!seven.isShortHistory)
    }

    @Test func forecastRoundsHalfUpToWholeNanodollars() {
        // 1 nanodollar over 60 days: 30 / 60 = 0.5 of a nanodollar rounds up to 1.
        let forecast = SpendForecast(dailySpend: [(0, USD(nanos: 1)), (59, .zero)])
        #expect(forecast.spend == USD(nanos: 1))
        #expect(forecast.dailyMean == .zero)
    }
}
