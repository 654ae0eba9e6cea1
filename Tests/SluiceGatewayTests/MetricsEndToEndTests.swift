import Foundation
import NIOHTTP1
import SluiceLedger
import SluiceWire
import Testing

/// `/metrics` scraped over loopback from the real server and parsed as Prometheus text, its
/// figures checked against the ledger the same turns wrote.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct MetricsEndToEndTests {
    static let anthropic = #"{"model":"claude-sonnet-5-5","max_tokens":4096,"stream":STREAM,"messages":[{"role":"user","content":"Hello"}]}"#
    static let chat = #"{"model":"gpt-5.5","stream":STREAM,"messages":[{"role":"user","content":"Hello"}]}"#

    @Test func countsTurnsTokensMoneyAndLatencyAsTheLedgerDoes() async throws {
        try await GatewayHarness.run { harness in
            let sessions = ["metrics-a", "metrics-b", "metrics-c", "metrics-d"]
            var sent: [String: Int] = [:]
            for (index, stream) in [false, true, false].enumerated() {
                let body = Self.anthropic.replacingOccurrences(of: "STREAM", with: "\(stream)")
                let reply = try await harness.post(
                    "/v1/messages", body: body,
                    headers: [("x-sluice-session", sessions[index % 2]), ("user-agent", "claude-cli/2.1.0 (external, cli)")])
                #expect(reply.status == 200)
                sent[sessions[index % 2], default: 0] += 1
            }
            let chat = try await harness.post(
                "/v1/chat/completions", body: Self.chat.replacingOccurrences(of: "STREAM", with: "true"),
                headers: [("x-sluice-session", sessions[2]), ("user-agent", "OpenAI/Python 2.8.1")])
            #expect(chat.status == 200)
            sent[sessions[2]] = 1
            // A 429 the fallback absorbs.
            let busy = try await harness.post(
                "/v1/messages", body: #"{"model":"claude-busy","max_tokens":4096,"messages":[{"role":"user","content":"Hi"}]}"#,
                headers: [("x-sluice-session", sessions[3]), ("x-script", "429-unless-haiku")])
            #expect(busy.status == 200)
            sent[sessions[3]] = 1

            var turns: [TurnRecord] = []
            for (session, count) in sent { turns += try await harness.waitForTurns(session, count: count) }
            #expect(turns.count == 5)

            let scrape = try await harness.get("/metrics")
            #expect(scrape.status == 200)
            #expect(scrape.headers.first(name: "content-type")?.hasPrefix("text/plain") == true)
            let metrics = try PrometheusText(scrape.body)

            // Every turn once, by bounded labels.
            #expect(metrics.sum("sluice_requests_total") == 5)
            #expect(metrics.sum("sluice_requests_total", ["dialect": "anthropic", "client": "claude-code"]) == 3)
            #expect(metrics.sum("sluice_requests_total", ["dialect": "openai-chat", "client": "openai-python"]) == 1)
            #expect(metrics.sum("sluice_requests_total", ["status": "ok", "rule": "busy", "model": "cheap"]) == 1)
            #expect(metrics.sum("sluice_fallbacks_total", ["model": "cheap"]) == 1)
            let labelNames = Set(metrics.samples.flatMap(\.labels.keys))
            #expect(labelNames.isDisjoint(with: ["session", "user", "tag", "key"]))
            let values = Set(metrics.samples.flatMap(\.labels.values))
            #expect(values.isDisjoint(with: sessions))

            // Tokens and money agree with the ledger.
            #expect(metrics.sum("sluice_tokens_total", ["kind": "uncached_input"]) == Double(turns.reduce(0) { $0 + $1.usage.uncachedInput }))
            #expect(metrics.sum("sluice_tokens_total", ["kind": "cache_read"]) == Double(turns.reduce(0) { $0 + $1.usage.cacheRead }))
            #expect(metrics.sum("sluice_tokens_total", ["kind": "output"]) == Double(turns.reduce(0) { $0 + $1.usage.output }))
            let cost = Double(turns.reduce(0) { $0 + $1.cost.nanos }) / 1e9
            let baseline = Double(turns.reduce(0) { $0 + $1.baselineCost.nanos }) / 1e9
            #expect(cost > 0)
            #expect(abs(metrics.sum("sluice_cost_usd_total") - cost) < 1e-9)
            #expect(abs(metrics.sum("sluice_baseline_cost_usd_total") - baseline) < 1e-9)
            #expect(
                abs(metrics.sum("sluice_savings_usd", ["against": "baseline"]) - (baseline - cost)) < 1e-9)
            #expect(metrics.values("sluice_requested_cost_usd_total").isEmpty == false)

            // Histograms: one observation per forwarded turn, with their buckets.
            #expect(metrics.types["sluice_overhead_seconds"] == "histogram")
            #expect(metrics.sum("sluice_overhead_seconds_count") == 5)
            #expect(metrics.sum("sluice_upstream_first_byte_seconds_count") == 5)
            #expect(metrics.sum("sluice_upstream_duration_seconds_count") == 5)
            #expect(metrics.sum("sluice_overhead_seconds_bucket", ["le": "+Inf"]) == 5)

            // The ledger's gauges, read at the scrape: everything written, nothing spooled.
            #expect(metrics.values("sluice_ledger_queue_depth").first?.value == 0)
            #expect(metrics.values("sluice_ledger_spool_bytes").first?.value == 0)
            #expect(metrics.values("sluice_active_streams").first?.value == 0)
        }
    }

    @Test func needsTheAdminTokenWhenOneIsSet() async throws {
        try await GatewayHarness.run(policy: {
            (GatewayHarness.policy(upstreamPort: $0), ["SLUICE_ADMIN_TOKEN": "s3cret"])
        }) { harness in
            let refused = try await harness.get("/metrics")
            #expect(refused.status == 403)
            #expect(refused.body.contains("admin token"))
            let wrong = try await harness.get("/metrics", headers: [("authorization", "Bearer nope")])
            #expect(wrong.status == 403)
            let allowed = try await harness.get("/metrics", headers: [("authorization", "Bearer s3cret")])
            #expect(allowed.status == 200)
            _ = try PrometheusText(allowed.body)
        }
    }
}
