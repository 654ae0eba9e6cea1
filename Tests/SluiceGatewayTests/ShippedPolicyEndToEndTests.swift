import Foundation
import NIOHTTP1
import SluiceLedger
import Testing

/// Whole sessions through the real server under the shipped `policies/default.yaml`: where each
/// turn goes, as the policy's comments say it should.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct ShippedPolicyEndToEndTests {
    struct Expectation: Sendable, CustomTestStringConvertible {
        var dialect: String
        var path: String
        var requested: String
        var models: [String]
        var rules: [String]
        var testDescription: String { dialect }
    }

    @Test(arguments: [
        Expectation(
            dialect: "anthropic", path: "/v1/messages", requested: "claude-opus-5-5",
            models: ["opus", "haiku", "opus", "opus", "opus", "haiku"],
            rules: ["frontier-anthropic", "likely-read-anthropic", "after-error-anthropic", "frontier-anthropic",
                    "frontier-anthropic", "likely-read-anthropic"]),
        Expectation(
            dialect: "openai-chat", path: "/v1/chat/completions", requested: "gpt-5.6-sol",
            models: ["sol", "luna", "sol", "sol", "sol", "luna"],
            rules: ["frontier-openai", "likely-read-openai", "after-error-openai", "frontier-openai", "frontier-openai",
                    "likely-read-openai"]),
        Expectation(
            dialect: "openai-responses", path: "/v1/responses", requested: "gpt-5.6-sol",
            models: ["sol", "luna", "sol", "sol", "sol", "luna"],
            rules: ["frontier-openai", "likely-read-openai", "after-error-openai", "frontier-openai", "frontier-openai",
                    "likely-read-openai"]),
    ])
    func aSessionReturnsToTheFrontierModelWhenTheRulesSaySo(_ expected: Expectation) async throws {
        try await GatewayHarness.run(policy: GatewayHarness.shippedDefaultPolicy) { harness in
            let session = "default-policy-\(expected.dialect)"
            let story = AgentSession.fixTheTest
            var models: [String] = []
            var rules: [String] = []
            for turn in 0...story.steps.count {
                let reply = try await harness.post(
                    expected.path, body: story.body(turn: turn, dialect: expected.dialect, model: expected.requested),
                    headers: [("x-sluice-session", session)])
                #expect(reply.status == 200)
                models.append(reply.headers.first(name: "x-sluice-model") ?? "")
                rules.append(reply.headers.first(name: "x-sluice-rule") ?? "")
            }
            #expect(models == expected.models)
            #expect(rules == expected.rules)
            // The ledger agrees with the headers, turn by turn.
            let turns = try await harness.waitForTurns(session, count: expected.models.count)
            #expect(turns.map(\.model) == expected.models)
            #expect(turns.map(\.rule) == expected.rules)
        }
    }

    @Test func aSecondRunOfTheSameTaskIsASessionOfItsOwn() async throws {
        try await GatewayHarness.run(policy: GatewayHarness.shippedDefaultPolicy) { harness in
            // An agent that names no session (litellm-based ones): known by a fingerprint only.
            let story = AgentSession.fixTheTest
            var keys: [[String]] = []
            for _ in 0..<2 {
                var run: [String] = []
                for turn in 0..<3 {
                    let reply = try await harness.post(
                        "/v1/chat/completions", body: story.body(turn: turn, dialect: "openai-chat", model: "gpt-5.6-sol"))
                    #expect(reply.status == 200)
                    run.append(reply.headers.first(name: "x-sluice-session") ?? "")
                }
                keys.append(run)
            }
            #expect(Set(keys[0]).count == 1 && Set(keys[1]).count == 1)
            #expect(keys[0][0] != keys[1][0])
            #expect(keys[0][0].hasPrefix("fp:"))
            let first = try await harness.waitForTurns(keys[0][0], count: 3)
            let second = try await harness.waitForTurns(keys[1][0], count: 3)
            #expect(first.count == 3 && second.count == 3)
            // The second run inherits nothing: its first turn goes where a first turn goes.
            #expect(second.first?.rule == "frontier-openai")
        }
    }
}
