import SluiceLedger
import Testing

@testable import SluiceRouting
@testable import SluiceWire

/// `sluice replay`'s engine on a small recorded set, against figures computed by hand.
@Suite struct PolicyReplayTests {
    static let header = """
        version: 1
        upstreams:
          anthropic: {dialect: anthropic, base_url: "https://api.anthropic.com"}
        models:
          opus: {upstream: anthropic, id: claude-opus-5, context_window: 1000000, price: {input: 4, output: 20}}
          haiku: {upstream: anthropic, id: claude-haiku-5, context_window: 200000, price: {input: 1, output: 5}}
        baseline: opus
        """
    static let current = try! RoutingPolicy(yaml: header + "\nrules:\n  - {name: frontier, route: opus}")
    static let candidate = try! RoutingPolicy(
        yaml: header + """

            rules:
              - {name: grep, when: {shape: tool_followup, last_tool_categories: [search, read]}, route: haiku}
              - {name: frontier, route: opus}
            """)

    /// One recorded turn answered by Opus, with no prompt caching asked for (so every figure is
    /// tokens × price, computable by hand).
    static func turn(
        _ id: String, session: String, at seconds: Int64, shape: String, categories: [String], input: Int, output: Int
    ) -> TurnRecord {
        let cost = Int64(input) * 4_000 + Int64(output) * 20_000
        return TurnRecord(
            id: id, startedAtMilliseconds: 1_000_000 + seconds * 1_000, session: session, isSideCall: false,
            clientDialect: .anthropic, requestedModel: "claude-opus-5", model: "opus", modelID: "claude-opus-5",
            upstream: "anthropic", rule: "frontier", reason: "", shape: shape, toolCategories: categories,
            promptTokensEstimate: input, loopDepth: shape == "tool_followup" ? 1 : 0, toolError: false, stream: true,
            usage: Usage(uncachedInput: input, output: output), estimated: false, cost: USD(nanos: cost),
            baselineModel: "opus", baselineListCost: USD(nanos: cost), baselineCost: USD(nanos: cost),
            totalMilliseconds: 900, status: .ok, httpStatus: 200,
            features: RecordedFeatures(
                messageCount: 3, lastMessage: shape == "tool_followup" ? "tool_result" : "user_text", cacheRequest: .off))
    }

    static let ledger = [
        turn("a1", session: "A", at: 0, shape: "user_turn", categories: [], input: 1_000, output: 100),
        turn("b1", session: "B", at: 5, shape: "user_turn", categories: [], input: 800, output: 60),
        turn("a2", session: "A", at: 10, shape: "tool_followup", categories: ["search"], input: 1_200, output: 50),
        turn("b2", session: "B", at: 15, shape: "tool_followup", categories: ["read"], input: 900, output: 40),
        turn("a3", session: "A", at: 20, shape: "tool_followup", categories: ["edit"], input: 1_500, output: 80),
    ]

    @Test func aCandidateIsPricedExactlyWhereItAgreesAndOnItsOwnModelWhereItDoesNot() throws {
        let report = PolicyReplay.run(Self.ledger.compactMap(ReplayTurn.init(record:)), candidate: Self.candidate)
        #expect(report.turns == 5)
        #expect(report.sessions.map(\.key) == ["A", "B"])
        // a2 and b2 go to Haiku: 1,200×1 + 50×5 and 900×1 + 40×5 (nanodollars per token × 1,000).
        let recorded: Int64 = 6_000_000 + 4_400_000 + 5_800_000 + 4_400_000 + 7_600_000
        let candidate: Int64 = 6_000_000 + 4_400_000 + 1_450_000 + 1_100_000 + 7_600_000
        #expect(report.recordedActual == USD(nanos: recorded))
        #expect(report.candidate.totals.actual == USD(nanos: candidate))
        #expect(report.candidate.totals.baseline == USD(nanos: recorded))
        #expect(report.candidate.totals.savings == USD(nanos: recorded - candidate))
        #expect(report.candidate.totals.simulatedTurns == 2)
        #expect(report.current.label == "recorded")
        #expect(report.current.totals.actual == USD(nanos: recorded))
        #expect(report.changedTurns == 2)
        #expect(report.byRule == [.init(name: "frontier", turns: 3, changed: 0), .init(name: "grep", turns: 2, changed: 2)])
        #expect(report.byShape == [.init(name: "tool_followup", turns: 3, changed: 2), .init(name: "user_turn", turns: 2, changed: 0)])
        #expect(report.candidate.byModel.map(\.name) == ["opus", "haiku"])
        #expect(report.sessions[0].candidate.actual == USD(nanos: 6_000_000 + 1_450_000 + 7_600_000))
        #expect(report.sessions[1].changed == 1)

        let json = report.rendered(as: .json)
        for key in [#""turns":5"#, #""sessions":2"#, #""by_rule":{"#, #""by_model":{"#, #""candidate":{"#,
                    #""actual_usd":\#(USD(nanos: candidate).decimalString)"#, #""recorded":{"actual_usd":0.0282}"#] {
            #expect(json.contains(key), "\(key) in \(json)")
        }
    }

    /// The fidelity check: the same policy reproduces every decision and every cost.
    @Test func replayingUnderTheRecordingPolicyChangesNothing() throws {
        let turns = Self.ledger.compactMap(ReplayTurn.init(record:))
        let report = PolicyReplay.run(turns, candidate: Self.current, against: Self.current)
        #expect(report.changedTurns == 0)
        #expect(report.candidate.totals == report.current.totals)
        #expect(report.candidate.totals.actual == report.recordedActual)
        #expect(report.candidate.totals.simulatedTurns == 0)
        // Against another policy, the other way round.
        let reverse = PolicyReplay.run(turns, candidate: Self.current, against: Self.candidate)
        #expect(reverse.changedTurns == 2)
    }

    @Test func readsRequestLinesWithRecordedUsageInTheProvidersShape() throws {
        let scanner = RequestScanner()
        let anthropic = #"""
            {"protocol":"anthropic","body":{"model":"claude-opus-5","max_tokens":100,"messages":[{"role":"user","content":"hi"}]},"meta":{"session_id":"s-9","timestamp":"2026-01-21T01:09:01.581Z","model":"claude-opus-5","usage":{"input_tokens":10,"cache_creation_input_tokens":300,"cache_read_input_tokens":2000,"output_tokens":7,"cache_creation":{"ephemeral_5m_input_tokens":300,"ephemeral_1h_input_tokens":0}}}}
            """#
        let turn = try Array(anthropic.utf8).withUnsafeBytes { raw in try ReplayTurn(line: raw, scanner: scanner, after: 0) }
        #expect(turn.scanned.session == "s-9")
        #expect(turn.startedAtMilliseconds == 1_768_957_741_581)
        #expect(turn.recorded?.usage == Usage(uncachedInput: 10, cacheRead: 2_000, cacheWrite5m: 300, output: 7))
        let flat = #"{"protocol":"openai","body":{"model":"deepseek-chat","messages":[{"role":"user","content":"x"}]},"meta":{"timestamp":1775786900.754943,"usage":{"prompt_tokens":3394,"completion_tokens":130,"cached_tokens":320}}}"#
        let chat = try Array(flat.utf8).withUnsafeBytes { raw in try ReplayTurn(line: raw, scanner: scanner, after: 0) }
        #expect(chat.startedAtMilliseconds == 1_775_786_900_755)
        #expect(chat.recorded?.usage == Usage(uncachedInput: 3_074, cacheRead: 320, output: 130))
        #expect(chat.recorded?.modelID == "deepseek-chat")
        let bare = #"{"protocol":"openai-responses","body":{"model":"gpt-5","input":"hi"}}"#
        let dated = try Array(bare.utf8).withUnsafeBytes { raw in try ReplayTurn(line: raw, scanner: scanner, after: 5_000) }
        #expect(dated.startedAtMilliseconds == 6_000)
        #expect(dated.recorded == nil)
        #expect(throws: ClientError.self) {
            try Array(#"{"protocol":"smtp","body":{}}"#.utf8).withUnsafeBytes { raw in
                try ReplayTurn(line: raw, scanner: scanner, after: 0)
            }
        }
    }
}
