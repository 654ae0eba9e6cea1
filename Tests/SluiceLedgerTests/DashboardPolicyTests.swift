import SluiceLedger
import Testing

@Suite struct DashboardPolicyTests {
    typealias M = DashboardMarkup

    static let period = DashboardPeriod.lastDays(7, nowMilliseconds: M.now)
    static let yaml = "version: 1\nrules:\n  - {name: side-calls, when: {shape: side_call}, route: cheap}  # <script>\n"

    static func page(turns: [TurnRecord]) -> DashboardPolicy {
        DashboardPolicy(
            path: "policies/default.yaml", yaml: Self.yaml, loadedAtMilliseconds: M.now - 2 * M.hour,
            ruleNames: ["side-calls", "grep-shaped", "default", "side-calls"], turns: turns, period: Self.period,
            nowMilliseconds: M.now)
    }

    @Test func countsEachRuleInPolicyOrderWithRulesThatNeverFired() {
        let turns: [TurnRecord] = [
            .spend(id: "1", at: M.now - M.hour, rule: "default", cost: 30_000_000),
            .spend(id: "2", at: M.now - M.hour, rule: "default", cost: 10_000_000),
            .spend(id: "3", at: M.now - M.hour, rule: "side-calls", cost: 1_000_000),
            .spend(id: "4", at: M.now - M.hour, rule: "stickiness", cost: 5_000_000),
        ]
        let page = Self.page(turns: turns)
        #expect(page.rules.map(\.rule) == ["side-calls", "grep-shaped", "default", "stickiness"])
        #expect(page.rules.map(\.turns) == [1, 0, 2, 1])
        #expect(page.rules.map(\.inPolicy) == [true, true, true, false])
        let html = page.html
        #expect(M.values(of: "data-rule", in: html) == ["side-calls", "grep-shaped", "default", "stickiness"])
        #expect(M.values(of: "data-turns", in: html) == ["1", "0", "2", "1"])
        let grep = M.section(of: html, from: "data-rule=\"grep-shaped\"", to: "</tr>")
        #expect(grep.contains("never fired"))
        #expect(grep.contains("<td class=\"num\" data-sort-value=\"0\">$0.0000</td>"))
        let defaultRule = M.section(of: html, from: "data-rule=\"default\"", to: "</tr>")
        #expect(defaultRule.contains("<td class=\"num\" data-sort-value=\"5000\">50.00%</td>"))
        #expect(defaultRule.contains("<td class=\"num\" data-sort-value=\"40000000\">$0.0400</td>"))
        #expect(M.section(of: html, from: "data-rule=\"stickiness\"", to: "</tr>").contains("not in the loaded policy"))
    }

    @Test func showsTheFileWhenItWasLoadedAndItsTextEscaped() {
        let html = Self.page(turns: []).html
        #expect(html.contains("<code>policies/default.yaml</code>"))
        #expect(html.contains("2026-11-25 10:00 UTC (2 h ago)"))
        #expect(html.contains("route: cheap}  # &lt;script&gt;\n</code></pre>"))
        #expect(M.count("<script", in: html) == 0)
        // Rules that never fired are listed with zero even when the period has no turns.
        #expect(M.values(of: "data-turns", in: html) == ["0", "0", "0"])
    }
}
