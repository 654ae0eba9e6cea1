import SluiceLedger
import Testing

@testable import SluiceRouting
@testable import SluiceWire

@Suite struct TurnPlanTests {
    static let policyText = """
        version: 1
        upstreams:
          anthropic: {dialect: anthropic, base_url: "https://api.anthropic.com/"}
          openai: {dialect: openai, base_url: https://api.openai.com/v1}
          keyed: {dialect: anthropic, base_url: https://proxy.example, api_key_env: TEST_KEY}
          local: {dialect: openai-chat, base_url: http://127.0.0.1:11434/v1, auth: none}
        models:
          opus: {upstream: anthropic, id: claude-opus-5-5, context_window: 1000000,
                 price: {input: 4, output: 20, cache_read: 0.20}}
          haiku: {upstream: anthropic, id: claude-haiku-5-5, context_window: 200000,
                  price: {input: 0.10, output: 0.50, cache_read: 0.01}, fallback: [keyed, opus]}
          keyed: {upstream: keyed, id: claude-keyed, context_window: 1000000, price: {input: 1, output: 1},
                  fallback: [opus]}
          sol: {upstream: openai, id: gpt-5.6-sol, context_window: 1050000, price: {input: 4, output: 20}}
          luna: {upstream: openai, id: gpt-5.6-luna, context_window: 1050000, price: {input: 0.2, output: 1.2},
                 fallback: [sol]}
          qwen: {upstream: local, id: qwen3, context_window: 131072, price: {input: 0, output: 0}}
        baseline: {anthropic: opus, openai-chat: sol, openai-responses: sol}
        stickiness: {require_saving: true}
        rules:
          - {name: keyed, when: {client: anthropic, requested_model: "*keyed*"}, route: keyed}
          - {name: local, when: {client: openai-chat, requested_model: "*qwen*"}, route: qwen}
          - {name: grep-anthropic, when: {client: anthropic, shape: tool_followup, last_tool_categories: [search]},
             route: haiku}
          - {name: small-growth, when: {client: openai, new_prompt_tokens: {max: 500}}, route: luna}
          - {name: frontier-anthropic, when: {client: anthropic}, route: opus}
          - {name: frontier-openai, when: {client: openai}, route: sol}
        """

    static func policy(environment: [String: String] = ["TEST_KEY": "sk-own"]) throws -> RoutingPolicy {
        try RoutingPolicy(yaml: policyText).resolvingEnvironment(environment)
    }

    static func scan(_ body: String, _ dialect: Dialect, headers: TurnHeaders = .init()) throws -> ScannedRequest {
        try Array(body.utf8).withUnsafeBytes { raw in try RequestScanner().scan(raw, dialect: dialect, headers: headers) }
    }

    static let named = TurnHeaders(sluiceSession: "s1")
    static let hello = #"{"model":"claude-opus-5-5","max_tokens":1000,"messages":[{"role":"user","content":"hello"}]}"#
    static let grep = #"""
        {"model":"claude-opus-5-5","max_tokens":1000,"messages":[{"role":"user","content":"find it"},
         {"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"Grep","input":{"pattern":"x"}}]},
         {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"a.swift:1"}]}]}
        """#

    /// Plans `body` as the gateway would, then records it as answered by its first candidate.
    static func turn(
        _ policy: RoutingPolicy, _ body: String, _ dialect: Dialect = .anthropic, headers: TurnHeaders = named,
        states: inout [String: SessionState], at now: Int64 = 1_000
    ) throws -> TurnPlan {
        let scanned = try scan(body, dialect, headers: headers)
        let plan = policy.plan(scanned, session: states[scanned.session], at: now)
        let facts = plan.facts(id: "t\(now)", startedAtMilliseconds: now, headers: headers)
        let outcome = TurnOutcome(status: .ok, httpStatus: 200, model: plan.candidates.first?.priced)
        states[scanned.session] = SessionState.next(
            states[scanned.session], after: plan, record: TurnRecord(facts: facts, outcome: outcome))
        return plan
    }

    @Test func countsNewPromptTokensFromTheSessionsPreviousTurn() throws {
        let policy = try Self.policy()
        var states: [String: SessionState] = [:]
        let first = try Self.turn(policy, Self.hello, states: &states)
        #expect(first.features.newPromptTokens == nil)
        #expect(first.session.startsRun)
        let second = try Self.turn(policy, Self.grep, states: &states)
        #expect(second.features.newPromptTokens == second.features.promptTokens - first.features.promptTokens)
        #expect(!second.session.startsRun)
        // Compaction: the history shrank, so the whole (new, shorter) prompt is new.
        let third = try Self.turn(policy, Self.hello, states: &states)
        #expect(third.features.newPromptTokens == third.features.promptTokens)
    }

    @Test func aSmallGrowthRuleSeesTheSessionsState() throws {
        let policy = try Self.policy()
        var states: [String: SessionState] = [:]
        let body = #"{"model":"gpt-5.5","messages":[{"role":"user","content":"hi"}]}"#
        let first = try Self.turn(policy, body, .openAIChat, states: &states)
        #expect(first.decision.rule == "frontier-openai")
        let again = try Self.turn(policy, body, .openAIChat, states: &states)
        #expect(again.decision.rule == "small-growth")
        #expect(again.candidates.map(\.model.name) == ["luna", "sol"])
    }

    @Test func routesEachCandidateInItsOwnWay() throws {
        let policy = try Self.policy()
        let plan = policy.plan(try Self.scan(Self.grep, .anthropic, headers: Self.named), session: nil, at: 0)
        #expect(plan.verdict == .forward)
        #expect(plan.decision.rule == "grep-anthropic")
        #expect(plan.candidates.map(\.model.name) == ["haiku", "keyed", "opus"])
        let routes = plan.candidates.map(\.route)
        #expect(routes.map(\.url) == [
            "https://api.anthropic.com/v1/messages", "https://proxy.example/v1/messages",
            "https://api.anthropic.com/v1/messages",
        ])
        #expect(routes[0].credentials == .client)
        #expect(routes[1].credentials == .gateway(header: "x-api-key", value: "sk-own"))
        #expect(routes[1].description.contains("the gateway's key") && !routes[1].description.contains("sk-own"))
        guard case .splice(let edits) = routes[0].body else { Issue.record("not a splice"); return }
        #expect(edits.map { String(decoding: $0.replacement, as: UTF8.self) } == [#""claude-haiku-5-5""#])
        #expect(plan.baseline?.name == "opus")

        let chat = #"{"model":"qwen3","stream":true,"messages":[{"role":"user","content":"hi"}]}"#
        let local = policy.plan(try Self.scan(chat, .openAIChat, headers: Self.named), session: nil, at: 0)
        #expect(local.candidates.first?.route.url == "http://127.0.0.1:11434/v1/chat/completions")
        #expect(local.candidates.first?.route.credentials == UpstreamRoute.Credentials.none)
        #expect(local.candidates.first?.route.response == .relay(dropsUsageChunk: true))
        let count = policy.plan(try Self.scan(Self.hello, .anthropic), session: nil, operation: .countTokens, at: 0)
        #expect(count.candidates.first?.route.url == "https://api.anthropic.com/v1/messages/count_tokens")
    }

    @Test func anUnsetKeyRefusesTheTurnAndIsNoReasonToFallBack() throws {
        let policy = try Self.policy(environment: [:])
        let keyed = #"{"model":"claude-keyed","max_tokens":100,"messages":[{"role":"user","content":"hi"}]}"#
        let plan = policy.plan(try Self.scan(keyed, .anthropic), session: nil, at: 0)
        guard case .refuse(let error, let status) = plan.verdict else { Issue.record("not refused"); return }
        #expect(status == .misconfigured)
        #expect(error.message.contains("$TEST_KEY"))
        // As a fallback, the unreachable model is left out of the chain instead.
        let grep = policy.plan(try Self.scan(Self.grep, .anthropic), session: nil, at: 0)
        #expect(grep.verdict == .forward)
        #expect(grep.candidates.map(\.model.name) == ["haiku", "opus"])
        #expect(policy.unsetKeyProblems(in: [:]).map(\.path) == ["upstreams.keyed.api_key_env"])
        #expect(policy.unsetKeyProblems(in: ["TEST_KEY": " "]).count == 1)
        #expect(policy.unsetKeyProblems(in: ["TEST_KEY": "k"]).isEmpty)
    }

    @Test(arguments: [Int.max, Int.max - 1, 9_223_372_036_854_775_000, -5, Int.min])
    func aMaxTokensNearTheIntegerLimitsCannotTrapThePlan(_ maxTokens: Int) throws {
        let policy = try Self.policy()
        let body = #"{"model":"claude-opus-5-5","max_tokens":\#(maxTokens),"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":"x"}]}]}"#
        var state = SessionState(key: "s1", turns: 1, promptTokens: 10, answeredModel: "haiku")
        state.promptTokens = Int.max
        let plan = policy.plan(try Self.scan(body, .anthropic, headers: Self.named), session: state, at: 0)
        #expect(plan.decision.hasModel)
        if maxTokens > 1_000_000 {
            #expect(plan.decision.rule == RoutingPolicy.baselineRuleName)
            #expect(plan.decision.reason.contains("more tokens than can be counted") || plan.decision.reason.contains("holds"))
        }
    }

    @Test func aFingerprintedConversationThatStartsAgainIsANewSession() throws {
        let policy = try Self.policy()
        var states: [String: SessionState] = [:]
        let start = #"{"model":"gpt-5.5","messages":[{"role":"system","content":"You fix bugs."},{"role":"user","content":"Fix test_x"}]}"#
        let next = #"{"model":"gpt-5.5","messages":[{"role":"system","content":"You fix bugs."},{"role":"user","content":"Fix test_x"},{"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"bash","arguments":"{\"command\":\"ls\"}"}}]},{"role":"tool","tool_call_id":"c1","content":"a.py"}]}"#
        let anonymous = TurnHeaders()
        let run1 = try Self.turn(policy, start, .openAIChat, headers: anonymous, states: &states, at: 1_000)
        #expect(run1.session.startsRun)
        #expect(run1.session.key.hasPrefix(run1.session.scannedKey + "."))
        // A retry of the first turn is the same run.
        let retry = try Self.turn(policy, start, .openAIChat, headers: anonymous, states: &states, at: 1_100)
        #expect(retry.session.key == run1.session.key && !retry.session.startsRun)
        let run1b = try Self.turn(policy, next, .openAIChat, headers: anonymous, states: &states, at: 2_000)
        #expect(run1b.session.key == run1.session.key)
        // The same task again, from its start: a new session, with nothing inherited.
        let run2 = try Self.turn(policy, start, .openAIChat, headers: anonymous, states: &states, at: 3_000)
        #expect(run2.session.startsRun)
        #expect(run2.session.key != run1.session.key)
        #expect(run2.session.scannedKey == run1.session.scannedKey)
        #expect(run2.features.newPromptTokens == nil)
        let run2b = try Self.turn(policy, next, .openAIChat, headers: anonymous, states: &states, at: 4_000)
        #expect(run2b.session.key == run2.session.key)
        // A named session is never split, whatever its history looks like.
        var named: [String: SessionState] = [:]
        let a = try Self.turn(policy, next, .openAIChat, states: &named)
        let b = try Self.turn(policy, start, .openAIChat, states: &named)
        #expect(a.session.key == "s1" && b.session.key == "s1" && !b.session.startsRun)
    }

    @Test func aSideCallNeverStartsARunNorBecomesTheSessionsModel() throws {
        let policy = try Self.policy()
        var states: [String: SessionState] = [:]
        let anonymous = TurnHeaders()
        let next = #"{"model":"gpt-5.5","messages":[{"role":"user","content":"Fix test_x"},{"role":"assistant","content":"ok"},{"role":"user","content":"go on"}]}"#
        let main = try Self.turn(policy, next, .openAIChat, headers: anonymous, states: &states, at: 1)
        let title = #"{"model":"gpt-5.5","max_tokens":20,"messages":[{"role":"user","content":"Fix test_x"}]}"#
        let side = try Self.turn(policy, title, .openAIChat, headers: anonymous, states: &states, at: 2)
        #expect(side.features.shape == .sideCall)
        #expect(side.session.key == main.session.key && !side.session.startsRun)
        let state = try #require(states[main.session.scannedKey])
        #expect(state.turns == 2)
        #expect(state.answeredModel == "sol")
        #expect(state.promptTokens == main.features.promptTokens)
    }

    @Test func onlyAnOkTurnNamesTheModelThatAnswered() throws {
        let policy = try Self.policy()
        let plan = policy.plan(try Self.scan(Self.grep, .anthropic, headers: Self.named), session: nil, at: 0)
        let facts = plan.facts(id: "t", startedAtMilliseconds: 0, headers: Self.named)
        let failed = TurnRecord(
            facts: facts, outcome: TurnOutcome(status: .rateLimited, httpStatus: 429, model: plan.candidates[0].priced))
        let state = SessionState.next(nil, after: plan, record: failed)
        #expect(state.answeredModel == nil)
        #expect(state.turns == 1 && state.toolLoopTurns == 1)
        let ok = TurnRecord(
            facts: facts,
            outcome: TurnOutcome(
                status: .ok, httpStatus: 200, model: plan.candidates[0].priced,
                usage: Usage(uncachedInput: 10, cacheRead: 500, output: 3)))
        let after = SessionState.next(state, after: plan, record: ok)
        #expect(after.answeredModel == "haiku" && after.cacheRead == 500)
        #expect(after.cost == ok.cost && after.turns == 2 && after.toolLoopTurns == 2)
    }
}
