import Foundation
import NIOHTTP1
import SluiceLedger
import SluiceStore
import Testing

/// Shadow turns through the real server: a second model answers grep-shaped turns in the
/// background, slowly, and the client's answer is neither delayed nor changed by it.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct ShadowEndToEndTests {
    static func policy(cap: String) -> @Sendable (Int) -> (text: String, environment: [String: String]) {
        { port in
            let text = """
                version: 1
                upstreams:
                  anthropic: {dialect: anthropic, base_url: "http://127.0.0.1:\(port)"}
                models:
                  sonnet: {upstream: anthropic, id: claude-sonnet-4-5, context_window: 1000000, price: {input: 3, output: 15}}
                  haiku: {upstream: anthropic, id: claude-haiku-4-5, context_window: 200000, price: {input: 1, output: 5}}
                baseline: sonnet
                rules:
                  - {name: grep-anthropic, when: {shape: tool_followup, last_tool_categories: [search, read]}, route: haiku}
                  - {name: default-anthropic, route: sonnet}
                shadows:
                  - {name: sonnet-on-grep, model: sonnet, sample: 100, rules: [grep-anthropic], daily_cap: \(cap)}
                """
            return (text, [:])
        }
    }

    static let grep = GoldenInvoiceTests.main(GoldenInvoiceTests.ask + "," + GoldenInvoiceTests.grep)

    /// Waits until the ledger holds `count` shadow turns.
    static func shadows(_ store: any LedgerStore, count: Int) async throws -> [ShadowRecord] {
        for _ in 0..<100 {
            let found = try await store.shadows(from: nil, until: nil)
            if found.count >= count { return found }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try await store.shadows(from: nil, until: nil)
    }

    @Test(arguments: [false, true])
    func aShadowNeverDelaysOrChangesTheClientsAnswer(stream: Bool) async throws {
        try await GatewayHarness.run(policy: Self.policy(cap: "5.00")) { harness in
            var body = Self.grep
            if stream { body = String(body.dropLast()) + #","stream":true}"# }
            let started = ContinuousClock.now
            let reply = try await harness.post(
                "/v1/messages", body: body, headers: [("x-sluice-session", "shadowed"), ("x-script", "slow-if-sonnet")])
            let elapsed = ContinuousClock.now - started
            #expect(reply.status == 200)
            #expect(reply.headers.first(name: "x-sluice-model") == "haiku")
            // The shadow's model takes two seconds; the client's answer did not wait for it.
            #expect(elapsed < .seconds(1), "the client waited \(elapsed)")
            let canned = Canned.answer(path: "/v1/messages", stream: stream)
            #expect(reply.body == (stream ? canned.events.joined() : canned.json), "the client gets the primary's answer")
            #expect(!reply.headers.contains { $0.name.lowercased().contains("shadow") })

            let shadows = try await Self.shadows(harness.ledger.store, count: 1)
            let shadow = try #require(shadows.first)
            #expect(shadows.count == 1)
            #expect(shadow.name == "sonnet-on-grep")
            #expect(shadow.shadowModel == "sonnet")
            #expect(shadow.primaryModel == "haiku")
            #expect(shadow.rule == "grep-anthropic")
            #expect(shadow.status == .ok)
            #expect(shadow.totalMilliseconds >= 2_000)
            // Both answers are the same canned answer: the comparison agrees on everything.
            #expect(shadow.sameTools && shadow.sameArguments && shadow.sameStopReason)
            #expect(shadow.primary.textCharacters > 0 && shadow.primary == shadow.shadow)
            #expect(shadow.cost > .zero)
            // The turn itself is recorded as the primary answered it, once.
            let turns = try await harness.waitForTurns("shadowed", count: 1)
            #expect(turns.count == 1 && turns[0].model == "haiku" && turns[0].id == shadow.turnID)
        }
    }

    /// Concurrent turns cannot overshoot a shadow's cap: each shadow reserves its estimate (the
    /// primary's usage at the shadow's prices) before it starts. The canned answers' usage makes
    /// each shadow cost exactly its estimate, so a cap of two and a half shadows admits two.
    @Test func concurrentTurnsStopAtTheShadowsDailyCapAndOnlyItsRulesAreMirrored() async throws {
        // The canned Anthropic answer reports 100 input, 2,000 cache-read and 300 cache-write tokens
        // and 50 output ones; Sonnet here has no cache prices, so 2,400 × $3 + 50 × $15 per million:
        // $0.00795 a shadow.
        let cap = "0.019875"
        try await GatewayHarness.run(policy: Self.policy(cap: cap)) { harness in
            let headers = [("x-sluice-session", "capped"), ("x-script", "slow-if-sonnet")]
            // A user turn: the default rule decides, no shadow.
            _ = try await harness.post("/v1/messages", body: GoldenInvoiceTests.main(GoldenInvoiceTests.ask), headers: headers)
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<6 {
                    group.addTask { try await harness.post("/v1/messages", body: Self.grep, headers: headers).status }
                }
                for try await status in group { #expect(status == 200) }
            }
            _ = try await harness.waitForTurns("capped", count: 7)
            let shadows = try await Self.shadows(harness.ledger.store, count: 2)
            try await Task.sleep(for: .seconds(3))
            let all = try await harness.ledger.store.shadows(from: nil, until: nil)
            #expect(all.count == 2, "\(all.count) shadows for a cap of two and a half")
            #expect(shadows.allSatisfy { $0.cost == USD(nanos: 7_950_000) && $0.rule == "grep-anthropic" })
            // The day's budget is spent: a later turn is not mirrored.
            _ = try await harness.post("/v1/messages", body: Self.grep, headers: headers)
            try await Task.sleep(for: .seconds(3))
            #expect(try await harness.ledger.store.shadows(from: nil, until: nil).count == 2)

            await harness.ledger.flush()
            let ab = try ExperimentEndToEndTests.sluice(["ab", "--ledger", harness.ledgerPath, "--format", "json"])
            #expect(ab.status == 0, "\(ab.output)")
            #expect(ab.output.contains(#""shadows":[{"shadow":"sonnet-on-grep","rule":"grep-anthropic","model":"sonnet","turns":2,"answered":2,"same_tools":2"#), "\(ab.output)")
        }
    }
}
