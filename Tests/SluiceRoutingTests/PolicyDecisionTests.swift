import SluiceRouting
import SluiceWire
import Testing

@Suite struct PolicyDecisionTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var label: String
        var features: TurnFeatures
        var model: String
        var rule: String

        var testDescription: String { label }
    }

    static let cases: [Case] = [
        Case(label: "side call goes to the cheap model", features: .sideCall(), model: "haiku", rule: "side-calls"),
        Case(
            label: "grep-shaped follow-up goes to the cheap model",
            features: .toolFollowup(categories: [.search, .read]), model: "haiku", rule: "grep-shaped"),
        Case(
            label: "a tool error goes to the frontier model before grep-shaped",
            features: .toolFollowup(categories: [.search], error: true), model: "opus", rule: "after-error"),
        Case(
            label: "an edit result is not grep-shaped",
            features: .toolFollowup(categories: [.read, .edit]), model: "opus", rule: "default"),
        Case(
            label: "a grep-shaped turn over the prompt limit goes to the frontier model",
            features: .toolFollowup(categories: [.list], promptTokens: 150_001), model: "opus", rule: "default"),
        Case(
            label: "a side call too big for the cheap model's window falls through",
            features: .sideCall(promptTokens: 190_000, maxTokens: 20_000), model: "opus", rule: "default"),
        Case(
            label: "a side call that just fits stays on the cheap model",
            features: .sideCall(promptTokens: 190_000, maxTokens: 10_000), model: "haiku", rule: "side-calls"),
        Case(
            label: "a rule whose model cannot speak the client's dialect falls through",
            features: .toolFollowup(.openAIChat, categories: [.search]), model: "mini", rule: "chat"),
        Case(
            label: "no rule applies: the dialect's baseline answers",
            features: .sideCall(.openAIChat), model: "mini", rule: "baseline"),
        Case(
            label: "no rule and no baseline: no model",
            features: .userTurn(.openAIResponses), model: "", rule: ""),
    ]

    @Test(arguments: cases)
    func decidesByTheFirstRuleThatApplies(_ example: Case) throws {
        let policy = try RoutingPolicy(yaml: PolicyFixtures.deciding)
        let decision = policy.decide(for: example.features)
        #expect(decision.model == example.model, "\(decision.reason)")
        #expect(decision.rule == example.rule)
        #expect(decision.baseline == (policy.baselines[example.features.dialect] ?? ""))
        #expect(decision.modelID == (policy.model(named: example.model)?.id ?? ""))
        #expect(decision.upstream == (policy.model(named: example.model)?.upstream ?? ""))
    }

    @Test func explainsAGrepShapedDecision() throws {
        let policy = try RoutingPolicy(yaml: PolicyFixtures.deciding)
        let decision = policy.decide(for: .toolFollowup(categories: [.read, .search]))
        #expect(
            decision.reason
                == "rule grep-shaped: shape tool_followup, last tools search/read, 12,345 prompt tokens ≤ 150,000")
        #expect(decision.modelID == "claude-haiku-5-5")
        #expect(decision.upstream == "anthropic")
        #expect(decision.baseline == "opus")
        #expect(
            decision.trace == [
                RuleTrace(rule: "side-calls", matched: false, note: "shape is tool_followup, not side_call"),
                RuleTrace(rule: "after-error", matched: false, note: "last_tool_error is false, not true"),
                RuleTrace(
                    rule: "grep-shaped", matched: true,
                    note: "shape tool_followup, last tools search/read, 12,345 prompt tokens ≤ 150,000"),
            ])
    }

    @Test func tracesWhyAMatchingRuleWasPassedOver() throws {
        let policy = try RoutingPolicy(yaml: PolicyFixtures.deciding)

        let big = policy.decide(for: .sideCall(promptTokens: 190_000, maxTokens: 20_000))
        #expect(
            big.trace.first
                == RuleTrace(
                    rule: "side-calls", matched: false,
                    note: "conditions hold, but the turn needs 210,000 tokens (prompt + max_tokens) and model "
                        + "\"haiku\" holds 200,000"))
        #expect(big.reason == "rule default: matches every turn")

        let chat = policy.decide(for: .sideCall(.openAIChat))
        #expect(
            chat.trace.first
                == RuleTrace(
                    rule: "side-calls", matched: false,
                    note: "conditions hold, but model \"haiku\" is served by upstream \"anthropic\", which does not "
                        + "speak openai-chat (no translation between dialects yet)"))
        #expect(
            chat.trace.last
                == RuleTrace(rule: "chat", matched: false, note: "shape is side_call, not user_turn or tool_followup"))
        #expect(chat.trace.count == 5)
        #expect(chat.reason == "no rule applied; openai-chat baseline \"mini\" answers")
    }

    @Test func withoutABaselineTheDecisionHasNoModelAndSaysWhy() throws {
        let policy = try RoutingPolicy(yaml: PolicyFixtures.deciding)
        let decision = policy.decide(for: .userTurn(.openAIResponses))
        #expect(!decision.hasModel)
        #expect(decision.baseline == "")
        #expect(
            decision.reason
                == "no rule applied to this openai-responses turn and the policy has no baseline model that speaks "
                + "openai-responses")
        #expect(decision.trace.map(\.matched) == [false, false, false, false, false])
    }

    @Test func aMissingMaxTokensCountsAsZeroForTheWindow() throws {
        let policy = try RoutingPolicy(yaml: PolicyFixtures.deciding)
        #expect(policy.decide(for: .sideCall(promptTokens: 200_000, maxTokens: nil)).model == "haiku")
        #expect(policy.decide(for: .sideCall(promptTokens: 200_001, maxTokens: nil)).model == "opus")
    }

    @Test func aHugeMaxTokensDoesNotOverflow() throws {
        let policy = try RoutingPolicy(yaml: PolicyFixtures.deciding)
        let decision = policy.decide(for: .sideCall(promptTokens: 10, maxTokens: .max))
        #expect(decision.model == "opus")
        #expect(decision.rule == "baseline")
        #expect(decision.reason.contains("although the turn needs more tokens than can be counted"))
    }

    @Test func tellsHowBaselinesAndModelsAreLookedUp() throws {
        let policy = try RoutingPolicy(yaml: PolicyFixtures.deciding)
        #expect(policy.baselineModel(for: .anthropic)?.name == "opus")
        #expect(policy.baselineModel(for: .openAIResponses) == nil)
        #expect(policy.model(named: "mini")?.contextWindow == 272_000)
        #expect(policy.model(named: "gpt") == nil)
    }
}
