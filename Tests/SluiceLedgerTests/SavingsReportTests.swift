import SluiceLedger
import SluiceWire
import Testing

@Suite struct SavingsReportTests {
    @Test func rendersJSONWithExactDecimalsInTheDocumentedKeyOrder() {
        let report = SavingsReport(sessions: SessionSummary.summarize(SmallLedger.turns))
        let expected = """
            {"sessions":[{"session":"k","tag":null,"turns":2,"routed_turns":1,"failed_turns":0,"estimated_turns":0,\
            "input_tokens":100,"cache_read_tokens":0,"cache_write_tokens":0,"output_tokens":50,"reasoning_tokens":0,\
            "actual_usd":0.0012,"requested_usd":0.0012,"baseline_usd":0.0045,"baseline_list_usd":0.005,\
            "savings_usd":0.0033,"routing_savings_usd":0.00,"savings_pct":73.33,"first_seen":"2026-11-25T20:00:00.123Z","last_seen":"2026-11-25T20:05:30.000Z"}],\
            "totals":{"sessions":1,"turns":2,"routed_turns":1,"failed_turns":0,"input_tokens":100,\
            "cache_read_tokens":0,"cache_write_tokens":0,"output_tokens":50,"actual_usd":0.0012,\
            "requested_usd":0.0012,"baseline_usd":0.0045,"baseline_list_usd":0.005,"savings_usd":0.0033,\
            "routing_savings_usd":0.00,"savings_pct":73.33}}
            """
        #expect(report.rendered(as: .json) == expected)
    }

    @Test func rendersAnEmptyLedger() {
        let report = SavingsReport(sessions: [])
        #expect(
            report.rendered(as: .json) == """
                {"sessions":[],"totals":{"sessions":0,"turns":0,"routed_turns":0,"failed_turns":0,"input_tokens":0,\
                "cache_read_tokens":0,"cache_write_tokens":0,"output_tokens":0,"actual_usd":0.00,"requested_usd":0.00,\
                "baseline_usd":0.00,"baseline_list_usd":0.00,"savings_usd":0.00,"routing_savings_usd":0.00,\
                "savings_pct":null}}
                """)
        #expect(report.rendered(as: .csv).split(separator: "\n").count == 1)
        #expect(report.rendered(as: .table) == "No sessions in the ledger yet.")
    }

    @Test func escapesJSONStrings() {
        let turn = TurnRecord.fixture(id: "1", session: "a\"b\\c\nd\u{01}é", tag: "tab\there")
        let json = SavingsReport(sessions: SessionSummary.summarize([turn])).rendered(as: .json)
        #expect(json.contains(#""session":"a\"b\\c\nd\u0001é","tag":"tab\there""#))
    }

    @Test func quotesCSVFieldsPerRFC4180() {
        let turns: [TurnRecord] = [
            .fixture(id: "1", at: 2, session: "plain", tag: "PROJ-1"),
            .fixture(id: "2", at: 1, session: "with,comma", tag: "say \"hi\"\nbye"),
        ]
        let csv = SavingsReport(sessions: SessionSummary.summarize(turns)).rendered(as: .csv)
        let lines = csv.lines
        #expect(
            lines[0] == "session,tag,turns,routed_turns,failed_turns,estimated_turns,input_tokens,cache_read_tokens,"
                + "cache_write_tokens,output_tokens,reasoning_tokens,actual_usd,requested_usd,baseline_usd,"
                + "baseline_list_usd,savings_usd,routing_savings_usd,savings_pct,first_seen,last_seen")
        #expect(lines[1].hasPrefix("plain,PROJ-1,1,0,0,0,10,0,0,5,0,0.000001,0.000001,0.000001,0.000002,0.00,0.00,0.00,"))
        #expect(lines[2] == "\"with,comma\",\"say \"\"hi\"\"")
        #expect(lines[3].hasPrefix("bye\",1,0,0,0,"))
        #expect(!csv.hasSuffix("\n"))
    }

    @Test(arguments: [
        (SavingsReport.SortKey.cost, ["big", "mid", "new"]),
        (.savings, ["mid", "big", "new"]),
        (.turns, ["new", "mid", "big"]),  // ties fall back to latest activity
        (.recent, ["new", "mid", "big"]),
    ])
    func sortsSessionsDescending(by key: SavingsReport.SortKey, order: [String]) {
        let turns: [TurnRecord] = [
            .fixture(id: "b", at: 1, session: "big", cost: 900, baseline: 1_000),
            .fixture(id: "m", at: 2, session: "mid", cost: 500, baseline: 1_500),
            .fixture(id: "n1", at: 3, session: "new", cost: 5, baseline: 5),
            .fixture(id: "n2", at: 3, session: "new", cost: 5, baseline: 5),
        ]
        let report = SavingsReport(sessions: SessionSummary.summarize(turns), by: key)
        #expect(report.sessions.map(\.session) == order)
        #expect(report.totals.turns == 4)
        #expect(report.totals.cost == USD(nanos: 1_410))
    }

    @Test func tableShowsSessionsTotalsAndMarksEstimates() {
        let turns =
            SmallLedger.turns + [
                .fixture(
                    id: "e", at: 1_795_640_000_000, session: "a-very-long-session-key-that-will-not-fit-in-the-column",
                    estimated: true)
            ]
        let table = SavingsReport(sessions: SessionSummary.summarize(turns)).rendered(as: .table)
        let lines = table.lines
        #expect(lines[0].hasPrefix("SESSION"))
        #expect(lines[0].contains("SAVINGS"))
        #expect(lines.contains { $0.hasPrefix("a-very-long-session-key-that-will-not-fit-i…") && $0.contains("~$0.0000") })
        #expect(lines.contains { $0.hasPrefix("k ") && $0.contains("$0.0012") && $0.contains("73.33%") })
        #expect(lines.contains { $0.hasPrefix("TOTAL, 2 sessions") })
        #expect(lines.contains { $0.hasPrefix("~ includes estimated usage: 1 of 3 turns") })
        // Columns line up: every cell row is as wide as the header's column layout allows.
        #expect(!lines.contains { $0.hasSuffix(" ") })
    }
}
