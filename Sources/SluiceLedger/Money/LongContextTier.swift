/// Prices that replace a model's base prices for turns with a long prompt.
///
/// Some vendors charge more for every token of a turn once its prompt passes a threshold
/// (for example above 200,000 tokens). The whole turn moves to the long tier, not just the
/// tokens past the threshold, so this is a switch rather than a marginal rate.
package struct LongContextTier: Sendable, Hashable {
    /// The tier applies when the prompt has strictly more tokens than this.
    package var aboveTokens: Int
    /// The prices for such turns.
    package var tier: PriceTier

    /// Pairs a threshold with its prices.
    package init(aboveTokens: Int, tier: PriceTier) {
        self.aboveTokens = aboveTokens
        self.tier = tier
    }
}
