import Foundation
import NIOHTTP1
import SluiceLedger
import SluiceStore
import Synchronization
import Testing

/// `sluice replay` of a ledger under the policy that wrote it reproduces every decision the gateway
/// made, on traffic that is not clean: failures, a fallback that answered, side calls, a subagent
/// running beside the main conversation, stickiness that depends on what answered before, and a
/// cost-matched random control whose draws depend on every earlier turn.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct ReplayFidelityEndToEndTests {
    static func policy(upstreamPort: Int) -> (text: String, environment: [String: String]) {
        let text = """
            version: 1
            upstreams:
              anthropic: {dialect: anthropic, base_url: "http://127.0.0.1:\(upstreamPort)"}
            models:
              sonnet: {upstream: anthropic, id: claude-sonnet-4-5, context_window: 1000000,
                       price: {input: 3, output: 15, cache_read: 0.30, cache_write_5m: 3.75, cache_write_1h: 6}}
              haiku: {upstream: anthropic, id: claude-haiku-4-5, context_window: 200000,
                      price: {input: 1, output: 5, cache_read: 0.10, cache_write_5m: 1.25, cache_write_1h: 2},
                      fallback: [sonnet]}
            baseline: sonnet
            stickiness: {require_saving: true}
            rules:
              - {name: side-calls, when: {shape: side_call}, route: haiku}
              - {name: grep-anthropic, when: {shape: tool_followup, last_tool_categories: [search, read]}, route: haiku}
              - {name: default-anthropic, route: sonnet}
            experiments:
              - name: fidelity
                arms:
                  candidate: {weight: 1}
                  random: {weight: 1, cost_matched_random: candidate}
            """
        return (text, [:])
    }

    static let title = #"{"model":"claude-haiku-4-5","max_tokens":64,"messages":[{"role":"user","content":"Title for: where is the price parsed?"}]}"#
    static let subagent = #"{"model":"claude-opus-4-5-20251101","max_tokens":32000,"system":[{"type":"text","text":"You are an Explore agent."}],"messages":[{"role":"user","content":"Explore the pricing module."},{"role":"assistant","content":[{"type":"tool_use","id":"r1","name":"Read","input":{"file_path":"src/price.swift"}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"r1","content":"struct Price {}"}]}]}"#

    static func usage(_ input: Int, read: Int = 0, output: Int) -> String {
        GoldenInvoiceTests.usage(input: input, read: read, write5m: input / 2, output: output)
    }

    @Test func replayUnderTheRecordingPolicyMakesEveryLiveDecisionAgain() async throws {
        let clock = Mutex<Int64>(GoldenInvoiceTests.start)
        try await GatewayHarness.run(clock: { clock.withLock { $0 } }, policy: Self.policy) { harness in
            let ask = GoldenInvoiceTests.main(GoldenInvoiceTests.ask)
            let grep = GoldenInvoiceTests.main(GoldenInvoiceTests.ask + "," + GoldenInvoiceTests.grep)
            var sent = 0
            for index in 0..<8 {
                let session = [("x-sluice-session", "fidelity-\(index)")]
                func turn(_ body: String, script: String = "usage", at seconds: Int64, _ extra: [(String, String)] = [])
                    async throws
                {
                    clock.withLock { $0 = GoldenInvoiceTests.start + Int64(index) * 600_000 + seconds * 1_000 }
                    _ = try await harness.post(
                        "/v1/messages", body: body,
                        headers: session + [("x-script", script), ("x-usage", Self.usage(2_000 + 100 * index, output: 300))] + extra)
                    sent += 1
                }
                try await turn(ask, at: 0)
                try await turn(Self.title, at: 1)
                try await turn(grep, at: 10)
                try await turn(grep, script: "status-503", at: 20)  // every candidate fails
                try await turn(grep, script: "503-if-haiku", at: 30)  // Haiku fails, Sonnet answers
                // The main conversation and a subagent at the same moment.
                clock.withLock { $0 = GoldenInvoiceTests.start + Int64(index) * 600_000 + 40_000 }
                async let main = harness.post(
                    "/v1/messages", body: grep,
                    headers: session + [("x-script", "usage"), ("x-usage", Self.usage(2_500, read: 1_000, output: 200))])
                async let side = harness.post(
                    "/v1/messages", body: Self.subagent,
                    headers: session + [
                        ("x-script", "usage"), ("x-usage", Self.usage(900, output: 100)),
                        ("x-claude-code-agent-id", "explore-1"),
                    ])
                _ = try await (main, side)
                sent += 2
                try await turn(ask, at: 50)
                _ = try await harness.waitForTurns("fidelity-\(index)", count: 8)
            }
            await harness.ledger.flush()
            let records = try await harness.ledger.store.turns(from: nil, until: nil)
            #expect(records.count == sent)
            #expect(records.contains { $0.fallback != nil && $0.status == .ok }, "a fallback answered")
            #expect(records.contains { $0.status != .ok }, "a turn failed")
            #expect(Set(records.compactMap(\.arm)) == ["candidate", "random"])

            let replay = try ExperimentEndToEndTests.sluice([
                "replay", "--policy", harness.policyPath, "--ledger", harness.ledgerPath, "--format", "json",
            ])
            #expect(replay.status == 0, "\(replay.output)")
            let report = try #require(ExperimentEndToEndTests.object(replay.output), "\(replay.output)")
            #expect(ExperimentEndToEndTests.number(report["turns"]) == Double(sent))
            #expect(ExperimentEndToEndTests.number(report["changed_turns"]) == 0, "\(replay.output)")
            // The decisions that depend on history happened: stickiness and the random control's draws.
            let rules = Set(records.map(\.rule))
            #expect(rules.isSuperset(of: ["stickiness", "random-control", "grep-anthropic", "side-calls"]), "\(rules)")
            // Per rule, the replay's counts are the ledger's.
            let byRule = try #require(report["by_rule"] as? [String: Any])
            let recorded = Dictionary(grouping: records, by: \.rule).mapValues(\.count)
            for (rule, count) in recorded {
                let entry = byRule[rule] as? [String: Any]
                #expect(ExperimentEndToEndTests.number(entry?["turns"]) == Double(count), "rule \(rule)")
            }
            // What the candidate would cost is what was recorded, to the nanodollar.
            let candidateText = replay.output.components(separatedBy: #""candidate":{"#).dropFirst().first ?? ""
            let recordedText = replay.output.components(separatedBy: #""recorded":{"#).dropFirst().first ?? ""
            let total = USD(nanos: records.reduce(Int64(0)) { $0 + $1.cost.nanos }).decimalString
            #expect(GoldenInvoiceTests.field("actual_usd", in: recordedText) == total)
            #expect(GoldenInvoiceTests.field("actual_usd", in: candidateText) == total, "\(replay.output)")
        }
    }
}
