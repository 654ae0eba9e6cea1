/// The exponential function, computed in Swift, for the same reason as ``Logarithm``: no platform
/// library, and the same bits on every machine, so a model trained here scores a turn the same
/// way wherever the gateway runs.
package enum Exponential {
    /// e to the power `x`: 0 far below zero, `+infinity` far above, NaN for NaN.
    ///
    /// Writes `x = k·ln 2 + r` with `|r| ≤ ½ ln 2`, so `eˣ = 2ᵏ·eʳ`, and sums the Taylor series of
    /// `eʳ` until a term no longer changes the sum (about 18 terms). Accurate to a few units in
    /// the last place.
    package static func natural(_ x: Double) -> Double {
        guard !x.isNaN else { return x }
        if x > 709.78 { return .infinity }
        if x < -745.2 { return 0 }
        let k = (x / Logarithm.ln2).rounded()
        let r = x - k * Logarithm.ln2
        var term = 1.0
        var sum = 1.0
        var n = 1.0
        while true {
            term *= r / n
            let next = sum + term
            if next == sum { break }
            sum = next
            n += 1
        }
        return Double(sign: .plus, exponent: Int(k), significand: sum)
    }

    /// The logistic function `1 / (1 + e⁻ˣ)`, written so that neither end overflows.
    package static func logistic(_ x: Double) -> Double {
        if x >= 0 { return 1 / (1 + natural(-x)) }
        let e = natural(x)
        return e / (1 + e)
    }
}
