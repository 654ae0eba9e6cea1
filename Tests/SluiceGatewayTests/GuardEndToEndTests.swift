import Foundation
import MetricsTestKit
import NIOHTTP1
import SluiceGateway
import SluiceLedger
import SluiceRouting
import Testing

/// Budgets and the loop breaker through the real server, in front of the scripted upstream, with
/// the ledger read back.
@Suite struct GuardEndToEndTests {
    /// The harness's policy with a hard per-session cap of one cent and the loop breaker.
    static func guarded(
        cap: String, loop action: String = "stop",
        breaker: String? = nil
    ) -> @Sendable (Int) -> (text: String, environment: [String: String]) {
        { port in
            (
                GatewayHarness.policy(upstreamPort: port) + """

                budgets:
                  caps:
                    - {name: per-session, per: session, cap: \(cap)}
                loop_breaker: \(breaker ?? "{identical: 5, window: 10, action: \(action)}")
                """,
                [:]
            )
        }
    }

    /// A user turn whose body is about as large as the scripted answer's prompt (2,400 tokens:
    /// 100 uncached, 2,000 read, 300 written), so the reservation estimates the real cost.
    static func userTurn(_ session: String, stream: Bool = false) -> String {
        let padding = String(repeating: "x", count: 8_200)
        return #"{"model":"claude-sonnet-5-5","max_tokens":32000,"stream":\#(stream),"messages":[{"role":"user","content":"Fix the build. \#(padding)"}]}"#
    }

    @Test func fiftyConcurrentTurnsOneTurnBelowTheCapOvershootByOneTurnAtMost() async throws {
        // One answer costs $0.0033 on the frontier model; two leave $0.0034 under a $0.01 cap.
        let metrics = TestMetrics()
        try await GatewayHarness.run(metrics: metrics, policy: Self.guarded(cap: "0.01")) { harness in
            let session = "budget-\(UUID().uuidString.prefix(8))"
            for _ in 0..<2 {
                let first = try await harness.post("/v1/messages", body: Self.userTurn(session), headers: [("x-sluice-session", session)])
                #expect(first.status == 200)
            }
            let before = try await harness.waitForTurns(session, count: 2)
            let spent = before.reduce(USD.zero) { $0 + $1.cost }
            let oneTurn = before[0].cost
            #expect(spent == USD(nanos: 6_600_000))

            let results = try await withThrowingTaskGroup(of: (Int, String, String?).self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        let reply = try await harness.post("/v1/messages", body: Self.userTurn(session), headers: [("x-sluice-session", session)])
                        return (reply.status, reply.body, reply.headers.first(name: "x-should-retry"))
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let admitted = results.filter { $0.0 == 200 }
            let refused = results.filter { $0.0 == 400 }
            #expect(admitted.count >= 1)
            #expect(admitted.count + refused.count == 50)
            for (_, body, retry) in refused {
                #expect(body.contains(#"{"type":"error","error":{"type":"invalid_request_error","message":"Sluice budget reached: "#))
                // The spend it names is what was recorded when it was refused: two turns or more.
                let spends = (2...4).map { "has spent \(USD(nanos: oneTurn.nanos * Int64($0)).display)" }
                #expect(
                    body.contains(#"cap \"per-session\" ($0.0100 per session), and this session"#) && spends.contains { body.contains($0) },
                    "names the cap and the spend: \(body)")
                #expect(retry == "false")
            }
            let turns = try await harness.waitForTurns(session, count: 52)
            #expect(turns.count == 52, "every turn, admitted or refused, is in the ledger")
            let total = turns.reduce(USD.zero) { $0 + $1.cost }
            #expect(!(USD(nanos: 10_000_000) + oneTurn < total), "spend \(total.display) overshoots the cap by more than one turn")
            let refusedRows = turns.filter { $0.status == .refused }
            #expect(refusedRows.count == refused.count)
            #expect(refusedRows.allSatisfy { $0.guardNote == "budget-hard:per-session" && $0.cost == .zero })
            let hardCounter = try metrics.expectCounter("sluice_guard_actions_total", [("guard", "budget-hard")])
            #expect(hardCounter.totalValue == Int64(refused.count))
            // Nothing stays reserved once every turn is recorded.
            let account = SpendAccount(scope: .session, key: turns[0].session, period: .total, index: 0)
            #expect(harness.recorder.guards.standing(of: account).reserved == .zero)
            #expect(harness.recorder.guards.standing(of: account).spent == total)
        }
    }

    @Test func anAlertIsCountedOncePerCrossing() async throws {
        let metrics = TestMetrics()
        let policy: @Sendable (Int) -> (text: String, environment: [String: String]) = { port in
            (
                GatewayHarness.policy(upstreamPort: port) + """

                budgets:
                  caps:
                    - {name: watched, per: session, cap: 0.01, alert: 50%, hard: false}
                """,
                [:]
            )
        }
        try await GatewayHarness.run(metrics: metrics, policy: policy) { harness in
            // $0.0033 a turn: the 0.5 cent line is crossed by the second turn, once.
            for _ in 0..<4 {
                let reply = try await harness.post("/v1/messages", body: Self.userTurn("alert"), headers: [("x-sluice-session", "alert")])
                #expect(reply.status == 200)
            }
            _ = try await harness.waitForTurns("alert", count: 4)
            #expect(try metrics.expectCounter("sluice_budget_alerts_total", [("cap", "watched")]).totalValue == 1)
            // Past the cap with `hard: false`: answered, never refused.
            #expect(try await harness.turns("alert").allSatisfy { $0.status == .ok })
        }
    }

    @Test func raisingTheCapInThePolicyResumesAPausedSession() async throws {
        try await GatewayHarness.run(policy: Self.guarded(cap: "0.005")) { harness in
            let session = "pause-\(UUID().uuidString.prefix(8))"
            #expect(try await harness.post("/v1/messages", body: Self.userTurn(session), headers: [("x-sluice-session", session)]).status == 200)
            #expect(try await harness.post("/v1/messages", body: Self.userTurn(session), headers: [("x-sluice-session", session)]).status == 200)
            let paused = try await harness.post("/v1/messages", body: Self.userTurn(session), headers: [("x-sluice-session", session)])
            #expect(paused.status == 400)
            #expect(paused.headers.first(name: "x-sluice-guard") == "budget-hard:per-session")
            let policy = try String(contentsOfFile: harness.policyPath, encoding: .utf8)
            try policy.replacingOccurrences(of: "cap: 0.005}", with: "cap: 0.05}")
                .write(toFile: harness.policyPath, atomically: true, encoding: .utf8)
            harness.policies.replace(with: try Gateway.loadPolicy(path: harness.policyPath, environment: [:]))
            let resumed = try await harness.post("/v1/messages", body: Self.userTurn(session), headers: [("x-sluice-session", session)])
            #expect(resumed.status == 200, "the session continues under the raised cap")
        }
    }

    /// An Anthropic tool follow-up whose history repeats `Bash {"command":"make"}` `repeats` times.
    static func loopingTurn(_ session: String, repeats: Int, stream: Bool) -> String {
        var messages = [#"{"role":"user","content":"Build it."}"#]
        for index in 0..<repeats {
            messages.append(
                #"{"role":"assistant","content":[{"type":"tool_use","id":"t\#(index)","name":"Bash","input":{"command":"make"}}]}"#)
            messages.append(
                #"{"role":"user","content":[{"type":"tool_result","tool_use_id":"t\#(index)","content":"make: *** [all] Error 2"}]}"#)
        }
        return #"{"model":"claude-sonnet-5-5","max_tokens":32000,"stream":\#(stream),"tools":[{"name":"Bash","input_schema":{"type":"object"}}],"messages":[\#(messages.joined(separator: ","))]}"#
    }

    @Test(arguments: [false, true])
    func aTightLoopIsStoppedWithAnAnswerTheAgentShows(stream: Bool) async throws {
        let metrics = TestMetrics()
        try await GatewayHarness.run(metrics: metrics, policy: Self.guarded(cap: "10")) { harness in
            let session = "loop-\(UUID().uuidString.prefix(8))"
            let four = try await harness.post("/v1/messages", body: Self.loopingTurn(session, repeats: 4, stream: stream), headers: [("x-sluice-session", session)])
            #expect(four.status == 200)
            #expect(four.headers.first(name: "x-sluice-guard") == nil, "four identical calls are not a loop yet")
            let sent = harness.upstream.requests.count
            let five = try await harness.post("/v1/messages", body: Self.loopingTurn(session, repeats: 5, stream: stream), headers: [("x-sluice-session", session)])
            #expect(five.status == 200)
            #expect(five.headers.first(name: "x-sluice-guard") == "loop-stop:tight")
            #expect(harness.upstream.requests.count == sent, "nothing went upstream")
            #expect(five.body.contains("Sluice stopped this agent"))
            #expect(five.body.contains(#"Bash {\"command\":\"make\"}"#), "names the repeated call: \(five.body)")
            if stream {
                #expect(five.body.hasSuffix("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"))
            } else {
                #expect(five.body.contains(#""stop_reason":"end_turn""#))
            }
            let turns = try await harness.waitForTurns(session, count: 2)
            #expect(turns.last?.status == .refused)
            #expect(turns.last?.guardNote == "loop-stop:tight")
            #expect(try metrics.expectCounter("sluice_guard_actions_total", [("guard", "loop-stop")]).totalValue == 1)
        }
    }

    @Test func aWideNoProgressCycleIsWarnedAndStillAnswered() async throws {
        let breaker = "{identical: 9, window: 10, action: stop, wide: {calls: 10, distinct: 2, action: warn}}"
        try await GatewayHarness.run(policy: Self.guarded(cap: "10", breaker: breaker)) { harness in
            let session = "wide-\(UUID().uuidString.prefix(8))"
            // Ten replies alternating two reads, no edit: a cycle, though no call repeats 9 times.
            var messages = [#"{"role":"user","content":"Find the bug."}"#]
            for index in 0..<10 {
                let input = index % 2 == 0 ? #"{"command":"ls src"}"# : #"{"command":"cat src/a.swift"}"#
                messages.append(
                    #"{"role":"assistant","content":[{"type":"tool_use","id":"w\#(index)","name":"Bash","input":\#(input)}]}"#)
                messages.append(#"{"role":"user","content":[{"type":"tool_result","tool_use_id":"w\#(index)","content":"ok"}]}"#)
            }
            let body = #"{"model":"claude-sonnet-5-5","max_tokens":32000,"tools":[{"name":"Bash","input_schema":{"type":"object"}}],"messages":[\#(messages.joined(separator: ","))]}"#
            let sent = harness.upstream.requests.count
            let reply = try await harness.post("/v1/messages", body: body, headers: [("x-sluice-session", session)])
            #expect(reply.status == 200)
            #expect(reply.headers.first(name: "x-sluice-guard") == "loop-warn:wide")
            #expect(harness.upstream.requests.count == sent + 1, "a warned turn still goes upstream")
            let turns = try await harness.waitForTurns(session, count: 1)
            #expect(turns.first?.status == .ok && turns.first?.guardNote == "loop-warn:wide")
        }
    }

    @Test func aTokenCountOfALoopingConversationIsForwarded() async throws {
        try await GatewayHarness.run(policy: Self.guarded(cap: "10")) { harness in
            let session = "count-\(UUID().uuidString.prefix(8))"
            let sent = harness.upstream.requests.count
            let counted = try await harness.post(
                "/v1/messages/count_tokens", body: Self.loopingTurn(session, repeats: 6, stream: false),
                headers: [("x-sluice-session", session)])
            #expect(counted.status == 200)
            #expect(counted.headers.first(name: "x-sluice-guard") == nil)
            #expect(harness.upstream.requests.count == sent + 1, "the count went upstream")
            #expect(!counted.body.contains("Sluice stopped"))
        }
    }

    @Test func anEscalatedLoopGoesToTheBaselineModel() async throws {
        try await GatewayHarness.run(policy: Self.guarded(cap: "10", loop: "escalate")) { harness in
            let session = "escalate-\(UUID().uuidString.prefix(8))"
            // Asked for the local model, which a rule routes to; the loop goes to the frontier.
            let body = Self.loopingTurn(session, repeats: 6, stream: false).replacingOccurrences(
                of: "claude-sonnet-5-5", with: "qwen-local")
            let reply = try await harness.post("/v1/messages", body: body, headers: [("x-sluice-session", session)])
            #expect(reply.status == 200)
            #expect(reply.headers.first(name: "x-sluice-guard") == "loop-escalate:tight")
            #expect(reply.headers.first(name: "x-sluice-model") == "frontier")
        }
    }
}

/// `SLUICE_ADMIN_TOKEN`: outcomes need it once it is set, and a tier header counts only with it.
@Suite struct AdminAccessEndToEndTests {
    static let tiered: @Sendable (Int) -> (text: String, environment: [String: String]) = { port in
        (
            GatewayHarness.policy(upstreamPort: port) + """

            budgets:
              tiers:
                - {name: paid, header: paid}
                - {name: free}
              caps:
                - {name: free-session, per: session, tier: free, cap: 0.000001}
            """,
            ["SLUICE_ADMIN_TOKEN": "admin-secret"]
        )
    }

    @Test func outcomesNeedTheTokenOnceItIsSet() async throws {
        try await GatewayHarness.run(policy: Self.tiered) { harness in
            let body = #"{"outcome":"success"}"#
            let bare = try await harness.post("/v1/sessions/s1/outcome", body: body)
            #expect(bare.status == 403)
            #expect(bare.body.contains("needs the admin token"))
            let wrong = try await harness.post(
                "/v1/sessions/s1/outcome", body: body, headers: [("authorization", "Bearer admin-secreT")])
            #expect(wrong.status == 403)
            let right = try await harness.post(
                "/v1/sessions/s1/outcome", body: body, headers: [("authorization", "Bearer admin-secret")])
            #expect(right.status == 201)
            let header = try await harness.post(
                "/v1/sessions/s1/outcome", body: body, headers: [("x-sluice-admin-token", "admin-secret")])
            #expect(header.status == 201)
        }
    }

    @Test func aTierHeaderCountsOnlyWithTheToken() async throws {
        try await GatewayHarness.run(policy: Self.tiered) { harness in
            let turn = GuardEndToEndTests.userTurn("tier")
            for session in ["agent-says-paid", "proxy-says-paid"] {
                #expect(try await harness.post("/v1/messages", body: turn, headers: [("x-sluice-session", session)]).status == 200)
            }
            // The agent names the paid tier itself: still free, and refused at the free cap.
            let agent = try await harness.post(
                "/v1/messages", body: turn, headers: [("x-sluice-session", "agent-says-paid"), ("x-sluice-tier", "paid")])
            #expect(agent.status == 400)
            #expect(agent.headers.first(name: "x-sluice-guard") == "budget-hard:free-session")
            // A proxy with the token puts the turn on the paid tier, which has no cap here.
            let proxy = try await harness.post(
                "/v1/messages", body: turn,
                headers: [
                    ("x-sluice-session", "proxy-says-paid"), ("x-sluice-tier", "paid"), ("x-sluice-admin-token", "admin-secret"),
                ])
            #expect(proxy.status == 200)
            // The token never reaches the upstream.
            #expect(harness.upstream.requests.allSatisfy { $0.headers["x-sluice-admin-token"] == nil })
        }
    }
}
