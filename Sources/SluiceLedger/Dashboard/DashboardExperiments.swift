/// The experiments page (`/dashboard/experiments`): each experiment's arms side by side with
/// their intervals, exactly as `sluice ab` reports them.
///
/// The statistics are ``ExperimentReport``'s and the tables are its own sections
/// (``ExperimentReport/armSections``, ``ExperimentReport/differenceSection``): the same columns
/// and cells the terminal and Markdown renderings show, here as HTML tables, so the page and
/// the CLI can never disagree about an interval or a verdict.
///
/// ```swift
/// let page = DashboardExperiments(
///     turns: turns, outcomes: outcomes, armOrders: policy.armOrders, period: period, nowMilliseconds: now)
/// return page.html
/// ```
package struct DashboardExperiments: Sendable {
    /// The experiments with turns in the period, by name.
    package var experiments: [ExperimentReport]
    /// Per experiment, sessions left out because they joined it after their start.
    package var lateSessions: [String: Int]
    /// The period shown.
    package var period: DashboardPeriod
    /// The current time, Unix milliseconds.
    package var nowMilliseconds: Int64

    /// Builds the page as `sluice ab` builds its report (``ABReport``), without shadows.
    ///
    /// - Parameters:
    ///   - turns: The period's turns; those of no experiment are ignored.
    ///   - outcomes: Explicit outcomes.
    ///   - armOrders: Arm names in the policy's order per experiment, the reference first; an
    ///     experiment without an entry lists `control` first.
    ///   - period: The period shown.
    ///   - nowMilliseconds: The current time, for sessions in progress and abandonment.
    ///   - idleMilliseconds: How long without a turn settles a session.
    package init(
        turns: [TurnRecord], outcomes: [SessionOutcome], armOrders: [String: [String]] = [:],
        period: DashboardPeriod, nowMilliseconds: Int64,
        idleMilliseconds: Int64 = SessionSignals.defaultIdleMilliseconds
    ) {
        // `ABReport` refuses to build when there is nothing to report: that is the empty state.
        let report = try? ABReport(
            experiment: nil, armOrders: armOrders, turns: turns, outcomes: outcomes, shadows: [],
            nowMilliseconds: nowMilliseconds, idleMilliseconds: idleMilliseconds)
        self.init(report: report, period: period, nowMilliseconds: nowMilliseconds)
    }

    /// Builds the page from a report already made; `nil` shows the empty state.
    package init(report: ABReport?, period: DashboardPeriod, nowMilliseconds: Int64) {
        experiments = report?.experiments ?? []
        lateSessions = report?.lateSessions ?? [:]
        self.period = period
        self.nowMilliseconds = nowMilliseconds
    }

    /// The whole page.
    package var html: String {
        let layout = DashboardLayout(
            page: .experiments, title: "Experiments", period: period, nowMilliseconds: nowMilliseconds)
        return layout.rendered(capacity: 8_192 + experiments.count * 12_288) { html in
            html.append("<h1>Experiments <span class=\"muted\">")
            html.append(period.caption)
            html.append("</span></h1>\n")
            guard !experiments.isEmpty else {
                DashboardLayout.appendEmptyState(
                    title: "No experiments in this period", detailHTML: Self.howToAddAnExperiment, to: &html)
                return
            }
            for report in experiments {
                appendExperiment(report, to: &html)
            }
            if let notes = experiments.first?.footnotes {
                html.append("<details>\n<summary>How to read these figures</summary>\n")
                for note in notes {
                    html.append("<p class=\"note\">")
                    html.appendEscaped(note)
                    html.append("</p>\n")
                }
                html.append("</details>\n")
            }
        }
    }

    private func appendExperiment(_ report: ExperimentReport, to html: inout String) {
        html.append("<section class=\"experiment\" data-experiment=\"")
        html.appendEscaped(report.experiment)
        html.append("\">\n<h2>Experiment <code>")
        html.appendEscaped(report.experiment)
        html.append("</code></h2>\n<p class=\"lead\">")
        guard report.sessions + report.inProgress > 0 else {
            html.appendEscaped(report.emptyText)
            html.append("</p>\n</section>\n")
            return
        }
        html.appendEscaped(report.headline)
        html.append("</p>\n")
        for section in report.armSections {
            Self.appendSection(section, to: &html)
        }
        if let differences = report.differenceSection {
            Self.appendSection(differences, to: &html)
            html.append("<ul class=\"conclusions\">\n")
            for comparison in report.comparisons {
                html.append("<li><strong>")
                html.appendEscaped(comparison.arm)
                html.append("</strong>: ")
                html.appendEscaped(comparison.conclusion)
                html.append("</li>\n")
            }
            html.append("</ul>\n")
        }
        if let late = lateSessions[report.experiment], late > 0 {
            html.append("<p class=\"note\">")
            html.append(LongTailReport.counted(late, "session"))
            html.append(" joined this experiment after their start (met mid-conversation after a restart or on ")
            html.append("another instance) and are left out.</p>\n")
        }
        html.append("</section>\n")
    }

    /// One of the report's sections as a titled HTML table, with its notes under it.
    private static func appendSection(_ section: ExperimentReport.Section, to html: inout String) {
        html.append("<h3>")
        html.appendEscaped(section.title)
        html.append("</h3>\n<div class=\"table-wrap\"><table class=\"arms\">\n<thead><tr>")
        for column in section.columns {
            html.append(column.alignment == .right ? "<th class=\"num\">" : "<th>")
            html.appendEscaped(column.header)
            html.append("</th>")
        }
        html.append("</tr></thead>\n<tbody>\n")
        for cells in section.rows {
            html.append("<tr>")
            for (index, cell) in cells.enumerated() {
                let numeric = index < section.columns.count && section.columns[index].alignment == .right
                html.append(numeric ? "<td class=\"num\">" : "<td>")
                html.appendEscaped(cell)
                html.append("</td>")
            }
            html.append("</tr>\n")
        }
        html.append("</tbody>\n</table></div>\n")
        for note in section.notes {
            html.append("<p class=\"note\">")
            html.appendEscaped(note)
            html.append("</p>\n")
        }
    }

    /// The empty state's help: what an `experiments:` block looks like and what happens next.
    static let howToAddAnExperiment = """
        <p>An experiment splits new sessions between arms of the policy, each session in one arm for \
        its whole life (a stable hash of its session key), and this page compares the arms' cost per \
        session and outcomes with honest intervals. Add an <code>experiments:</code> block to the \
        policy file; the gateway reloads it on change:</p>
        <pre><code>experiments:
          - name: grep-to-cheap
            arms:
              control:   {weight: 50, without: [grep-shaped]}
              candidate: {weight: 50}</code></pre>
        <p>The first arm is the reference the others are compared with. Report how sessions ended with \
        <code>sluice outcome KEY --success</code> (or <code>POST /v1/sessions/KEY/outcome</code>) so the \
        comparison weighs quality, not only cost; <code>sluice ab</code> prints the same report.</p>
        """
}
