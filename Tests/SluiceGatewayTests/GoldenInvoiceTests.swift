import Foundation
import NIOHTTP1
import SluiceLedger
import SluiceStore
import Synchronization
import Testing

/// Golden invoices: whole sessions through the real server against a scripted upstream whose
/// usage is fixed, read back with `sluice report --session KEY --format json`, and compared with
/// invoices computed by hand, exact to the nanodollar: the actual cost and both counterfactuals.
///
/// Every line item is tokens × dollars per million × 1,000 nanodollars. The gateway's clock is
/// the test's, so an hour can pass between two turns.
@Suite struct GoldenInvoiceTests {
    /// 2026-11-30 16:00 UTC, after every price used here took effect.
    static let start: Int64 = 1_796_054_400_000

    static func policy(upstreamPort: Int) -> (text: String, environment: [String: String]) {
        let text = """
            version: 1
            prices: prices.yaml
            upstreams:
              anthropic: {dialect: anthropic, base_url: "http://127.0.0.1:\(upstreamPort)"}
              openai: {dialect: openai, base_url: "http://127.0.0.1:\(upstreamPort)/v1"}
            models:
              sonnet: {upstream: anthropic, id: claude-sonnet-4-5, context_window: 1000000,
                       price: {input: 3, output: 15, cache_read: 0.30, cache_write_5m: 3.75, cache_write_1h: 6,
                               above: {tokens: 200000, input: 6, output: 22.50, cache_read: 0.60, cache_write_5m: 7.50,
                                       cache_write_1h: 12}}}
              haiku: {upstream: anthropic, id: claude-haiku-4-5, context_window: 200000,
                      price: {input: 1, output: 5, cache_read: 0.10, cache_write_5m: 1.25, cache_write_1h: 2}}
              gpt: {upstream: openai, id: gpt-5.5, context_window: 1050000, price: {input: 5, output: 30, cache_read: 0.50}}
              mini: {upstream: openai, id: gpt-5.4-mini, context_window: 272000,
                     price: {input: 0.75, output: 4.50, cache_read: 0.075}}
            baseline: {anthropic: sonnet, openai-chat: gpt, openai-responses: gpt}
            rules:
              - {name: side-calls, when: {client: anthropic, shape: side_call}, route: haiku}
              - {name: grep-anthropic, when: {client: anthropic, shape: tool_followup, last_tool_categories: [search, read]},
                 route: haiku}
              - {name: grep-openai, when: {client: [openai-chat, openai-responses], shape: tool_followup,
                 last_tool_categories: [search]}, route: mini}
              - {name: default-anthropic, when: {client: anthropic}, route: sonnet}
              - {name: default-openai, when: {client: [openai-chat, openai-responses]}, route: gpt}
            """
        return (text, [:])
    }

    /// One turn of an invoice: what is sent, when, with which usage, and the three prices by hand.
    struct Line {
        var at: Int64
        var path: String
        var body: String
        var headers: [(String, String)] = []
        var usage: String
        var model: String
        var actual: Int64
        var requested: Int64
        var requestedCoverage: String
        var baseline: Int64
        var baselineCoverage: String
    }

    /// Runs the lines through the gateway in order, at their times, and checks the report.
    static func run(session: String, _ lines: [Line]) async throws {
        let clock = Mutex<Int64>(start)
        try await GatewayHarness.run(clock: { clock.withLock { $0 } }, policy: Self.policy) { harness in
            for (index, line) in lines.enumerated() {
                clock.withLock { $0 = start + line.at * 1_000 }
                let reply = try await harness.post(
                    line.path, body: line.body,
                    headers: [("x-sluice-session", session), ("x-script", "usage"), ("x-usage", line.usage)] + line.headers)
                #expect(reply.status == 200, "turn \(index + 1): \(reply.body)")
                #expect(reply.headers.first(name: "x-sluice-model") == line.model, "turn \(index + 1)")
                _ = try await harness.waitForTurns(session, count: index + 1)
            }
            await harness.ledger.flush()
            let report = try Self.report(ledger: harness.ledgerPath, session: session)
            let turns = report.components(separatedBy: #"{"index":"#).dropFirst()
            #expect(turns.count == lines.count)
            for (number, (turn, line)) in zip(turns, lines).enumerated() {
                let label = "turn \(number + 1)"
                #expect(Self.field("actual_usd", in: turn) == USD(nanos: line.actual).decimalString, "\(label) actual")
                #expect(Self.field("requested_usd", in: turn) == USD(nanos: line.requested).decimalString, "\(label) requested")
                #expect(Self.field("requested_coverage", in: turn) == "\"\(line.requestedCoverage)\"", "\(label)")
                #expect(Self.field("baseline_usd", in: turn) == USD(nanos: line.baseline).decimalString, "\(label) baseline")
                #expect(Self.field("baseline_coverage", in: turn) == "\"\(line.baselineCoverage)\"", "\(label)")
            }
            let sessionPart = report.components(separatedBy: #""turns":["#)[0]
            let actual = lines.reduce(0) { $0 + $1.actual }
            let requested = lines.reduce(0) { $0 + $1.requested }
            let baseline = lines.reduce(0) { $0 + $1.baseline }
            #expect(Self.field("actual_usd", in: sessionPart) == USD(nanos: actual).decimalString)
            #expect(Self.field("requested_usd", in: sessionPart) == USD(nanos: requested).decimalString)
            #expect(Self.field("baseline_usd", in: sessionPart) == USD(nanos: baseline).decimalString)
            #expect(Self.field("savings_usd", in: sessionPart) == USD(nanos: baseline - actual).decimalString)
            #expect(Self.field("routing_savings_usd", in: sessionPart) == USD(nanos: requested - actual).decimalString)
        }
    }

    /// `sluice report --ledger PATH --session KEY --format json`, run as a user would.
    static func report(ledger: String, session: String) throws -> String {
        // `SLUICE_BIN`, as the SDK suite takes it; the debug build's binary otherwise.
        let binary = ProcessInfo.processInfo.environment["SLUICE_BIN"].map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/sluice")
        let process = Process()
        process.executableURL = binary
        process.arguments = ["report", "--ledger", ledger, "--session", session, "--format", "json"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return String(decoding: data, as: UTF8.self)
    }

    /// The raw JSON text of `key`'s value in `object` (numbers exactly as printed).
    static func field(_ key: String, in object: String) -> String? {
        guard let range = object.range(of: "\"\(key)\":") else { return nil }
        let rest = object[range.upperBound...]
        let end = rest.firstIndex { $0 == "," || $0 == "}" } ?? rest.endIndex
        return String(rest[..<end])
    }

    // MARK: - Claude Code

    static let system = #"[{"type":"text","text":"You are Claude Code.","cache_control":{"type":"ephemeral","ttl":"1h"}}]"#
    static let tools = #"[{"name":"Grep","input_schema":{}},{"name":"Read","input_schema":{}},{"name":"Agent","input_schema":{}}]"#
    static let ask = #"{"role":"user","content":[{"type":"text","text":"Where is the price parsed?","cache_control":{"type":"ephemeral","ttl":"1h"}}]}"#
    static let grep = #"{"role":"assistant","content":[{"type":"thinking","thinking":"search","signature":"s"},{"type":"tool_use","id":"t1","name":"Grep","input":{"pattern":"price"}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"src/price.swift:3","cache_control":{"type":"ephemeral","ttl":"1h"}}]}"#

    static func main(_ messages: String) -> String {
        #"{"model":"claude-opus-4-5-20251101","max_tokens":32000,"thinking":{"type":"enabled","budget_tokens":8000},"system":\#(system),"tools":\#(tools),"messages":[\#(messages)]}"#
    }

    static func usage(input: Int, read: Int = 0, write5m: Int = 0, write1h: Int = 0, output: Int) -> String {
        #"{"input_tokens":\#(input),"cache_read_input_tokens":\#(read),"cache_creation_input_tokens":\#(write5m + write1h),"cache_creation":{"ephemeral_5m_input_tokens":\#(write5m),"ephemeral_1h_input_tokens":\#(write1h)},"output_tokens":\#(output)}"#
    }

    /// Sonnet answers, Haiku takes a side call and grep-shaped turns, a subagent works on its own
    /// prefix with 5-minute marks, and the session returns to Sonnet an hour after Sonnet's own
    /// last use (its real cache expired, though Sonnet-all-along would still be warm) with a prompt
    /// past Sonnet's 200K tier. The client asked for Opus 4.5 throughout (priced by the book).
    @Test func aClaudeCodeSession() async throws {
        let agent = [("x-claude-code-agent-id", "agent-1")]
        let subagentSystem = #"[{"type":"text","text":"You are an Explore agent.","cache_control":{"type":"ephemeral"}}]"#
        let subagentAsk = #"{"role":"user","content":"Explore the pricing module."}"#
        let subagentRead = #"{"role":"assistant","content":[{"type":"tool_use","id":"r1","name":"Read","input":{"file_path":"src/price.swift"}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"r1","content":"struct Price {}","cache_control":{"type":"ephemeral"}}]}"#
        func subagent(_ messages: String) -> String {
            #"{"model":"claude-opus-4-5-20251101","max_tokens":32000,"system":\#(subagentSystem),"tools":\#(Self.tools),"messages":[\#(messages)]}"#
        }
        let big = #"{"role":"assistant","content":[{"type":"text","text":"It is in src/price.swift."}]},{"role":"user","content":[{"type":"text","text":"Here is the whole log; what failed?","cache_control":{"type":"ephemeral","ttl":"1h"}}]}"#
        let thanks = #"{"role":"assistant","content":[{"type":"text","text":"The parser."}]},{"role":"user","content":[{"type":"text","text":"Fix it.","cache_control":{"type":"ephemeral","ttl":"1h"}}]}"#
        try await Self.run(session: "golden-claude-code", [
            // 1. Sonnet writes 20,000 at 1h: 10×3 + 20,000×6 + 500×15. Opus (requested, cold):
            // 10×5 + 20,000×10 + 500×25. Sonnet is the baseline and answered: exact.
            Line(at: 0, path: "/v1/messages", body: Self.main(Self.ask), usage: Self.usage(input: 10, write1h: 20_000, output: 500),
                 model: "sonnet", actual: 30_000 + 120_000_000 + 7_500_000, requested: 50_000 + 200_000_000 + 12_500_000,
                 requestedCoverage: "simulated", baseline: 127_530_000, baselineCoverage: "exact"),
            // 2. A title side call the client sent to Haiku itself: requested is exact; Sonnet,
            // with no cache marks, bills 300×3 + 12×15.
            Line(at: 30, path: "/v1/messages",
                 body: #"{"model":"claude-haiku-4-5-20251001","max_tokens":64,"messages":[{"role":"user","content":"Title for: where is the price parsed?"}]}"#,
                 usage: Self.usage(input: 300, output: 12), model: "haiku", actual: 300_000 + 60_000, requested: 360_000,
                 requestedCoverage: "exact", baseline: 900_000 + 180_000, baselineCoverage: "simulated"),
            // 3. Grep-shaped: Haiku, cold, writes 22,000 at 1h: 10×1 + 22,000×2 + 200×5. Sonnet
            // would read its 20,000 and write 2,000: 10×3 + 20,000×0.30 + 2,000×6 + 200×15; Opus
            // 10×5 + 20,000×0.50 + 2,000×10 + 200×25.
            Line(at: 60, path: "/v1/messages", body: Self.main(Self.ask + "," + Self.grep),
                 usage: Self.usage(input: 10, write1h: 22_000, output: 200), model: "haiku",
                 actual: 10_000 + 44_000_000 + 1_000_000, requested: 50_000 + 10_000_000 + 20_000_000 + 5_000_000,
                 requestedCoverage: "simulated", baseline: 30_000 + 6_000_000 + 12_000_000 + 3_000_000,
                 baselineCoverage: "simulated"),
            // 4. A subagent's first turn, its own prefix, 5-minute marks: Sonnet writes 8,000 at
            // 5m: 5×3 + 8,000×3.75 + 300×15 (exact); Opus cold: 5×5 + 8,000×6.25 + 300×25.
            Line(at: 90, path: "/v1/messages", body: subagent(subagentAsk), headers: agent,
                 usage: Self.usage(input: 5, write5m: 8_000, output: 300), model: "sonnet",
                 actual: 15_000 + 30_000_000 + 4_500_000, requested: 25_000 + 50_000_000 + 7_500_000,
                 requestedCoverage: "simulated", baseline: 34_515_000, baselineCoverage: "exact"),
            // 5. The subagent reads a file: Haiku, cold in this thread, writes 9,000 at 5m:
            // 5×1 + 9,000×1.25 + 100×5. Sonnet reads the subagent's 8,000 and writes 1,000:
            // 5×3 + 8,000×0.30 + 1,000×3.75 + 100×15; Opus 5×5 + 8,000×0.50 + 1,000×6.25 + 100×25.
            Line(at: 100, path: "/v1/messages", body: subagent(subagentAsk + "," + subagentRead), headers: agent,
                 usage: Self.usage(input: 5, write5m: 9_000, output: 100), model: "haiku",
                 actual: 5_000 + 11_250_000 + 500_000, requested: 25_000 + 4_000_000 + 6_250_000 + 2_500_000,
                 requestedCoverage: "simulated", baseline: 15_000 + 2_400_000 + 3_750_000 + 1_500_000,
                 baselineCoverage: "simulated"),
            // 6. Back on Sonnet 3,630 s after its own last use (expired at 3,600 s) with a
            // 230,010-token prompt, past its 200K tier: a cold write, 10×6 + 230,000×12 + 1,000×22.50.
            // Sonnet-all-along was last used at 60 s: warm, it reads 22,000 and writes 208,000 at
            // the long tier: 10×6 + 22,000×0.60 + 208,000×12 + 1,000×22.50 (the switch lost money).
            // Opus (no tier) likewise: 10×5 + 22,000×0.50 + 208,000×10 + 1,000×25.
            Line(at: 3_630, path: "/v1/messages", body: Self.main(Self.ask + "," + Self.grep + "," + big),
                 usage: Self.usage(input: 10, write1h: 230_000, output: 1_000), model: "sonnet",
                 actual: 60_000 + 2_760_000_000 + 22_500_000,
                 requested: 50_000 + 11_000_000 + 2_080_000_000 + 25_000_000, requestedCoverage: "simulated",
                 baseline: 60_000 + 13_200_000 + 2_496_000_000 + 22_500_000, baselineCoverage: "simulated"),
            // 7. Sonnet again: its real cache now holds what Sonnet-all-along's does: exact,
            // 10×6 + 230,000×0.60 + 500×12 + 200×22.50. Opus: 10×5 + 230,000×0.50 + 500×10 + 200×25.
            Line(at: 3_640, path: "/v1/messages", body: Self.main(Self.ask + "," + Self.grep + "," + big + "," + thanks),
                 usage: Self.usage(input: 10, read: 230_000, write1h: 500, output: 200), model: "sonnet",
                 actual: 60_000 + 138_000_000 + 6_000_000 + 4_500_000,
                 requested: 50_000 + 115_000_000 + 5_000_000 + 5_000_000, requestedCoverage: "simulated",
                 baseline: 148_560_000, baselineCoverage: "exact"),
        ])
    }

    // MARK: - Codex (Responses)

    static func responsesUsage(input: Int, cached: Int, output: Int, reasoning: Int) -> String {
        #"{"input_tokens":\#(input),"input_tokens_details":{"cached_tokens":\#(cached)},"output_tokens":\#(output),"output_tokens_details":{"reasoning_tokens":\#(reasoning)}}"#
    }

    /// GPT-5.5 plans, GPT-5.4 mini digests a search, GPT-5.5 edits; the client asked for
    /// gpt-5.3-codex (priced by the book, automatic cache: reads in steps of 128, writes at input).
    @Test func aCodexSession() async throws {
        let session = AgentSession(steps: [
            .init(command: "rg -n price src", tool: "Grep", input: "{}", output: "src/price.rs:1: fn parse", failed: false),
            .init(command: "sed -i 's/a/b/' src/price.rs", tool: "Edit", input: "{}", output: "", failed: false),
        ])
        func body(_ turn: Int) -> String { session.body(turn: turn, dialect: "openai-responses", model: "gpt-5.3-codex") }
        try await Self.run(session: "golden-codex", [
            // 1. 12,000 uncached × 5 + 800 × 30 (exact). Codex, cold: 12,000×1.75 + 800×14.
            Line(at: 0, path: "/v1/responses", body: body(0),
                 usage: Self.responsesUsage(input: 12_000, cached: 0, output: 800, reasoning: 500), model: "gpt",
                 actual: 60_000_000 + 24_000_000, requested: 21_000_000 + 11_200_000, requestedCoverage: "simulated",
                 baseline: 84_000_000, baselineCoverage: "exact"),
            // 2. Mini, cold: 13,000×0.75 + 300×4.50. GPT-5.5 would read ⌊12,000/128⌋×128 = 11,904
            // and bill 1,096 as input: 11,904×0.50 + 1,096×5 + 300×30; Codex 11,904×0.175 + 1,096×1.75 + 300×14.
            Line(at: 20, path: "/v1/responses", body: body(1),
                 usage: Self.responsesUsage(input: 13_000, cached: 0, output: 300, reasoning: 100), model: "mini",
                 actual: 9_750_000 + 1_350_000, requested: 2_083_200 + 1_918_000 + 4_200_000,
                 requestedCoverage: "simulated", baseline: 5_952_000 + 5_480_000 + 9_000_000,
                 baselineCoverage: "simulated"),
            // 3. GPT-5.5 again: its real cache holds turn 1's 12,000 (it reads 11,904); all along it
            // would hold turn 2's 13,000 and read 12,928: the worlds differ, so simulated:
            // 12,928×0.50 + 1,072×5 + 400×30. Real: 2,096×5 + 11,904×0.50 + 400×30.
            Line(at: 40, path: "/v1/responses", body: body(2),
                 usage: Self.responsesUsage(input: 14_000, cached: 11_904, output: 400, reasoning: 200), model: "gpt",
                 actual: 10_480_000 + 5_952_000 + 12_000_000, requested: 2_262_400 + 1_876_000 + 5_600_000,
                 requestedCoverage: "simulated", baseline: 6_464_000 + 5_360_000 + 12_000_000,
                 baselineCoverage: "simulated"),
        ])
    }

    // MARK: - OpenAI Chat

    /// A chat agent that asks for the baseline model itself: routing savings equal savings.
    @Test func anOpenAIChatSession() async throws {
        let session = AgentSession(steps: [
            .init(command: "grep -rn price src", tool: "Grep", input: "{}", output: "src/price.py:1:def parse", failed: false)
        ])
        func body(_ turn: Int) -> String { session.body(turn: turn, dialect: "openai-chat", model: "gpt-5.5") }
        func usage(prompt: Int, cached: Int, completion: Int) -> String {
            #"{"prompt_tokens":\#(prompt),"prompt_tokens_details":{"cached_tokens":\#(cached)},"completion_tokens":\#(completion)}"#
        }
        try await Self.run(session: "golden-chat", [
            // 1. 2,000×5 + 100×30, exact on both sides (the client asked for the baseline).
            Line(at: 0, path: "/v1/chat/completions", body: body(0), usage: usage(prompt: 2_000, cached: 0, completion: 100),
                 model: "gpt", actual: 13_000_000, requested: 13_000_000, requestedCoverage: "exact",
                 baseline: 13_000_000, baselineCoverage: "exact"),
            // 2. Mini: 2,500×0.75 + 50×4.50. GPT-5.5 reads ⌊2,000/128⌋×128 = 1,920 and bills 580
            // as input: 1,920×0.50 + 580×5 + 50×30.
            Line(at: 10, path: "/v1/chat/completions", body: body(1), usage: usage(prompt: 2_500, cached: 0, completion: 50),
                 model: "mini", actual: 1_875_000 + 225_000, requested: 960_000 + 2_900_000 + 1_500_000,
                 requestedCoverage: "simulated", baseline: 960_000 + 2_900_000 + 1_500_000, baselineCoverage: "simulated"),
        ])
    }
}
