import SluiceWire

extension SessionDetailReport {
    /// The session as Markdown: a heading, its facts as a list, then a pipe table of its turns
    /// in order; for pasting into an issue about a costly session.
    var markdown: String {
        let first = UTCDateTime(unixMilliseconds: summary.firstAtMilliseconds)
        let last = UTCDateTime(unixMilliseconds: summary.lastAtMilliseconds)
        var lines = ["# Session \(MarkdownText.escaped(summary.session))", ""]
        if let tag = summary.tag { lines.append("- Tag: \(MarkdownText.escaped(tag))") }
        lines.append("- Time: \(first.iso8601) → \(last.iso8601)")
        var counts: String = "- Turns: \(NumberText.grouped(summary.turns)), "
        counts += "\(NumberText.grouped(summary.routedTurns)) routed"
        if summary.failedTurns > 0 { counts += ", \(NumberText.grouped(summary.failedTurns)) failed" }
        lines.append(counts)
        let mark = summary.estimatedTurns > 0 ? "~" : ""
        var money: String = "- Cost \(mark)\(summary.cost.display); requested model \(mark)\(summary.requestedCost.display)"
        money += " (the router saved \(mark)\(summary.routingSavings.display)); all-frontier baseline "
        money += "\(mark)\(summary.baselineCost.display), \(mark)\(summary.baselineListCost.display) (list); saved "
        money += "\(mark)\(summary.savings.display) (\(SavingsReport.percentCell(summary.savingsBasisPoints)))"
        lines.append(money)
        if summary.estimatedTurns > 0 {
            var estimated: String = "- ~ estimated: \(NumberText.grouped(summary.estimatedTurns)) of "
            estimated += "\(NumberText.grouped(summary.turns)) turns had no usage from the upstream"
            lines.append(estimated)
        }

        lines += ["", "## Turns", ""]
        guard !turns.isEmpty else {
            lines.append("No turns recorded for this session.")
            return lines.joined(separator: "\n")
        }
        lines += MarkdownText.table(
            [
                .init(header: "#", alignment: .right), .init(header: "Time (UTC)", alignment: .left),
                .init(header: "Agent", alignment: .left), .init(header: "Model", alignment: .left),
                .init(header: "Rule", alignment: .left), .init(header: "Shape", alignment: .left),
                .init(header: "Status", alignment: .left), .init(header: "In", alignment: .right),
                .init(header: "Cache read", alignment: .right), .init(header: "Cache write", alignment: .right),
                .init(header: "Out", alignment: .right), .init(header: "Cost", alignment: .right),
                .init(header: "Requested", alignment: .right), .init(header: "Baseline", alignment: .right),
                .init(header: "Savings", alignment: .right),
            ],
            rows: Self.treeOrder(turns).map { Self.markdownCells(index: $0.index, depth: $0.depth, turn: $0.turn) })
        lines += ["", "≈ simulated with the model's prompt cache; ? unknown (counted at the actual cost)."]
        return lines.joined(separator: "\n")
    }

    /// The turns in call-tree order, each with its chronological number and its depth.
    static func treeOrder(_ turns: [TurnRecord]) -> [(index: Int, depth: Int, turn: TurnRecord)] {
        let indices = Dictionary(uniqueKeysWithValues: turns.enumerated().map { ($0.element.id, $0.offset + 1) })
        return SessionTree(turns: turns).lines.map { (indices[$0.turn.id] ?? 0, $0.depth, $0.turn) }
    }

    /// One turn's table cells; the agent cell is indented by depth and says `side call` for side calls.
    private static func markdownCells(index: Int, depth: Int, turn: TurnRecord) -> [String] {
        let at = UTCDateTime(unixMilliseconds: turn.startedAtMilliseconds)
        let time: String = at.date + " " + at.time + "." + NumberText.zeroPadded(at.millisecond, width: 3)
        let status: String = turn.status == .ok ? "ok" : "\(turn.status.rawValue) \(turn.httpStatus)"
        let mark = turn.estimated ? "~" : ""
        var agent = turn.agentID ?? ""
        if turn.isSideCall { agent = agent.isEmpty ? "side call" : agent + " (side call)" }
        agent = String(repeating: "↳ ", count: depth) + agent
        let cells: [String] = [
            String(index), time, agent, turn.model, turn.rule, turn.shape, status,
            NumberText.grouped(turn.usage.uncachedInput), NumberText.grouped(turn.usage.cacheRead),
            NumberText.grouped(turn.usage.cacheWrite), NumberText.grouped(turn.usage.output),
            mark + turn.cost.display, counterfactualCell(turn.requested), counterfactualCell(turn.baseline),
            mark + turn.savings.display,
        ]
        return cells
    }
}
