/// The price of one kind of token, parsed exactly from the "dollars per million tokens" figure
/// vendors publish.
///
/// Vendors quote prices such as `0.0375` dollars per million tokens. Storing nanodollars per
/// 1,000 tokens (dollars per million × 1,000,000) is exact for any price quoted to 6 decimal
/// places and keeps each line item's arithmetic in integers.
///
/// ```swift
/// let cacheRead = TokenPrice(dollarsPerMillionTokens: "0.0375")!
/// cacheRead.nanosPerThousandTokens          // 37_500
/// cacheRead.cost(of: 1_000_000)             // USD(nanos: 37_500_000), $0.0375
/// ```
package struct TokenPrice: Sendable, Hashable {
    /// Nanodollars per 1,000 tokens, which equals dollars per million tokens × 1,000,000.
    package var nanosPerThousandTokens: Int64

    /// Wraps a price already in nanodollars per 1,000 tokens.
    ///
    /// - Precondition: `nanosPerThousandTokens >= 0`; no vendor pays us to use a model.
    package init(nanosPerThousandTokens: Int64) {
        precondition(nanosPerThousandTokens >= 0, "a token price cannot be negative")
        self.nanosPerThousandTokens = nanosPerThousandTokens
    }

    /// Parses the dollars-per-million-tokens text a vendor publishes, such as `"4"`, `"4.00"`,
    /// `"0.0375"` or `"0.125"`.
    ///
    /// Returns `nil` for text that is negative, malformed (`""`, `"."`, `"4."`, `".5"`, `"1,000"`,
    /// `" 4"`, `"+4"`), uses an exponent (`"4e0"`), has more than 6 decimal places that are not
    /// zeros (`"0.0000001"`), or is too large to store. Trailing zeros past the sixth place
    /// (`"1.50000000"`) are accepted because they change nothing.
    ///
    /// - Parameter text: The price in dollars per million tokens.
    package init?(dollarsPerMillionTokens text: String) {
        guard let value = DecimalText.scaledInteger(text, scale: 6, allowsNegative: false) else { return nil }
        self.init(nanosPerThousandTokens: value)
    }

    /// Free; for local models and for token kinds a vendor does not charge.
    package static let zero = TokenPrice(nanosPerThousandTokens: 0)

    /// The cost of `tokens` at this price: `tokens × price ÷ 1000`, rounded once, half up, to a
    /// whole nanodollar.
    ///
    /// Rounding happens once per line item so a turn's cost does not depend on how its tokens
    /// were split across events. A negative token count (never valid usage) is priced
    /// symmetrically, rounding half away from zero, rather than crashing.
    ///
    /// - Parameter tokens: How many tokens of this kind the turn used.
    /// - Returns: The exact cost in nanodollars.
    /// - Precondition: The cost fits in `Int64` (about $9.2 billion); a result beyond that is a
    ///   corrupt token count and traps rather than being recorded wrongly. At $75 per million
    ///   tokens that takes over 10¹¹ tokens in one turn.
    package func cost(of tokens: Int) -> USD {
        let product = Int128(tokens) * Int128(nanosPerThousandTokens)
        let rounded = product >= 0 ? (product + 500) / 1_000 : (product - 500) / 1_000
        guard let nanos = Int64(exactly: rounded) else {
            preconditionFailure("token count × price overflowed Int64 nanodollars")
        }
        return USD(nanos: nanos)
    }
}
