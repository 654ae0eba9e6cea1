package import SluiceWire

/// Everything needed to price a turn answered by one model: base prices, long-context tiers,
/// server-side tool fees, and for local models a price per second of generation.
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
    /// Prices for turns whose prompt exceeds a threshold, lowest threshold first (Qwen has three).
    package var tiers: [LongContextTier]
    /// The fee per 1,000 server-side web searches (Anthropic: $10).
    package var webSearchPerThousand: USD
    /// The price of one second of generation, for a local model priced by its amortized hardware
    /// and power rather than per token; `nil` for models priced per token only.
    package var generationPerSecond: USD?
    /// Typical generation speed, to estimate the seconds of a turn this model did not answer.
    package var tokensPerSecond: Int?

    /// Pairs the base prices with optional long-context tiers, fees and a time price.
    package init(
        base: PriceTier, longContext: LongContextTier? = nil, tiers: [LongContextTier] = [],
        webSearchPerThousand: USD = .zero, generationPerSecond: USD? = nil, tokensPerSecond: Int? = nil
    ) {
        self.base = base
        self.tiers = (tiers + (longContext.map { [$0] } ?? [])).sorted { $0.aboveTokens < $1.aboveTokens }
        self.webSearchPerThousand = webSearchPerThousand
        self.generationPerSecond = generationPerSecond
        self.tokensPerSecond = tokensPerSecond
    }

    /// A model that costs nothing, such as a local one.
    package static let free = ModelPrice(base: .free)

    /// The first long-context tier, if any.
    package var longContext: LongContextTier? { tiers.first }

    /// The tier that prices a turn with this many prompt tokens.
    ///
    /// A tier applies when `promptTokens` is strictly greater than its `aboveTokens`, matching
    /// vendors' "above 200K tokens" wording; a prompt of exactly the threshold stays below it.
    /// The highest tier that applies wins, and it prices the whole turn.
    package func tier(forPromptTokens promptTokens: Int) -> PriceTier {
        tiers.last { promptTokens > $0.aboveTokens }?.tier ?? base
    }

    /// The turn's actual cost, each kind of token at its own price.
    ///
    /// The tier is chosen from all prompt tokens (uncached, read and written). Reasoning tokens
    /// are part of `usage.output` and are not priced again. A time-priced model adds
    /// `generationMilliseconds` at its price per second; when that is `nil` the seconds are
    /// estimated from the output and ``tokensPerSecond`` (none when that is unknown either).
    ///
    /// - Parameters:
    ///   - usage: The turn's normalized usage.
    ///   - generationMilliseconds: How long the model worked on the turn, when it did.
    /// - Returns: The line items, each rounded once.
    package func cost(of usage: Usage, generationMilliseconds: Int? = nil) -> CostBreakdown {
        let tier = tier(forPromptTokens: usage.promptTokens)
        return CostBreakdown(
            input: tier.input.cost(of: usage.uncachedInput),
            cacheRead: tier.cacheRead.cost(of: usage.cacheRead),
            cacheWrite5m: tier.cacheWrite5m.cost(of: usage.cacheWrite5m),
            cacheWrite1h: tier.cacheWrite1h.cost(of: usage.cacheWrite1h),
            output: tier.output.cost(of: usage.output),
            serverTools: Self.perThousand(webSearchPerThousand, usage.webSearchRequests),
            generation: generationCost(milliseconds: generationMilliseconds ?? estimatedGenerationMilliseconds(usage))
        )
    }

    /// Whether a turn this model did not answer can still be priced: a time-priced model needs a
    /// typical speed to turn output tokens into seconds.
    package var canEstimateGeneration: Bool { generationPerSecond == nil || tokensPerSecond != nil }

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

    /// Seconds of generation at the price per second, rounded once, half up, to a nanodollar.
    private func generationCost(milliseconds: Int?) -> USD {
        guard let generationPerSecond, let milliseconds else { return .zero }
        return Self.rounded(Int128(generationPerSecond.nanos) * Int128(max(0, milliseconds)), per: 1_000)
    }

    private func estimatedGenerationMilliseconds(_ usage: Usage) -> Int? {
        guard generationPerSecond != nil, let tokensPerSecond, tokensPerSecond > 0 else { return nil }
        return usage.output * 1_000 / tokensPerSecond
    }

    private static func perThousand(_ fee: USD, _ count: Int) -> USD {
        rounded(Int128(fee.nanos) * Int128(max(0, count)), per: 1_000)
    }

    private static func rounded(_ product: Int128, per divisor: Int128) -> USD {
        guard let nanos = Int64(exactly: (product + divisor / 2) / divisor) else {
            preconditionFailure("a fee overflowed Int64 nanodollars")
        }
        return USD(nanos: nanos)
    }
}
