import SluiceWire

/// The detail report of one session (`sluice report --session ID`): its totals, then every turn
/// in order with the model that answered, why, and what it cost.
///
/// ```swift
/// let turns = try await store.turns(inSession: id)
/// let report = SessionDetailReport(summary: summary, turns: turns)
/// print(report.rendered(as: .table))
/// ```
package struct SessionDetailReport: Sendable, Hashable {
    /// The session's totals.
    package var summary: SessionSummary
    /// The session's turns, by start time, then id.
    package var turns: [TurnRecord]

    /// Pairs a summary with its turns, sorting the turns chronologically.
    ///
    /// - Parameters:
    ///   - summary: The session's summary, as the store computed it.
    ///   - turns: The session's turns, in any order.
    package init(summary: SessionSummary, turns: [TurnRecord]) {
        self.summary = summary
        self.turns = turns.sorted(by: TurnRecord.chronologically)
    }

    /// The report as text in the given format.
    ///
    /// JSON is `{"session":{...},"turns":[...]}` where the session object is the one of
    /// ``SavingsReport`` and turns are numbered from 1; CSV has a header row and one row per
    /// turn; the table is for people. No format ends with a newline.
    package func rendered(as format: ReportFormat) -> String {
        let depths = self.depths
        func depth(_ turn: TurnRecord) -> Int { depths[turn.id] ?? 0 }
        return switch format {
        case .json:
            JSONText.object([
                ("session", summary.reportFields.jsonObject),
                ("turns", JSONText.array(numberedTurns.map { $0.turn.reportFields(index: $0.index, depth: depth($0.turn)).jsonObject })),
            ])
        case .csv:
            CSVText.document(
                [Self.csvHeader] + numberedTurns.map { $0.turn.reportFields(index: $0.index, depth: depth($0.turn)).csvRow })
        case .table:
            table
        case .markdown:
            markdown
        }
    }

    /// Each turn's depth in the call tree, by id.
    private var depths: [String: Int] {
        Dictionary(SessionTree(turns: turns).lines.map { ($0.turn.id, $0.depth) }, uniquingKeysWith: { first, _ in first })
    }

    private var numberedTurns: [(index: Int, turn: TurnRecord)] {
        turns.enumerated().map { (index: $0.offset + 1, turn: $0.element) }
    }

    private static var csvHeader: String {
        TurnRecord(
            id: "", startedAtMilliseconds: 0, session: "", isSideCall: false, clientDialect: .anthropic,
            requestedModel: "", model: "", modelID: "", upstream: "", rule: "", reason: "", shape: "",
            toolCategories: [], promptTokensEstimate: 0, loopDepth: 0, toolError: false, stream: false,
            usage: .zero, estimated: false, cost: .zero, baselineModel: "", baselineListCost: .zero,
            baselineCost: .zero, totalMilliseconds: 0, status: .ok, httpStatus: 0
        ).reportFields(index: 0).csvHeader
    }

    /// A counterfactual in a table: `≈` marks a simulated figure, `?` an unknown one.
    static func counterfactualCell(_ figure: Counterfactual) -> String {
        switch figure.coverage {
        case .exact: figure.cost.display
        case .simulated: "≈" + figure.cost.display
        case .unknown: "?"
        }
    }

    private var table: String {
        let first = UTCDateTime(unixMilliseconds: summary.firstAtMilliseconds)
        let last = UTCDateTime(unixMilliseconds: summary.lastAtMilliseconds)
        var lines = ["Session \(summary.session)"]
        if let tag = summary.tag { lines.append("Tag     \(tag)") }
        lines.append("Time    \(first.iso8601) → \(last.iso8601)")
        var counts = "Turns   \(NumberText.grouped(summary.turns)), \(NumberText.grouped(summary.routedTurns)) routed"
        if summary.failedTurns > 0 { counts += ", \(NumberText.grouped(summary.failedTurns)) failed" }
        lines.append(counts)
        lines.append("")
        guard !turns.isEmpty else {
            lines.append("No turns recorded for this session.")
            return lines.joined(separator: "\n")
        }

        let showsAgents = turns.contains { $0.agentID != nil || $0.isSideCall }
        var columns: [TextTable.Column] = [
            .init(header: "#", alignment: .right), .init(header: "TIME (UTC)", alignment: .left),
        ]
        if showsAgents { columns.append(.init(header: "AGENT", alignment: .left)) }
        columns += [
            .init(header: "MODEL", alignment: .left), .init(header: "RULE", alignment: .left),
            .init(header: "SHAPE", alignment: .left), .init(header: "STATUS", alignment: .left),
            .init(header: "IN", alignment: .right), .init(header: "CACHE READ", alignment: .right),
            .init(header: "CACHE WRITE", alignment: .right), .init(header: "OUT", alignment: .right),
            .init(header: "COST", alignment: .right), .init(header: "REQUESTED", alignment: .right),
            .init(header: "BASELINE", alignment: .right), .init(header: "SAVINGS", alignment: .right),
        ]
        var table = TextTable(columns)
        // In call-tree order: each subagent's turns under the agent that started it.
        for line in Self.treeOrder(turns) {
            let turn = line.turn
            let at = UTCDateTime(unixMilliseconds: turn.startedAtMilliseconds)
            // The date is in the header; repeat it only for turns on another day.
            var time = at.time + "." + NumberText.zeroPadded(at.millisecond, width: 3)
            if at.date != first.date { time = at.date + " " + time }
            let mark = turn.estimated ? "~" : ""
            var cells = [String(line.index), time]
            if showsAgents {
                let agent = turn.isSideCall ? "side call" : TextTable.truncated(turn.agentID ?? "main", to: 12)
                cells.append(String(repeating: "  ", count: line.depth) + agent)
            }
            cells += [
                TextTable.truncated(turn.model, to: 24), TextTable.truncated(turn.rule, to: 24), turn.shape,
                turn.status == .ok ? "ok" : "\(turn.status.rawValue) \(turn.httpStatus)",
                NumberText.grouped(turn.usage.uncachedInput), NumberText.grouped(turn.usage.cacheRead),
                NumberText.grouped(turn.usage.cacheWrite), NumberText.grouped(turn.usage.output),
                mark + turn.cost.display, Self.counterfactualCell(turn.requested),
                Self.counterfactualCell(turn.baseline), mark + turn.savings.display,
            ]
            table.append(cells)
        }

        table.appendRule()
        let mark = summary.estimatedTurns > 0 ? "~" : ""
        var cells = ["", "TOTAL"]
        if showsAgents { cells.append("") }
        cells += [
            "", "", "", "", NumberText.grouped(summary.usage.uncachedInput),
            NumberText.grouped(summary.usage.cacheRead), NumberText.grouped(summary.usage.cacheWrite),
            NumberText.grouped(summary.usage.output), mark + summary.cost.display, mark + summary.requestedCost.display,
            mark + summary.baselineCost.display, mark + summary.savings.display,
        ]
        table.append(cells)

        lines += table.rendered()
        lines.append("")
        lines.append(
            "Requested model \(mark)\(summary.requestedCost.display): the router saved "
                + "\(mark)\(summary.routingSavings.display). All-frontier baseline "
                + "\(mark)\(summary.baselineCost.display) (list \(mark)\(summary.baselineListCost.display)): saved "
                + "\(mark)\(summary.savings.display) (\(SavingsReport.percentCell(summary.savingsBasisPoints))).")
        lines.append(
            "≈ simulated with the model's prompt cache; ? unknown (counted at the actual cost); "
                + "unmarked figures are what that model really billed.")
        if summary.estimatedTurns > 0 {
            lines.append(
                "~ estimated: \(NumberText.grouped(summary.estimatedTurns)) of \(NumberText.grouped(summary.turns)) "
                    + "turns had no usage from the upstream; their tokens and costs are Sluice's estimates.")
        }
        return lines.joined(separator: "\n")
    }
}
