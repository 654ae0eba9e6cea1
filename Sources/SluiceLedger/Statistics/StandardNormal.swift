/// Quantiles of the standard normal distribution.
///
/// Interval formulas take a confidence level (0.95) and need the matching z (1.959964); computing
/// it keeps the level a parameter instead of a table of constants.
package enum StandardNormal {
    /// The z with P(Z ≤ z) = `p`: `quantile(0.975)` ≈ 1.959964. `-infinity` for `p ≤ 0`,
    /// `+infinity` for `p ≥ 1`, NaN for NaN.
    ///
    /// Acklam's rational approximation (relative error below 1.15 × 10⁻⁹): plenty for interval
    /// ends printed to four digits, and free of the special functions the module cannot import.
    package static func quantile(_ p: Double) -> Double {
        guard !p.isNaN else { return .nan }
        guard p > 0 else { return -.infinity }
        guard p < 1 else { return .infinity }
        if p < lowTail {
            return tail(p)
        }
        if p > 1 - lowTail {
            return -tail(1 - p)
        }
        let q = p - 0.5
        let r = q * q
        let numerator = horner(centralNumerator, r) * q
        let denominator = horner(centralDenominator, r) * r + 1
        return numerator / denominator
    }

    /// Below this probability (and above 1 minus it) the tail formula applies.
    private static let lowTail = 0.024_25

    private static let centralNumerator: [Double] = [
        -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
        1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00,
    ]
    private static let centralDenominator: [Double] = [
        -5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
        6.680131188771972e+01, -1.328068155288572e+01,
    ]
    private static let tailNumerator: [Double] = [
        -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
        -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00,
    ]
    private static let tailDenominator: [Double] = [
        7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00,
    ]

    /// The lower-tail quantile for `0 < p < lowTail` (negative).
    private static func tail(_ p: Double) -> Double {
        let q = (-2 * Logarithm.natural(p)).squareRoot()
        return horner(tailNumerator, q) / (horner(tailDenominator, q) * q + 1)
    }

    /// The polynomial with `coefficients` (highest power first) at `x`, by Horner's rule.
    private static func horner(_ coefficients: [Double], _ x: Double) -> Double {
        var value = 0.0
        for coefficient in coefficients {
            value = value * x + coefficient
        }
        return value
    }
}
