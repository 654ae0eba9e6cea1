import SluiceLedger
import Yams

/// A model's `price:` block: dollars per million tokens, read exactly, with an optional
/// long-context tier.
extension PolicyReader {
    private static let priceKeys = ["input", "output", "cache_read", "cache_write_5m", "cache_write_1h", "above"]
    private static let tierKeys = ["tokens", "input", "output", "cache_read", "cache_write_5m", "cache_write_1h"]

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
        guard let input, let output, cacheRead != .some(nil), write5m != .some(nil), write1h != .some(nil) else {
            if let above = fields["above"] { _ = readTier(above, at: Self.path(path, "above"), base: nil) }
            return nil
        }
        let given = ExplicitCachePrices(cacheRead: cacheRead ?? nil, write5m: write5m ?? nil, write1h: write1h ?? nil)
        let base = PriceTier(
            input: input, output: output, cacheRead: given.cacheRead ?? input, cacheWrite5m: given.write5m ?? input,
            cacheWrite1h: given.write1h ?? input)
        guard let aboveNode = fields["above"] else { return ModelPrice(base: base, longContext: nil) }
        let abovePath = Self.path(path, "above")
        guard let tier = readTier(aboveNode, at: abovePath, base: (base, given)) else { return nil }
        if let contextWindow, tier.aboveTokens >= contextWindow {
            report(
                Self.path(abovePath, "tokens"),
                "\(Wording.grouped(tier.aboveTokens)) is not below the context window "
                    + "(\(Wording.grouped(contextWindow))), so this tier could never apply")
            return nil
        }
        return ModelPrice(base: base, longContext: tier)
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
        _ node: Node, at path: String, base: (tier: PriceTier, given: ExplicitCachePrices)?
    ) -> LongContextTier? {
        guard
            let fields = fields(
                of: node, at: path,
                expecting: "a long-context tier, such as {tokens: 200000, input: 6.00, output: 22.50}",
                allowed: Self.tierKeys)
        else { return nil }
        let tokens = required(fields, "tokens", at: path).flatMap {
            count($0, at: Self.path(path, "tokens"), minimum: 1)
        }
        var prices: [String: TokenPrice?] = [:]
        for key in Self.tierKeys.dropFirst() {
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
