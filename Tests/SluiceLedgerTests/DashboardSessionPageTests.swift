import SluiceLedger
import SluiceWire
import Testing

@Suite struct DashboardSessionPageTests {
    typealias M = DashboardMarkup

    static let start = M.now - M.hour

    /// The call tree of ``SessionTreeTests``: subagent A starts B, C runs later, a side call in
    /// between; given out of order.
    static let turns: [TurnRecord] = [
        .spend(id: "m4", at: start + 80, session: "k"),
        .spend(id: "c1", at: start + 70, session: "k", agent: "C"),
        .spend(id: "b2", at: start + 60, session: "k", agent: "B", parent: "A"),
        .spend(id: "m3", at: start + 50, session: "k"),
        .spend(id: "a2", at: start + 40, session: "k", agent: "A"),
        .spend(id: "b1", at: start + 30, session: "k", agent: "B", parent: "A"),
        .spend(id: "m2", at: start + 20, session: "k", sideCall: true),
        .spend(id: "a1", at: start + 10, session: "k", agent: "A"),
        .spend(id: "m1", at: start, session: "k"),
    ]

    static func page(_ turns: [TurnRecord], session: String = "k", outcome: SessionOutcome? = nil) -> String {
        DashboardSessionPage(session: session, turns: turns, outcome: outcome, nowMilliseconds: M.now).html
    }

    @Test func listsTheCallTreeInOrderWithSubagentsNested() {
        let html = Self.page(Self.turns)
        #expect(M.values(of: "data-turn-id", in: html) == ["m1", "a1", "b1", "b2", "a2", "m2", "m3", "c1", "m4"])
        #expect(M.values(of: "data-depth", in: html) == ["0", "1", "2", "2", "1", "0", "0", "1", "0"])
        #expect(M.count("<tr class=\"turn\"", in: html) == 9)
        // Turns are numbered in time order, so a nested block shows where it interleaved.
        let b1 = M.section(of: html, from: "data-turn-id=\"b1\"", to: "</tr>")
        #expect(b1.contains("<td class=\"num\" data-sort-value=\"4\">4</td>"))
        #expect(b1.contains("<td class=\"agent\" style=\"--depth:2\">↳ B</td>"))
        let m2 = M.section(of: html, from: "data-turn-id=\"m2\"", to: "</tr>")
        #expect(m2.hasPrefix(" data-depth=\"0\" data-side-call=\"true\">"))
        #expect(m2.contains(">side call</td>"))
    }

    @Test func eachTurnShowsTokensCostsCoverageLatencyAndStatus() {
        var turn = TurnRecord.spend(
            id: "t", at: Self.start, session: "k",
            usage: Usage(
                uncachedInput: 1_200, cacheRead: 30_000, cacheWrite5m: 400,
                cacheWrite1h: 50, output: 900), cost: 12_000_000, requested: 15_000_000, requestedCoverage: .simulated,
            baseline: 40_000_000, baselineCoverage: .unknown("no price for frontier"), status: .rateLimited)
        turn.firstByteMilliseconds = 1_234
        turn.guardNote = "budget-soft:per-session"
        let row = M.section(of: Self.page([turn]), from: "data-turn-id=\"t\"", to: "</tr>")
        for tokens in ["1,200", "30,000", "400", "50", "900"] {
            #expect(row.contains(">\(tokens)</td>"))
        }
        #expect(row.contains("<td class=\"num\" data-sort-value=\"12000000\">$0.0120</td>"))
        #expect(
            row.contains(
                "<td class=\"num\" data-sort-value=\"15000000\">≈$0.0150</td><td class=\"coverage\">simulated</td>"))
        #expect(
            row.contains(
                "<td class=\"num\" data-sort-value=\"40000000\">?</td><td class=\"coverage\" title=\"no price for frontier\">unknown</td>"
            ))
        #expect(row.contains(">1,234 ms</td>"))
        #expect(row.contains(">100 ms</td>"))
        #expect(row.contains("rate_limited 500"))
        #expect(row.contains("<td>budget-soft:per-session</td>"))
        #expect(row.contains("data-flag=\"guarded\""))
    }

    @Test func theHeaderShowsBothCounterfactualsAndTheOutcome() {
        let turns: [TurnRecord] = [
            .spend(
                id: "x", at: Self.start, session: "k", tag: "PROJ-9", user: "ana", client: "claude-code",
                cost: 10_000_000, requested: 30_000_000, baseline: 50_000_000)
        ]
        let outcome = SessionOutcome(
            id: "o", session: "k", verdict: .failure, score: 0.25, note: "tests <red>", recordedAtMilliseconds: M.now)
        let html = Self.page(turns, outcome: outcome)
        let facts = M.section(of: html, from: "<dl class=\"facts\">", to: "</dl>")
        #expect(facts.contains("<dd>PROJ-9</dd>"))
        #expect(facts.contains("<dd>claude-code (anthropic)</dd>"))
        #expect(facts.contains("$0.0300, the router saved <span class=\"pos\">$0.0200 (66.67%)</span>"))
        #expect(facts.contains("$0.0500, saved <span class=\"pos\">$0.0400 (80.00%)</span>"))
        #expect(facts.contains("<dd class=\"verdict-failure\">failure"))
        #expect(facts.contains("score 0.25"))
        #expect(facts.contains("tests &lt;red&gt;"))
    }

    /// The turns marked with a flag are exactly as many as the session's tally counts, for the
    /// patterns checked per turn and for the context-bloat run walked again here.
    @Test func perTurnFlagsAgreeWithTheSessionTally() {
        var turns: [TurnRecord] = []
        for (index, prompt) in [30_000, 40_000, 50_000, 60_000, 10_000].enumerated() {
            turns.append(
                .spend(
                    id: "t\(index)", at: Self.start + Int64(index) * 1_000, session: "k", promptEstimate: prompt,
                    usage: Usage(uncachedInput: prompt, output: 10), toolCallRepeats: index >= 2 ? 3 : nil))
        }
        turns.append(.spend(id: "side", at: Self.start + 9_000, session: "k", sideCall: true))
        let tally = WasteFlag.tally(turns)
        #expect(tally.map(\.flag) == [.toolLoop, .contextBloat, .frontierSideCalls])
        let html = Self.page(turns)
        for entry in tally {
            // One label in the header, one per flagged turn.
            #expect(M.count("data-flag=\"\(entry.flag.rawValue)\"", in: html) == entry.turns + 1)
        }
        #expect(html.contains(">context bloat ×4</span>"))
        let last = M.section(of: html, from: "data-turn-id=\"t4\"", to: "</tr>")
        #expect(!last.contains("context_bloat") && last.contains("tool_loop"))
    }

    @Test func hostileKeysAreEscapedAndUnknownSessionsHaveANotFoundPage() {
        let key = "<script>alert(1)</script>"
        let html = Self.page([.spend(id: "<i>", at: Self.start, session: key, agent: "<img src=x>")], session: key)
        #expect(M.count("<script>", in: html) == 0)
        #expect(M.count("<img", in: html) == 0)
        #expect(html.contains("<title>Session &lt;script&gt;alert(1)&lt;/script&gt; · Sluice</title>"))
        #expect(M.values(of: "data-turn-id", in: html) == ["&lt;i&gt;"])

        let missing = DashboardSessionPage.notFoundHTML(session: key, nowMilliseconds: M.now)
        #expect(missing.contains("Session not found"))
        #expect(missing.contains("<code>&lt;script&gt;alert(1)&lt;/script&gt;</code>"))
        #expect(M.count("<script>", in: missing) == 0)
        #expect(missing.contains("href=\"/dashboard/sessions\""))
    }
}
