import Foundation
import Testing

@testable import SluiceRouting
@testable import SluiceWire

/// Opus and Haiku on one Anthropic upstream; each suite adds its `rules:`.
let twoModelPolicyHead = """
        version: 1
        upstreams:
          anthropic: {dialect: anthropic, base_url: https://api.anthropic.com}
        models:
          opus: {upstream: anthropic, id: claude-opus-5-5, context_window: 1000000, price: {input: 4, output: 20}}
          haiku: {upstream: anthropic, id: claude-haiku-5-5, context_window: 1000000, price: {input: 0.1, output: 0.5}}
        baseline: opus

        """

@Suite struct PolicyExplanationTests {
    static let policy = twoModelPolicyHead + """
        rules:
          - {name: grep-shaped, when: {shape: tool_followup, last_tool_categories: [search, read, list]}, route: haiku}
          - {name: default, route: opus}
        """

    static let grepTurn = #"""
        {"model":"claude-opus-5-5","max_tokens":32000,"messages":[{"role":"user","content":"find it"},
         {"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"Grep","input":{"pattern":"x"}}]},
         {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"a.swift:1"}]}]}
        """#

    static func explain(_ body: String, dialect: Dialect? = nil) throws -> PolicyExplanation {
        let policy = try RoutingPolicy(yaml: Self.policy)
        return try Array(body.utf8).withUnsafeBytes { raw in
            try PolicyExplanation(
                body: raw, dialect: dialect ?? PolicyExplanation.guessDialect(of: raw), headers: TurnHeaders(),
                policy: policy, at: 0)
        }
    }

    @Test func explainsTheDecisionWithEveryRuleTried() throws {
        let explanation = try Self.explain(Self.grepTurn)
        #expect(explanation.features.dialect == .anthropic)
        #expect(explanation.decision.rule == "grep-shaped")
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(explanation.json.utf8)) as? [String: Any])
        #expect(json["shape"] as? String == "tool_followup")
        #expect(json["last_tool_categories"] as? [String] == ["search"])
        #expect(json["last_tool_error"] as? Bool == false)
        #expect(json["loop_depth"] as? Int == 1)
        #expect(json["rule"] as? String == "grep-shaped")
        #expect(json["model"] as? String == "haiku")
        #expect(json["baseline"] as? String == "opus")
        #expect((json["prompt_tokens"] as? Int ?? 0) > 0)
        #expect(explanation.text.contains("✔ grep-shaped"))
        #expect(explanation.text.contains("Decision: haiku (claude-haiku-5-5 on anthropic), rule grep-shaped"))
    }

    @Test func tracesWhyEarlierRulesDidNotMatch() throws {
        let explanation = try Self.explain(#"{"model":"m","max_tokens":9000,"messages":[{"role":"user","content":"hi"}]}"#)
        #expect(explanation.decision.trace.map(\.rule) == ["grep-shaped", "default"])
        #expect(explanation.decision.trace[0].note.contains("user_turn"))
        #expect(explanation.decision.trace[1].matched)
    }

    @Test(arguments: [
        (#"{"model":"m","input":"hi"}"#, Dialect.openAIResponses),
        (#"{"model":"m","messages":[{"role":"system","content":"s"},{"role":"user","content":"hi"}]}"#, .openAIChat),
        (#"{"model":"m","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}"#, .anthropic),
        (#"{"model":"m","messages":[{"role":"user","content":"hi"}]}"#, .openAIChat),
    ])
    func guessesTheDialectOfASavedBody(_ body: String, _ dialect: Dialect) {
        #expect(Array(body.utf8).withUnsafeBytes { PolicyExplanation.guessDialect(of: $0) } == dialect)
    }

    @Test func explainsALogAndCountsShapesAndRules() throws {
        let policy = try RoutingPolicy(yaml: Self.policy)
        let grep = Self.grepTurn.replacingOccurrences(of: "\n", with: "")
        let lines = [
            #"{"protocol":"anthropic","body":\#(grep),"headers":{"X-Sluice-Session":"s1"}}"#,
            #"{"protocol":"anthropic","body":{"model":"m","max_tokens":9000,"messages":[{"role":"user","content":"hi"}]}}"#,
            #"{"protocol":"anthropic","body":{"messages":[]}}"#,
            "not json",
            "",
        ].joined(separator: "\n")
        let log = RequestLogExplanation(lines: Array(lines.utf8), policy: policy, at: 0)
        #expect(log.entries.count == 4)
        #expect(log.counts.shapes.map(\.0) == ["tool_followup", "user_turn"])
        #expect(log.counts.rules.map(\.0) == ["default", "grep-shaped"])
        guard case .explained(let first) = log.entries[0] else { Issue.record("first line not explained"); return }
        #expect(first.plan.session.key == "s1")
        guard case .refused(let line, let message) = log.entries[2] else { Issue.record("no refusal"); return }
        #expect(line == 3)
        #expect(message.contains("no `model`"))
        #expect(log.text.contains("By rule:  default 1, grep-shaped 1"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(log.json.utf8)) as? [String: Any])
        #expect((json["requests"] as? [Any])?.count == 4)
    }
}

@Suite struct LoopAndGrowthConditionTests {
    static let policy = twoModelPolicyHead + """
        rules:
          - {name: looping, when: {tool_call_repeats: {min: 2}}, route: opus}
          - {name: small-step, when: {new_prompt_tokens: {max: 2000}}, route: haiku}
          - {name: default, route: opus}
        """

    @Test(arguments: [
        (TurnFeatures(dialect: .anthropic, toolCallRepeats: 3, newPromptTokens: 100), "looping"),
        (TurnFeatures(dialect: .anthropic, toolCallRepeats: 0, newPromptTokens: 100), "small-step"),
        (TurnFeatures(dialect: .anthropic, toolCallRepeats: 0, newPromptTokens: nil), "default"),
        (TurnFeatures(dialect: .anthropic, toolCallRepeats: 1, newPromptTokens: 5000), "default"),
    ])
    func routesOnRepeatsAndNewTokens(_ features: TurnFeatures, _ rule: String) throws {
        let policy = try RoutingPolicy(yaml: Self.policy)
        #expect(policy.decide(for: features).rule == rule)
    }

    @Test func explainsAFirstTurnHasNoNewTokens() throws {
        let policy = try RoutingPolicy(yaml: Self.policy)
        let decision = policy.decide(for: TurnFeatures(dialect: .anthropic))
        #expect(decision.trace[1].note == "no earlier turn of this session was seen")
    }
}
