/// A range that a statistic's true value is likely to lie in, at some stated confidence.
///
/// Every interval of the statistics here (bootstrap, Wilson, always-valid) comes out as one of
/// these, so a report renders them all the same way and asks the same question of each: does
/// it leave out zero?
package struct ConfidenceInterval: Sendable, Hashable {
    /// The low end.
    package var lower: Double
    /// The high end, never below ``lower``.
    package var upper: Double

    /// An interval from its two ends; they are swapped if given the wrong way round.
    package init(lower: Double, upper: Double) {
        self.lower = min(lower, upper)
        self.upper = max(lower, upper)
    }

    /// `upper − lower`.
    package var width: Double { upper - lower }

    /// Whether `value` lies in the interval, ends included.
    package func contains(_ value: Double) -> Bool {
        lower <= value && value <= upper
    }

    /// Whether zero lies outside: for an interval of a difference, the data then show a
    /// difference in one direction.
    package var excludesZero: Bool { lower > 0 || upper < 0 }
}
