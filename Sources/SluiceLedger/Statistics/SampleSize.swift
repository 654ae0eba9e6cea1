/// How many sessions per arm an experiment needs to detect a given difference in means.
///
/// When an experiment is not conclusive yet, "keep going" is unhelpful on its own; this turns
/// the difference seen so far into a number of sessions, so people can judge whether waiting is
/// worth it. It is the classic two-sample formula for a two-sided test at α = 0.05 with 80 %
/// power, `n = 2(z₀.₉₇₅ + z₀.₈₀)²σ²/δ²` (for example Chow, Shao and Wang, "Sample Size
/// Calculations in Clinical Research", §3.2). It plans a single look; the always-valid interval
/// that reports check daily needs more, so `sluice ab` sizes experiments with
/// ``AlwaysValidInterval/sessionsPerArm(difference:sessionVariance:mixingVariance:alpha:)``.
///
/// ```swift
/// SampleSize.sessionsPerArm(difference: 0.5, standardDeviation: 1)   // 63
/// ```
package enum SampleSize {
    /// z for a two-sided test at α = 0.05: the normal distribution's 97.5th percentile.
    package static let zTwoSidedAlpha = 1.959964
    /// z for 80 % power: the normal distribution's 80th percentile.
    package static let zPower = 0.841621
    /// The largest count returned; a difference this small will not be seen in practice.
    package static let maximumSessions = 1_000_000_000_000

    /// Sessions per arm to detect `difference` with 80 % power at two-sided α = 0.05, rounded up
    /// (at least 2, capped at ``maximumSessions``); `nil` when the difference is zero or either
    /// figure is not finite or the standard deviation is negative.
    ///
    /// - Parameters:
    ///   - difference: The difference in means to detect (its sign does not matter).
    ///   - standardDeviation: The per-session standard deviation, pooled over the arms.
    package static func sessionsPerArm(difference: Double, standardDeviation: Double) -> Int? {
        guard let exact = exactSessionsPerArm(difference: difference, standardDeviation: standardDeviation) else {
            return nil
        }
        guard exact < Double(maximumSessions) else { return maximumSessions }
        return max(2, Int(exact.rounded(.up)))
    }

    /// The formula's value before rounding (62.79 for σ = 1, δ = 0.5); `nil` as for
    /// ``sessionsPerArm(difference:standardDeviation:)``.
    package static func exactSessionsPerArm(difference: Double, standardDeviation: Double) -> Double? {
        guard difference != 0, difference.isFinite, standardDeviation.isFinite, standardDeviation >= 0 else {
            return nil
        }
        let z = zTwoSidedAlpha + zPower
        let ratio = standardDeviation / difference
        return 2 * z * z * ratio * ratio
    }
}
