package import SluiceWire

/// Everything needed to price a turn answered by one model: base prices and an optional
/// long-context tier.
///
/// ```swift
/// let sonnet = ModelPrice(
///     base: PriceTier(input: TokenPrice(dollarsPerMillionTokens: "3")!, output: TokenPrice(dollarsPerMillionTokens: "15")!),
///     longContext: LongContextTier(aboveTokens: 200_000, tier: longPrices))
/// sonnet.cost(of: usage).total
/// ```
package struct ModelPrice: Sendable, Hashable {
    /// The prices for ordinary turns.
    package var base: PriceTier
    /// Prices for turns whose prompt exceeds a threshold, if the vendor has them.
    package var longContext: LongContextTier?

    /// Pairs the base prices with an optional long-context tier.
    package init(base: PriceTier, longContext: LongContextTier? = nil) {
        self.base = base
        self.longContext = longContext
    }

    /// A model that costs nothing, such as a local one.
    package static let free = ModelPrice(base: .free)

    /// The tier that prices a turn with this many prompt tokens.
    ///
    /// The long tier applies when `promptTokens` is strictly greater than its `aboveTokens`,
    /// matching vendors' "above 200K tokens" wording; a prompt of exactly the threshold stays
    /// on the base tier.
    package func tier(forPromptTokens promptTokens: Int) -> PriceTier {
        if let longContext, promptTokens > longContext.aboveTokens {
            return longContext.tier
        }
        return base
    }

    /// The turn's actual cost, each kind of token at its own price.
    ///
    /// The tier is chosen from all prompt tokens (uncached, read and written). Reasoning tokens
    /// are part of `usage.output` and are not priced again.
    ///
    /// - Parameter usage: The turn's normalized usage.
    /// - Returns: The line items, each rounded once.
    package func cost(of usage: Usage) -> CostBreakdown {
        let tier = tier(forPromptTokens: usage.promptTokens)
        return CostBreakdown(
            input: tier.input.cost(of: usage.uncachedInput),
            cacheRead: tier.cacheRead.cost(of: usage.cacheRead),
            cacheWrite5m: tier.cacheWrite5m.cost(of: usage.cacheWrite5m),
            cacheWrite1h: tier.cacheWrite1h.cost(of: usage.cacheWrite1h),
            output: tier.output.cost(of: usage.output)
        )
    }

    /// The turn priced as if there were no prompt cache: every prompt token at the uncached
    /// input price, plus output at the output price.
    ///
    /// This is the "list baseline" of DESIGN §6, the figure other tools report; Sluice shows it
    /// beside the cache-faithful baseline for comparison.
    ///
    /// - Parameter usage: The turn's normalized usage.
    /// - Returns: Two line items (prompt, output), each rounded once, summed.
    package func listCost(of usage: Usage) -> USD {
        let tier = tier(forPromptTokens: usage.promptTokens)
        return tier.input.cost(of: usage.promptTokens) + tier.output.cost(of: usage.output)
    }
}
