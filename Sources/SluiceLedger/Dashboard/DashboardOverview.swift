/// The dashboard's front page (`/dashboard`): what the period cost, what it would have cost
/// without Sluice and on the frontier model alone, how spend moved day by day, who and what
/// spent it, and how long the tail of expensive sessions is.
///
/// The figures are the CLI's: totals and the cost distribution from ``LongTailReport``, the
/// groups from ``SpendGroups``, a turn counted as routed by ``TurnRecord/isRouted`` (as
/// ``SessionSummary/routedTurns`` counts it: a model other than the baseline answered). The
/// page adds only the time series (``DashboardSpendSeries``) and the drawing.
///
/// ```swift
/// let period = DashboardPeriod(query: query, nowMilliseconds: now)
/// let turns = try await store.turns(from: period.from, until: period.until)
/// return DashboardOverview(turns: turns, period: period, nowMilliseconds: now).html
/// ```
package struct DashboardOverview: Sendable {
    /// How many users and tags the top lists show.
    package static let topGroupCount = 10

    /// The period shown.
    package var period: DashboardPeriod
    /// The current time, Unix milliseconds.
    package var nowMilliseconds: Int64
    /// Totals, the cost distribution and the forecast.
    package var report: LongTailReport
    /// Spend and both counterfactuals per day or week.
    package var series: DashboardSpendSeries
    /// Spend by user, most first.
    package var users: SpendGroups
    /// Spend by tag, most first.
    package var tags: SpendGroups
    /// Turns a model other than the baseline answered.
    package var routedTurns: Int

    /// Computes the page's figures: a few linear passes and one sort per session.
    ///
    /// - Parameters:
    ///   - turns: The period's turns, in any order.
    ///   - period: The period and the chart's granularity.
    ///   - nowMilliseconds: The current time, Unix milliseconds.
    package init(turns: [TurnRecord], period: DashboardPeriod, nowMilliseconds: Int64) {
        self.period = period
        self.nowMilliseconds = nowMilliseconds
        report = LongTailReport(turns: turns)
        series = DashboardSpendSeries(turns: turns, period: period, nowMilliseconds: nowMilliseconds)
        users = SpendGroups(turns: turns, by: .user)
        tags = SpendGroups(turns: turns, by: .tag)
        routedTurns = turns.count(where: \.isRouted)
    }

    /// The whole page.
    package var html: String {
        let layout = DashboardLayout(
            page: .overview, title: "Overview", period: period, nowMilliseconds: nowMilliseconds,
            showsGranularity: true)
        return layout.rendered(capacity: 16_384 + series.points.count * 600) { html in
            html.append("<h1>Overview <span class=\"muted\">")
            html.append(period.caption)
            html.append("</span></h1>\n")
            guard report.totals.turns > 0 else {
                DashboardLayout.appendEmptyState(
                    title: "No turns in this period",
                    detailHTML: "<p>The ledger has no turns between these dates yet. Point an agent at the gateway "
                        + "(<code>ANTHROPIC_BASE_URL</code> for Claude Code, <code>OPENAI_BASE_URL</code> for Codex "
                        + "and OpenAI SDK agents) and its turns, their cost and their savings appear here. "
                        + "Or choose a longer period above.</p>",
                    to: &html)
                return
            }
            appendCards(to: &html)
            appendSpendChart(to: &html)
            html.append("<div class=\"columns\">\n<section>\n<h2>Top users</h2>\n")
            Self.appendGroups(users, noun: "User", to: &html)
            html.append("</section>\n<section>\n<h2>Top tags</h2>\n")
            Self.appendGroups(tags, noun: "Tag", to: &html)
            html.append("</section>\n</div>\n")
            appendDistribution(to: &html)
        }
    }

    /// The headline figures as cards.
    private func appendCards(to html: inout String) {
        let totals = report.totals
        let mark = totals.estimatedTurns > 0 ? "~" : ""
        html.append("<div class=\"cards\">\n")
        Self.appendCard(
            "Spend", value: mark + totals.cost.display, nanos: totals.cost.nanos,
            detail: "what the period's turns cost", to: &html)
        Self.appendCard(
            "Requested models", value: mark + totals.requested.display, nanos: totals.requested.nanos,
            detail: "without Sluice: every turn on the model the client asked for", to: &html)
        Self.appendCard(
            "All-frontier baseline", value: mark + totals.baseline.display, nanos: totals.baseline.nanos,
            detail: "every turn on the policy's baseline model", to: &html)
        Self.appendCard(
            "Saved against requested", value: mark + totals.routingSavings.display, nanos: totals.routingSavings.nanos,
            detail: SavingsReport.percentCell(totals.routingSavings.basisPoints(of: totals.requested))
                + " of the requested cost", tone: DashboardCell.tone(totals.routingSavings), to: &html)
        Self.appendCard(
            "Saved against baseline", value: mark + totals.savings.display, nanos: totals.savings.nanos,
            detail: SavingsReport.percentCell(totals.savingsBasisPoints) + " of the baseline cost",
            tone: DashboardCell.tone(totals.savings), to: &html)
        Self.appendCard(
            "Sessions", value: NumberText.grouped(totals.sessions), nanos: nil,
            detail: "mean " + report.distribution.mean.display + " per session", to: &html)
        Self.appendCard(
            "Turns", value: NumberText.grouped(totals.turns), nanos: nil,
            detail: NumberText.grouped(totals.estimatedTurns) + " with estimated usage", to: &html)
        Self.appendCard(
            "Routed", value: SavingsReport.percentCell(DashboardCell.basisPoints(routedTurns, of: totals.turns)),
            nanos: nil,
            detail: NumberText.grouped(routedTurns) + " turns answered by a model other than the baseline", to: &html)
        let forecast = report.forecast
        Self.appendCard(
            "Next 30 days", value: forecast.spend.display, nanos: forecast.spend.nanos,
            detail: (forecast.isShortHistory ? "rough guess from few days; " : "")
                + "80% range " + forecast.low.display + " – " + forecast.high.display, to: &html)
        html.append("</div>\n")
        let requested = totals.requestedCoverage
        let baseline = totals.baselineCoverage
        html.append("<p class=\"note\">Coverage of the counterfactuals, in turns: requested ")
        html.append(Self.coverageText(requested))
        html.append("; baseline ")
        html.append(Self.coverageText(baseline))
        html.append(". Unknown figures count at the actual cost, so no saving is claimed for them.")
        if totals.estimatedTurns > 0 {
            html.append(" ~ some turns had no usage from the upstream; their tokens and costs are Sluice's estimates.")
        }
        html.append("</p>\n")
    }

    /// Spend, requested and baseline per bucket as lines on one scale.
    private func appendSpendChart(to html: inout String) {
        let unit = series.granularity == .week ? "week" : "day"
        html.append("<h2>Spend per \(unit)</h2>\n<div class=\"legend\"><span class=\"spend\">spend</span>")
        html.append("<span class=\"requested\">requested models</span>")
        html.append("<span class=\"baseline\">all-frontier baseline</span></div>\n")
        let points = series.points
        DashboardLineChart(
            chart: "spend-over-time", description: "Spend, requested and all-frontier baseline per \(unit)",
            labels: points.map { series.label(of: $0) },
            series: [
                .init(name: "spend", label: "spend", values: points.map(\.spend)),
                .init(name: "requested", label: "requested", values: points.map(\.requested)),
                .init(name: "baseline", label: "baseline", values: points.map(\.baseline)),
            ]
        ).append(to: &html)
    }

    /// The histogram of cost per session with the suggested cap, and the percentiles beside it.
    private func appendDistribution(to html: inout String) {
        let distribution = report.distribution
        html.append("<h2>Cost per session</h2>\n")
        DashboardCostChart(histogram: distribution.histogram, cap: distribution.suggestedCap).append(to: &html)
        html.append("<div class=\"cards\">\n")
        Self.appendCard(
            "Median", value: distribution.median.display, nanos: distribution.median.nanos, detail: nil, to: &html)
        Self.appendCard("p90", value: distribution.p90.display, nanos: distribution.p90.nanos, detail: nil, to: &html)
        Self.appendCard("p99", value: distribution.p99.display, nanos: distribution.p99.nanos, detail: nil, to: &html)
        Self.appendCard(
            "Max", value: distribution.maximum.display, nanos: distribution.maximum.nanos, detail: nil, to: &html)
        Self.appendCard(
            "Suggested cap", value: distribution.suggestedCap.display, nanos: distribution.suggestedCap.nanos,
            detail: "per session: 3 × p90", to: &html)
        Self.appendCard(
            "Top 10% of sessions",
            value: SavingsReport.percentCell(distribution.topDecileShareBasisPoints), nanos: nil,
            detail: "of the spend, in " + LongTailReport.counted(distribution.topDecileCount, "session"), to: &html)
        html.append("</div>\n")
        if !report.suggestedCaps.isEmpty {
            html.append("<h3>Suggested caps per tag</h3>\n<div class=\"table-wrap\"><table id=\"tag-caps\">\n")
            html.append("<thead><tr><th>Tag</th><th class=\"num\">Sessions</th><th class=\"num\">p90</th>")
            html.append("<th class=\"num\">Cap</th></tr></thead>\n<tbody>\n")
            for cap in report.suggestedCaps {
                html.append("<tr>")
                DashboardCell.text(cap.tag, to: &html)
                DashboardCell.count(cap.sessions, to: &html)
                DashboardCell.money(cap.p90, to: &html)
                DashboardCell.money(cap.cap, to: &html)
                html.append("</tr>\n")
            }
            html.append("</tbody>\n</table></div>\n")
        }
        html.append("<p class=\"note\">Percentiles are nearest-rank: each is some session's real cost. ")
        html.append("The suggested cap leaves ordinary heavy sessions alone and stops runaway ones; ")
        html.append("see budgets in the policy to enforce it.</p>\n")
    }

    /// A table of the top groups, with the rest summed in one line.
    private static func appendGroups(_ groups: SpendGroups, noun: String, to html: inout String) {
        let id = noun == "User" ? "top-users" : "top-tags"
        html.append("<div class=\"table-wrap\"><table id=\"\(id)\">\n<thead><tr><th>\(noun)</th>")
        html.append("<th class=\"num\">Sessions</th><th class=\"num\">Turns</th><th class=\"num\">Spend</th>")
        html.append("<th class=\"num\">Share</th><th class=\"num\">Savings</th></tr></thead>\n<tbody>\n")
        for group in groups.rows.prefix(topGroupCount) {
            html.append("<tr>")
            DashboardCell.text(group.key, className: "key", to: &html)
            DashboardCell.count(group.sessions, to: &html)
            DashboardCell.count(group.turns, to: &html)
            DashboardCell.money(group.cost, to: &html)
            DashboardCell.percent(basisPoints: group.shareBasisPoints, to: &html)
            DashboardCell.savings(group.savings, to: &html)
            html.append("</tr>\n")
        }
        html.append("</tbody>\n</table></div>\n")
        if groups.rows.count > topGroupCount {
            var rest = USD.zero
            for group in groups.rows.dropFirst(topGroupCount) { rest += group.cost }
            html.append("<p class=\"note\">\(NumberText.grouped(groups.rows.count - topGroupCount)) more, ")
            html.append("together \(rest.display).</p>\n")
        }
    }

    /// One card: a label, a value (with its nanodollars when it is money) and a line under it.
    private static func appendCard(
        _ label: String, value: String, nanos: Int64?, detail: String?, tone: String = "", to html: inout String
    ) {
        html.append("<div class=\"card\"><div class=\"label\">")
        html.append(label)
        html.append("</div><div class=\"value")
        if !tone.isEmpty { html.append(" " + tone) }
        html.append("\"")
        if let nanos { html.append(" data-sort-value=\"\(nanos)\"") }
        html.append(">")
        html.append(value)
        html.append("</div>")
        if let detail {
            html.append("<div class=\"detail\">")
            html.appendEscaped(detail)
            html.append("</div>")
        }
        html.append("</div>\n")
    }

    /// `12 exact, 30 simulated, 0 unknown`.
    private static func coverageText(_ counts: LongTailReport.CoverageCounts) -> String {
        "\(NumberText.grouped(counts.exact)) exact, \(NumberText.grouped(counts.simulated)) simulated, "
            + "\(NumberText.grouped(counts.unknown)) unknown"
    }
}
