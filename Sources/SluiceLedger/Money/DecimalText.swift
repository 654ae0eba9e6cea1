/// Parses plain decimal text ("4", "0.0375") into an integer scaled by a power of ten.
///
/// Prices and budgets come from YAML as the decimal text vendors publish. Parsing the digits
/// directly is exact, where going through `Double` (or `Decimal`, which needs full Foundation
/// to round) is not.
enum DecimalText {
    /// The value of `text` × 10^`scale`, or `nil` when the text is not a plain decimal.
    ///
    /// Accepts an optional leading `-` only when `allowsNegative`, then one or more ASCII digits,
    /// then optionally `.` and one or more digits. Rejects exponents, `+`, whitespace, grouping,
    /// a bare `.`, and fraction digits finer than `scale` unless they are all zeros (those add
    /// nothing and lose nothing). Returns `nil` instead of overflowing `Int64`.
    static func scaledInteger(_ text: String, scale: Int, allowsNegative: Bool) -> Int64? {
        var bytes = Substring(text).utf8[...]
        var negative = false
        if bytes.first == UInt8(ascii: "-") {
            guard allowsNegative else { return nil }
            negative = true
            bytes = bytes.dropFirst()
        }
        let wholeDigits = bytes.prefix { $0 != UInt8(ascii: ".") }
        var fractionDigits = bytes.dropFirst(wholeDigits.count)
        if !fractionDigits.isEmpty {
            fractionDigits = fractionDigits.dropFirst()  // the "."
            guard !fractionDigits.isEmpty else { return nil }
        }
        guard !wholeDigits.isEmpty, wholeDigits.allSatisfy(isDigit), fractionDigits.allSatisfy(isDigit) else {
            return nil
        }
        // Digits beyond the scale are allowed only when they are zeros.
        guard fractionDigits.dropFirst(scale).allSatisfy({ $0 == UInt8(ascii: "0") }) else { return nil }

        var value: Int64 = 0
        for digit in wholeDigits {
            guard let next = append(digit, to: value) else { return nil }
            value = next
        }
        var kept = fractionDigits.prefix(scale).makeIterator()
        for _ in 0..<scale {
            guard let next = append(kept.next() ?? UInt8(ascii: "0"), to: value) else { return nil }
            value = next
        }
        return negative ? -value : value
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// `value` × 10 + `digit`, or `nil` on overflow.
    private static func append(_ digit: UInt8, to value: Int64) -> Int64? {
        let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
        let (sum, overflowB) = shifted.addingReportingOverflow(Int64(digit - UInt8(ascii: "0")))
        return overflowA || overflowB ? nil : sum
    }
}
