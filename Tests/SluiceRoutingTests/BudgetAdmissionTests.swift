import SluiceLedger
import Testing

@testable import SluiceRouting
@testable import SluiceWire

/// ``BudgetPlan/admit(_:chosen:)``: a turn's caps against their standings, with plans made the
/// way the gateway makes them, and the refusal a turn gets at a hard limit.
@Suite struct BudgetAdmissionTests {
    /// Prices that come to whole nanodollars a token, so costs are exact: Opus input is 4,000
    /// nanodollars a token, a cache read 400, output 20,000.
    static let models = """
        version: 1
        upstreams:
          anthropic: {dialect: anthropic, base_url: https://api.anthropic.com}
          openai: {dialect: openai, base_url: https://api.openai.com/v1}
        models:
          opus: {upstream: anthropic, id: claude-opus-5-5, context_window: 1000000,
                 price: {input: 4, output: 20, cache_read: 0.40}}
          haiku: {upstream: anthropic, id: claude-haiku-5-5, context_window: 1000000,
                  price: {input: 0.10, output: 0.50, cache_read: 0.01}}
          sol: {upstream: openai, id: gpt-5.6-sol, context_window: 1050000, price: {input: 4, output: 20}}
          luna: {upstream: openai, id: gpt-5.6-luna, context_window: 1050000, price: {input: 0.20, output: 1.20}}
        baseline: {anthropic: opus, openai-chat: sol, openai-responses: sol}
        rules:
          - {name: frontier-anthropic, when: {client: anthropic}, route: opus}
          - {name: frontier-openai, when: {client: openai}, route: sol}
        budgets:
          caps:

        """

    static let softCap = "    - {name: per-session, per: session, cap: 1.00, soft: {at: 0.50, route: {anthropic: haiku, openai: luna}}}"
    static let hardCap = "    - {name: per-session, per: session, cap: 1.00}"
    static let p90Cap = "    - {name: runaway, per: session, cap: p90x3}"

    static func policy(_ cap: String) throws -> RoutingPolicy {
        try RoutingPolicy(yaml: models + cap + "\n")
    }

    /// A user turn of about 3,000 tokens asking for up to 32,000 output tokens.
    static let body = #"{"model":"claude-opus-5-5","max_tokens":32000,"messages":[{"role":"user","content":"Fix the build. \#(String(repeating: "x", count: 10_500))"}]}"#
    static let chatBody = #"{"model":"gpt-5.6-sol","max_completion_tokens":32000,"messages":[{"role":"user","content":"Fix the build."}]}"#

    /// The plan of `body` in session `s1`, its budget and its chosen candidate.
    static func plan(
        _ policy: RoutingPolicy, _ body: String = BudgetAdmissionTests.body, _ dialect: Dialect = .anthropic, state: SessionState? = nil
    ) throws -> (plan: TurnPlan, budget: BudgetPlan, chosen: PlannedCandidate) {
        let scanned = try Array(body.utf8).withUnsafeBytes { raw in
            try policy.makeScanner().scan(raw, dialect: dialect, headers: TurnHeaders(sluiceSession: "s1"))
        }
        let plan = policy.plan(scanned, session: state, at: 1_000)
        let budget = try #require(plan.budget)
        let chosen = try #require(plan.candidates.first)
        return (plan, budget, chosen)
    }

    /// An amount written in dollars, parsed exactly.
    static func dollars(_ text: String) -> USD {
        USD(dollars: text)!
    }

    static func standing(spent: String, reserved: String = "0", limit: String? = "1.00") -> CapStanding {
        CapStanding(spent: dollars(spent), reserved: dollars(reserved), limit: limit.map(dollars))
    }

    // MARK: - Hard limits

    @Test func withinTheCapTheChosenModelRunsHoldingItsEstimate() throws {
        let (_, budget, chosen) = try Self.plan(try Self.policy(Self.hardCap))
        #expect(chosen.model.name == "opus")
        #expect(budget.claims.map(\.cap.name) == ["per-session"])
        #expect(budget.claims.map(\.key) == ["s1"])
        let reservation = budget.reservation(on: chosen)
        // The whole prompt uncached and a typical reply: not max_tokens.
        #expect(reservation == USD(nanos: Int64(budget.promptTokens) * 4_000 + 1_000 * 20_000))
        let admission = budget.admit([Self.standing(spent: "0.10")], chosen: chosen)
        #expect(admission == .admit(chosen, reservation: reservation, guards: []))
    }

    @Test func aTurnThatWouldPassTheCapWhileAnotherRunsIsRefused() throws {
        let (_, budget, chosen) = try Self.plan(try Self.policy(Self.hardCap))
        let claim = try #require(budget.claims.first)
        let reservation = budget.reservation(on: chosen)
        #expect(reservation > Self.dollars("0.02") && reservation < Self.dollars("0.04"))
        // $0.95 spent and $0.04 held by a running turn: this turn's ~$0.03 would pass $1.00.
        let crowded = budget.admit([Self.standing(spent: "0.95", reserved: "0.04")], chosen: chosen)
        #expect(crowded == .refuse(claim, spent: Self.dollars("0.95"), limit: Self.dollars("1.00")))
        // With less held, it fits.
        let room = budget.admit([Self.standing(spent: "0.95", reserved: "0.01")], chosen: chosen)
        #expect(room == .admit(chosen, reservation: reservation, guards: []))
    }

    @Test func theLastTurnUnderTheCapRunsWhenNothingElseIs() throws {
        let (_, budget, chosen) = try Self.plan(try Self.policy(Self.hardCap))
        let claim = try #require(budget.claims.first)
        let reservation = budget.reservation(on: chosen)
        let justBelow = CapStanding(spent: USD(nanos: Self.dollars("1.00").nanos - 1), reserved: .zero, limit: Self.dollars("1.00"))
        #expect(budget.admit([justBelow], chosen: chosen) == .admit(chosen, reservation: reservation, guards: []))
        // The same spend with anything else running is refused: only one turn may overshoot.
        var crowded = justBelow
        crowded.reserved = USD(nanos: 1)
        #expect(budget.admit([crowded], chosen: chosen) == .refuse(claim, spent: justBelow.spent, limit: Self.dollars("1.00")))
    }

    @Test(arguments: ["1.00", "1.20", "25.00"])
    func aSpendAtOrAboveTheCapIsRefused(_ spent: String) throws {
        let (_, budget, chosen) = try Self.plan(try Self.policy(Self.hardCap))
        let claim = try #require(budget.claims.first)
        #expect(
            budget.admit([Self.standing(spent: spent)], chosen: chosen)
                == .refuse(claim, spent: Self.dollars(spent), limit: Self.dollars("1.00")))
    }

    @Test func aCapThatIsNotHardNeverRefuses() throws {
        let (_, budget, chosen) = try Self.plan(try Self.policy("    - {name: soft-only, per: session, cap: 1.00, hard: false}"))
        let admission = budget.admit([Self.standing(spent: "3.00")], chosen: chosen)
        #expect(admission == .admit(chosen, reservation: budget.reservation(on: chosen), guards: []))
    }

    @Test func aP90CapWithoutAFigureYetPasses() throws {
        let (_, budget, chosen) = try Self.plan(try Self.policy(Self.p90Cap))
        #expect(budget.claims.first?.cap.limit == .p90Times(3))
        let admission = budget.admit([Self.standing(spent: "500.00", reserved: "10.00", limit: nil)], chosen: chosen)
        #expect(admission == .admit(chosen, reservation: budget.reservation(on: chosen), guards: []))
        // Once the ledger gives a figure, the cap holds.
        let claim = try #require(budget.claims.first)
        let figured = budget.admit([Self.standing(spent: "500.00", limit: "4.50")], chosen: chosen)
        #expect(figured == .refuse(claim, spent: Self.dollars("500.00"), limit: Self.dollars("4.50")))
    }

    // MARK: - Soft limits

    @Test func pastTheSoftLimitTheCheaperModelTakesTheTurn() throws {
        let (plan, budget, chosen) = try Self.plan(try Self.policy(Self.softCap))
        let haiku = try #require(budget.softCandidates["haiku"])
        #expect(Array(budget.softCandidates.keys) == ["haiku"])
        #expect(haiku.model.name == "haiku")
        // Below the threshold: the chosen model, no guard.
        let below = budget.admit([Self.standing(spent: "0.49")], chosen: chosen)
        #expect(below == .admit(chosen, reservation: budget.reservation(on: chosen), guards: []))
        // Spend and reservations together pass it: the cheaper model, and a guard naming the cap.
        let past = budget.admit([Self.standing(spent: "0.30", reserved: "0.20")], chosen: chosen)
        let guardNote = TurnGuard(.budgetSoft, "per-session")
        #expect(past == .admit(haiku, reservation: budget.reservation(on: haiku), guards: [guardNote]))
        #expect(budget.reservation(on: haiku) < budget.reservation(on: chosen))
        #expect(TurnGuard.written([guardNote]) == "budget-soft:per-session")

        // The plan as admitted sends the turn to Haiku alone: no fallback to the dearer model the
        // reservation was not sized for.
        let admitted = plan.admitted(past)
        #expect(admitted.candidates.map(\.model.name) == ["haiku"])
        #expect(admitted.decision.model == "haiku")
        #expect(admitted.decision.modelID == "claude-haiku-5-5")
        #expect(admitted.decision.reason.hasSuffix("past a soft budget limit, sent to haiku"))
        #expect(admitted.guards == [guardNote])
        #expect(admitted.verdict == .forward)
    }

    @Test func theHardLimitIsCheckedAgainstTheSoftModelsReservation() throws {
        let (_, budget, chosen) = try Self.plan(try Self.policy(Self.softCap))
        let claim = try #require(budget.claims.first)
        let haiku = try #require(budget.softCandidates["haiku"])
        // Opus's ~$0.03 would not fit beside a running turn; Haiku's fraction of a cent does.
        let tight = Self.standing(spent: "0.99", reserved: "0.005")
        #expect(
            budget.admit([tight], chosen: chosen)
                == .admit(haiku, reservation: budget.reservation(on: haiku), guards: [TurnGuard(.budgetSoft, "per-session")]))
        // At the cap, the cheaper model is refused too.
        #expect(budget.admit([Self.standing(spent: "1.00")], chosen: chosen) == .refuse(claim, spent: Self.dollars("1.00"), limit: Self.dollars("1.00")))
    }

    @Test func eachDialectGoesToItsOwnSoftModel() throws {
        let (_, budget, chosen) = try Self.plan(try Self.policy(Self.softCap), Self.chatBody, .openAIChat)
        #expect(chosen.model.name == "sol")
        #expect(budget.dialect == .openAIChat)
        let luna = try #require(budget.softCandidates["luna"])
        #expect(budget.softCandidates["haiku"] == nil)
        #expect(
            budget.admit([Self.standing(spent: "0.60")], chosen: chosen)
                == .admit(luna, reservation: budget.reservation(on: luna), guards: [TurnGuard(.budgetSoft, "per-session")]))
    }

    // MARK: - The estimate

    @Test func theEstimateReadsTheWarmCacheOnlyOnTheWarmModel() throws {
        var state = SessionState(key: "s1", turns: 3, promptTokens: 1_000, answeredModel: "opus", cacheRead: 1_500)
        state.outputTokens = 420
        let (plan, budget, chosen) = try Self.plan(try Self.policy(Self.softCap), state: state)
        #expect(!plan.session.startsRun)
        let prompt = budget.promptTokens
        try #require(prompt > 1_500)
        #expect(prompt == plan.features.promptTokens)
        #expect(budget.warmModel == "opus" && budget.warmTokens == 1_500 && budget.outputTokens == 420)
        #expect(budget.estimate(on: "opus") == Usage(uncachedInput: prompt - 1_500, cacheRead: 1_500, output: 420))
        #expect(budget.estimate(on: "haiku") == Usage(uncachedInput: prompt, cacheRead: 0, output: 420))
        #expect(
            budget.reservation(on: chosen)
                == USD(nanos: Int64(prompt - 1_500) * 4_000 + 1_500 * 400 + 420 * 20_000))

        // A cache larger than the prompt (the history shrank) reads the prompt at most.
        state.cacheRead = 1_000_000
        let (_, shrunk, _) = try Self.plan(try Self.policy(Self.softCap), state: state)
        #expect(shrunk.estimate(on: "opus") == Usage(uncachedInput: 0, cacheRead: prompt, output: 420))
    }

    @Test func aFirstTurnReservesATypicalReplyNotMaxTokens() throws {
        let (plan, budget, _) = try Self.plan(try Self.policy(Self.softCap))
        #expect(plan.features.maxTokens == 32_000)
        #expect(budget.warmModel == nil && budget.warmTokens == 0)
        #expect(budget.outputTokens == BudgetPlan.firstTurnOutputTokens)
        #expect(budget.estimate(on: "opus") == Usage(uncachedInput: budget.promptTokens, output: 1_000))
    }

    // MARK: - The refusal

    @Test func aSessionCapsRefusalNamesTheCapTheSpendAndHowToGoOn() {
        let claim = CapClaim(cap: BudgetCap(name: "per-session", scope: .session, limit: .dollars(Self.dollars("1.00"))), key: "s1")
        let error = BudgetRefusal.error(claim, spent: Self.dollars("1.03"), limit: Self.dollars("1.00"))
        #expect(error.kind == .budgetExceeded)
        #expect(error.kind.rawValue == "budget_exceeded")
        #expect(error.status == 400)
        #expect(error.message.contains(#"cap "per-session" ($1.0000 per session)"#), "\(error.message)")
        #expect(error.message.contains("this session has spent $1.0300"))
        #expect(error.message.contains(#"raise the cap of "per-session""#))
        #expect(error.message.contains("The session is paused, not lost"))
    }

    @Test func aUserDayCapsRefusalSaysWhenTurnsResume() {
        let cap = BudgetCap(name: "alice-daily", scope: .user, period: .day, limit: .dollars(Self.dollars("5.00")))
        let error = BudgetRefusal.error(CapClaim(cap: cap, key: "alice@example.com"), spent: Self.dollars("5.20"), limit: Self.dollars("5.00"))
        #expect(error.kind == .budgetExceeded)
        #expect(error.status == 400)
        #expect(error.message.contains(#"cap "alice-daily" ($5.0000 per user per day)"#), "\(error.message)")
        #expect(error.message.contains(#"user "alice@example.com" has spent $5.2000 today"#))
        #expect(error.message.contains("when the UTC day ends"))
        #expect(error.message.contains(#"raise the cap of "alice-daily""#))
    }

    @Test func aRefusedPlanAnswersWithTheRefusalAndNamesTheCap() throws {
        let (plan, budget, chosen) = try Self.plan(try Self.policy(Self.hardCap))
        let claim = try #require(budget.claims.first)
        let admission = budget.admit([Self.standing(spent: "1.00")], chosen: chosen)
        let refused = plan.admitted(admission)
        #expect(
            refused.verdict
                == .refuse(BudgetRefusal.error(claim, spent: Self.dollars("1.00"), limit: Self.dollars("1.00")), status: .refused))
        #expect(refused.guards.map(\.written) == ["budget-hard:per-session"])
    }
}
