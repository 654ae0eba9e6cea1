/// The sessions page (`/dashboard/sessions`): one row per session, filtered and sorted on the
/// server, each linking to its call tree.
///
/// The filters are a GET form whose choices are the values present in the period, so a user
/// picks a tag instead of remembering it; column headers are links that sort by that column
/// and keep every other filter. The table carries machine-readable values (`data-session` per
/// row, `data-sort-value` per figure) so its order can be checked, by tests and by people
/// scripting against the page alike.
///
/// ```swift
/// let filter = DashboardSessionFilter(queryItems: items, nowMilliseconds: now)
/// let turns = try await store.turns(from: filter.period.from, until: filter.period.until)
/// let page = DashboardSessions(turns: turns, outcomes: outcomes, filter: filter, nowMilliseconds: now)
/// return page.html
/// ```
package struct DashboardSessions: Sendable {
    /// The filter from the URL.
    package var filter: DashboardSessionFilter
    /// The current time, Unix milliseconds.
    package var nowMilliseconds: Int64
    /// Every session of the turns given, before filtering.
    package var rows: [DashboardSessionRow]
    /// The rows shown and the counts behind "N of M sessions".
    package var selection: DashboardSessionFilter.Selection

    /// Builds the page from the period's turns.
    ///
    /// - Parameters:
    ///   - turns: The turns of the filter's period (more are harmless: sessions without activity
    ///     in the period are left out).
    ///   - outcomes: Explicit outcomes; the latest per session counts.
    ///   - filter: The filter from the URL.
    ///   - nowMilliseconds: The current time, Unix milliseconds.
    package init(
        turns: [TurnRecord], outcomes: [SessionOutcome], filter: DashboardSessionFilter, nowMilliseconds: Int64
    ) {
        self.init(
            rows: DashboardSessionRow.rows(turns: turns, outcomes: outcomes, nowMilliseconds: nowMilliseconds),
            filter: filter, nowMilliseconds: nowMilliseconds)
    }

    /// Builds the page from rows already made.
    package init(rows: [DashboardSessionRow], filter: DashboardSessionFilter, nowMilliseconds: Int64) {
        self.filter = filter
        self.nowMilliseconds = nowMilliseconds
        self.rows = rows
        selection = filter.apply(to: rows)
    }

    /// The whole page.
    package var html: String {
        let kept = filter.queryItems.filter { $0.0 != "from" && $0.0 != "until" }
            .map { DashboardQuery.Item(name: $0.0, value: $0.1) }
        let layout = DashboardLayout(
            page: .sessions, title: "Sessions", period: filter.period, nowMilliseconds: nowMilliseconds,
            keptQuery: kept)
        return layout.rendered(capacity: 2_048 + selection.rows.count * 1_400) { html in
            html.append("<h1>Sessions <span class=\"muted\">")
            html.append(filter.period.caption)
            html.append("</span></h1>\n")
            guard selection.total > 0 else {
                DashboardLayout.appendEmptyState(
                    title: "No sessions in this period",
                    detailHTML: "<p>Sessions appear here once an agent sends its turns through the gateway. "
                        + "Choose a longer period above, or point an agent at Sluice (<code>ANTHROPIC_BASE_URL</code> "
                        + "or <code>OPENAI_BASE_URL</code>).</p>",
                    to: &html)
                return
            }
            appendFilters(to: &html)
            appendCount(to: &html)
            if selection.rows.isEmpty {
                DashboardLayout.appendEmptyState(
                    title: "No session matches these filters",
                    detailHTML: "<p><a href=\""
                        + DashboardQuery.link(DashboardLayout.Page.sessions.path, filter.period.queryItems())
                        .htmlEscaped
                        + "\">Clear the filters</a> to see every session of the period.</p>",
                    to: &html)
                return
            }
            appendTable(to: &html)
        }
    }

    /// `12 of 340 sessions`, and what the matching ones cost.
    private func appendCount(to html: inout String) {
        html.append(
            "<p class=\"count\" data-shown=\"\(selection.rows.count)\" data-matching=\"\(selection.matching)\" ")
        html.append("data-total=\"\(selection.total)\"><strong>")
        html.append(NumberText.grouped(selection.rows.count))
        html.append(" of ")
        html.append(NumberText.grouped(selection.total))
        html.append(selection.total == 1 ? " session</strong>" : " sessions</strong>")
        if selection.matching > selection.rows.count {
            html.append(" (\(NumberText.grouped(selection.matching)) match; the first ")
            html.append("\(NumberText.grouped(filter.limit)) are shown, raise the limit to see more)")
        }
        let savings = selection.baseline - selection.cost
        html.append(". Matching sessions cost ")
        html.append(selection.cost.display)
        html.append(", requested ")
        html.append(selection.requested.display)
        html.append(", all-frontier baseline ")
        html.append(selection.baseline.display)
        html.append(" (saved <span class=\"\(DashboardCell.tone(savings))\">")
        html.append(savings.display)
        html.append("</span>).</p>\n")
    }

    /// The GET form: one select per filter with the values present in the period, the order and
    /// the limit; the period rides along as hidden fields.
    private func appendFilters(to html: inout String) {
        var users = Set<String>()
        var tags = Set<String>()
        var clients = Set<String>()
        var arms = Set<String>()
        var flags = Set<WasteFlag>()
        for row in rows where filter.period.overlaps(first: row.firstAtMilliseconds, last: row.lastAtMilliseconds) {
            users.insert(Self.choice(row.user))
            tags.insert(Self.choice(row.tag))
            clients.insert(row.clientName)
            arms.insert(Self.choice(row.arm))
            for tally in row.flags { flags.insert(tally.flag) }
        }
        html.append("<form class=\"filters\" method=\"get\" action=\"")
        html.append(DashboardLayout.Page.sessions.path)
        html.append("\">\n")
        for (name, value) in filter.period.queryItems() {
            DashboardLayout.appendHidden(name, value, to: &html)
        }
        Self.appendSelect("user", "User", values: users, selected: filter.user, to: &html)
        Self.appendSelect("tag", "Tag", values: tags, selected: filter.tag, to: &html)
        Self.appendSelect("client", "Client", values: clients, selected: filter.client, to: &html)
        Self.appendSelect("arm", "Arm", values: arms, selected: filter.arm, to: &html)

        html.append("<label>Flag <select name=\"flag\"><option value=\"\">any</option>")
        for flag in WasteFlag.allCases where flags.contains(flag) || flag == filter.flag {
            DashboardLayout.appendOption(
                value: flag.rawValue, label: flag.name, selected: flag == filter.flag, to: &html)
        }
        html.append("</select></label>\n<label>Sort <select name=\"sort\">")
        for sort in DashboardSessionFilter.Sort.allCases {
            DashboardLayout.appendOption(
                value: sort.rawValue, label: sort.label, selected: sort == filter.sort, to: &html)
        }
        html.append("</select></label>\n<label>Order <select name=\"dir\">")
        DashboardLayout.appendOption(
            value: "desc", label: "descending", selected: filter.direction == .desc, to: &html)
        DashboardLayout.appendOption(value: "asc", label: "ascending", selected: filter.direction == .asc, to: &html)
        html.append("</select></label>\n<label>Limit <input type=\"number\" name=\"limit\" min=\"1\" max=\"")
        html.append(String(DashboardSessionFilter.maximumLimit))
        html.append("\" value=\"\(filter.limit)\"></label>\n<button type=\"submit\">Apply</button>\n<a href=\"")
        html.appendEscaped(DashboardQuery.link(DashboardLayout.Page.sessions.path, filter.period.queryItems()))
        html.append("\">Clear</a>\n</form>\n")
    }

    private func appendTable(to html: inout String) {
        html.append("<div class=\"table-wrap\">\n<table id=\"sessions\">\n<thead><tr>")
        Self.appendHeader("Session", to: &html)
        Self.appendHeader("User", to: &html)
        Self.appendHeader("Tag", to: &html)
        Self.appendHeader("Client", to: &html)
        Self.appendHeader("Arm", to: &html)
        appendSortHeader("First", .first, to: &html)
        appendSortHeader("Last", .recent, to: &html)
        appendSortHeader("Turns", .turns, to: &html)
        Self.appendHeader("Routed", numeric: true, to: &html)
        appendSortHeader("Cost", .cost, to: &html)
        Self.appendHeader("Requested", numeric: true, to: &html)
        Self.appendHeader("Baseline", numeric: true, to: &html)
        appendSortHeader("Savings", .savings, to: &html)
        Self.appendHeader("Outcome", to: &html)
        Self.appendHeader("Flags", to: &html)
        html.append("</tr></thead>\n<tbody>\n")
        for row in selection.rows {
            appendRow(row, to: &html)
        }
        html.append("</tbody>\n</table>\n</div>\n")
        html.append("<p class=\"note\">Routed: turns a model other than the baseline answered. ")
        html.append("~ marks sessions with estimated usage. Savings are against the all-frontier baseline.</p>\n")
    }

    private func appendRow(_ row: DashboardSessionRow, to html: inout String) {
        html.append("<tr data-session=\"")
        html.appendEscaped(row.session)
        html.append("\"><td class=\"key\"><a href=\"")
        html.append(DashboardSessionPage.path(of: row.session))
        html.append("\">")
        html.appendEscaped(row.session)
        html.append("</a></td>")
        DashboardCell.text(row.user, to: &html)
        DashboardCell.text(row.tag, to: &html)
        html.append("<td>")
        html.appendEscaped(row.clientName)
        if row.client != nil, !row.dialect.isEmpty {
            html.append("<span class=\"sub\">")
            html.appendEscaped(row.dialect)
            html.append("</span>")
        }
        html.append("</td>")
        DashboardCell.text(row.arm, to: &html)
        DashboardCell.time(row.firstAtMilliseconds, to: &html)
        DashboardCell.time(row.lastAtMilliseconds, to: &html)
        DashboardCell.count(row.turns, to: &html)
        DashboardCell.count(row.routedTurns, to: &html)
        DashboardCell.money(row.cost, mark: row.mark, to: &html)
        DashboardCell.money(row.requested, mark: row.mark, to: &html)
        DashboardCell.money(row.baseline, mark: row.mark, to: &html)
        DashboardCell.savings(row.savings, mark: row.mark, to: &html)
        DashboardCell.verdict(row.outcome, inProgress: row.inProgress, to: &html)
        DashboardCell.flags(row.flags, counts: true, to: &html)
        html.append("</tr>\n")
    }

    /// A header that sorts by its column: descending first, the other way when already sorted by it.
    private func appendSortHeader(_ title: String, _ sort: DashboardSessionFilter.Sort, to html: inout String) {
        let current = filter.sort == sort
        let direction = current ? filter.direction.reversed : .desc
        html.append("<th class=\"num\" data-sort=\"\(sort.rawValue)\"")
        if current { html.append(filter.direction == .asc ? " aria-sort=\"ascending\"" : " aria-sort=\"descending\"") }
        html.append("><a href=\"")
        html.appendEscaped(
            DashboardQuery.link(
                DashboardLayout.Page.sessions.path, filter.queryItems(sort: sort, direction: direction)))
        html.append("\">")
        html.append(title)
        if current { html.append(filter.direction == .asc ? " ▲" : " ▼") }
        html.append("</a></th>")
    }

    private static func appendHeader(_ title: String, numeric: Bool = false, to html: inout String) {
        html.append(numeric ? "<th class=\"num\">" : "<th>")
        html.append(title)
        html.append("</th>")
    }

    /// A labelled select of the values present, `any` first; the selected value stays listed even
    /// when no session of the period has it, so the form shows what the URL asked for.
    private static func appendSelect(
        _ name: String, _ label: String, values: Set<String>, selected: String?, to html: inout String
    ) {
        var choices = values
        if let selected { choices.insert(selected) }
        html.append("<label>\(label) <select name=\"\(name)\"><option value=\"\">any</option>")
        // `(none)` last, after the real values.
        var ordered = choices.filter { $0 != SpendGroupKey.noValue }.sorted()
        if choices.contains(SpendGroupKey.noValue) { ordered.append(SpendGroupKey.noValue) }
        for value in ordered {
            appendOption(value: value, selected: value == selected, to: &html)
        }
        html.append("</select></label>\n")
    }

    private static func appendOption(value: String, selected: Bool, to html: inout String) {
        DashboardLayout.appendOption(value: value, label: value, selected: selected, to: &html)
    }

    /// A row's value as a filter choice: `(none)` when absent.
    private static func choice(_ value: String?) -> String {
        guard let value, !value.isEmpty else { return SpendGroupKey.noValue }
        return value
    }
}
