/// The natural logarithm, computed in Swift.
///
/// The ledger module imports no platform library (it must build and behave the same wherever
/// the gateway runs), and the standard library has no `log`. The always-valid interval and the
/// normal quantile need only a few logarithms per report, so a short series is enough.
package enum Logarithm {
    /// ln 2.
    package static let ln2 = 0.693_147_180_559_945_3

    /// The natural logarithm of `x`: `-infinity` for zero, NaN for negative numbers and NaN,
    /// `+infinity` for `+infinity`.
    ///
    /// Writes `x = m × 2ᵉ` with `m` in `[√½, √2)`, so `ln x = e·ln 2 + ln m`, and sums
    /// `ln m = 2·(s + s³/3 + s⁵/5 + …)` with `s = (m − 1)/(m + 1)`, `|s| < 0.172`: about a dozen
    /// terms reach full `Double` precision. Accurate to a few units in the last place.
    package static func natural(_ x: Double) -> Double {
        guard x > 0 else { return x == 0 ? -.infinity : .nan }
        guard x.isFinite else { return x }
        var mantissa = x.significand
        var exponent = Double(x.exponent)
        if mantissa > 1.414_213_562_373_095_1 {
            mantissa /= 2
            exponent += 1
        }
        let s = (mantissa - 1) / (mantissa + 1)
        let sSquared = s * s
        var power = s
        var divisor = 1.0
        var sum = 0.0
        while true {
            let next = sum + power / divisor
            if next == sum { break }
            sum = next
            power *= sSquared
            divisor += 2
        }
        return exponent * ln2 + 2 * sum
    }
}
