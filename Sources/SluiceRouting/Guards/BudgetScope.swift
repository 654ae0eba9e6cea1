import SluiceLedger

/// Whose spend a budget cap counts.
package enum BudgetScope: String, Sendable, Hashable, CaseIterable, Codable {
    /// One session's turns, for its whole life.
    case session
    /// One user's turns (the client's own identity, as reports group it), per period.
    case user
    /// The turns of sessions with one tag (`x-sluice-tag`), per period; untagged turns are not counted.
    case tag
    /// Every turn through the gateway, per period.
    case all
}

/// The stretch of time a cap counts spend over, in UTC.
package enum BudgetPeriod: String, Sendable, Hashable, CaseIterable, Codable {
    /// The scope's whole life (only sessions: a user's or a tag's spend since the beginning of
    /// time is not a budget anyone plans).
    case total
    /// A UTC day.
    case day
    /// A UTC calendar month.
    case month

    /// The number of the period `milliseconds` falls in: the day or month since 1970 (0 for `total`).
    package func index(atMilliseconds milliseconds: Int64) -> Int64 {
        switch self {
        case .total: return 0
        case .day: return UTCDateTime.daysSinceEpoch(unixMilliseconds: milliseconds)
        case .month:
            let date = UTCDateTime(unixMilliseconds: milliseconds)
            return Int64(date.year - 1970) * 12 + Int64(date.month - 1)
        }
    }

    /// When the period numbered `index` starts, in Unix milliseconds (`nil` for `total`).
    package func start(ofIndex index: Int64) -> Int64? {
        switch self {
        case .total: return nil
        case .day: return index * UTCDateTime.millisecondsPerDay
        case .month:
            let year = Int(index / 12) + 1970
            let month = Int(index % 12) + 1
            return UTCDateTime.daysSinceEpoch(year: year, month: month, day: 1) * UTCDateTime.millisecondsPerDay
        }
    }
}
