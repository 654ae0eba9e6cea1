/// The policy page (`/dashboard/policy`): which policy file is loaded and since when, its text,
/// and how often each rule fired in the period with what its turns cost.
///
/// A rule that never fires is dead weight or a mistake (shadowed, a typo in a tool category);
/// a rule that takes most of the spend is where a cheaper route pays most. Rules are listed in
/// the policy's order, so the table reads like the file, those that never fired with zero. Rules
/// the period's turns name but the loaded policy does not (a rule since renamed or removed, an
/// experiment arm's own rule, `stickiness`) follow, marked, so the counts still add up to
/// every turn. The sums are ``SpendGroups`` by rule, as `sluice report --group-by rule` gives them.
///
/// ```swift
/// let page = DashboardPolicy(
///     path: holder.path, yaml: holder.text, loadedAtMilliseconds: holder.loadedAt,
///     ruleNames: policy.rules.map(\.name), turns: turns, period: period, nowMilliseconds: now)
/// ```
package struct DashboardPolicy: Sendable {
    /// One rule's turns in the period.
    package struct RuleRow: Sendable, Hashable {
        /// The rule's name; ``SpendGroupKey/noValue`` for turns no rule decided.
        package var rule: String
        /// Whether the loaded policy has a rule of this name.
        package var inPolicy: Bool
        /// Turns the rule decided.
        package var turns: Int
        /// Their actual cost.
        package var cost: USD
        /// Their requested counterfactual.
        package var requested: USD
        /// Their all-frontier counterfactual.
        package var baseline: USD

        /// Savings against the all-frontier counterfactual.
        package var savings: USD { baseline - cost }
    }

    /// The policy file's path, as the gateway was given it.
    package var path: String
    /// The file's text as loaded.
    package var yaml: String
    /// When it was loaded, Unix milliseconds.
    package var loadedAtMilliseconds: Int64
    /// Every rule, policy order first, then rules only the turns name (most spend first).
    package var rules: [RuleRow]
    /// Turns in the period.
    package var turns: Int
    /// Their actual cost.
    package var cost: USD
    /// The period shown.
    package var period: DashboardPeriod
    /// The current time, Unix milliseconds.
    package var nowMilliseconds: Int64

    /// Builds the page.
    ///
    /// - Parameters:
    ///   - path: The policy file's path.
    ///   - yaml: Its text.
    ///   - loadedAtMilliseconds: When the gateway loaded it.
    ///   - ruleNames: The policy's rule names in order; a name listed twice counts once.
    ///   - turns: The period's turns.
    ///   - period: The period shown.
    ///   - nowMilliseconds: The current time, Unix milliseconds.
    package init(
        path: String, yaml: String, loadedAtMilliseconds: Int64, ruleNames: [String], turns: [TurnRecord],
        period: DashboardPeriod, nowMilliseconds: Int64
    ) {
        let groups = SpendGroups(turns: turns, by: .rule)
        var byRule: [String: SpendGroups.Row] = [:]
        for row in groups.rows { byRule[row.key] = row }
        var rules: [RuleRow] = []
        var listed = Set<String>()
        for name in ruleNames where listed.insert(name).inserted {
            let group = byRule[name]
            rules.append(
                RuleRow(
                    rule: name, inPolicy: true, turns: group?.turns ?? 0, cost: group?.cost ?? .zero,
                    requested: group?.requested ?? .zero, baseline: group?.baseline ?? .zero))
        }
        for group in groups.rows where !listed.contains(group.key) {
            rules.append(
                RuleRow(
                    rule: group.key, inPolicy: false, turns: group.turns, cost: group.cost, requested: group.requested,
                    baseline: group.baseline))
        }
        self.path = path
        self.yaml = yaml
        self.loadedAtMilliseconds = loadedAtMilliseconds
        self.rules = rules
        self.turns = turns.count
        cost = groups.total
        self.period = period
        self.nowMilliseconds = nowMilliseconds
    }

    /// The whole page.
    package var html: String {
        let layout = DashboardLayout(page: .policy, title: "Policy", period: period, nowMilliseconds: nowMilliseconds)
        return layout.rendered(capacity: 8_192 + yaml.utf8.count * 2 + rules.count * 400) { html in
            html.append("<h1>Policy</h1>\n<dl class=\"facts\">\n<dt>File</dt><dd><code>")
            html.appendEscaped(path)
            html.append("</code></dd>\n<dt>Loaded</dt><dd data-sort-value=\"\(loadedAtMilliseconds)\">")
            html.append(UTCDateTime(unixMilliseconds: loadedAtMilliseconds).shortDisplay)
            html.append(" UTC (")
            html.append(DashboardSessionPage.duration(nowMilliseconds - loadedAtMilliseconds))
            html.append(" ago)</dd>\n</dl>\n<h2>Rules <span class=\"muted\">")
            html.append(period.caption)
            html.append("</span></h2>\n")
            appendRules(to: &html)
            html.append("<h2>Policy file</h2>\n<pre id=\"policy-yaml\"><code>")
            html.appendEscaped(yaml)
            html.append("</code></pre>\n")
        }
    }

    private func appendRules(to html: inout String) {
        guard !rules.isEmpty else {
            html.append("<p class=\"muted\">The policy has no rules, and no turns in this period.</p>\n")
            return
        }
        html.append("<div class=\"table-wrap\"><table id=\"rules\">\n<thead><tr><th class=\"num\">#</th><th>Rule</th>")
        html.append("<th class=\"num\">Turns</th><th class=\"num\">Share of turns</th><th class=\"num\">Cost</th>")
        html.append("<th class=\"num\">Requested</th><th class=\"num\">Baseline</th><th class=\"num\">Savings</th>")
        html.append("</tr></thead>\n<tbody>\n")
        var position = 0
        for rule in rules {
            html.append("<tr data-rule=\"")
            html.appendEscaped(rule.rule)
            html.append("\" data-turns=\"\(rule.turns)\">")
            if rule.inPolicy {
                position += 1
                html.append("<td class=\"num\">\(position)</td><td><code>")
            } else {
                html.append("<td class=\"num\">–</td><td><code>")
            }
            html.appendEscaped(rule.rule)
            html.append("</code>")
            if !rule.inPolicy { html.append("<span class=\"sub\">not in the loaded policy</span>") }
            if rule.inPolicy, rule.turns == 0 { html.append("<span class=\"sub\">never fired</span>") }
            html.append("</td>")
            DashboardCell.count(rule.turns, to: &html)
            DashboardCell.percent(basisPoints: DashboardCell.basisPoints(rule.turns, of: turns), to: &html)
            DashboardCell.money(rule.cost, to: &html)
            DashboardCell.money(rule.requested, to: &html)
            DashboardCell.money(rule.baseline, to: &html)
            DashboardCell.savings(rule.savings, to: &html)
            html.append("</tr>\n")
        }
        html.append("</tbody>\n<tfoot><tr><td></td><td>Total</td>")
        DashboardCell.count(turns, to: &html)
        html.append("<td></td>")
        DashboardCell.money(cost, to: &html)
        html.append("<td colspan=\"3\"></td></tr></tfoot>\n</table></div>\n")
        html.append("<p class=\"note\">A turn counts for the rule that chose its model (<code>stickiness</code> when ")
        html.append("the session was kept on its model). Rules that never fired may be shadowed by an earlier rule; ")
        html.append("<code>sluice policy check</code> reports dead and shadowed rules.</p>\n")
    }
}
