import SluiceWire

/// One session's page (`/dashboard/sessions/<key>`): its header, then every turn in call-tree
/// order, each subagent's turns nested under the agent that started it.
///
/// This is where a user goes from "this session cost $14" to "the subagent's fourth turn
/// resent 180,000 uncached tokens": every turn shows what answered it and why (shape, rule,
/// model), its tokens by kind, its cost against both counterfactuals with how each was
/// obtained, its latency, how it ended, and what guards and waste checks said about it. The
/// order and depth are ``SessionTree``'s, the same as `sluice report --session`; turns are
/// numbered in time order, so a nested block shows where it interleaved with its parent.
///
/// ```swift
/// let turns = try await store.turns(inSession: key)
/// guard !turns.isEmpty else { return notFound(DashboardSessionPage.notFoundHTML(session: key, nowMilliseconds: now)) }
/// return DashboardSessionPage(session: key, turns: turns, outcome: outcome, nowMilliseconds: now).html
/// ```
package struct DashboardSessionPage: Sendable {
    /// One turn at its place in the call tree.
    package struct Line: Sendable, Hashable {
        /// The turn's 1-based position in time order.
        package var index: Int
        /// Its depth in the tree: 0 for the main agent, 1 for its subagents, …
        package var depth: Int
        /// The turn.
        package var turn: TurnRecord
        /// The waste patterns this turn shows.
        package var flags: [WasteFlag]
    }

    /// The session's header figures.
    package var row: DashboardSessionRow
    /// Every turn, in tree order.
    package var lines: [Line]
    /// The current time, Unix milliseconds.
    package var nowMilliseconds: Int64

    /// Builds the page.
    ///
    /// - Parameters:
    ///   - session: The session key.
    ///   - turns: The session's turns, in any order. With none, the gateway should answer 404
    ///     with ``notFoundHTML(session:nowMilliseconds:)`` instead.
    ///   - outcome: The session's latest explicit outcome, if any.
    ///   - nowMilliseconds: The current time, Unix milliseconds.
    package init(session: String, turns: [TurnRecord], outcome: SessionOutcome?, nowMilliseconds: Int64) {
        let ordered = turns.sorted(by: TurnRecord.chronologically)
        var indices: [String: Int] = [:]
        indices.reserveCapacity(ordered.count)
        for (offset, turn) in ordered.enumerated() where indices[turn.id] == nil {
            indices[turn.id] = offset + 1
        }
        let flags = WasteFlag.byTurn(ordered)
        row = DashboardSessionRow(session: session, turns: ordered, outcome: outcome, nowMilliseconds: nowMilliseconds)
        lines = SessionTree(turns: ordered).lines.map { line in
            Line(
                index: indices[line.turn.id] ?? 0, depth: line.depth, turn: line.turn, flags: flags[line.turn.id] ?? [])
        }
        self.nowMilliseconds = nowMilliseconds
    }

    /// The page's path for a session key, the key percent-encoded as one path segment.
    package static func path(of session: String) -> String {
        DashboardLayout.Page.sessions.path + "/" + session.percentEncoded
    }

    /// The session key in a path segment written by ``path(of:)``, decoded: what the gateway's
    /// handler looks the session up by (`+` stays a plus, as in any path).
    package static func session(fromPathSegment segment: String) -> String {
        DashboardQuery.percentDecoded(Substring(segment), plusIsSpace: false)
    }

    /// The whole page.
    package var html: String {
        let layout = DashboardLayout(
            page: .sessions, title: "Session " + row.session, period: nil, nowMilliseconds: nowMilliseconds)
        return layout.rendered(capacity: 4_096 + lines.count * 1_600) { html in
            html.append("<p class=\"muted\"><a href=\"")
            html.append(DashboardLayout.Page.sessions.path)
            html.append("\">← Sessions</a></p>\n<h1>Session <code>")
            html.appendEscaped(row.session)
            html.append("</code></h1>\n")
            appendFacts(to: &html)
            html.append("<h2>Call tree</h2>\n")
            if lines.isEmpty {
                html.append("<p class=\"muted\">No turns recorded for this session.</p>\n")
            } else {
                appendTree(to: &html)
            }
        }
    }

    /// The body of the 404 the gateway answers for an unknown session key: a full page that says
    /// so and links back to the list.
    package static func notFoundHTML(session: String, nowMilliseconds: Int64) -> String {
        let layout = DashboardLayout(
            page: .sessions, title: "Session not found", period: nil, nowMilliseconds: nowMilliseconds)
        return layout.rendered(capacity: 2_048) { html in
            html.append("<h1>Session not found</h1>\n")
            DashboardLayout.appendEmptyState(
                title: "No turns of this session in the ledger",
                detailHTML: "<p>The ledger has no session <code>" + session.htmlEscaped + "</code>. It may be "
                    + "misspelt, or older than the ledger keeps. <a href=\"" + DashboardLayout.Page.sessions.path
                    + "\">Back to the sessions</a>.</p>",
                to: &html)
        }
    }

    /// The header: who, when, how much against what, how it ended.
    private func appendFacts(to html: inout String) {
        html.append("<dl class=\"facts\">\n")
        Self.appendFact("User", row.user, to: &html)
        Self.appendFact("Tag", row.tag, to: &html)
        Self.appendFact("Client", row.client.map { "\($0) (\(row.dialect))" } ?? row.dialect, to: &html)
        Self.appendFact("Experiment", row.experiment.map { "\($0), arm \(row.arm ?? "–")" } ?? row.arm, to: &html)
        let first = UTCDateTime(unixMilliseconds: row.firstAtMilliseconds)
        let last = UTCDateTime(unixMilliseconds: row.lastAtMilliseconds)
        Self.appendFact(
            "Time",
            "\(first.date) \(first.time) → \(last.date) \(last.time) UTC "
                + "(\(Self.duration(row.lastAtMilliseconds - row.firstAtMilliseconds)))", to: &html)
        var turns = "\(NumberText.grouped(row.turns)), \(NumberText.grouped(row.routedTurns)) routed"
        if row.failedTurns > 0 { turns += ", \(NumberText.grouped(row.failedTurns)) failed" }
        if row.estimatedTurns > 0 { turns += ", \(NumberText.grouped(row.estimatedTurns)) with estimated usage" }
        Self.appendFact("Turns", turns, to: &html)

        html.append("<dt>Cost</dt><dd data-sort-value=\"\(row.cost.nanos)\">")
        html.append(row.mark + row.cost.display)
        html.append("</dd>\n<dt>Requested</dt><dd data-sort-value=\"\(row.requested.nanos)\">")
        html.append(row.mark + row.requested.display)
        html.append(", the router saved ")
        Self.appendSaving(row.routingSavings, of: row.requested, mark: row.mark, to: &html)
        html.append("</dd>\n<dt>All-frontier baseline</dt><dd data-sort-value=\"\(row.baseline.nanos)\">")
        html.append(row.mark + row.baseline.display)
        html.append(", saved ")
        Self.appendSaving(row.savings, of: row.baseline, mark: row.mark, to: &html)
        html.append("</dd>\n<dt>Outcome</dt><dd class=\"verdict-\(row.outcome.rawValue)\">")
        html.append(row.inProgress && row.outcome == .unknown ? "in progress" : row.outcome.name)
        if let reported = row.reportedOutcome {
            html.append(" <span class=\"muted\">(reported ")
            html.append(UTCDateTime(unixMilliseconds: reported.recordedAtMilliseconds).shortDisplay)
            if let score = reported.score, let text = ExperimentReport.decimalText(score, places: 2) {
                html.append(", score " + text)
            }
            html.append(")</span>")
            if let note = reported.note, !note.isEmpty {
                html.append("<span class=\"sub\">")
                html.appendEscaped(note)
                html.append("</span>")
            }
        }
        html.append("</dd>\n<dt>Flags</dt><dd>")
        if row.flags.isEmpty {
            html.append("none")
        } else {
            for tally in row.flags { DashboardCell.appendFlag(tally.flag, turns: tally.turns, to: &html) }
        }
        html.append("</dd>\n</dl>\n")
    }

    private func appendTree(to html: inout String) {
        let firstDate = UTCDateTime(unixMilliseconds: row.firstAtMilliseconds).date
        html.append("<div class=\"table-wrap\">\n<table id=\"turns\">\n<thead><tr>")
        for (title, numeric) in Self.columns {
            html.append(numeric ? "<th class=\"num\">" : "<th>")
            html.append(title)
            html.append("</th>")
        }
        html.append("</tr></thead>\n<tbody>\n")
        for line in lines {
            appendTurn(line, firstDate: firstDate, to: &html)
        }
        html.append("</tbody>\n<tfoot><tr><td colspan=\"6\">Total</td>")
        DashboardCell.count(row.usage.uncachedInput, to: &html)
        DashboardCell.count(row.usage.cacheRead, to: &html)
        DashboardCell.count(row.usage.cacheWrite5m, to: &html)
        DashboardCell.count(row.usage.cacheWrite1h, to: &html)
        DashboardCell.count(row.usage.output, to: &html)
        DashboardCell.money(row.cost, mark: row.mark, to: &html)
        DashboardCell.money(row.requested, mark: row.mark, to: &html)
        html.append("<td></td>")
        DashboardCell.money(row.baseline, mark: row.mark, to: &html)
        html.append("<td colspan=\"6\"></td></tr></tfoot>\n</table>\n</div>\n")
        html.append("<p class=\"note\">In: uncached input tokens. Requested: the turn on the model the client asked ")
        html.append("for; baseline: on the policy's all-frontier model. Coverage: exact (that model really answered), ")
        html.append("simulated (priced with its simulated prompt cache, ≈), unknown (?, counted at the actual cost). ")
        html.append("~ marks estimated usage.</p>\n")
    }

    /// The turn table's columns: title, and whether it holds figures.
    private static let columns: [(String, Bool)] = [
        ("#", true), ("Time (UTC)", true), ("Agent", false), ("Shape", false), ("Rule", false), ("Model", false),
        ("In", true), ("Cache read", true), ("Write 5m", true), ("Write 1h", true), ("Out", true), ("Cost", true),
        ("Requested", true), ("Coverage", false), ("Baseline", true), ("Coverage", false), ("First byte", true),
        ("Total", true), ("Status", false), ("Guard", false), ("Flags", false),
    ]

    private func appendTurn(_ line: Line, firstDate: String, to html: inout String) {
        let turn = line.turn
        html.append("<tr class=\"turn\" data-turn-id=\"")
        html.appendEscaped(turn.id)
        html.append("\" data-depth=\"\(line.depth)\"")
        if turn.isSideCall { html.append(" data-side-call=\"true\"") }
        html.append(">")
        DashboardCell.count(line.index, to: &html)

        let at = UTCDateTime(unixMilliseconds: turn.startedAtMilliseconds)
        html.append("<td class=\"num\" data-sort-value=\"\(turn.startedAtMilliseconds)\" title=\"\(at.iso8601)\">")
        // The date is in the header; repeat it only for turns on another day.
        if at.date != firstDate { html.append(at.date + " ") }
        html.append(at.time + "." + NumberText.zeroPadded(at.millisecond, width: 3))
        html.append("</td>")

        html.append("<td class=\"agent\" style=\"--depth:\(line.depth)\">")
        if line.depth > 0 { html.append("↳ ") }
        html.appendEscaped(Self.agentName(turn))
        html.append("</td><td>")
        html.appendEscaped(turn.shape)
        if !turn.toolCategories.isEmpty {
            html.append("<span class=\"sub\">")
            html.appendEscaped(turn.toolCategories.joined(separator: ", "))
            if turn.toolError { html.append(", error") }
            html.append("</span>")
        }
        html.append("</td><td title=\"")
        html.appendEscaped(turn.reason)
        html.append("\">")
        html.appendEscaped(turn.rule)
        html.append("</td><td title=\"")
        html.appendEscaped(turn.modelID + " via " + turn.upstream)
        html.append("\">")
        html.appendEscaped(turn.model)
        html.append("<span class=\"sub\">asked ")
        html.appendEscaped(turn.requestedModel)
        html.append("</span></td>")

        DashboardCell.count(turn.usage.uncachedInput, to: &html)
        DashboardCell.count(turn.usage.cacheRead, to: &html)
        DashboardCell.count(turn.usage.cacheWrite5m, to: &html)
        DashboardCell.count(turn.usage.cacheWrite1h, to: &html)
        DashboardCell.count(turn.usage.output, to: &html)
        DashboardCell.money(turn.cost, mark: turn.estimated ? "~" : "", to: &html)
        DashboardCell.counterfactual(turn.requested, to: &html)
        DashboardCell.counterfactual(turn.baseline, to: &html)
        Self.appendMilliseconds(turn.firstByteMilliseconds, to: &html)
        Self.appendMilliseconds(turn.totalMilliseconds, to: &html)

        html.append("<td>")
        html.append(turn.status == .ok ? "ok" : "\(turn.status.rawValue) \(turn.httpStatus)")
        if let fallback = turn.fallback, !fallback.isEmpty {
            html.append("<span class=\"sub\">fallback: ")
            html.appendEscaped(fallback)
            html.append("</span>")
        }
        html.append("</td>")
        DashboardCell.text(turn.guardNote, to: &html)
        html.append("<td class=\"flags\">")
        for flag in line.flags { DashboardCell.appendFlag(flag, turns: nil, to: &html) }
        html.append("</td></tr>\n")
    }

    /// `main`, the subagent's id, or `side call` (with the agent that made it).
    private static func agentName(_ turn: TurnRecord) -> String {
        let agent = turn.subagentID
        guard turn.isSideCall else { return agent ?? "main" }
        return agent.map { $0 + " · side call" } ?? "side call"
    }

    private static func appendMilliseconds(_ milliseconds: Int?, to html: inout String) {
        guard let milliseconds else {
            html.append("<td class=\"num\">–</td>")
            return
        }
        html.append("<td class=\"num\" data-sort-value=\"\(milliseconds)\">")
        html.append(NumberText.grouped(milliseconds))
        html.append(" ms</td>")
    }

    private static func appendFact(_ term: String, _ value: String?, to html: inout String) {
        html.append("<dt>")
        html.append(term)
        html.append("</dt><dd>")
        if let value, !value.isEmpty { html.appendEscaped(value) } else { html.append("–") }
        html.append("</dd>\n")
    }

    /// `$1.2300 (45.00%)`, coloured by sign.
    private static func appendSaving(_ saving: USD, of whole: USD, mark: String, to html: inout String) {
        html.append("<span class=\"\(DashboardCell.tone(saving))\">")
        html.append(mark + saving.display)
        html.append(" (")
        html.append(SavingsReport.percentCell(saving.basisPoints(of: whole)))
        html.append(")</span>")
    }

    /// A span of time for people: `45 s`, `12 min`, `3 h 20 min`.
    static func duration(_ milliseconds: Int64) -> String {
        let seconds = max(0, milliseconds) / 1_000
        if seconds < 60 { return "\(seconds) s" }
        let minutes = seconds / 60
        if minutes < 60 { return "\(minutes) min" }
        let hours = minutes / 60
        if hours < 48 { return minutes % 60 == 0 ? "\(hours) h" : "\(hours) h \(minutes % 60) min" }
        return "\(hours / 24) days"
    }
}
