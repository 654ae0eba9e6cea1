import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SluiceGateway
import SluiceLedger
import SluiceWire
import Testing

/// Every way a turn can end, through the real server: one outcome, the right status, one record.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct TurnOutcomeEndToEndTests {
    static let anthropic = #"{"model":"claude-sonnet-5-5","max_tokens":4096,"stream":STREAM,"messages":[{"role":"user","content":"Hello"}]}"#
    static let chat = #"{"model":"gpt-5.5","stream":STREAM,"messages":[{"role":"user","content":"Hello"}]}"#
    static let responses = #"{"model":"gpt-5.5","stream":STREAM,"input":[{"type":"message","role":"user","content":[{"type":"input_text","text":"Hello"}]}]}"#

    static func body(_ template: String, stream: Bool) -> String {
        template.replacingOccurrences(of: "STREAM", with: stream ? "true" : "false")
    }

    @Test(arguments: ["9223372036854775807", "9223372036854775806", "-9223372036854775808", "1e400"])
    func survivesAMaxTokensNearTheIntegerLimitAndServesTheNextRequest(_ maxTokens: String) async throws {
        try await GatewayHarness.run { harness in
            let huge = #"{"model":"claude-busy","max_tokens":\#(maxTokens),"messages":[{"role":"user","content":"Hi"}]}"#
            let reply = try await harness.post("/v1/messages", body: huge, headers: [("x-sluice-session", "e2e-huge")])
            #expect(reply.status == 200)
            let next = try await harness.post(
                "/v1/messages", body: Self.body(Self.anthropic, stream: false), headers: [("x-sluice-session", "e2e-next")])
            #expect(next.status == 200)
            #expect(try await harness.waitForTurns("e2e-next", count: 1).count == 1)
        }
    }

    @Test func relaysACRLFFramedStreamEventByEvent() async throws {
        try await GatewayHarness.run { harness in
            var request = HTTPClientRequest(url: harness.gatewayURL + "/v1/chat/completions")
            request.method = .POST
            request.headers.add(name: "x-sluice-session", value: "e2e-crlf")
            request.headers.add(name: "x-script", value: "crlf-slow")
            request.body = .bytes(ByteBuffer(string: Self.body(Self.chat, stream: true)))
            let response = try await harness.client.execute(request, timeout: .seconds(10))
            var received = ""
            var firstEventAt: ContinuousClock.Instant?
            for try await chunk in response.body {
                received += String(buffer: chunk)
                if firstEventAt == nil && received.contains("\r\n\r\n") { firstEventAt = .now }
            }
            // The first event reached the client before the upstream sent its last ones.
            let first = try #require(firstEventAt)
            let last = try #require(harness.upstream.lastEventsSentAt)
            #expect(first < last)
            // The client did not ask for usage, so the chunk Sluice asked for is not passed on.
            let expected = Canned.chat.events.filter { !$0.contains(#""choices":[],"usage""#) }.joined()
                .replacingOccurrences(of: "\n", with: "\r\n")
            #expect(received == expected)
            let turn = try #require(try await harness.waitForTurns("e2e-crlf", count: 1).first)
            #expect(turn.status == .ok)
            #expect(turn.usage == Usage(uncachedInput: 400, cacheRead: 600, output: 40, reasoning: 10))
        }
    }

    @Test(arguments: [
        ("/v1/messages", anthropic, "message_stop"), ("/v1/chat/completions", chat, "[DONE]"),
        ("/v1/responses", responses, "response.completed"),
    ])
    func aStreamWhoseEndReachedTheClientIsCompleteEvenIfTheClientLeavesFirst(
        path: String, template: String, terminal: String
    ) async throws {
        try await GatewayHarness.run { harness in
            let session = "e2e-linger-\(terminal)"
            var request = HTTPClientRequest(url: harness.gatewayURL + path)
            request.method = .POST
            request.headers.add(name: "x-sluice-session", value: session)
            request.headers.add(name: "x-script", value: "linger-after-end")
            request.body = .bytes(ByteBuffer(string: Self.body(template, stream: true)))
            let response = try await harness.client.execute(request, timeout: .seconds(10))
            var received = ""
            var iterator = response.body.makeAsyncIterator()
            while let chunk = try await iterator.next() {
                received += String(buffer: chunk)
                if received.contains(terminal) { break }
            }
            #expect(received.contains(terminal))
            // Leave, as the OpenAI SDK does after `[DONE]`, before the upstream's body has ended.
            _ = consume iterator
            _ = consume response
            let turn = try #require(try await harness.waitForTurns(session, count: 1).first)
            #expect(turn.status == .ok)
            #expect(!turn.estimated)
            let usage: Usage =
                switch path {
                case "/v1/messages": Usage(uncachedInput: 100, cacheRead: 2000, cacheWrite5m: 300, output: 50)
                case "/v1/chat/completions": Usage(uncachedInput: 400, cacheRead: 600, output: 40, reasoning: 10)
                default: Usage(uncachedInput: 1000, cacheRead: 4000, output: 70, reasoning: 30)
                }
            #expect(turn.usage == usage)
            for _ in 0..<100 where harness.upstream.closedAfterEndCount == 0 {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(harness.upstream.closedAfterEndCount == 1)
        }
    }

    @Test(arguments: [("status-503", 503, TurnStatus.upstreamError), ("status-400", 400, .upstreamRejected),
                      ("status-429", 429, .rateLimited)])
    func recordsEachKindOfUpstreamRefusalApart(script: String, code: Int, status: TurnStatus) async throws {
        try await GatewayHarness.run { harness in
            let session = "e2e-\(script)"
            let reply = try await harness.post(
                "/v1/chat/completions", body: Self.body(Self.chat, stream: true),
                headers: [("x-sluice-session", session), ("x-script", script)])
            #expect(reply.status == code)
            #expect(reply.body.contains("slow down"))  // the upstream's own error body, relayed
            let turn = try #require(try await harness.waitForTurns(session, count: 1).first)
            #expect(turn.status == status)
            #expect(turn.httpStatus == code)
        }
    }

    @Test func namesTheFailureAFallbackSteppedInFor() async throws {
        try await GatewayHarness.run { harness in
            let body = #"{"model":"claude-busy","max_tokens":4096,"messages":[{"role":"user","content":"Hi"}]}"#
            let reply = try await harness.post(
                "/v1/messages", body: body, headers: [("x-sluice-session", "e2e-fb"), ("x-script", "429-unless-haiku")])
            #expect(reply.status == 200)
            #expect(reply.headers.first(name: "x-sluice-model") == "cheap")
            #expect(reply.headers.first(name: "x-sluice-fallback") == "rate_limited")
            let turn = try #require(try await harness.waitForTurns("e2e-fb", count: 1).first)
            #expect(turn.fallback == "rate_limited")
            #expect(turn.reason.hasSuffix("fell back to cheap after rate_limited"))
            #expect(turn.requestBytes == body.utf8.count)
            #expect(turn.responseBytes == Canned.anthropic.json.utf8.count)
        }
    }

    /// One scenario of ``recordsEveryTurnExactlyOnce()``: what to send, and how many ledger rows
    /// it must leave.
    struct Scenario: Sendable {
        var name: String
        var path: String = "/v1/messages"
        var body: String
        var headers: [(String, String)] = []
        var rows = 1
        /// Leaves before the answer ends (`early`: before the first byte; `midway`: after it).
        var leave: Leave = .never

        enum Leave: Sendable { case never, early, midway }
    }

    static let scenarios: [Scenario] = [
        Scenario(name: "ok", body: body(anthropic, stream: false)),
        Scenario(name: "ok-stream", body: body(anthropic, stream: true)),
        Scenario(name: "malformed", body: "{not json"),
        Scenario(name: "truncated", path: "/v1/chat/completions", body: #"{"model":"gpt-5.5","messages":[{"role":"us"#),
        Scenario(name: "no-model", path: "/v1/responses", body: #"{"input":"hi"}"#),
        Scenario(
            name: "oversized",
            body: #"{"model":"m","messages":[{"role":"user","content":""# + String(repeating: "x", count: 2_000_000) + #""}]}"#),
        Scenario(name: "refused", body: body(anthropic, stream: true).replacingOccurrences(of: "claude-sonnet-5-5", with: "claude-gone")),
        Scenario(name: "timeout", body: body(anthropic, stream: true), headers: [("x-script", "hang")]),
        Scenario(name: "reset", body: body(anthropic, stream: false), headers: [("x-script", "reset")]),
        Scenario(name: "429", body: body(anthropic, stream: true), headers: [("x-script", "status-429")]),
        Scenario(name: "503", path: "/v1/chat/completions", body: body(chat, stream: false), headers: [("x-script", "status-503")]),
        Scenario(name: "400", path: "/v1/responses", body: body(responses, stream: true), headers: [("x-script", "status-400")]),
        Scenario(name: "midstream-anthropic", body: body(anthropic, stream: true), headers: [("x-script", "die-midstream")]),
        Scenario(
            name: "midstream-chat", path: "/v1/chat/completions", body: body(chat, stream: true),
            headers: [("x-script", "die-midstream")]),
        Scenario(
            name: "midstream-responses", path: "/v1/responses", body: body(responses, stream: true),
            headers: [("x-script", "die-midstream")]),
        Scenario(name: "leave-midstream", body: body(anthropic, stream: true), headers: [("x-script", "slow-stream")], leave: .midway),
        Scenario(name: "leave-early", body: body(anthropic, stream: false), headers: [("x-script", "hang")], leave: .early),
        Scenario(name: "leave-after-end", path: "/v1/chat/completions", body: body(chat, stream: true),
                 headers: [("x-script", "linger-after-end")], leave: .midway),
        Scenario(name: "crlf", path: "/v1/chat/completions", body: body(chat, stream: true), headers: [("x-script", "crlf-slow")]),
        Scenario(
            name: "missing-key",
            body: #"{"model":"claude-unkeyed","max_tokens":4096,"messages":[{"role":"user","content":"Hi"}]}"#),
        Scenario(
            name: "fell-back", body: #"{"model":"claude-flaky","max_tokens":4096,"stream":true,"messages":[{"role":"user","content":"Hi"}]}"#),
        Scenario(
            name: "fell-back-429", body: #"{"model":"claude-busy","max_tokens":4096,"messages":[{"role":"user","content":"Hi"}]}"#,
            headers: [("x-script", "429-unless-haiku")]),
        Scenario(
            name: "huge-max-tokens",
            body: #"{"model":"claude-x","max_tokens":9223372036854775807,"messages":[{"role":"user","content":"Hi"}]}"#),
        Scenario(name: "count-tokens", path: "/v1/messages/count_tokens", body: body(anthropic, stream: false), rows: 0),
    ]

    @Test func recordsEveryTurnExactlyOnce() async throws {
        try await GatewayHarness.run { harness in
            for scenario in Self.scenarios {
                try await Self.send(scenario, to: harness)
            }
            // Records arrive after the last byte (or, for a relay that never ran, a moment later):
            // wait for every expected one, then a little longer for any duplicate.
            for scenario in Self.scenarios where scenario.rows > 0 {
                _ = try await harness.waitForTurns("once-\(scenario.name)", count: scenario.rows)
            }
            try await Task.sleep(for: .milliseconds(500))
            var rows = 0
            for scenario in Self.scenarios {
                let turns = try await harness.turns("once-\(scenario.name)")
                #expect(turns.count == scenario.rows, "\(scenario.name): \(turns.map(\.status))")
                rows += turns.count
            }
            // Two records of one turn would share an id and be stored once: count what was handed over.
            #expect(harness.recorder.recordedTurns == rows)
            #expect(rows == Self.scenarios.filter { $0.rows > 0 }.count)
        }
    }

    static func send(_ scenario: Scenario, to harness: GatewayHarness) async throws {
        let headers = [("x-sluice-session", "once-\(scenario.name)")] + scenario.headers
        switch scenario.leave {
        case .never:
            _ = try await harness.post(scenario.path, body: scenario.body, headers: headers)
        case .early:
            var request = HTTPClientRequest(url: harness.gatewayURL + scenario.path)
            request.method = .POST
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            request.body = .bytes(ByteBuffer(string: scenario.body))
            _ = try? await harness.client.execute(request, timeout: .milliseconds(300))
        case .midway:
            var request = HTTPClientRequest(url: harness.gatewayURL + scenario.path)
            request.method = .POST
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            request.body = .bytes(ByteBuffer(string: scenario.body))
            let response = try await harness.client.execute(request, timeout: .seconds(10))
            var iterator = response.body.makeAsyncIterator()
            _ = try await iterator.next()
            _ = consume iterator
            _ = consume response
        }
    }
}
