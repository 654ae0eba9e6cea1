/// Renders integers for reports without Foundation's formatters.
///
/// The pure ring cannot import Foundation, and report figures must be exact and the same on
/// every machine, so grouping and percentages are built from integers here.
enum NumberText {
    /// `1234567` as `"1,234,567"`; negative numbers keep their sign.
    static func grouped(_ value: some BinaryInteger) -> String {
        let digits = Array(String(value.magnitude))
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return value < 0 ? "-" + result : result
    }

    /// Basis points as a percentage with two decimals: 7333 → `"73.33"`, -5 → `"-0.05"`.
    static func percent(basisPoints: Int) -> String {
        let magnitude = basisPoints.magnitude
        let fraction = String(magnitude % 100)
        let sign = basisPoints < 0 ? "-" : ""
        return "\(sign)\(magnitude / 100).\(fraction.count == 1 ? "0" + fraction : fraction)"
    }

    /// `value` left-padded with zeros to `width` digits (for dates and times).
    static func zeroPadded(_ value: Int, width: Int) -> String {
        let digits = String(value.magnitude)
        let padding = String(repeating: "0", count: max(0, width - digits.count))
        return (value < 0 ? "-" : "") + padding + digits
    }
}
