/// A share (successes out of trials) with its Wilson score interval.
///
/// Outcome rates of an experiment (sessions that succeeded, that were abandoned) are counted
/// over a few dozen sessions, often with shares near 0 or 1. The textbook `p ± z·√(p(1−p)/n)`
/// interval collapses to a point at 0 of 10 and spills past 1 at 9 of 10; the Wilson interval
/// stays inside [0, 1] and keeps close to its stated coverage at small n (Brown, Cai and
/// DasGupta, "Interval Estimation for a Binomial Proportion", 2001).
///
/// ```swift
/// let passed = ProportionInterval(successes: 8, trials: 10)!
/// passed.share                    // 0.8
/// passed.interval.lower           // 0.4902
/// passed.interval.upper           // 0.9433
/// ```
package struct ProportionInterval: Sendable, Hashable {
    /// The count of successes.
    package var successes: Int
    /// The count of trials.
    package var trials: Int
    /// `successes / trials`.
    package var share: Double
    /// The Wilson score interval of the share.
    package var interval: ConfidenceInterval

    /// The share and its Wilson interval at `level`; `nil` without trials, or with successes
    /// outside `0...trials`.
    ///
    /// With `z` the normal quantile for `level` and `p̂ = successes / trials`, the interval is
    /// `(p̂ + z²/2n ± z·√(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n)`, clamped to [0, 1] against rounding.
    package init?(successes: Int, trials: Int, level: Double = 0.95) {
        guard trials > 0, (0...trials).contains(successes) else { return nil }
        self.successes = successes
        self.trials = trials
        let n = Double(trials)
        let estimate = Double(successes) / n
        share = estimate
        let z = StandardNormal.quantile(0.5 + level / 2)
        let zSquared = z * z
        let scale = 1 + zSquared / n
        let center = (estimate + zSquared / (2 * n)) / scale
        let spread = estimate * (1 - estimate) / n + zSquared / (4 * n * n)
        let halfWidth = z * spread.squareRoot() / scale
        interval = ConfidenceInterval(lower: max(0, center - halfWidth), upper: min(1, center + halfWidth))
    }
}
