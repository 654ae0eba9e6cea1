/// The next 30 days' spend, extrapolated from the ledger's daily totals.
///
/// The method is deliberately simple, because a budget owner must be able to check it by hand:
///
/// 1. Spend is summed per UTC day; every day between the first and the last day with a turn
///    counts, days without turns as zero (a quiet weekend is part of the rate). The first and
///    last days count whole even when they are partial.
/// 2. The forecast is the mean daily spend × 30, computed exactly in integer nanodollars and
///    rounded half up.
/// 3. An approximate 80 % interval treats the 30 coming days as independent draws with the same
///    spread as the past ones: forecast ± 1.2816 × s × √30, where s is the sample standard
///    deviation (n − 1) of the daily totals and 1.2816 the normal distribution's 90th
///    percentile. The lower end is floored at zero. It ignores trends, weekly cycles and the
///    uncertainty of the mean itself, so it is a guide, not a guarantee.
///
/// With fewer than 7 days of history the spread says little; ``isShortHistory`` tells the
/// renderer to print "(few days of data: a rough guess)".
///
/// ```swift
/// let forecast = SpendForecast(dailySpend: [(day: 20_400, spend: USD(nanos: 2_000_000_000))])
/// forecast.spend.display   // "$60.0000"
/// ```
package struct SpendForecast: Sendable, Hashable {
    /// The days forecast.
    package static let horizonDays = 30
    /// Below this many days of history the forecast is flagged as a rough guess.
    package static let shortHistoryDays = 7
    /// The standard normal quantile for a two-sided 80 % interval (10 % in each tail).
    package static let intervalQuantile = 1.2816

    /// Days from the first to the last day with spend, both included; zero without history.
    package var daysOfHistory: Int
    /// The mean daily spend over those days, rounded half up to a whole nanodollar.
    package var dailyMean: USD
    /// The forecast: mean daily spend × ``horizonDays``.
    package var spend: USD
    /// The low end of the 80 % interval, never below zero.
    package var low: USD
    /// The high end of the 80 % interval.
    package var high: USD

    /// Whether the history is too short for the interval to mean much.
    package var isShortHistory: Bool { daysOfHistory < Self.shortHistoryDays }

    /// Forecasts from daily totals.
    ///
    /// - Parameter dailySpend: Spend per Unix day number (days since 1970-01-01, UTC), in any
    ///   order; a day listed twice counts with the sum of its amounts.
    package init(dailySpend: [(day: Int64, spend: USD)]) {
        var byDay: [Int64: Int128] = [:]
        for entry in dailySpend {
            byDay[entry.day, default: 0] += Int128(entry.spend.nanos)
        }
        guard let first = byDay.keys.min(), let last = byDay.keys.max() else {
            daysOfHistory = 0
            dailyMean = .zero
            spend = .zero
            low = .zero
            high = .zero
            return
        }
        let days = Int(last - first) + 1
        let total = byDay.values.reduce(Int128(0), +)
        daysOfHistory = days
        dailyMean = USD(nanos: Int64(clamping: Rounding.halfUp(total, dividedBy: Int128(days))))
        let forecast = Int64(clamping: Rounding.halfUp(total * Int128(Self.horizonDays), dividedBy: Int128(days)))
        spend = USD(nanos: forecast)

        // The spread, in Double: it is a statistic about money, not an amount of it.
        let mean = Double(total) / Double(days)
        var squaredDeviations = Double(days - byDay.count) * mean * mean  // the days without spend
        for dayTotal in byDay.values {
            let deviation = Double(dayTotal) - mean
            squaredDeviations += deviation * deviation
        }
        let variance = days > 1 ? squaredDeviations / Double(days - 1) : 0
        // s × √30 = √(s² × 30).
        let halfWidth = Self.intervalQuantile * (variance * Double(Self.horizonDays)).squareRoot()
        low = USD(nanos: max(0, Self.wholeNanos(Double(forecast) - halfWidth)))
        high = USD(nanos: Self.wholeNanos(Double(forecast) + halfWidth))
    }

    /// `value` rounded to the nearest nanodollar, clamped to the `Int64` range.
    private static func wholeNanos(_ value: Double) -> Int64 {
        guard value.isFinite else { return value > 0 ? Int64.max : 0 }
        let rounded = value.rounded()
        if rounded >= 9.2e18 { return Int64.max }
        if rounded <= -9.2e18 { return Int64.min }
        return Int64(rounded)
    }
}
