/// An interval for the difference of two means that stays valid however often it is checked.
///
/// A fixed-sample 95 % interval promises 5 % false alarms only when it is computed once, at a
/// sample size chosen in advance. People watching an experiment look every day and stop when
/// the interval leaves out zero; each look is another chance for noise to cross, and with daily
/// looks over a few weeks the false alarms climb past 20 %. The always-valid interval of the
/// mixture sequential probability ratio test (mSPRT) holds its 5 % across *every* look, at any
/// time, so `sluice ab` can be run daily and its "conclusive" trusted (Johari, Koomen, Pekelis
/// and Walsh, "Always Valid Inference: Continuous Monitoring of A/B Tests", Operations Research
/// 2022; the method behind Optimizely's Stats Engine).
///
/// With `θ̂ = mean(treatment) − mean(reference)`, `V = s²_ref/n_ref + s²_treat/n_treat` and
/// a normal mixture of variance `τ²` over the true difference, the interval is
///
///     θ̂ ± √( V(V+τ²)/τ² · (2·ln(1/α) + ln((V+τ²)/V)) )
///
/// It is always wider than the fixed-sample `θ̂ ± 1.96·√V`: that is the price of looking often.
///
/// **Choosing τ².** The mixture variance sets at which sample size the interval is tightest
/// relative to a fixed-sample one. At a given `V`, the half-width is smallest when
/// `τ²/V = r*`, where `r* = 2·ln(1/α) + ln(1 + r*)` (about 8.2 at α = 0.05; there the interval is
/// about 1.55 times the fixed-sample one). Experiments here are sized in the low hundreds of
/// sessions, so τ² is set to make that happen at ``tuningSessionsPerArm`` (100) sessions per
/// arm: `τ² = r* · 2σ²/100`, with `σ²` the pooled per-session variance of the two arms. Taking
/// σ² from the data is the usual plug-in; `V` is a plug-in estimate too, so with very few
/// sessions the interval is approximate, which is one reason reports also ask for a minimum
/// number of sessions per arm.
///
/// ```swift
/// let interval = AlwaysValidInterval(reference: controlDollars, treatment: cheapDollars)
/// interval?.excludesZero   // true once the arms differ beyond doubt
/// ```
package struct AlwaysValidInterval: Sendable, Hashable {
    /// The false-alarm rate across all looks unless told otherwise.
    package static let defaultAlpha = 0.05
    /// Sessions per arm at which τ² makes the interval tightest relative to a fixed-sample one.
    package static let tuningSessionsPerArm = 100

    /// `mean(treatment) − mean(reference)`.
    package var estimate: Double
    /// The always-valid interval around ``estimate``.
    package var interval: ConfidenceInterval
    /// `V`: the estimated variance of ``estimate``.
    package var varianceOfEstimate: Double
    /// `τ²`: the variance of the normal mixture.
    package var mixingVariance: Double
    /// The false-alarm rate it was computed for.
    package var alpha: Double

    /// Whether the interval leaves out zero: the two means differ, at the stated rate of false
    /// alarms, however many times the interval has been looked at.
    package var excludesZero: Bool { interval.excludesZero }

    /// The interval for two samples; `nil` when either has fewer than two values.
    ///
    /// - Parameters:
    ///   - reference: The reference group (an experiment's control arm).
    ///   - treatment: The group compared with it.
    ///   - alpha: The false-alarm rate across all looks (0.05 for a 95 % interval).
    package init?(reference: [Double], treatment: [Double], alpha: Double = AlwaysValidInterval.defaultAlpha) {
        self.init(reference: SampleSummary(reference), treatment: SampleSummary(treatment), alpha: alpha)
    }

    /// The interval from two summaries; `nil` when either counts fewer than two values or
    /// `alpha` is not in (0, 1).
    ///
    /// When both samples have no spread at all, the interval shrinks to the estimate itself,
    /// the limit of the formula as `V` goes to zero.
    package init?(
        reference: SampleSummary, treatment: SampleSummary, alpha: Double = AlwaysValidInterval.defaultAlpha
    ) {
        guard reference.count >= 2, treatment.count >= 2, alpha > 0, alpha < 1 else { return nil }
        let estimate = treatment.mean - reference.mean
        let variance = reference.varianceOfMean + treatment.varianceOfMean
        let pooled = SampleSummary.pooledVariance(reference, treatment) ?? 0
        let ratio = Self.optimalVarianceRatio(alpha: alpha)
        let mixing = ratio * 2 * pooled / Double(Self.tuningSessionsPerArm)
        self.estimate = estimate
        varianceOfEstimate = variance
        mixingVariance = mixing
        self.alpha = alpha
        let halfWidth = Self.halfWidth(variance: variance, mixingVariance: mixing, alpha: alpha)
        interval = ConfidenceInterval(lower: estimate - halfWidth, upper: estimate + halfWidth)
    }

    /// `r*`, the ratio τ²/V at which the interval is tightest relative to a fixed-sample one:
    /// the fixed point of `r = 2·ln(1/α) + ln(1 + r)` (8.21 at α = 0.05).
    ///
    /// The map is a contraction (its slope `1/(1+r)` is below 1), so iterating from
    /// `2·ln(1/α)` converges; 50 rounds reach full precision for any sensible α.
    package static func optimalVarianceRatio(alpha: Double) -> Double {
        let base = 2 * Logarithm.natural(1 / alpha)
        var ratio = base
        for _ in 0..<50 {
            ratio = base + Logarithm.natural(1 + ratio)
        }
        return ratio
    }

    /// `√( V(V+τ²)/τ² · (2·ln(1/α) + ln((V+τ²)/V)) )`; zero when `V` or `τ²` is zero.
    static func halfWidth(variance: Double, mixingVariance: Double, alpha: Double) -> Double {
        guard variance > 0, mixingVariance > 0 else { return 0 }
        let spread: Double = variance * (variance + mixingVariance) / mixingVariance
        let growth: Double = Logarithm.natural((variance + mixingVariance) / variance)
        let boundary: Double = 2 * Logarithm.natural(1 / alpha) + growth
        return (spread * boundary).squareRoot()
    }
}
