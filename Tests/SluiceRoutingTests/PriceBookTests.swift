import Foundation
import SluiceLedger
import SluiceRouting
import SluiceWire
import Testing

/// The dated price book: the shipped file, and how a policy uses one.
@Suite struct PriceBookTests {
    /// Midnight UTC of a day, in Unix milliseconds, by Foundation's calendar (not the reader's).
    static func day(_ year: Int, _ month: Int, _ day: Int) -> Int64 {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let date = calendar.date(from: DateComponents(year: year, month: month, day: day))!
        return Int64(date.timeIntervalSince1970) * 1_000
    }

    static func shipped() throws -> PriceBook {
        try PriceBook(yaml: try PolicyFixtures.include("prices.yaml"))
    }

    @Test func theShippedBookPricesEveryModelToday() throws {
        let book = try Self.shipped()
        #expect(book.entries.count >= 40)
        let today = Self.day(2026, 12, 1)
        for entry in book.entries {
            #expect(entry.price(at: today) != nil, "\(entry.id) has no price in force on 2026-12-01")
        }
        let families = ["claude-", "gpt-5", "gemini-", "deepseek-", "qwen3-coder"]
        for family in families {
            #expect(book.entries.contains { $0.id.hasPrefix(family) }, "no \(family) model")
        }
    }

    @Test func aTurnIsPricedAtThePriceInForceThatDay() throws {
        let book = try Self.shipped()
        let sonnet = try #require(book.entry(for: "claude-sonnet-5-5"))
        // Cache reads were cut from $0.20 to $0.10 per million on 2026-10-07.
        #expect(sonnet.price(at: Self.day(2026, 10, 7) - 1)?.base.cacheRead.nanosPerThousandTokens == 200_000)
        #expect(sonnet.price(at: Self.day(2026, 10, 7))?.base.cacheRead.nanosPerThousandTokens == 100_000)
        #expect(sonnet.price(at: Self.day(2026, 1, 1)) == nil, "no price before the model existed")
        // Web searches: $10 per 1,000.
        #expect(sonnet.price(at: Self.day(2026, 12, 1))?.webSearchPerThousand == USD(nanos: 10_000_000_000))
    }

    @Test func datedSnapshotIdsAndAliasesFindTheirModel() throws {
        let book = try Self.shipped()
        #expect(book.entry(for: "claude-opus-4-5-20251101")?.id == "claude-opus-4-5")
        #expect(book.entry(for: "gpt-5-2025-08-07")?.id == "gpt-5")
        #expect(book.entry(for: "gpt-5.6")?.id == "gpt-5.6-sol")
        #expect(book.entry(for: "no-such-model") == nil)
    }

    @Test func qwenBillsTheWholeRequestAtItsPromptBand() throws {
        let price = try #require(try Self.shipped().entry(for: "qwen3-coder-plus")?.price(at: Self.day(2026, 12, 1)))
        #expect(price.tiers.map(\.aboveTokens) == [32_000, 128_000, 256_000])
        // 200,000 prompt tokens fall in the 128K-256K band: $3 per million.
        #expect(price.cost(of: Usage(uncachedInput: 200_000)).total == USD(nanos: 600_000_000))
    }

    @Test func aLocalModelIsPricedBySecondsOfGeneration() throws {
        let local = try #require(try Self.shipped().entry(for: "qwen3-coder-local"))
        #expect(local.cache.mode == .none)
        let price = try #require(local.price(at: Self.day(2026, 12, 1)))
        #expect(price.generationPerSecond == USD(nanos: 400_000))
        #expect(price.cost(of: Usage(uncachedInput: 5_000, output: 80), generationMilliseconds: 10_000).total
            == USD(nanos: 4_000_000))
    }

    static let policy = """
        version: 1
        prices: book.yaml
        upstreams:
          anthropic: {dialect: anthropic, base_url: https://api.anthropic.com}
        models:
          opus: {upstream: anthropic, id: claude-opus-5-5, context_window: 1000000}
          haiku: {upstream: anthropic, id: claude-haiku-5-5, context_window: 1000000,
                  price: {input: 0.10, output: 0.50}, cache: {minimum_tokens: 2048}}
        baseline: opus
        rules:
          - {name: default, route: opus}
        """
    static let book = """
        version: 1
        models:
          claude-opus-5-5:
            prices:
              - {from: 2026-01-01, source: test, input: 5.00, output: 25.00}
              - {from: 2026-06-01, source: test, input: 4.00, output: 20.00, cache_read: 0.20}
          claude-opus-4-5:
            aliases: [opus-classic]
            prices:
              - {from: 2025-11-24, source: test, input: 5.00, output: 25.00, cache_read: 0.50, cache_write_5m: 6.25}
        """

    @Test func aPolicyModelWithoutAPriceTakesTheBooksDatedPrices() throws {
        let policy = try RoutingPolicy(yaml: Self.policy) { file in
            #expect(file == "book.yaml")
            return Self.book
        }
        let opus = try #require(policy.models["opus"])
        #expect(opus.priced(at: Self.day(2026, 3, 1)).price.base.input.nanosPerThousandTokens == 5_000_000)
        #expect(opus.priced(at: Self.day(2026, 7, 1)).price.base.input.nanosPerThousandTokens == 4_000_000)
        // A model's own `cache:` overrides the provider's default minimum.
        #expect(policy.models["haiku"]?.cache.minimumTokens == 2_048)
        #expect(policy.models["haiku"]?.cache.mode == .explicit)
    }

    @Test func theRequestedModelIsPricedFromTheBookWhenThePolicyDoesNotRouteToIt() throws {
        let policy = try RoutingPolicy(yaml: Self.policy) { _ in Self.book }
        let now = Self.day(2026, 12, 1)
        guard case .priced(let model) = policy.requestedModel("claude-opus-4-5-20251101", at: now) else {
            Issue.record("the dated snapshot id was not priced")
            return
        }
        #expect(model.id == "claude-opus-4-5" && model.price.base.cacheWrite5m.nanosPerThousandTokens == 6_250_000)
        #expect(policy.requestedModel("opus-classic", at: now) == .priced(model))
        #expect(policy.requestedModel("mystery-9", at: now) == .unpriced("no price for the requested model \"mystery-9\""))
        #expect(
            policy.requestedModel("claude-opus-4-5", at: Self.day(2025, 1, 1))
                == .unpriced("the price book has no price for \"claude-opus-4-5\" in force on that day"))
        // The policy's own models come first, by name or by id.
        guard case .priced(let opus) = policy.requestedModel("claude-opus-5-5", at: now) else {
            Issue.record("the policy's model was not priced")
            return
        }
        #expect(opus.name == "opus")
    }

    @Test func aModelWithNoPriceAnywhereIsAProblem() {
        let problems = PolicyFixtures.problems(
            in: Self.policy.replacingOccurrences(of: "prices: book.yaml\n", with: ""))
        #expect(problems.map(\.description).contains { $0.hasPrefix("models.opus.price: missing, and no price book") })
    }

    @Test func aBrokenBookIsReportedWithItsLines() {
        let broken = """
            version: 1
            models:
              m:
                prices:
                  - {from: 2026-13-01, source: test, input: 1, output: 2}
            """
        do {
            _ = try RoutingPolicy(yaml: Self.policy) { _ in broken }
            Issue.record("a broken price book was accepted")
        } catch {
            #expect(error.problems.map(\.description).contains { $0.contains("is not a day written YYYY-MM-DD (book.yaml line 5)") })
        }
    }

    @Test func aPolicyThatIncludesAFileNeedsAWayToReadIt() {
        do {
            _ = try RoutingPolicy(yaml: Self.policy)
            Issue.record("an include was accepted without a reader")
        } catch {
            #expect(error.problems.map(\.description).contains { $0.contains("cannot be read here") })
        }
    }

    @Test func aModelWithItsOwnPriceStillTakesTheBooksCacheBehaviour() throws {
        let book = """
            version: 1
            models:
              claude-haiku-5-5:
                cache: {minimum_tokens: 512}
                prices:
                  - {from: 2026-01-01, source: test, input: 1, output: 5}
            """
        let policy = try RoutingPolicy(yaml: Self.policy.replacingOccurrences(of: ", cache: {minimum_tokens: 2048}", with: "")) {
            $0 == "book.yaml" ? Self.book + book.dropFirst("version: 1\nmodels:".count) : ""
        }
        let haiku = try #require(policy.models["haiku"])
        #expect(haiku.cache.minimumTokens == 512)
        #expect(haiku.datedPrices == nil, "its own price: is not replaced by the book's")
        #expect(haiku.price.base.input.nanosPerThousandTokens == 100_000)
    }

    @Test(arguments: ["10000000000", "-1", "ten", "0.0000000001"])
    func aFeeOutsideWhatCanBeBilledIsAProblemNotACrash(_ fee: String) {
        let policy = Self.policy.replacingOccurrences(
            of: "price: {input: 0.10, output: 0.50}", with: "price: {input: 0.10, output: 0.50, web_search: \(fee)}")
        let problems = PolicyFixtures.problems(in: policy).map(\.description)
        #expect(problems.contains { $0.hasPrefix("models.haiku.price.web_search:") }, "\(problems)")
    }
}
