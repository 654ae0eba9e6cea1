import SluiceLedger
import SluiceWire
import Testing

@Suite struct ModelPriceTests {
    static func tier(_ input: String, _ output: String, read: String, write5m: String, write1h: String) -> PriceTier {
        PriceTier(
            input: TokenPrice(dollarsPerMillionTokens: input)!, output: TokenPrice(dollarsPerMillionTokens: output)!,
            cacheRead: TokenPrice(dollarsPerMillionTokens: read)!,
            cacheWrite5m: TokenPrice(dollarsPerMillionTokens: write5m)!,
            cacheWrite1h: TokenPrice(dollarsPerMillionTokens: write1h)!)
    }

    static let sonnet = ModelPrice(
        base: tier("3", "15", read: "0.30", write5m: "3.75", write1h: "6"),
        longContext: LongContextTier(
            aboveTokens: 200_000, tier: tier("6", "22.50", read: "0.60", write5m: "7.50", write1h: "12")))
    static let haiku = ModelPrice(base: tier("1", "5", read: "0.10", write5m: "1.25", write1h: "2"))

    @Test func pricesEachKindOfTokenAtItsOwnPrice() {
        let usage = Usage(
            uncachedInput: 1_000, cacheRead: 10_000, cacheWrite5m: 2_000, cacheWrite1h: 1_000, output: 500,
            reasoning: 200)
        let cost = Self.sonnet.cost(of: usage)
        #expect(cost.input == USD(nanos: 3_000_000))
        #expect(cost.cacheRead == USD(nanos: 3_000_000))
        #expect(cost.cacheWrite5m == USD(nanos: 7_500_000))
        #expect(cost.cacheWrite1h == USD(nanos: 6_000_000))
        // Reasoning is inside output and is not priced again.
        #expect(cost.output == USD(nanos: 7_500_000))
        #expect(cost.total == USD(nanos: 27_000_000))
    }

    @Test(arguments: [(199_999, false), (200_000, false), (200_001, true)])
    func switchesTheWholeTurnToTheLongTierOnlyAboveTheThreshold(promptTokens: Int, isLong: Bool) {
        // Split the prompt across kinds: the threshold counts every prompt token.
        let usage = Usage(
            uncachedInput: promptTokens - 150_000, cacheRead: 100_000, cacheWrite5m: 50_000, output: 1_000)
        let expected = isLong ? Self.sonnet.longContext!.tier : Self.sonnet.base
        #expect(Self.sonnet.tier(forPromptTokens: usage.promptTokens) == expected)
        #expect(Self.sonnet.cost(of: usage).output == expected.output.cost(of: 1_000))
        #expect(Self.sonnet.cost(of: usage).cacheRead == expected.cacheRead.cost(of: 100_000))
    }

    @Test func listCostPricesEveryPromptTokenAsUncachedInput() {
        let usage = Usage(uncachedInput: 1_000, cacheRead: 90_000, cacheWrite5m: 9_000, output: 2_000, reasoning: 500)
        // 100,000 prompt tokens × $3/M + 2,000 × $15/M.
        #expect(Self.sonnet.listCost(of: usage) == USD(nanos: 300_000_000 + 30_000_000))
        // The cache-faithful price of the same usage is far lower: reads are a tenth of input.
        #expect(Self.sonnet.cost(of: usage).total == USD(nanos: 3_000_000 + 27_000_000 + 33_750_000 + 30_000_000))
    }

    @Test func listCostUsesTheLongTierForLongPrompts() {
        let usage = Usage(uncachedInput: 1_000, cacheRead: 250_000, output: 1_000)
        #expect(Self.sonnet.listCost(of: usage) == USD(nanos: 251_000 * 6_000 + 22_500_000))
    }

    @Test func theHighestTierThatAppliesPricesTheWholeTurn() {
        // Qwen-style bands: base up to 32K, then 32K, 128K and 256K tiers.
        let price = ModelPrice(
            base: Self.tier("1", "5", read: "1", write5m: "1", write1h: "1"),
            tiers: [
                LongContextTier(aboveTokens: 256_000, tier: Self.tier("6", "60", read: "6", write5m: "6", write1h: "6")),
                LongContextTier(aboveTokens: 32_000, tier: Self.tier("1.8", "9", read: "1.8", write5m: "1.8", write1h: "1.8")),
                LongContextTier(aboveTokens: 128_000, tier: Self.tier("3", "15", read: "3", write5m: "3", write1h: "3")),
            ])
        #expect(price.cost(of: Usage(uncachedInput: 32_000)).total == USD(nanos: 32_000_000))
        #expect(price.cost(of: Usage(uncachedInput: 32_001)).total == USD(nanos: 57_601_800))
        #expect(price.cost(of: Usage(uncachedInput: 200_000)).total == USD(nanos: 600_000_000))
        #expect(price.cost(of: Usage(uncachedInput: 300_000, output: 1_000)).total == USD(nanos: 1_860_000_000))
    }

    @Test func webSearchesAreBilledPerRequestOnTopOfTokens() {
        let price = ModelPrice(base: Self.tier("3", "15", read: "0.3", write5m: "3.75", write1h: "6"),
            webSearchPerThousand: USD(nanos: 10_000_000_000))
        let cost = price.cost(of: Usage(uncachedInput: 1_000, webSearchRequests: 3))
        #expect(cost.serverTools == USD(nanos: 30_000_000))
        #expect(cost.total == USD(nanos: 3_000_000 + 30_000_000))
    }

    @Test func aTimePricedModelChargesItsSecondsOfGeneration() {
        // $0.0004 per second: amortized hardware and power of a local model.
        let local = ModelPrice(base: .free, generationPerSecond: USD(nanos: 400_000), tokensPerSecond: 40)
        #expect(local.cost(of: Usage(uncachedInput: 9_000, output: 100), generationMilliseconds: 2_500).total
            == USD(nanos: 1_000_000))
        // A turn it did not answer: 100 output tokens at 40 per second are 2.5 seconds.
        #expect(local.cost(of: Usage(uncachedInput: 9_000, output: 100)).total == USD(nanos: 1_000_000))
        let unknownSpeed = ModelPrice(base: .free, generationPerSecond: USD(nanos: 400_000))
        #expect(!unknownSpeed.canEstimateGeneration)
        #expect(local.canEstimateGeneration && ModelPrice.free.canEstimateGeneration)
    }

    @Test func freeModelsCostNothing() {
        #expect(ModelPrice.free.cost(of: Usage(uncachedInput: 1_000_000, output: 1_000_000)).total == .zero)
    }
}
