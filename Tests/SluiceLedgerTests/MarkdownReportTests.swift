import SluiceLedger
import SluiceWire
import Testing

@Suite struct MarkdownReportTests {
    @Test func markdownIsAFormatUsersCanAskFor() {
        #expect(ReportFormat(rawValue: "markdown") == .markdown)
        #expect(ReportFormat.allCases == [.table, .json, .csv, .markdown])
    }

    @Test func savingsReportRendersAPipeTableOfSessionsAndTheTotals() {
        let report = SavingsReport(sessions: SessionSummary.summarize(SmallLedger.turns))
        #expect(
            report.rendered(as: .markdown).lines == [
                "# Sluice savings report",
                "",
                "| Session | Tag | Turns | Routed | Failed | Actual | Requested | Baseline | Savings | Saved "
                    + "| Last seen (UTC) |",
                "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
                "| k |  | 2 | 1 | 0 | $0.0012 | $0.0012 | $0.0045 | $0.0033 | 73.33% | 2026-11-25 20:05 |",
                "",
                "**Total:** 1 session, 2 turns (1 routed); actual $0.0012, baseline $0.0045, saved $0.0033 (73.33%).",
                "",
                "Savings are against the all-frontier baseline; against the models the clients asked for, routing "
                    + "saved $0.0000. List baseline (every prompt token at the baseline's uncached input price): $0.0050.",
            ])
    }

    @Test func savingsReportEscapesSessionKeysAndTags() {
        let turn = TurnRecord.fixture(id: "1", session: "a|b", tag: "*bold*")
        let markdown = SavingsReport(sessions: SessionSummary.summarize([turn])).rendered(as: .markdown)
        #expect(markdown.contains(#"| a\|b | \*bold\* | 1 |"#))
    }

    @Test func anEmptySavingsReportSaysSo() {
        #expect(
            SavingsReport(sessions: []).rendered(as: .markdown)
                == "# Sluice savings report\n\nNo sessions in the ledger yet.")
    }

    @Test func sessionDetailRendersHeadingsFactsAndAPipeTableOfTurns() {
        let report = SessionDetailReport(
            summary: SessionSummary.summarize(SmallLedger.turns)[0], turns: SmallLedger.turns)
        #expect(
            report.rendered(as: .markdown).lines == [
                "# Session k",
                "",
                "- Time: 2026-11-25T20:00:00.123Z → 2026-11-25T20:05:30.000Z",
                "- Turns: 2, 1 routed",
                "- Cost $0.0012; requested model $0.0012 (the router saved $0.0000); all-frontier baseline $0.0045, "
                    + "$0.0050 (list); saved $0.0033 (73.33%)",
                "",
                "## Turns",
                "",
                "| # | Time (UTC) | Agent | Model | Rule | Shape | Status | In | Cache read | Cache write | Out | Cost "
                    + "| Requested | Baseline | Savings |",
                "| ---: | --- | --- | --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
                #"| 1 | 2026-11-25 20:00:00.123 | side call | haiku | side-calls | side\_call | ok | 60 | 0 | 0 | 30 | "#
                    + "$0.0002 | ? | ≈$0.0035 | $0.0033 |",
                #"| 2 | 2026-11-25 20:05:30.000 |  | opus | default | user\_turn | ok | 40 | 0 | 0 | 20 | $0.0010 | "#
                    + "? | $0.0010 | $0.0000 |",
                "",
                "≈ simulated with the model's prompt cache; ? unknown (counted at the actual cost).",
            ])
    }

    @Test func sessionDetailMarksFailuresEstimatesAndTags() {
        let turns: [TurnRecord] = [
            .fixture(id: "1", at: 0, tag: "PROJ-9", estimated: true, status: .upstreamError, httpStatus: 529)
        ]
        let summary = SessionSummary.summarize(turns)[0]
        let lines = SessionDetailReport(summary: summary, turns: turns).rendered(as: .markdown).lines
        #expect(lines.contains("- Tag: PROJ-9"))
        #expect(lines.contains("- Turns: 1, 0 routed, 1 failed"))
        #expect(lines.contains { $0.hasPrefix("- ~ estimated: 1 of 1 turns") })
        #expect(lines.contains { $0.contains("| upstream\\_error 529 |") && $0.hasSuffix("| ~$0.0000 | ? | $0.0000 | ~$0.0000 |") })
    }
}
