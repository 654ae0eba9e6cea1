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
/// **Choosing τ², once.** The guarantee holds for a mixture chosen *before* the looks it covers:
/// a τ² re-estimated from all the data at every look is a different test each day, and the
/// 5 % no longer holds across them. So τ² comes from a pilot, the first sessions of each arm,
/// and then stays put (``init(reference:treatment:mixingVariance:alpha:)``); `sluice ab` takes
/// each arm's first ten sessions by start time. The mixture variance sets at which sample size
/// the interval is tightest relative to a fixed-sample one. At a given `V`, the half-width is
/// smallest when `τ²/V = r*`, where `r* = 2·ln(1/α) + ln(1 + r*)` (about 8.2 at α = 0.05; there
/// the interval is about 1.55 times the fixed-sample one). Experiments here are sized in the low
/// hundreds of sessions, so τ² is set to make that happen at ``tuningSessionsPerArm`` (100)
/// sessions per arm: `τ² = r* · 2σ²/100`, with `σ²` the pooled per-session variance of the
/// pilot (``tunedMixingVariance(reference:treatment:alpha:)``). A rough pilot only moves the
/// sample size at which the interval is tightest; any τ² fixed in advance keeps the guarantee.
/// `V` is a plug-in estimate, so with very few sessions the interval is approximate, which is
/// one reason reports also ask for a minimum number of sessions per arm.
///
/// ```swift
/// let pilot = AlwaysValidInterval.tunedMixingVariance(
///     reference: SampleSummary(controlPilot), treatment: SampleSummary(cheapPilot))!
/// let interval = AlwaysValidInterval(
///     reference: SampleSummary(controlDollars), treatment: SampleSummary(cheapDollars), mixingVariance: pilot)
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

    /// The interval for two samples with τ² tuned from these same samples; `nil` when either
    /// has fewer than two values.
    ///
    /// - Warning: τ² then moves with the data, which is fine for a single look but not for
    ///   repeated ones; to check an experiment again and again, fix τ² from a pilot and use
    ///   ``init(reference:treatment:mixingVariance:alpha:)``.
    ///
    /// - Parameters:
    ///   - reference: The reference group (an experiment's control arm).
    ///   - treatment: The group compared with it.
    ///   - alpha: The false-alarm rate across all looks (0.05 for a 95 % interval).
    package init?(reference: [Double], treatment: [Double], alpha: Double = AlwaysValidInterval.defaultAlpha) {
        self.init(reference: SampleSummary(reference), treatment: SampleSummary(treatment), alpha: alpha)
    }

    /// The interval from two summaries with τ² tuned from these same summaries
    /// (``tunedMixingVariance(reference:treatment:alpha:)``); `nil` when either counts fewer than
    /// two values or `alpha` is not in (0, 1).
    ///
    /// When both samples have no spread at all, the interval shrinks to the estimate itself,
    /// the limit of the formula as `V` goes to zero.
    ///
    /// - Warning: As for ``init(reference:treatment:alpha:)``, this re-tunes τ² at every call.
    package init?(
        reference: SampleSummary, treatment: SampleSummary, alpha: Double = AlwaysValidInterval.defaultAlpha
    ) {
        guard reference.count >= 2, treatment.count >= 2, alpha > 0, alpha < 1,
            let mixing = Self.tunedMixingVariance(reference: reference, treatment: treatment, alpha: alpha)
        else { return nil }
        // A τ² of zero comes only from samples without any spread, whose `V` is zero too: the
        // interval is then the estimate itself (``halfWidth(variance:mixingVariance:alpha:)``).
        self.init(reference: reference, treatment: treatment, checkedMixingVariance: mixing, alpha: alpha)
    }

    /// The interval from two summaries with a mixture variance fixed in advance, as repeated
    /// looks need; `nil` when either counts fewer than two values, `alpha` is not in (0, 1), or
    /// `mixingVariance` is not positive and finite.
    ///
    /// ```swift
    /// // τ² from the pilot, computed once; every later look reuses it.
    /// let interval = AlwaysValidInterval(reference: control, treatment: cheap, mixingVariance: pilotTau2)
    /// ```
    ///
    /// - Parameters:
    ///   - reference: The reference group so far (an experiment's control arm).
    ///   - treatment: The group compared with it so far.
    ///   - mixingVariance: τ², fixed before the looks (``tunedMixingVariance(reference:treatment:alpha:)``
    ///     of a pilot). Without spread in τ² the mixture says nothing, hence the `nil`.
    ///   - alpha: The false-alarm rate across all looks (0.05 for a 95 % interval).
    package init?(
        reference: SampleSummary, treatment: SampleSummary, mixingVariance: Double,
        alpha: Double = AlwaysValidInterval.defaultAlpha
    ) {
        guard reference.count >= 2, treatment.count >= 2, alpha > 0, alpha < 1,
            mixingVariance > 0, mixingVariance.isFinite
        else { return nil }
        self.init(reference: reference, treatment: treatment, checkedMixingVariance: mixingVariance, alpha: alpha)
    }

    /// The interval once the arguments are checked.
    private init(
        reference: SampleSummary, treatment: SampleSummary, checkedMixingVariance mixingVariance: Double, alpha: Double
    ) {
        let estimate = treatment.mean - reference.mean
        let variance = reference.varianceOfMean + treatment.varianceOfMean
        self.estimate = estimate
        varianceOfEstimate = variance
        self.mixingVariance = mixingVariance
        self.alpha = alpha
        let halfWidth = Self.halfWidth(variance: variance, mixingVariance: mixingVariance, alpha: alpha)
        interval = ConfidenceInterval(lower: estimate - halfWidth, upper: estimate + halfWidth)
    }

    /// τ² tuned so the interval is tightest at ``tuningSessionsPerArm`` sessions per arm:
    /// `r* · 2σ²/100`, with `σ²` the pooled variance of the two samples (a pilot, for repeated
    /// looks); `nil` when they hold fewer than three values together or `alpha` is not in (0, 1).
    ///
    /// - Parameters:
    ///   - reference: The reference group's pilot.
    ///   - treatment: The compared group's pilot.
    ///   - alpha: The false-alarm rate the interval will be computed for.
    /// - Returns: τ², zero when the pilot has no spread at all.
    package static func tunedMixingVariance(
        reference: SampleSummary, treatment: SampleSummary, alpha: Double = AlwaysValidInterval.defaultAlpha
    ) -> Double? {
        guard alpha > 0, alpha < 1, let pooled = SampleSummary.pooledVariance(reference, treatment) else {
            return nil
        }
        return optimalVarianceRatio(alpha: alpha) * 2 * pooled / Double(tuningSessionsPerArm)
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

    /// The smallest number of sessions per arm at which the interval, with the observed spread
    /// and the fixed τ², would be narrower than the difference: the half-width at
    /// `V = 2σ²/n` is below `|difference|`.
    ///
    /// This is the sample size at which the interval would just leave out zero if the means
    /// stayed exactly `difference` apart: the always-valid counterpart of the fixed-sample
    /// `n = 2·(1.96)²σ²/δ²`. Near 100 sessions per arm (where τ² is tuned) it asks about 2.4
    /// times as many sessions (1.55², the width ratio), and about 1.2 times the 80 %-power figure
    /// of ``SampleSize``. It is a median, not a promise: with that true difference, about half
    /// of experiments are conclusive by then. The half-width shrinks as `n` grows, so `n` is
    /// found by doubling, then by bisection over whole numbers.
    ///
    /// ```swift
    /// AlwaysValidInterval.sessionsPerArm(difference: 0.5, sessionVariance: 1, mixingVariance: 0.1642)   // 75
    /// ```
    ///
    /// - Parameters:
    ///   - difference: The difference in means to resolve (its sign does not matter).
    ///   - sessionVariance: σ², the per-session variance pooled over the arms.
    ///   - mixingVariance: τ², fixed in advance.
    ///   - alpha: The false-alarm rate across all looks.
    /// - Returns: At least 2 (the interval needs two sessions per arm), capped at
    ///   ``SampleSize/maximumSessions``; `nil` when the difference is zero or any figure is not
    ///   finite, the variance is negative, τ² is not positive, or `alpha` is not in (0, 1).
    package static func sessionsPerArm(
        difference: Double, sessionVariance: Double, mixingVariance: Double,
        alpha: Double = AlwaysValidInterval.defaultAlpha
    ) -> Int? {
        guard difference != 0, difference.isFinite, sessionVariance.isFinite, sessionVariance >= 0,
            mixingVariance.isFinite, mixingVariance > 0, alpha > 0, alpha < 1
        else { return nil }
        let target = difference.magnitude
        func resolves(_ sessions: Int) -> Bool {
            let variance = 2 * sessionVariance / Double(sessions)
            return Self.halfWidth(variance: variance, mixingVariance: mixingVariance, alpha: alpha) < target
        }
        let cap = SampleSize.maximumSessions
        if resolves(2) { return 2 }
        // `failing` never resolves, `resolving` does (or is the cap).
        var failing = 2
        var resolving = 4
        while !resolves(resolving) {
            guard resolving < cap else { return cap }
            failing = resolving
            resolving = min(resolving * 2, cap)
        }
        while resolving - failing > 1 {
            let middle = failing + (resolving - failing) / 2
            if resolves(middle) {
                resolving = middle
            } else {
                failing = middle
            }
        }
        return resolving
    }

    /// `√( V(V+τ²)/τ² · (2·ln(1/α) + ln((V+τ²)/V)) )`: zero when `V` is zero (no uncertainty
    /// left), infinite when `V` is positive and `τ²` is zero (a mixture without spread never
    /// rejects). It grows with `V`, so it shrinks as sessions accumulate.
    package static func halfWidth(variance: Double, mixingVariance: Double, alpha: Double) -> Double {
        guard variance > 0 else { return 0 }
        guard mixingVariance > 0 else { return .infinity }
        let spread: Double = variance * (variance + mixingVariance) / mixingVariance
        let growth: Double = Logarithm.natural((variance + mixingVariance) / variance)
        let boundary: Double = 2 * Logarithm.natural(1 / alpha) + growth
        return (spread * boundary).squareRoot()
    }
}
