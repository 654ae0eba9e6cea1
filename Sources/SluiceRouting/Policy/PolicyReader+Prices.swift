import SluiceLedger
import Yams

/// A model's `price:` block: dollars per million tokens, read exactly, with an optional
/// long-context tier.
extension PolicyReader {
    private static let priceKeys = [
        "input", "output", "cache_read", "cache_write_5m", "cache_write_1h", "above", "tiers", "web_search", "web_fetch",
        "per_second", "tokens_per_second",
    ]
    private static let tierPriceKeys = ["input", "output", "cache_read", "cache_write_5m", "cache_write_1h"]

    /// A model's prices. Cache prices left out bill those tokens at the input price: that is what a
    /// provider that publishes no cache price charges for them (local models, most OpenAI-compatible
    /// hosts). In `above`, a field left out keeps the base tier's value, except a cache price the
    /// base tier also left out, which again follows the input price (now the tier's).
    mutating func readPrice(_ node: Node, at path: String, contextWindow: Int?) -> ModelPrice? {
        guard
            let fields = fields(
                of: node, at: path,
                expecting: "prices in dollars per million tokens, such as {input: 3.00, output: 15.00}",
                allowed: Self.priceKeys)
        else { return nil }
        let input = required(fields, "input", at: path).flatMap { price($0, at: Self.path(path, "input")) }
        let output = required(fields, "output", at: path).flatMap { price($0, at: Self.path(path, "output")) }
        let cacheRead = fields["cache_read"].map { price($0, at: Self.path(path, "cache_read")) }
        let write5m = fields["cache_write_5m"].map { price($0, at: Self.path(path, "cache_write_5m")) }
        let write1h = fields["cache_write_1h"].map { price($0, at: Self.path(path, "cache_write_1h")) }
        let extras = readPriceExtras(fields, at: path)
        guard let input, let output, cacheRead != .some(nil), write5m != .some(nil), write1h != .some(nil),
            let extras
        else {
            if let above = fields["above"] { _ = readTier(above, at: Self.path(path, "above"), base: nil) }
            return nil
        }
        let given = ExplicitCachePrices(cacheRead: cacheRead ?? nil, write5m: write5m ?? nil, write1h: write1h ?? nil)
        let base = PriceTier(
            input: input, output: output, cacheRead: given.cacheRead ?? input, cacheWrite5m: given.write5m ?? input,
            cacheWrite1h: given.write1h ?? input)
        var tiers: [(tier: LongContextTier, path: String)] = []
        var sound = true
        if let aboveNode = fields["above"] {
            let abovePath = Self.path(path, "above")
            if let tier = readTier(aboveNode, at: abovePath, base: (base, given)) {
                tiers.append((tier, Self.path(abovePath, "tokens")))
            } else {
                sound = false
            }
        }
        if let tiersNode = fields["tiers"] {
            for (item, itemPath) in items(tiersNode, at: Self.path(path, "tiers")) {
                if let tier = readTier(item, at: itemPath, base: (base, given), thresholdKey: "above") {
                    tiers.append((tier, Self.path(itemPath, "above")))
                } else {
                    sound = false
                }
            }
        }
        for (tier, tierPath) in tiers {
            if let contextWindow, tier.aboveTokens >= contextWindow {
                report(
                    tierPath,
                    "\(Wording.grouped(tier.aboveTokens)) is not below the context window "
                        + "(\(Wording.grouped(contextWindow))), so this tier could never apply")
                sound = false
            }
            if tiers.filter({ $0.tier.aboveTokens == tier.aboveTokens }).count > 1 {
                report(tierPath, "two tiers start above \(Wording.grouped(tier.aboveTokens)) tokens")
                sound = false
            }
        }
        guard sound else { return nil }
        return ModelPrice(
            base: base, tiers: tiers.map(\.tier), webSearchPerThousand: extras.webSearch,
            generationPerSecond: extras.perSecond, tokensPerSecond: extras.tokensPerSecond)
    }

    /// Fees beside the token prices: web searches per 1,000 requests, and a local model's price per
    /// second of generation with its typical speed. `nil` when one of them has a problem.
    private mutating func readPriceExtras(
        _ fields: [String: Node], at path: String
    ) -> (webSearch: USD, perSecond: USD?, tokensPerSecond: Int?)? {
        var sound = true
        /// A fee in dollars, exact to the nanodollar; at most $1,000,000, so no sum of fees overflows.
        func dollars(_ key: String) -> USD? {
            guard let node = fields[key] else { return nil }
            let keyPath = Self.path(path, key)
            guard let text = text(node, at: keyPath, expecting: "an amount in dollars") else {
                sound = false
                return nil
            }
            guard let amount = USD(dollars: text.trimmingWhitespace()), amount >= .zero,
                amount <= USD(nanos: 1_000_000 * USD.nanosPerDollar)
            else {
                report(keyPath, "\"\(text)\" is not an amount in dollars between 0 and 1000000", at: node)
                sound = false
                return nil
            }
            return amount
        }
        let webSearch = dollars("web_search") ?? .zero
        if let fetch = dollars("web_fetch"), fetch != .zero {
            report(Self.path(path, "web_fetch"), "web fetch fees are not billed yet; Sluice prices fetches by their tokens")
            sound = false
        }
        let perSecond = dollars("per_second")
        var tokensPerSecond: Int?
        if let node = fields["tokens_per_second"] {
            tokensPerSecond = count(node, at: Self.path(path, "tokens_per_second"), minimum: 1)
            if tokensPerSecond == nil { sound = false }
            if perSecond == nil {
                report(Self.path(path, "tokens_per_second"), "only a model priced per_second needs a speed")
                sound = false
            }
        }
        return sound ? (webSearch, perSecond, tokensPerSecond) : nil
    }

    /// The cache prices a tier wrote out, as opposed to those that default to its input price.
    private struct ExplicitCachePrices {
        var cacheRead: TokenPrice?
        var write5m: TokenPrice?
        var write1h: TokenPrice?
    }

    /// The long-context tier; `base` is `nil` when the base tier is unusable and the tier is read
    /// only to report its own problems.
    private mutating func readTier(
        _ node: Node, at path: String, base: (tier: PriceTier, given: ExplicitCachePrices)?,
        thresholdKey: String = "tokens"
    ) -> LongContextTier? {
        guard
            let fields = fields(
                of: node, at: path,
                expecting: "a long-context tier, such as {\(thresholdKey): 200000, input: 6.00, output: 22.50}",
                allowed: [thresholdKey] + Self.tierPriceKeys)
        else { return nil }
        let tokens = required(fields, thresholdKey, at: path).flatMap {
            count($0, at: Self.path(path, thresholdKey), minimum: 1)
        }
        var prices: [String: TokenPrice?] = [:]
        for key in Self.tierPriceKeys {
            if let node = fields[key] { prices[key] = price(node, at: Self.path(path, key)) }
        }
        guard let tokens, let base, !prices.values.contains(where: { $0 == nil }) else { return nil }
        let input = prices["input"].flatMap { $0 } ?? base.tier.input
        let output = prices["output"].flatMap { $0 } ?? base.tier.output
        func cache(_ key: String, _ baseGiven: TokenPrice?) -> TokenPrice {
            prices[key].flatMap { $0 } ?? baseGiven ?? input
        }
        let tier = PriceTier(
            input: input, output: output, cacheRead: cache("cache_read", base.given.cacheRead),
            cacheWrite5m: cache("cache_write_5m", base.given.write5m),
            cacheWrite1h: cache("cache_write_1h", base.given.write1h))
        return LongContextTier(aboveTokens: tokens, tier: tier)
    }
}
