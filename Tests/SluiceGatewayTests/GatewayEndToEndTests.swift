import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SluiceLedger
import SluiceWire
import Testing

/// The real server over loopback, in front of a scripted upstream, with a real SQLite ledger.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct GatewayEndToEndTests {
    static let anthropicBody = #"{"model":"claude-sonnet-5-5","max_tokens":4096,"stream":STREAM,"tools":[{"name":"Read","input_schema":{}}],"messages":[{"role":"user","content":"Hello"}]}"#
    static let chatBody = #"{"model":"gpt-5.5","stream":STREAM,"messages":[{"role":"user","content":"Hello"}]}"#
    static let responsesBody = #"{"model":"gpt-5.5","stream":STREAM,"input":[{"type":"message","role":"user","content":[{"type":"input_text","text":"Hello"}]}]}"#

    static func body(_ template: String, stream: Bool) -> String {
        template.replacingOccurrences(of: "STREAM", with: stream ? "true" : "false")
    }

    @Test(arguments: [false, true])
    func relaysAnthropicAndRecordsExactCost(stream: Bool) async throws {
        try await GatewayHarness.run { harness in
            let session = "e2e-anthropic-\(stream)"
            let sent = Self.body(Self.anthropicBody, stream: stream)
            let reply = try await harness.post("/v1/messages?beta=true", body: sent, headers: [("x-sluice-session", session)])
            #expect(reply.status == 200)
            #expect(reply.body == (stream ? Canned.anthropic.streamText : Canned.anthropic.json))
            #expect(reply.headers.first(name: "x-sluice-model") == "frontier")
            #expect(reply.headers.first(name: "x-sluice-rule") == "default-anthropic")
            #expect(reply.headers.first(name: "x-sluice-session") == session)
            #expect(reply.headers.first(name: "request-id") == "req_123")

            let forwarded = try #require(harness.upstream.requests.last)
            #expect(forwarded.path == "/v1/messages")
            #expect(forwarded.body == sent.replacingOccurrences(of: "claude-sonnet-5-5", with: "claude-opus-5-5"))
            #expect(forwarded.headers["x-api-key"] == "sk-test-client")
            #expect(forwarded.headers["x-sluice-session"] == nil)

            let turns = try await harness.waitForTurns(session, count: 1)
            let turn = try #require(turns.first)
            #expect(turn.status == .ok)
            #expect(turn.usage == Usage(uncachedInput: 100, cacheRead: 2000, cacheWrite5m: 300, output: 50))
            // 100×4 + 2000×0.20 + 300×5.00 + 50×20 = 400 + 400 + 1500 + 1000 = 3300 µ$ = 3_300_000 n$
            #expect(turn.cost == USD(nanos: 3_300_000))
            #expect(turn.baselineCost == turn.cost)
            #expect(turn.model == "frontier")
            #expect(turn.modelID == "claude-opus-5-5")
            #expect(turn.requestedModel == "claude-sonnet-5-5")
            #expect(turn.stream == stream)
            #expect(!turn.estimated)
        }
    }

    @Test func sendsTheUpstreamsOwnKeyInsteadOfTheClients() async throws {
        try await GatewayHarness.run { harness in
            let body = #"{"model":"claude-keyed","max_tokens":4096,"messages":[{"role":"user","content":"Hi"}]}"#
            let reply = try await harness.post(
                "/v1/messages", body: body, headers: [("authorization", "Bearer sk-client-oauth")])
            #expect(reply.status == 200)
            let forwarded = try #require(harness.upstream.requests.last)
            #expect(forwarded.headers["x-api-key"] == "sk-upstream-own")
            #expect(forwarded.headers["authorization"] == nil)
        }
    }

    @Test func refusesATurnWhoseUpstreamKeyIsNotSetRatherThanSendTheClientsKey() async throws {
        try await GatewayHarness.run { harness in
            let body = #"{"model":"claude-unkeyed","max_tokens":4096,"messages":[{"role":"user","content":"Hi"}]}"#
            let reply = try await harness.post("/v1/messages", body: body, headers: [("x-sluice-session", "e2e-unkeyed")])
            #expect(reply.status == 500)
            #expect(reply.body.contains("SLUICE_TEST_UNSET_KEY"))
            #expect(harness.upstream.requests.isEmpty)
            let turn = try #require(try await harness.waitForTurns("e2e-unkeyed", count: 1).first)
            #expect(turn.status == .misconfigured)
        }
    }

    @Test func keepsTheClientsKeyFromAnUpstreamWithAuthNone() async throws {
        try await GatewayHarness.run { harness in
            let body = #"{"model":"local-please","max_tokens":4096,"messages":[{"role":"user","content":"Hi"}]}"#
            let reply = try await harness.post("/v1/messages", body: body, headers: [("authorization", "Bearer sk-secret")])
            #expect(reply.status == 200)
            let forwarded = try #require(harness.upstream.requests.last)
            #expect(forwarded.headers["x-api-key"] == nil)
            #expect(forwarded.headers["authorization"] == nil)
            #expect(forwarded.body.contains(#""model":"qwen-local""#))
        }
    }

    @Test func fallsBackWhenTheUpstreamIsUnreachable() async throws {
        try await GatewayHarness.run { harness in
            let body = #"{"model":"claude-flaky","max_tokens":4096,"stream":true,"messages":[{"role":"user","content":"Hi"}]}"#
            let reply = try await harness.post("/v1/messages", body: body, headers: [("x-sluice-session", "e2e-flaky")])
            #expect(reply.status == 200)
            #expect(reply.body == Canned.anthropic.streamText)
            #expect(reply.headers.first(name: "x-sluice-model") == "frontier")
            #expect(reply.headers.first(name: "x-sluice-rule") == "flaky")
            let forwarded = try #require(harness.upstream.requests.last)
            #expect(forwarded.body.contains(#""model":"claude-opus-5-5""#))
            let turn = try #require(try await harness.waitForTurns("e2e-flaky", count: 1).first)
            #expect(turn.status == .ok)
            #expect(turn.model == "frontier")
            #expect(turn.reason.contains("fell back to frontier after upstream_unreachable"))
            #expect(turn.cost == USD(nanos: 3_300_000))
        }
    }

    @Test func fallsBackWhenTheUpstreamIsRateLimited() async throws {
        try await GatewayHarness.run { harness in
            let body = #"{"model":"claude-busy","max_tokens":4096,"messages":[{"role":"user","content":"Hi"}]}"#
            let reply = try await harness.post(
                "/v1/messages", body: body, headers: [("x-sluice-session", "e2e-busy"), ("x-script", "429-unless-haiku")])
            #expect(reply.status == 200)
            #expect(reply.headers.first(name: "x-sluice-model") == "cheap")
            #expect(harness.upstream.requests.map { $0.body.contains("claude-busy") } == [true, false])
            let turn = try #require(try await harness.waitForTurns("e2e-busy", count: 1).first)
            #expect(turn.model == "cheap")
        }
    }

    @Test func aSessionStaysOnTheModelThatStartedItsToolLoop() async throws {
        try await GatewayHarness.run { harness in
            let first = #"{"model":"claude-opus-5-5","max_tokens":4096,"messages":[{"role":"user","content":"find it"}]}"#
            let followup = #"{"model":"claude-opus-5-5","max_tokens":4096,"messages":[{"role":"user","content":"find it"},{"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"Grep","input":{"pattern":"x"}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"a.swift:1"}]}]}"#
            let one = try await harness.post("/v1/messages", body: first, headers: [("x-sluice-session", "e2e-sticky")])
            #expect(one.headers.first(name: "x-sluice-model") == "frontier")
            _ = try await harness.waitForTurns("e2e-sticky", count: 1)
            let two = try await harness.post("/v1/messages", body: followup, headers: [("x-sluice-session", "e2e-sticky")])
            // The rule named is the one behind the model that answered: stickiness, not grep-shaped.
            #expect(two.headers.first(name: "x-sluice-rule") == "stickiness")
            #expect(two.headers.first(name: "x-sluice-model") == "frontier")
            // A new session with the same turn goes where the rule says.
            let fresh = try await harness.post("/v1/messages", body: followup, headers: [("x-sluice-session", "e2e-fresh")])
            #expect(fresh.headers.first(name: "x-sluice-model") == "cheap")
            let turns = try await harness.waitForTurns("e2e-sticky", count: 2)
            #expect(turns.last?.reason.hasPrefix("stayed on frontier inside the tool loop") == true)
        }
    }

    @Test func routesSideCallsToTheCheapModelAndCountsTheSaving() async throws {
        try await GatewayHarness.run { harness in
            let session = "e2e-side"
            let body = #"{"model":"claude-haiku-5-5","max_tokens":512,"messages":[{"role":"user","content":"Title?"}]}"#
            let reply = try await harness.post("/v1/messages", body: body, headers: [("x-sluice-session", session)])
            #expect(reply.status == 200)
            #expect(reply.headers.first(name: "x-sluice-rule") == "side-calls")
            let turn = try #require(try await harness.waitForTurns(session, count: 1).first)
            #expect(turn.model == "cheap")
            #expect(turn.isSideCall)
            // cheap: 100×0.10 + 2000×0.01 + 300×0.125 + 50×0.50 = 10 + 20 + 37.5 + 25 = 92.5 µ$
            #expect(turn.cost == USD(nanos: 92_500))
            // frontier, cold and below its minimum cacheable prefix: 2400×4 + 50×20 = 10,600 µ$.
            #expect(turn.baselineCost == USD(nanos: 10_600_000))
            #expect(turn.baseline.coverage == .simulated)
            #expect(turn.savings == USD(nanos: 10_507_500))
            // The client asked for Haiku itself: the router earned nothing on this turn.
            #expect(turn.requested == Counterfactual(cost: turn.cost, coverage: .exact))
            #expect(turn.routingSavings == .zero)
        }
    }

    @Test(arguments: [false, true])
    func relaysOpenAIChatAndAsksForStreamUsage(stream: Bool) async throws {
        try await GatewayHarness.run { harness in
            let session = "e2e-chat-\(stream)"
            let sent = Self.body(Self.chatBody, stream: stream)
            let reply = try await harness.post(
                "/v1/chat/completions", body: sent, headers: [("x-sluice-session", session)])
            #expect(reply.status == 200)
            // The usage chunk Sluice asked for on the client's behalf is not passed on.
            let withoutUsage = Canned.chat.events.filter { !$0.contains(#""choices":[],"usage""#) }.joined()
            #expect(reply.body == (stream ? withoutUsage : Canned.chat.json))
            let forwarded = try #require(harness.upstream.requests.last)
            #expect(forwarded.path == "/v1/chat/completions")
            let expected = sent.replacingOccurrences(of: "gpt-5.5", with: "gpt-5.6-sol")
            #expect(
                forwarded.body
                    == (stream ? expected.replacingOccurrences(of: "{", with: #"{"stream_options":{"include_usage":true},"#, options: [], range: expected.startIndex..<expected.index(after: expected.startIndex)) : expected))
            let turn = try #require(try await harness.waitForTurns(session, count: 1).first)
            #expect(turn.usage == Usage(uncachedInput: 400, cacheRead: 600, output: 40, reasoning: 10))
            // 400×4 + 600×0.40 + 40×20 = 1600 + 240 + 800 = 2640 µ$
            #expect(turn.cost == USD(nanos: 2_640_000))
        }
    }

    @Test func passesTheUsageChunkToAClientThatAskedForIt() async throws {
        try await GatewayHarness.run { harness in
            let body = #"{"model":"gpt-5.5","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Hello"}]}"#
            let reply = try await harness.post("/v1/chat/completions", body: body, headers: [("x-sluice-session", "e2e-usage")])
            #expect(reply.body == Canned.chat.streamText)
            #expect(harness.upstream.requests.last?.body == body.replacingOccurrences(of: "gpt-5.5", with: "gpt-5.6-sol"))
        }
    }

    @Test(arguments: [false, true])
    func relaysOpenAIResponses(stream: Bool) async throws {
        try await GatewayHarness.run { harness in
            let session = "e2e-responses-\(stream)"
            let reply = try await harness.post(
                "/v1/responses", body: Self.body(Self.responsesBody, stream: stream),
                headers: [("x-sluice-session", session)])
            #expect(reply.status == 200)
            #expect(reply.body == (stream ? Canned.responses.streamText : Canned.responses.json))
            let turn = try #require(try await harness.waitForTurns(session, count: 1).first)
            #expect(turn.usage == Usage(uncachedInput: 1000, cacheRead: 4000, output: 70, reasoning: 30))
            // 1000×4 + 4000×0.40 + 70×20 = 4000 + 1600 + 1400 = 7000 µ$
            #expect(turn.cost == USD(nanos: 7_000_000))
        }
    }

    struct BadInput: Sendable, CustomTestStringConvertible {
        var name: String
        var path: String
        var body: String
        var status: Int
        var fragment: String
        var testDescription: String { name }
    }

    @Test(arguments: [
        BadInput(name: "malformed", path: "/v1/messages", body: "{not json", status: 400, fragment: "not valid JSON"),
        BadInput(
            name: "truncated", path: "/v1/chat/completions", body: #"{"model":"gpt-5.5","messages":[{"role":"us"#,
            status: 400, fragment: "truncated"),
        BadInput(name: "no model", path: "/v1/responses", body: #"{"input":"hi"}"#, status: 400, fragment: "no `model`"),
        BadInput(
            name: "oversized", path: "/v1/messages",
            body: #"{"model":"m","messages":[{"role":"user","content":""# + String(repeating: "x", count: 2_000_000) + #""}]}"#,
            status: 413, fragment: "larger than"),
    ])
    func refusesBadInputInTheClientsDialectAndRecordsIt(_ input: BadInput) async throws {
        try await GatewayHarness.run { harness in
            let session = "e2e-bad-\(input.name)"
            let reply = try await harness.post(input.path, body: input.body, headers: [("x-sluice-session", session)])
            #expect(reply.status == input.status)
            #expect(reply.body.contains(input.fragment), "\(reply.body)")
            if input.path == "/v1/messages" {
                #expect(reply.body.hasPrefix(#"{"type":"error","error":{"type":""#))
            } else {
                #expect(reply.body.hasPrefix(#"{"error":{"message":"#))
            }
            let turn = try #require(try await harness.waitForTurns(session, count: 1).first)
            #expect(turn.status == .invalidRequest)
            #expect(turn.httpStatus == input.status)
            #expect(harness.upstream.requests.isEmpty)
        }
    }

    @Test func answersUnknownPathsWithADialectShaped404() async throws {
        try await GatewayHarness.run { harness in
            let anthropic = try await harness.post("/v1/messages/batches", body: "{}")
            #expect(anthropic.status == 404)
            #expect(anthropic.body.contains(#""type":"not_found_error""#))
            let openai = try await harness.post("/v1/embeddings", body: "{}")
            #expect(openai.status == 404)
            #expect(openai.body.hasPrefix(#"{"error":{"message":"Sluice has no endpoint POST /v1/embeddings"#))
        }
    }

    struct UpstreamFailure: Sendable, CustomTestStringConvertible {
        var name: String
        var model: String
        var script: String
        var status: Int
        var recorded: TurnStatus
        var testDescription: String { name }
    }

    @Test(arguments: [
        UpstreamFailure(name: "refused", model: "claude-gone", script: "ok", status: 502, recorded: .upstreamUnreachable),
        UpstreamFailure(name: "timeout", model: "claude-x", script: "hang", status: 504, recorded: .upstreamTimeout),
        UpstreamFailure(name: "reset", model: "claude-x", script: "reset", status: 502, recorded: .upstreamUnreachable),
        UpstreamFailure(name: "429", model: "claude-x", script: "status-429", status: 429, recorded: .rateLimited),
    ])
    func reportsUpstreamFailuresBeforeTheFirstByte(_ failure: UpstreamFailure) async throws {
        try await GatewayHarness.run { harness in
            let session = "e2e-fail-\(failure.name)"
            let body = #"{"model":"\#(failure.model)","max_tokens":4096,"stream":true,"messages":[{"role":"user","content":"Hi"}]}"#
            let reply = try await harness.post(
                "/v1/messages", body: body, headers: [("x-sluice-session", session), ("x-script", failure.script)])
            #expect(reply.status == failure.status)
            #expect(reply.body.hasPrefix(#"{"type":"error","error":{"type":""#), "\(reply.body)")
            if failure.name == "429" { #expect(reply.headers.first(name: "retry-after") == "7") }
            let turn = try #require(try await harness.waitForTurns(session, count: 1).first)
            #expect(turn.status == failure.recorded)
            #expect(turn.httpStatus == failure.status)
            #expect(turn.cost == .zero)
        }
    }

    @Test(arguments: [
        ("/v1/messages", anthropicBody, "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\""),
        ("/v1/chat/completions", chatBody, "data: {\"error\":{\"message\":"),
        ("/v1/responses", responsesBody, "event: response.failed\ndata: {\"type\":\"response.failed\""),
    ])
    func endsAStreamThatDiesMidwayWithAnErrorEvent(path: String, template: String, errorPrefix: String) async throws {
        try await GatewayHarness.run { harness in
            let session = "e2e-midstream-\(path)"
            let reply = try await harness.post(
                path, body: Self.body(template, stream: true),
                headers: [("x-sluice-session", session), ("x-script", "die-midstream")])
            #expect(reply.status == 200)
            // A blank line first ends the event the upstream cut, so the error event stands whole.
            let errorStart = try #require(reply.body.range(of: "\n\n" + errorPrefix), "no error event in \(reply.body)")
            #expect(reply.body[errorStart.upperBound...].contains("failed in the middle") || reply.body.contains("ended the stream"))
            let turn = try #require(try await harness.waitForTurns(session, count: 1).first)
            #expect(turn.status == .streamInterrupted)
        }
    }

    @Test func aClientThatDisconnectsMidStreamCancelsTheUpstreamRequest() async throws {
        try await GatewayHarness.run { harness in
            let session = "e2e-disconnect"
            var request = HTTPClientRequest(url: harness.gatewayURL + "/v1/messages")
            request.method = .POST
            request.headers.add(name: "x-sluice-session", value: session)
            request.headers.add(name: "x-script", value: "slow-stream")
            request.body = .bytes(ByteBuffer(string: Self.body(Self.anthropicBody, stream: true)))
            let response = try await harness.client.execute(request, timeout: .seconds(10))
            var iterator = response.body.makeAsyncIterator()
            let first = try await iterator.next()
            #expect(first.map { String(buffer: $0) }?.hasPrefix("event: message_start") == true)
            // Drop the response mid-stream: AsyncHTTPClient closes the connection. The upstream
            // is silent for 30 s after its first event, so only the gateway's watch can notice.
            _ = consume iterator
            _ = consume response
            let started = ContinuousClock.now
            let turn = try #require(try await harness.waitForTurns(session, count: 1).first)
            #expect(turn.status == .clientCancelled)
            #expect(turn.estimated)
            for _ in 0..<100 where harness.upstream.cancelledStreamCount == 0 {
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(harness.upstream.cancelledStreamCount == 1)
            #expect(ContinuousClock.now - started < .seconds(5))
        }
    }

    @Test func aClientThatLeavesBeforeTheFirstByteCancelsTheUpstreamRequest() async throws {
        try await GatewayHarness.run { harness in
            let session = "e2e-leave-early"
            var request = HTTPClientRequest(url: harness.gatewayURL + "/v1/messages")
            request.method = .POST
            request.headers.add(name: "x-sluice-session", value: session)
            request.headers.add(name: "x-script", value: "hang")
            request.body = .bytes(ByteBuffer(string: Self.body(Self.anthropicBody, stream: false)))
            // The client gives up after 300 ms, well before the gateway's 1 s first-byte timeout.
            await #expect(throws: (any Error).self) {
                _ = try await harness.client.execute(request, timeout: .milliseconds(300))
            }
            let turn = try #require(try await harness.waitForTurns(session, count: 1).first)
            #expect(turn.status == .clientCancelled)
            for _ in 0..<60 where harness.upstream.cancelledStreamCount == 0 {
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(harness.upstream.cancelledStreamCount == 1)
        }
    }

    @Test func servesHousekeepingEndpoints() async throws {
        try await GatewayHarness.run { harness in
            let health = try await harness.client.get(url: harness.gatewayURL + "/healthz").get()
            #expect(health.status == .ok)
            let models = try await harness.client.get(url: harness.gatewayURL + "/v1/models").get()
            #expect(models.status == .ok)
            #expect(models.body.map { String(buffer: $0) }?.contains(#""id":"claude-opus-5-5""#) == true)
            var head = HTTPClientRequest(url: harness.gatewayURL + "/")
            head.method = .HEAD
            #expect(try await harness.client.execute(head, timeout: .seconds(5)).status == .ok)
        }
    }
}
