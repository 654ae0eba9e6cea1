import SluiceLedger
import Testing

@Suite struct DashboardExperimentsTests {
    typealias M = DashboardMarkup

    static let period = DashboardPeriod.lastDays(7, nowMilliseconds: M.now)

    /// ``ExperimentReportTests/clearlyDifferent``'s 24 sessions, in experiment `cheap-first`.
    static var turns: [TurnRecord] {
        ExperimentReportTests.clearlyDifferent.map { turn in
            var turn = turn
            turn.experiment = "cheap-first"
            return turn
        }
    }

    @Test func showsTheArmsSideBySideAsSluiceAbDoes() throws {
        let page = DashboardExperiments(
            turns: Self.turns, outcomes: [], armOrders: ["cheap-first": ["control", "cheap"]], period: Self.period,
            nowMilliseconds: ExperimentReportTests.now)
        let html = page.html
        let report = try #require(page.experiments.first)
        #expect(M.values(of: "data-experiment", in: html) == ["cheap-first"])
        for section in ["Cost per session", "Spend", "Outcomes", "Effort per session", "Verdicts", "Turns per rule"] {
            #expect(html.contains("<h3>\(section)</h3>"))
        }
        #expect(html.contains("<h3>Difference in mean cost per session, against control</h3>"))
        // The same cells as the terminal table: the arms in the policy's order with their intervals.
        let cost = M.section(of: html, from: "<h3>Cost per session</h3>", to: "</table>")
        #expect(M.count("<tr><td>control</td>", in: cost) == 1)
        #expect(M.count("<tr><td>cheap</td>", in: cost) == 1)
        #expect(cost.contains("<td class=\"num\">\(report.arms[0].costPerSession.mean.display)</td>"))
        #expect(cost.contains("<th class=\"num\">Sessions</th>"))
        let conclusion = DashboardLayout.escaped(report.comparisons[0].conclusion)
        #expect(html.contains("<li><strong>cheap</strong>: \(conclusion)</li>"))
        #expect(html.contains("<summary>How to read these figures</summary>"))
    }

    @Test func withoutExperimentsSaysHowToAddOne() {
        let html = DashboardExperiments(
            turns: [.spend(id: "t", at: M.now - M.hour)], outcomes: [], period: Self.period, nowMilliseconds: M.now
        ).html
        #expect(html.contains("No experiments in this period"))
        #expect(html.contains("<code>experiments:</code>"))
        #expect(html.contains("<pre><code>experiments:\n  - name: grep-to-cheap\n"))
        #expect(M.count("<table", in: html) == 0)
    }

    @Test func experimentAndArmNamesAreEscaped() {
        var turn = TurnRecord.armTurn(id: "x", at: M.now - 3 * M.hour, session: "s", arm: "<b>arm</b>")
        turn.experiment = "<i>exp</i>"
        let html = DashboardExperiments(
            turns: [turn], outcomes: [], period: Self.period, nowMilliseconds: M.now
        ).html
        #expect(M.count("<b>", in: html) == 0)
        #expect(M.count("<i>", in: html) == 0)
        #expect(html.contains("<code>&lt;i&gt;exp&lt;/i&gt;</code>"))
        #expect(html.contains("<td>&lt;b&gt;arm&lt;/b&gt;</td>"))
    }
}
