extension USD {
    /// Parses a dollar amount written as plain decimal text, such as `"5"` or `"0.25"`.
    ///
    /// Budgets and limits are written by people in dollars; parsing the text keeps them exact.
    /// Accepts an optional leading `-` and up to 9 fraction digits; rejects exponents, `$`,
    /// grouping and whitespace.
    ///
    /// - Parameter text: The amount in dollars.
    package init?(dollars text: String) {
        guard let nanos = DecimalText.scaledInteger(text, scale: 9, allowsNegative: true) else { return nil }
        self.init(nanos: nanos)
    }

    /// The exact amount in dollars as plain decimal text, usable verbatim as a JSON number.
    ///
    /// Machine-readable reports must not round: every nanodollar is kept, trailing zeros are
    /// trimmed, and at least two fraction digits remain so amounts still read as money.
    ///
    /// ```swift
    /// USD.zero.decimalString                          // "0.00"
    /// USD(nanos: 12_300_000).decimalString            // "0.0123"
    /// USD(nanos: -1_500_000_000).decimalString        // "-1.50"
    /// USD(nanos: 1).decimalString                     // "0.000000001"
    /// ```
    package var decimalString: String {
        let magnitude = nanos.magnitude
        let whole = magnitude / UInt64(USD.nanosPerDollar)
        var fraction = Array(String(magnitude % UInt64(USD.nanosPerDollar)).utf8)
        fraction.insert(contentsOf: repeatElement(UInt8(ascii: "0"), count: 9 - fraction.count), at: 0)
        while fraction.count > 2, fraction.last == UInt8(ascii: "0") {
            fraction.removeLast()
        }
        let sign = nanos < 0 ? "-" : ""
        return "\(sign)\(whole).\(String(decoding: fraction, as: UTF8.self))"
    }

    /// The amount for people: a dollar sign, thousands grouped, 4 decimals rounded half up.
    ///
    /// Tables need fixed-width figures; 4 decimals keep cheap turns (a side call costs a
    /// fraction of a cent) visible. Rounding is half away from zero on the magnitude, so a
    /// negative amount shows the same digits as its positive counterpart. An amount that
    /// rounds to zero shows no sign.
    ///
    /// ```swift
    /// USD(nanos: 12_340_000_000).display   // "$12.3400"
    /// USD(nanos: 12_345_000).display       // "$0.0123"
    /// USD(nanos: 12_350_000).display       // "$0.0124"
    /// USD(nanos: -1_500_000_000).display   // "-$1.5000"
    /// ```
    package var display: String {
        let tenThousandths = (nanos.magnitude + 50_000) / 100_000
        let whole = tenThousandths / 10_000
        let fraction = String(tenThousandths % 10_000)
        let padded = String(repeating: "0", count: 4 - fraction.count) + fraction
        let sign = nanos < 0 && tenThousandths != 0 ? "-" : ""
        return "\(sign)$\(NumberText.grouped(whole)).\(padded)"
    }

    /// This amount as basis points (hundredths of a percent) of `whole`, or `nil` when `whole` is zero.
    ///
    /// Savings percentages must come from the same exact integers as the amounts. Rounds half
    /// away from zero: `USD(nanos: 2).basisPoints(of: USD(nanos: 3))` is 6667.
    ///
    /// - Parameter whole: The amount that counts as 100 %.
    /// - Returns: `self × 10_000 ÷ whole`, rounded; clamped to the `Int` range.
    package func basisPoints(of whole: USD) -> Int? {
        guard whole.nanos != 0 else { return nil }
        let numerator = Int128(nanos) * 10_000
        let denominator = Int128(whole.nanos)
        var quotient = numerator / denominator
        let remainder = numerator % denominator
        if remainder.magnitude * 2 >= denominator.magnitude {
            quotient += (numerator < 0) == (denominator < 0) ? 1 : -1
        }
        return Int(clamping: quotient)
    }
}
