import Testing

@testable import SluiceRouting
@testable import SluiceWire

@Suite struct StickinessTests {
    static func policy(_ stickiness: String) throws -> RoutingPolicy {
        try RoutingPolicy(
            yaml: """
                version: 1
                upstreams:
                  anthropic: {dialect: anthropic, base_url: https://api.anthropic.com}
                models:
                  opus: {upstream: anthropic, id: claude-opus-5-5, context_window: 1000000,
                         price: {input: 4.00, output: 20.00, cache_read: 0.20}}
                  haiku: {upstream: anthropic, id: claude-haiku-5-5, context_window: 200000,
                          price: {input: 0.10, output: 0.50, cache_read: 0.01}}
                  sonnet: {upstream: anthropic, id: claude-sonnet-5-5, context_window: 1000000,
                           price: {input: 2.00, output: 10.00, cache_read: 0.10}}
                baseline: opus
                stickiness: \(stickiness)
                rules:
                  - {name: side-calls, when: {shape: side_call}, route: haiku}
                  - {name: grep-shaped, when: {shape: tool_followup, last_tool_categories: [search]}, route: haiku}
                  - {name: long, when: {prompt_tokens: {min: 300000}}, route: sonnet}
                  - {name: default, route: opus}
                """)
    }

    static let grepFollowup = TurnFeatures(
        dialect: .anthropic, promptTokens: 50_000, maxTokens: 32_000, lastMessage: .toolResult,
        lastToolCategories: [.search], loopDepth: 3, shape: .toolFollowup)

    /// A session whose previous turn `model` answered, with a prompt of `promptTokens`.
    static func session(after model: String, promptTokens: Int? = nil) -> SessionState {
        SessionState(key: "s", turns: 1, promptTokens: promptTokens, answeredModel: model)
    }

    @Test func keepsTheModelThatStartedTheToolLoop() throws {
        let policy = try Self.policy("{tool_loop: true}")
        let decision = policy.decide(for: Self.grepFollowup)
        #expect(decision.model == "haiku")
        let sticky = policy.applyingStickiness(
            to: decision, features: Self.grepFollowup, session: Self.session(after: "opus", promptTokens: 40_000))
        #expect(sticky.model == "opus")
        #expect(sticky.modelID == "claude-opus-5-5")
        // The rule named is the one that chose the model that answers; the reason names the rule's choice.
        #expect(sticky.rule == "stickiness")
        #expect(sticky.reason.hasPrefix("stayed on opus inside the tool loop it started"))
        #expect(sticky.reason.contains("rule grep-shaped chose haiku"))
        #expect(sticky.stickiness != nil)
    }

    @Test(arguments: ["{tool_loop: true}", "{require_saving: true}", "{tool_loop: true, require_saving: true}"])
    func neverKeepsATurnOffADearerModelTheRulesChose(_ stickiness: String) throws {
        let policy = try Self.policy(stickiness)
        // The session is on Haiku, in a tool loop, with a warm cache; the rules want Opus.
        var followup = Self.grepFollowup
        followup.lastToolCategories = [.exec]
        let decision = policy.decide(for: followup)
        #expect(decision.model == "opus")
        let after = policy.applyingStickiness(
            to: decision, features: followup, session: Self.session(after: "haiku", promptTokens: 49_000))
        #expect(after == decision)
    }

    @Test func neverSticksWhenOffForSideCallsOrWhenThePreviousModelCannotTakeTheTurn() throws {
        let off = try Self.policy("{tool_loop: false}")
        let decision = off.decide(for: Self.grepFollowup)
        #expect(off.applyingStickiness(to: decision, features: Self.grepFollowup, session: Self.session(after: "opus", promptTokens: 1)).model == "haiku")

        let on = try Self.policy("{tool_loop: true}")
        var side = Self.grepFollowup
        side.shape = .sideCall
        #expect(on.applyingStickiness(to: on.decide(for: side), features: side, session: Self.session(after: "opus", promptTokens: 1)).model == "haiku")

        // Haiku's 200K window cannot hold 300K: the session moves on to the rules' choice.
        var long = Self.grepFollowup
        long.promptTokens = 300_000
        long.lastToolCategories = [.exec]
        let decision2 = on.decide(for: long)
        #expect(decision2.model == "sonnet")
        #expect(on.applyingStickiness(to: decision2, features: long, session: Self.session(after: "haiku", promptTokens: 1)).model == "sonnet")
    }

    @Test func switchesOnlyWhenItSavesEvenWithAColdCache() throws {
        let policy = try Self.policy("{require_saving: true}")
        var userTurn = TurnFeatures(dialect: .anthropic, promptTokens: 400_000, maxTokens: 32_000, lastMessage: .userText, shape: .userTurn)
        let decision = policy.decide(for: userTurn)
        #expect(decision.model == "sonnet")
        // Opus with the previous turn's 390K cached: 390K × $0.20 + 10K × $4 = $0.118; Sonnet cold:
        // 400K × $2 = $0.80.
        let warm = policy.applyingStickiness(
            to: decision, features: userTurn, session: Self.session(after: "opus", promptTokens: 390_000))
        #expect(warm.model == "opus")
        #expect(warm.reason.contains("would not beat opus with its warm cache"))
        // Nothing cached: Opus $1.60 against Sonnet $0.80, so the switch pays.
        let cold = policy.applyingStickiness(to: decision, features: userTurn, session: Self.session(after: "opus"))
        #expect(cold.model == "sonnet")
        userTurn.promptTokens = 10
        #expect(policy.applyingStickiness(to: policy.decide(for: userTurn), features: userTurn, session: nil).model == "opus")
    }

    @Test func readsTheSectionAndReportsItsProblems() throws {
        #expect(try Self.policy("{tool_loop: true, require_saving: true}").stickiness == Stickiness(toolLoop: true, requireSaving: true))
        #expect(try RoutingPolicy(yaml: PolicyFixtures.small).stickiness == Stickiness())
        do {
            _ = try Self.policy("{tool_loops: yes}")
            Issue.record("accepted a misspelled key")
        } catch let error as PolicyError {
            #expect(error.problems.contains { $0.path == "stickiness.tool_loops" })
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
