import SluiceLedger
import SluiceWire
import Testing

@Suite struct TurnRecordOutcomeTests {
    static func price(_ input: String, _ output: String, read: String, write: String) -> ModelPrice {
        ModelPrice(
            base: PriceTier(
                input: TokenPrice(dollarsPerMillionTokens: input)!, output: TokenPrice(dollarsPerMillionTokens: output)!,
                cacheRead: TokenPrice(dollarsPerMillionTokens: read)!,
                cacheWrite5m: TokenPrice(dollarsPerMillionTokens: write)!))
    }

    static let opus = PricedModel(
        name: "opus", id: "claude-opus-5-5", upstream: "anthropic", price: price("4", "20", read: "0.20", write: "5"))
    static let haiku = PricedModel(
        name: "haiku", id: "claude-haiku-5-5", upstream: "anthropic",
        price: price("0.10", "0.50", read: "0.01", write: "0.125"))

    static let facts = TurnFacts(
        id: "t1", startedAtMilliseconds: 1_000, session: "s", tag: "PROJ-1", clientDialect: .anthropic,
        requestedModel: "claude-opus-5-5", rule: "grep-shaped", reason: "rule grep-shaped: ...", shape: "tool_followup",
        toolCategories: ["search"], promptTokensEstimate: 9_000, loopDepth: 2, stream: true, baseline: opus)

    @Test func pricesTheReportedUsageAgainstTheBaseline() {
        let usage = Usage(uncachedInput: 100, cacheRead: 2_000, cacheWrite5m: 300, output: 50)
        let record = TurnRecord(
            facts: Self.facts,
            outcome: TurnOutcome(
                status: .ok, httpStatus: 200, model: Self.haiku, usage: usage, firstByteMilliseconds: 7,
                totalMilliseconds: 30, requestBytes: 4_000, responseBytes: 900))
        // haiku: 100×0.10 + 2000×0.01 + 300×0.125 + 50×0.50 = 10 + 20 + 37.5 + 25 = 92.5 µ$
        #expect(record.cost == USD(nanos: 92_500))
        // On Opus all along, a session's first turn finds Opus's cache cold, and 2,400 prompt tokens
        // are below its 4,096-token minimum anyway: every prompt token at the input price,
        // 2400×4 + 50×20 = 10,600 µ$, the list price. (Re-pricing Haiku's own reads at Opus's read
        // price would claim a 2,000-token Opus cache that never existed.)
        #expect(record.baselineCost == USD(nanos: 10_600_000))
        #expect(record.baseline.coverage == .simulated)
        #expect(record.baselineListCost == USD(nanos: 10_600_000))
        #expect(record.model == "haiku" && record.modelID == "claude-haiku-5-5" && record.baselineModel == "opus")
        #expect(!record.estimated)
        #expect(record.usage == usage)
        #expect(record.firstByteMilliseconds == 7 && record.totalMilliseconds == 30)
        #expect(record.requestBytes == 4_000 && record.responseBytes == 900)
        #expect(record.tag == "PROJ-1" && record.rule == "grep-shaped" && record.toolCategories == ["search"])
    }

    @Test func theBaselineModelAnsweringSavesNothing() {
        let usage = Usage(uncachedInput: 100, cacheRead: 2_000, cacheWrite5m: 300, output: 50)
        let record = TurnRecord(
            facts: Self.facts, outcome: TurnOutcome(status: .ok, httpStatus: 200, model: Self.opus, usage: usage))
        #expect(record.cost == record.baselineCost)
        #expect(record.savings == .zero)
    }

    @Test func estimatesATurnAModelWorkedOnButDidNotReport() {
        let record = TurnRecord(
            facts: Self.facts,
            outcome: TurnOutcome(status: .clientCancelled, httpStatus: 499, model: Self.haiku, outputEstimate: 12))
        #expect(record.estimated)
        #expect(record.usage == Usage(uncachedInput: 9_000, output: 12))
        #expect(record.cost > .zero)
    }

    @Test func keepsTheReportedCountsOfACutStreamButAtLeastTheOutputSeen() {
        let record = TurnRecord(
            facts: Self.facts,
            outcome: TurnOutcome(
                status: .streamInterrupted, httpStatus: 200, model: Self.haiku,
                usage: Usage(uncachedInput: 100, output: 1), complete: false, outputEstimate: 40))
        #expect(record.estimated)
        #expect(record.usage == Usage(uncachedInput: 100, output: 40))
    }

    @Test(arguments: [TurnStatus.rateLimited, .upstreamTimeout, .upstreamUnreachable, .upstreamRejected, .misconfigured])
    func aTurnNoModelWorkedOnCostsNothingAndIsNotEstimated(_ status: TurnStatus) {
        let record = TurnRecord(
            facts: Self.facts, outcome: TurnOutcome(status: status, httpStatus: 502, model: Self.haiku))
        #expect(record.cost == .zero && record.baselineCost == .zero && record.baselineListCost == .zero)
        #expect(!record.estimated)
        #expect(record.status == status)
    }

    @Test func namesTheFallbackInTheReason() {
        let record = TurnRecord(
            facts: Self.facts,
            outcome: TurnOutcome(
                status: .ok, httpStatus: 200, model: Self.opus, usage: Usage(uncachedInput: 10, output: 1),
                fallback: TurnStatus.rateLimited.rawValue))
        #expect(record.reason == "rule grep-shaped: ...; fell back to opus after rate_limited")
        #expect(record.fallback == "rate_limited")
    }

    @Test func aRequestRefusedBeforeAnyModelWasChosenHasNoModelAndNoCost() {
        let facts = TurnFacts(id: "t2", startedAtMilliseconds: 5, session: "fp:x", clientDialect: .openAIChat)
        let record = TurnRecord(facts: facts, outcome: TurnOutcome(status: .invalidRequest, httpStatus: 400))
        #expect(record.model.isEmpty && record.baselineModel.isEmpty && record.rule.isEmpty)
        #expect(record.cost == .zero && !record.estimated)
    }

    @Test func withoutABaselineNoSavingIsClaimed() {
        var facts = Self.facts
        facts.baseline = nil
        let record = TurnRecord(
            facts: facts,
            outcome: TurnOutcome(status: .ok, httpStatus: 200, model: Self.haiku, usage: Usage(uncachedInput: 1_000)))
        #expect(record.baselineCost == record.cost)
        #expect(record.baselineModel.isEmpty)
        #expect(record.baseline.coverage == .unknown("the policy names no baseline model for anthropic clients"))
    }

    @Test func anEstimatedTurnIsPricedWithoutMovingTheSessionsCaches() {
        var facts = Self.facts
        facts.cacheRequest = .fiveMinutes
        var caches = SessionCaches()
        let first = Usage(uncachedInput: 10, cacheWrite5m: 20_000, output: 100)
        _ = TurnRecord(facts: facts, outcome: TurnOutcome(status: .ok, httpStatus: 200, model: Self.opus, usage: first), caches: &caches)
        let before = caches
        // No usage reported: Sluice's estimate (9,000 tokens, far below the real 20,010) prices the turn...
        facts.startedAtMilliseconds += 10_000
        let estimated = TurnRecord(
            facts: facts, outcome: TurnOutcome(status: .clientCancelled, httpStatus: 499, model: Self.haiku, outputEstimate: 5),
            caches: &caches)
        #expect(estimated.estimated && estimated.baseline.coverage == .simulated)
        // ...but is not taken for a compaction of the real 20,010-token prompt.
        #expect(caches == before)
    }

    @Test(arguments: [(200, TurnStatus.ok), (204, .ok), (429, .rateLimited), (500, .upstreamError), (529, .upstreamError),
                      (400, .upstreamRejected), (401, .upstreamRejected), (404, .upstreamRejected)])
    func namesTheStatusOfAnAnswer(_ code: Int, _ status: TurnStatus) {
        #expect(TurnStatus.answered(httpStatus: code) == status)
    }
}
