import SluiceLedger
import SluiceWire
import Testing

/// The counterfactuals of a session, hand-computed turn by turn (nanodollars = tokens × dollars
/// per million × 1,000).
@Suite struct SessionCachesTests {
    static func tier(_ input: String, _ output: String, read: String, write5m: String, write1h: String) -> PriceTier {
        ModelPriceTests.tier(input, output, read: read, write5m: write5m, write1h: write1h)
    }

    /// Opus 4.5 and Haiku 4.5 list prices; both cache prefixes of 4,096 tokens and more.
    static let opus = PricedModel(
        name: "opus", id: "claude-opus-4-5", upstream: "anthropic",
        price: ModelPrice(base: tier("5", "25", read: "0.50", write5m: "6.25", write1h: "10")))
    static let haiku = PricedModel(
        name: "haiku", id: "claude-haiku-4-5", upstream: "anthropic",
        price: ModelPrice(base: tier("1", "5", read: "0.10", write5m: "1.25", write1h: "2")))

    static func turn(
        at seconds: Int64, _ usage: Usage, thread: String = "main", request: CacheRequest = .fiveMinutes
    ) -> CacheTurn {
        CacheTurn(
            thread: thread, startedAtMilliseconds: seconds * 1_000, readyAtMilliseconds: seconds * 1_000 + 1_000,
            usage: usage, request: request)
    }

    /// Prices one turn answered by `model`, both counterfactuals on opus.
    static func price(
        _ caches: inout SessionCaches, _ turn: CacheTurn, by model: PricedModel,
        requested: CounterfactualModel = .priced(opus)
    ) -> (actual: USD, requested: Counterfactual, baseline: Counterfactual) {
        let actual = model.price.cost(of: turn.usage).total
        let figures = caches.price(
            turn, answeredBy: model, actualCost: actual, requested: requested, baseline: .priced(opus))
        return (actual, figures.requested, figures.baseline)
    }

    @Test func aSwitchToHaikuAndBackAfterOpusExpiredShowsTheColdStartAsALoss() {
        var caches = SessionCaches()
        // 1. Opus writes the 20,000-token prefix: both counterfactuals are its observed cost.
        let first = Self.price(&caches, Self.turn(at: 0, Usage(uncachedInput: 10, cacheWrite5m: 20_000, output: 500)), by: Self.opus)
        #expect(first.actual == USD(nanos: 50_000 + 125_000_000 + 12_500_000))
        #expect(first.baseline == Counterfactual(cost: first.actual, coverage: .exact))
        #expect(first.requested == first.baseline)

        // 2. Haiku answers with a cold cache and writes the whole 22,000-token prefix. Opus's cache
        // was warm: on Opus the turn reads 20,000 and writes only the 2,000 new tokens.
        let second = Self.price(&caches, Self.turn(at: 60, Usage(uncachedInput: 10, cacheWrite5m: 22_000, output: 300)), by: Self.haiku)
        #expect(second.actual == USD(nanos: 10_000 + 27_500_000 + 1_500_000))
        let opusSecond = USD(nanos: 50_000 + 10_000_000 + 12_500_000 + 7_500_000)
        #expect(second.baseline == Counterfactual(cost: opusSecond, coverage: .simulated))
        #expect(second.requested == second.baseline)

        // 3. Back on Opus 330 s after its own last use (its real cache expired at 301 s); on
        // Opus all along the cache was last used at 61 s and is warm: the real cold write is a loss.
        let third = Self.price(&caches, Self.turn(at: 330, Usage(uncachedInput: 10, cacheWrite5m: 24_000, output: 400)), by: Self.opus)
        #expect(third.actual == USD(nanos: 50_000 + 150_000_000 + 10_000_000))
        let opusThird = USD(nanos: 50_000 + 11_000_000 + 12_500_000 + 10_000_000)
        #expect(third.baseline == Counterfactual(cost: opusThird, coverage: .simulated))
        #expect(third.baseline.cost - third.actual == USD(nanos: -126_500_000))

        // 4. Opus again 10 s later: the real cache now holds what Opus-all-along would, so the
        // observed cost is kept exactly.
        let fourth = Self.price(&caches, Self.turn(at: 340, Usage(uncachedInput: 10, cacheRead: 24_000, cacheWrite5m: 1_000, output: 100)), by: Self.opus)
        #expect(fourth.baseline == Counterfactual(cost: fourth.actual, coverage: .exact))
    }

    @Test func theClientsOwnSmallModelChoiceIsExactOnTheRequestedSide() {
        var caches = SessionCaches()
        // A side call the client sent to Haiku: below Opus's 4,096-token minimum nothing is cached.
        let usage = Usage(uncachedInput: 3_000, output: 20)
        let side = Self.price(
            &caches, Self.turn(at: 0, usage, thread: "side"), by: Self.haiku, requested: .priced(Self.haiku))
        #expect(side.requested == Counterfactual(cost: side.actual, coverage: .exact))
        #expect(side.baseline == Counterfactual(cost: USD(nanos: 15_000_000 + 500_000), coverage: .simulated))
    }

    @Test func anUnpricedRequestedModelIsUnknownAndClaimsNoSaving() {
        var caches = SessionCaches()
        let figures = Self.price(
            &caches, Self.turn(at: 0, Usage(uncachedInput: 100, output: 10)), by: Self.haiku,
            requested: .unpriced("no price for the requested model \"mystery-1\""))
        #expect(figures.requested.coverage == .unknown("no price for the requested model \"mystery-1\""))
        #expect(figures.requested.cost == figures.actual)
        #expect(!figures.requested.coverage.isKnown)
    }

    @Test func aRequestWithoutCacheMarksCachesNothingOnAnExplicitCache() {
        var caches = SessionCaches()
        let usage = Usage(uncachedInput: 20_000, output: 100)
        _ = Self.price(&caches, Self.turn(at: 0, usage, request: .off), by: Self.haiku)
        let second = Self.price(&caches, Self.turn(at: 10, Usage(uncachedInput: 21_000, output: 100), request: .off), by: Self.haiku)
        #expect(second.baseline.cost == USD(nanos: 105_000_000 + 2_500_000))
    }

    @Test func anHourLongWriteOutlivesAThirtyMinuteBreak() {
        var caches = SessionCaches()
        let hour = CacheRequest.lifetime(milliseconds: 3_600_000)
        _ = Self.price(&caches, Self.turn(at: 0, Usage(uncachedInput: 5, cacheWrite1h: 10_000, output: 50), request: hour), by: Self.haiku)
        // 30 minutes later: the 1-hour entry is alive, so Opus reads 10,000 and writes 1,000 at the 1-hour price.
        let later = Self.price(&caches, Self.turn(at: 1_800, Usage(uncachedInput: 5, cacheRead: 10_000, cacheWrite1h: 1_000, output: 50), request: hour), by: Self.haiku)
        #expect(later.baseline.cost == USD(nanos: 25_000 + 5_000_000 + 10_000_000 + 1_250_000))
        // An unstated lifetime follows the session's recorded writes, which were 1-hour ones.
        let unstated = Self.price(&caches, Self.turn(at: 3_000, Usage(uncachedInput: 5, cacheRead: 11_000, cacheWrite1h: 1_000, output: 50), request: .unstated), by: Self.haiku)
        #expect(unstated.baseline.cost == USD(nanos: 25_000 + 5_500_000 + 10_000_000 + 1_250_000))
    }

    @Test func afterCompactionOnlyTheThreadsFirstPromptIsRead() {
        var caches = SessionCaches()
        _ = Self.price(&caches, Self.turn(at: 0, Usage(uncachedInput: 10, cacheWrite5m: 18_000, output: 100)), by: Self.haiku)
        _ = Self.price(&caches, Self.turn(at: 30, Usage(uncachedInput: 10, cacheRead: 18_000, cacheWrite5m: 60_000, output: 100)), by: Self.haiku)
        // The prompt drops from 78,010 to 25,010 tokens: Opus reads only the thread's first prompt
        // (18,010 tokens, cached whole by the second turn) and writes the other 6,990 up to the tail.
        let compacted = Self.price(&caches, Self.turn(at: 60, Usage(uncachedInput: 10, cacheRead: 18_000, cacheWrite5m: 7_000, output: 100)), by: Self.haiku)
        #expect(compacted.baseline.cost == USD(nanos: 50_000 + 9_005_000 + 43_687_500 + 2_500_000))
    }

    @Test func anAnswerNotYetBegunCannotBeRead() {
        var caches = SessionCaches()
        _ = Self.price(&caches, Self.turn(at: 0, Usage(uncachedInput: 10, cacheWrite5m: 10_000, output: 10)), by: Self.haiku)
        // Sent 0.5 s after the first, before its answer began (at 1 s): nothing to read yet.
        let early = CacheTurn(
            thread: "main", startedAtMilliseconds: 500, readyAtMilliseconds: 1_500,
            usage: Usage(uncachedInput: 10, cacheWrite5m: 10_500, output: 10), request: .fiveMinutes)
        let figures = Self.price(&caches, early, by: Self.haiku)
        #expect(figures.baseline.cost == USD(nanos: 50_000 + 65_625_000 + 250_000))
    }

    @Test func automaticCachesReadThePreviousPromptAndAnswerInWholeUnits() {
        let deepSeek = PricedModel(
            name: "deepseek", id: "deepseek-chat", upstream: "deepseek",
            price: ModelPrice(base: Self.tier("0.28", "0.42", read: "0.028", write5m: "0.28", write1h: "0.28")))
        var caches = SessionCaches()
        let first = CacheTurn(
            thread: "main", startedAtMilliseconds: 0, readyAtMilliseconds: 1_000,
            usage: Usage(uncachedInput: 3_000, output: 200), request: .unstated)
        _ = caches.price(first, answeredBy: Self.haiku, actualCost: .zero, requested: .priced(deepSeek), baseline: .priced(deepSeek))
        let second = CacheTurn(
            thread: "main", startedAtMilliseconds: 5_000, readyAtMilliseconds: 6_000,
            usage: Usage(uncachedInput: 3_500, output: 100), request: .unstated)
        let figures = caches.price(
            second, answeredBy: Self.haiku, actualCost: .zero, requested: .priced(deepSeek), baseline: .priced(deepSeek))
        // Hit: previous prompt plus answer (3,200), rounded down to 64 = 3,200; 300 missed.
        #expect(figures.baseline.cost == USD(nanos: 89_600 + 84_000 + 42_000))
    }

    @Test func aProviderThatCachedShowsTheRequestAskedForItWhateverTheScanSaw() {
        var caches = SessionCaches()
        _ = Self.price(&caches, Self.turn(at: 0, Usage(uncachedInput: 10, cacheWrite5m: 10_000, output: 10), request: .off), by: Self.opus)
        // Haiku really read and wrote: the marks were there, so Opus would have read its 10,000 too.
        let second = Self.price(&caches, Self.turn(at: 5, Usage(uncachedInput: 10, cacheRead: 9_000, cacheWrite5m: 2_000, output: 10), request: .off), by: Self.haiku)
        #expect(second.baseline.cost == USD(nanos: 50_000 + 5_000_000 + 6_250_000 + 250_000))
    }
}
