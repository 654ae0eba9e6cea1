import SluiceLedger
import SluiceWire
import Testing

@Suite struct SessionDetailReportTests {
    static let report = SessionDetailReport(
        summary: SessionSummary.summarize(SmallLedger.turns)[0], turns: SmallLedger.turns)

    @Test func ordersTurnsByTime() {
        #expect(Self.report.turns.map(\.id) == ["t1", "t2"])
    }

    @Test func rendersJSONWithTheSessionAndNumberedTurns() {
        let expected = """
            {"session":{"session":"k","tag":null,"turns":2,"routed_turns":1,"failed_turns":0,"estimated_turns":0,\
            "input_tokens":100,"cache_read_tokens":0,"cache_write_tokens":0,"output_tokens":50,"reasoning_tokens":0,\
            "actual_usd":0.0012,"requested_usd":0.0012,"baseline_usd":0.0045,"baseline_list_usd":0.005,\
            "savings_usd":0.0033,"routing_savings_usd":0.00,"savings_pct":73.33,"first_seen":"2026-11-25T20:00:00.123Z","last_seen":"2026-11-25T20:05:30.000Z"},\
            "turns":[{"index":1,"id":"t1","at":"2026-11-25T20:00:00.123Z","model":"haiku","model_id":"claude-haiku-5-5",\
            "upstream":"anthropic","requested_model":"claude-opus-5","rule":"side-calls","reason":"side call \\"title\\"",\
            "arm":null,"shape":"side_call","tool_categories":["search"],"status":"ok","http_status":200,"guard":null,"stream":true,\
            "estimated":false,"input_tokens":60,"cache_read_tokens":0,"cache_write_5m_tokens":0,\
            "cache_write_1h_tokens":0,"output_tokens":30,"reasoning_tokens":0,"web_search_requests":0,\
            "agent_id":null,"parent_agent_id":null,"side_call":true,"depth":0,"actual_usd":0.0002,"requested_usd":null,\
            "requested_coverage":"unknown","requested_coverage_reason":"recorded before Sluice priced the requested model",\
            "baseline_usd":0.0035,"baseline_coverage":"simulated","baseline_coverage_reason":null,\
            "baseline_list_usd":0.003,"savings_usd":0.0033,"routing_savings_usd":0.00,"first_byte_ms":12,"total_ms":80},\
            {"index":2,"id":"t2","at":"2026-11-25T20:05:30.000Z","model":"opus","model_id":"claude-opus-5",\
            "upstream":"anthropic","requested_model":"claude-opus-5","rule":"default","reason":"no rule matched",\
            "arm":null,"shape":"user_turn","tool_categories":[],"status":"ok","http_status":200,"guard":null,"stream":false,\
            "estimated":false,"input_tokens":40,"cache_read_tokens":0,"cache_write_5m_tokens":0,\
            "cache_write_1h_tokens":0,"output_tokens":20,"reasoning_tokens":0,"web_search_requests":0,\
            "agent_id":null,"parent_agent_id":null,"side_call":false,"depth":0,"actual_usd":0.001,"requested_usd":null,\
            "requested_coverage":"unknown","requested_coverage_reason":"recorded before Sluice priced the requested model",\
            "baseline_usd":0.001,"baseline_coverage":"exact","baseline_coverage_reason":null,\
            "baseline_list_usd":0.002,"savings_usd":0.00,"routing_savings_usd":0.00,"first_byte_ms":null,"total_ms":950}]}
            """
        #expect(Self.report.rendered(as: .json) == expected)
    }

    @Test func rendersCSVWithOneRowPerTurn() {
        let lines = Self.report.rendered(as: .csv).lines
        #expect(lines.count == 3)
        #expect(
            lines[0].hasPrefix(
                "index,id,at,model,model_id,upstream,requested_model,rule,reason,arm,shape,tool_categories,"))
        #expect(
            lines[1].hasPrefix(
                "1,t1,2026-11-25T20:00:00.123Z,haiku,claude-haiku-5-5,anthropic,claude-opus-5,side-calls,\"side call \"\"title\"\"\",,side_call,search,ok,200,,true,false,60,"
            ))
        #expect(lines[2].hasSuffix(",0.001,,unknown,recorded before Sluice priced the requested model,0.001,exact,,0.002,0.00,0.00,,950"))
    }

    @Test func tableListsTurnsInOrderWithTotals() {
        let lines = Self.report.rendered(as: .table).lines
        #expect(lines[0] == "Session k")
        #expect(lines.contains { $0.contains("MODEL") && $0.contains("CACHE READ") && $0.contains("COST") })
        let first = lines.firstIndex {
            $0.contains("20:00:00.123") && $0.contains("haiku") && $0.contains("side-calls")
        }
        let second = lines.firstIndex { $0.contains("20:05:30.000") && $0.contains("opus") }
        #expect(first != nil && second != nil && first! < second!)
        #expect(lines.contains { $0.contains("TOTAL") && $0.contains("$0.0012") && $0.contains("$0.0033") })
        #expect(
            lines.contains {
                $0 == "Requested model $0.0012: the router saved $0.0000. All-frontier baseline $0.0045 "
                    + "(list $0.0050): saved $0.0033 (73.33%)."
            })
        // The side call is marked in the agent column; a legacy row's requested figure is unknown.
        #expect(lines.contains { $0.contains("side call") && $0.contains("haiku") && $0.contains("?") })
    }

    @Test func tableMarksEstimatedTurnsAndFailures() {
        let turns: [TurnRecord] = [
            .fixture(id: "1", at: 0, estimated: true),
            .fixture(id: "2", at: 86_400_000, status: .upstreamError, httpStatus: 529),
        ]
        let report = SessionDetailReport(summary: SessionSummary.summarize(turns)[0], turns: turns)
        let table = report.rendered(as: .table)
        #expect(table.contains("~$0.0000"))
        #expect(table.contains("upstream_error 529"))
        #expect(table.contains("1970-01-02 00:00:00.000"))  // a turn on another day shows its date
        #expect(table.contains("~ estimated: 1 of 2 turns"))
    }
}
