import SluiceLedger
import Testing

@Suite struct LongTailReportTests {
    static let day: Int64 = 86_400_000

    /// Two sessions over two days: "a" (tagged, a priced turn and a routed side call without a
    /// requested price) and "b" (untagged, one turn the next day).
    static let small: [TurnRecord] = [
        .spend(
            id: "t3", at: 20_001 * LongTailReportTests.day + 3_600_000, session: "b", cost: 50_000_000,
            requested: 50_000_000, baseline: 50_000_000),
        .spend(
            id: "t1", at: 20_000 * LongTailReportTests.day, session: "a", tag: "PROJ-1", cost: 300_000_000,
            requested: 400_000_000, baseline: 500_000_000),
        .spend(
            id: "t2", at: 20_000 * LongTailReportTests.day + 1_000, session: "a", sideCall: true, model: "haiku",
            cost: 100_000_000, baseline: 100_000_000),
    ]

    static func bar(_ length: Int) -> String {
        String(repeating: "█", count: length) + String(repeating: " ", count: 40 - length)
    }

    @Test func computesTotalsDistributionForecastAndSessions() {
        let report = LongTailReport(turns: Self.small)
        #expect(report.sessions.map(\.session) == ["a", "b"])
        let a = report.sessions[0]
        #expect(a.tag == "PROJ-1")
        #expect(a.turns == 2)
        #expect(a.cost == .cents(40))
        #expect(a.requested == .cents(50))  // 40 + the unpriced side call at its cost, 10
        #expect(a.baseline == .cents(60))
        #expect(a.savings == .cents(20))
        #expect(a.flags.isEmpty)  // the side call is another thread, so not a retry

        #expect(report.totals.sessions == 2)
        #expect(report.totals.turns == 3)
        #expect(report.totals.cost == .cents(45))
        #expect(report.totals.requested == .cents(55))
        #expect(report.totals.baseline == .cents(65))
        #expect(report.totals.savings == .cents(20))
        #expect(report.totals.routingSavings == .cents(10))
        #expect(report.totals.requestedCoverage == LongTailReport.CoverageCounts(exact: 2, simulated: 0, unknown: 1))
        #expect(report.totals.baselineCoverage == LongTailReport.CoverageCounts(exact: 2, simulated: 1, unknown: 0))

        #expect(report.distribution.count == 2)
        #expect(report.distribution.median == .cents(5))
        #expect(report.distribution.p90 == .cents(40))
        #expect(report.forecast.daysOfHistory == 2)
        #expect(report.forecast.spend == USD(nanos: 6_750_000_000))  // 45¢ over 2 days × 30
        #expect(report.suggestedCaps.isEmpty)
        #expect(report.groups == nil)
    }

    @Test func rendersJSONWithExactDecimalsInTheDocumentedKeyOrder() {
        let expected = """
            {"totals":{"sessions":2,"turns":3,"estimated_turns":0,"actual_usd":0.45,"requested_usd":0.55,\
            "baseline_usd":0.65,"savings_usd":0.20,"routing_savings_usd":0.10,"savings_pct":30.77,\
            "requested_coverage":{"exact":2,"simulated":0,"unknown":1},\
            "baseline_coverage":{"exact":2,"simulated":1,"unknown":0}},\
            "sessions":[{"session":"a","tag":"PROJ-1","turns":2,"first_seen":"2024-10-04T00:00:00.000Z",\
            "last_seen":"2024-10-04T00:00:01.000Z","actual_usd":0.40,"requested_usd":0.50,"baseline_usd":0.60,\
            "savings_usd":0.20,"routing_savings_usd":0.10,"flags":{}},\
            {"session":"b","tag":null,"turns":1,"first_seen":"2024-10-05T01:00:00.000Z",\
            "last_seen":"2024-10-05T01:00:00.000Z","actual_usd":0.05,"requested_usd":0.05,"baseline_usd":0.05,\
            "savings_usd":0.00,"routing_savings_usd":0.00,"flags":{}}],\
            "distribution":{"count":2,"mean_usd":0.225,"median_usd":0.05,"p90_usd":0.40,"p99_usd":0.40,\
            "max_usd":0.40,"top_10pct_share_pct":88.89,"suggested_cap_usd":1.20,"histogram":[\
            {"from_usd":0.031622777,"to_usd":0.10,"sessions":1},\
            {"from_usd":0.10,"to_usd":0.316227766,"sessions":0},\
            {"from_usd":0.316227766,"to_usd":1.00,"sessions":1}]},\
            "top_sessions":[{"session":"a","tag":"PROJ-1","turns":2,"first_seen":"2024-10-04T00:00:00.000Z",\
            "last_seen":"2024-10-04T00:00:01.000Z","actual_usd":0.40,"requested_usd":0.50,"baseline_usd":0.60,\
            "savings_usd":0.20,"routing_savings_usd":0.10,"flags":{}},\
            {"session":"b","tag":null,"turns":1,"first_seen":"2024-10-05T01:00:00.000Z",\
            "last_seen":"2024-10-05T01:00:00.000Z","actual_usd":0.05,"requested_usd":0.05,"baseline_usd":0.05,\
            "savings_usd":0.00,"routing_savings_usd":0.00,"flags":{}}],\
            "suggested_caps":[],\
            "forecast_30d":{"spend_usd":6.75,"low_usd":5.01273459,"high_usd":8.48726541,"days_of_history":2},\
            "group_by":null,"groups":null}
            """
        #expect(LongTailReport(turns: Self.small).rendered(as: .json) == expected)
    }

    @Test func rendersGroupsInJSONAndCSV() {
        // Groups are of turns: session "a"'s untagged side call counts under "(none)".
        let report = LongTailReport(turns: Self.small, groupBy: .tag)
        #expect(
            report.rendered(as: .json).hasSuffix(
                """
                "group_by":"tag","groups":[{"tag":"PROJ-1","turns":1,"sessions":1,"actual_usd":0.30,\
                "requested_usd":0.40,"baseline_usd":0.50,"savings_usd":0.20,"share_pct":66.67},\
                {"tag":"(none)","turns":2,"sessions":2,"actual_usd":0.15,"requested_usd":0.15,"baseline_usd":0.15,\
                "savings_usd":0.00,"share_pct":33.33}]}
                """))
        #expect(
            report.rendered(as: .csv).lines == [
                "tag,turns,sessions,actual_usd,requested_usd,baseline_usd,savings_usd,share_pct",
                "PROJ-1,1,1,0.30,0.40,0.50,0.20,66.67",
                "(none),2,2,0.15,0.15,0.15,0.00,33.33",
            ])
    }

    @Test func rendersOneCSVRowPerSessionWithoutGrouping() {
        let turns = Self.small + [.spend(id: "t4", at: 0, session: "c,d", toolCallRepeats: 2, cost: 0)]
        #expect(
            LongTailReport(turns: turns).rendered(as: .csv).lines == [
                "session,tag,turns,first_seen,last_seen,actual_usd,requested_usd,baseline_usd,savings_usd,"
                    + "routing_savings_usd,flags",
                "a,PROJ-1,2,2024-10-04T00:00:00.000Z,2024-10-04T00:00:01.000Z,0.40,0.50,0.60,0.20,0.10,",
                "b,,1,2024-10-05T01:00:00.000Z,2024-10-05T01:00:00.000Z,0.05,0.05,0.05,0.00,0.00,",
                "\"c,d\",,1,1970-01-01T00:00:00.000Z,1970-01-01T00:00:00.000Z,0.00,0.00,0.00,0.00,0.00,tool_loop:1",
            ])
    }

    @Test func rendersATableForPeople() throws {
        let table = LongTailReport(turns: Self.small).rendered(as: .table)
        let lines = table.lines
        #expect(lines[0] == "Spend across 2 sessions, 3 turns")
        #expect(
            lines[1] == "Actual $0.4500 · requested $0.5500 · baseline $0.6500 · saved $0.2000 (30.77%) · "
                + "routing saved $0.1000")
        #expect(
            lines[2] == "Prices: requested 2 exact, 0 simulated, 1 unknown; baseline 2 exact, 1 simulated, 0 unknown.")
        #expect(lines.contains("Cost per session"))
        #expect(lines.contains("  median $0.0500   mean $0.2250   p90 $0.4000   p99 $0.4000   max $0.4000"))
        #expect(lines.contains("  The most expensive 1 session (top 10%) spent 88.89% of the total."))
        #expect(lines.contains("  Suggested per-session cap: $1.2000 (3 × p90)."))
        let histogram = [
            "  $0.032 – $0.10   " + Self.bar(40) + "  1",
            "   $0.10 – $0.32   " + Self.bar(0) + "  0",
            "   $0.32 – $1.00   " + Self.bar(40) + "  1",
        ]
        let start = try #require(lines.firstIndex(of: histogram[0]))
        #expect(Array(lines.dropFirst(start).prefix(3)) == histogram)
        #expect(lines.contains("Top sessions by cost"))
        #expect(lines.contains { $0.hasPrefix("#  SESSION  TAG") && $0.hasSuffix("FLAGS") })
        #expect(lines.contains { $0.hasPrefix("1  a") && $0.contains("PROJ-1") && $0.contains("88.89%") })
        #expect(
            lines.contains(
                "Forecast, next 30 days: $6.7500 (80% range $5.0127 – $8.4873), from 2 days of history at "
                    + "$0.2250/day. (few days of data: a rough guess)"))
        #expect(!lines.contains { $0.hasSuffix(" ") })
        #expect(!lines.contains { $0.hasPrefix("Flags:") })  // no session has any
    }

    @Test func tableShowsFlagsCapsAndGroups() {
        var turns: [TurnRecord] = (1...5).map { index in
            TurnRecord.spend(
                id: "t\(index)", at: Int64(index), session: "s\(index)", tag: "T5", cost: Int64(index) * 10_000_000)
        }
        // A different prompt size, so the loop turn is not also a retry of the turn 5 ms before it.
        turns.append(
            .spend(id: "loop", at: 10, session: "s5", tag: "T5", promptEstimate: 50_000, toolCallRepeats: 4, cost: 0))
        let lines = LongTailReport(turns: turns, groupBy: .tag).rendered(as: .table).lines
        #expect(lines.contains { $0.hasPrefix("1  s5") && $0.hasSuffix("tool loop ×1") })
        #expect(lines.contains("Flags:"))
        #expect(lines.contains { $0.hasPrefix("  tool loop: turns after the model made the identical tool call") })
        #expect(lines.contains("Suggested caps per tag (3 × p90, tags with 5+ sessions)"))
        #expect(lines.contains { $0.hasPrefix("T5") && $0.hasSuffix("5  $0.0500  $0.1500") })
        #expect(lines.contains("Spend by tag"))
        #expect(lines.contains { $0.hasPrefix("TAG  TURNS  SESSIONS") })
        #expect(lines.contains { $0.hasPrefix("T5") && $0.hasSuffix("100.00%") })
        #expect(!lines.contains { $0.hasSuffix(" ") })
    }

    @Test func listsTheTenMostExpensiveSessionsWithTiesByKey() {
        let cents: [String: Int64] = [
            "a": 3, "b": 7, "c": 7, "d": 1, "e": 9, "f": 2, "g": 12, "h": 0, "i": 5, "j": 11, "k": 4, "l": 6,
        ]
        let turns = cents.map { session, amount in
            TurnRecord.spend(id: session, session: session, cost: amount * 10_000_000)
        }
        let report = LongTailReport(turns: turns)
        #expect(report.sessions.count == 12)
        #expect(report.topSessions.map(\.session) == ["g", "j", "e", "b", "c", "l", "i", "k", "a", "f"])
        #expect(report.distribution.median == .cents(5))  // 6th of 12: i
        #expect(report.distribution.p90 == .cents(11))  // rank ⌈10.8⌉ = 11: j
        #expect(report.distribution.p99 == .cents(12))
        #expect(report.distribution.mean == USD(nanos: 55_833_333))  // 67¢ / 12
        #expect(report.distribution.topDecileShareBasisPoints == 1_791)  // 12 / 67
    }

    @Test func suggestsCapsForTagsWithFiveOrMoreSessions() {
        var turns: [TurnRecord] = []
        for index in 1...4 {
            turns.append(
                .spend(id: "t5-\(index)", at: 100, session: "t5-\(index)", tag: "T5", cost: Int64(index) * 1_000))
        }
        // Tagged T4 first, T5 later: the session counts under its latest tag, T5, at 2,000 + 3,000.
        turns.append(.spend(id: "sw-1", at: 0, session: "switch", tag: "T4", cost: 2_000))
        turns.append(.spend(id: "sw-2", at: 10, session: "switch", tag: "T5", cost: 3_000))
        for index in 1...4 {
            turns.append(.spend(id: "t4-\(index)", session: "t4-\(index)", tag: "T4", cost: 100))
        }
        for index in 1...6 {
            turns.append(.spend(id: "a6-\(index)", session: "a6-\(index)", tag: "A6", cost: Int64(index) * 10_000))
        }
        turns.append(.spend(id: "untagged", session: "untagged", cost: 1))
        let caps = LongTailReport(turns: turns).suggestedCaps
        #expect(
            caps == [
                LongTailReport.TagCap(tag: "A6", sessions: 6, p90: USD(nanos: 60_000)),  // rank ⌈5.4⌉ = 6
                LongTailReport.TagCap(tag: "T5", sessions: 5, p90: USD(nanos: 5_000)),  // rank ⌈4.5⌉ = 5
            ])
        #expect(caps.map(\.cap) == [USD(nanos: 180_000), USD(nanos: 15_000)])
        #expect(
            LongTailReport(turns: turns).rendered(as: .json).contains(
                #""suggested_caps":[{"tag":"A6","p90_usd":0.00006,"cap_usd":0.00018,"sessions":6},"#
                    + #"{"tag":"T5","p90_usd":0.000005,"cap_usd":0.000015,"sessions":5}]"#))
    }

    @Test func forecastsFromUTCDaysIncludingEmptyOnes() {
        let turns: [TurnRecord] = [
            .spend(id: "1", at: 100 * Self.day + Self.day - 1, cost: 2_000),  // the last millisecond of day 100
            .spend(id: "2", at: 102 * Self.day, session: "other", cost: 1_000),
        ]
        let forecast = LongTailReport(turns: turns).forecast
        #expect(forecast.daysOfHistory == 3)
        #expect(forecast.spend == USD(nanos: 30_000))  // 3,000 over 3 days × 30
    }

    @Test(arguments: [
        (Int64(0), Int64(0)), (86_399_999, 0), (86_400_000, 1), (-1, -1), (-86_400_000, -1), (-86_400_001, -2),
    ])
    func daysAreFloorDividedSoTimesBefore1970FallOnEarlierDays(milliseconds: Int64, day: Int64) {
        #expect(LongTailReport.day(ofMilliseconds: milliseconds) == day)
    }

    @Test func anEmptyLedger() {
        let report = LongTailReport(turns: [], groupBy: .model)
        #expect(report.rendered(as: .table) == "No sessions in the ledger yet.")
        #expect(report.rendered(as: .markdown) == "# Sluice spend report\n\nNo sessions in the ledger yet.")
        #expect(
            report.rendered(as: .json) == """
                {"totals":{"sessions":0,"turns":0,"estimated_turns":0,"actual_usd":0.00,"requested_usd":0.00,\
                "baseline_usd":0.00,"savings_usd":0.00,"routing_savings_usd":0.00,"savings_pct":null,\
                "requested_coverage":{"exact":0,"simulated":0,"unknown":0},\
                "baseline_coverage":{"exact":0,"simulated":0,"unknown":0}},"sessions":[],\
                "distribution":{"count":0,"mean_usd":0.00,"median_usd":0.00,"p90_usd":0.00,"p99_usd":0.00,\
                "max_usd":0.00,"top_10pct_share_pct":null,"suggested_cap_usd":0.00,"histogram":[]},\
                "top_sessions":[],"suggested_caps":[],\
                "forecast_30d":{"spend_usd":0.00,"low_usd":0.00,"high_usd":0.00,"days_of_history":0},\
                "group_by":"model","groups":[]}
                """)
        #expect(
            report.rendered(as: .csv) == "model,turns,sessions,actual_usd,requested_usd,baseline_usd,savings_usd,share_pct")
        #expect(
            LongTailReport(turns: []).rendered(as: .csv)
                == "session,tag,turns,first_seen,last_seen,actual_usd,requested_usd,baseline_usd,savings_usd,"
                + "routing_savings_usd,flags")
    }

    @Test func rendersMarkdownWithHeadingsPipeTablesAndTheHistogramInACodeBlock() throws {
        let lines = LongTailReport(turns: Self.small, groupBy: .subagent).rendered(as: .markdown).lines
        #expect(Array(lines.prefix(2)) == ["# Sluice spend report", ""])
        #expect(lines.contains("- Spend across 2 sessions, 3 turns"))
        #expect(lines.contains("## Cost per session"))
        #expect(
            lines.contains(
                "| Sessions | Mean | Median | p90 | p99 | Max | Top 10% share | Suggested cap (3 × p90) |"))
        #expect(lines.contains("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"))
        #expect(lines.contains("| 2 | $0.2250 | $0.0500 | $0.4000 | $0.4000 | $0.4000 | 88.89% | $1.2000 |"))
        let fence = try #require(lines.firstIndex(of: "```text"))
        #expect(lines.dropFirst(fence + 1).first == "  $0.032 – $0.10   " + Self.bar(40) + "  1")
        #expect(lines.dropFirst(fence + 4).first == "```")
        #expect(lines.contains("## Top sessions"))
        #expect(lines.contains("| # | Session | Tag | Turns | Cost | Share | Savings | Flags |"))
        #expect(lines.contains("| ---: | --- | --- | ---: | ---: | ---: | ---: | --- |"))
        #expect(lines.contains("| 1 | a | PROJ-1 | 2 | $0.4000 | 88.89% | $0.2000 |  |"))
        #expect(lines.contains("| 2 | b |  | 1 | $0.0500 | 11.11% | $0.0000 |  |"))
        #expect(lines.contains("## Forecast, next 30 days"))
        #expect(lines.contains("## Spend by subagent"))
        #expect(lines.contains("| Subagent | Turns | Sessions | Actual | Requested | Baseline | Savings | Share |"))
        #expect(lines.contains("| main | 2 | 2 | $0.3500 | $0.4500 | $0.5500 | $0.2000 | 77.78% |"))
        #expect(lines.contains("| side | 1 | 1 | $0.1000 | $0.1000 | $0.1000 | $0.0000 | 22.22% |"))
        #expect(!lines.contains("## Suggested caps per tag"))
    }

    @Test func markdownEscapesFreeText() {
        let turns: [TurnRecord] = [.spend(id: "1", session: "a|b_c*", tag: "[x]")]
        let markdown = LongTailReport(turns: turns).rendered(as: .markdown)
        #expect(markdown.contains(#"| 1 | a\|b\_c\* | \[x\] | 1 |"#))
    }
}
