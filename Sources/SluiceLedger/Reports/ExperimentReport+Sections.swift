extension ExperimentReport {
    /// A column of the report's tables, defined once for the terminal table and for Markdown.
    ///
    /// Both renderings show the same columns with the same cells and differ only in look: the
    /// table writes headers in capitals and cuts free text to fit a terminal, Markdown escapes.
    /// Defining each column once keeps the two from drifting apart, as ``ReportFields`` does
    /// for JSON and CSV.
    struct Column<Row> {
        /// The header as Markdown shows it; the table writes it in capitals.
        var header: String
        /// Right for figures.
        var alignment: TextTable.Alignment
        /// The most characters the terminal table shows of a cell (names, rules); `nil` for
        /// figures, which are never cut.
        var tableLimit: Int?
        /// The cell of one row, in full.
        var cell: (Row) -> String

        init(
            _ header: String, _ alignment: TextTable.Alignment, tableLimit: Int? = nil,
            cell: @escaping (Row) -> String
        ) {
            self.header = header
            self.alignment = alignment
            self.tableLimit = tableLimit
            self.cell = cell
        }
    }

    /// One table of the report with its title and the notes under it, its cells computed once
    /// for either rendering.
    struct Section {
        /// The title, unescaped.
        var title: String
        /// Headers as Markdown shows them, and alignments.
        var columns: [TextTable.Column]
        /// Each column's ``Column/tableLimit``.
        var tableLimits: [Int?]
        /// The cells in full, one row per entry.
        var rows: [[String]]
        /// Lines under the table, unescaped.
        var notes: [String]

        init<Row>(_ title: String, columns: [Column<Row>], rows: [Row], notes: [String] = []) {
            self.title = title
            self.columns = columns.map { TextTable.Column(header: $0.header, alignment: $0.alignment) }
            tableLimits = columns.map(\.tableLimit)
            self.rows = rows.map { row in columns.map { $0.cell(row) } }
            self.notes = notes
        }

        /// The terminal table: headers in capitals, free text cut to its limit.
        var textTable: TextTable {
            var table = TextTable(
                columns.map { TextTable.Column(header: $0.header.uppercased(), alignment: $0.alignment) })
            for cells in rows {
                var shown: [String] = []
                for (index, cell) in cells.enumerated() {
                    shown.append(tableLimits[index].map { TextTable.truncated(cell, to: $0) } ?? cell)
                }
                table.append(shown)
            }
            return table
        }

        /// The pipe table; ``MarkdownText/table(_:rows:)`` escapes every cell.
        var markdownTable: [String] {
            MarkdownText.table(columns, rows: rows)
        }
    }

    /// A rule's turns in one arm: a row of the turns-per-rule table.
    typealias RuleTurns = (arm: String, rule: String, turns: Int)

    /// The tables about the arms, in order: cost per session (with the sessions still in
    /// progress under it), spend, outcomes, effort per session, verdicts and turns per rule.
    var armSections: [Section] {
        [
            Section("Cost per session", columns: Self.costColumns, rows: arms, notes: inProgressNotes),
            Section("Spend", columns: Self.spendColumns, rows: arms),
            Section("Outcomes", columns: Self.outcomeColumns, rows: arms),
            Section("Effort per session", columns: Self.effortColumns, rows: arms),
            Section("Verdicts", columns: Self.verdictColumns, rows: arms),
            Section("Turns per rule", columns: Self.ruleColumns, rows: ruleTurns),
        ]
    }

    /// Each arm against the reference; `nil` without comparisons.
    var differenceSection: Section? {
        guard let reference, !comparisons.isEmpty else { return nil }
        return Section(
            "Difference in mean cost per session, against \(reference.name)", columns: Self.differenceColumns,
            rows: comparisons)
    }

    /// `control: 3 more in progress, not counted yet.` for each arm with sessions in progress.
    var inProgressNotes: [String] {
        arms.filter { $0.inProgress > 0 }.map {
            "\($0.name): \(NumberText.grouped($0.inProgress)) more in progress, not counted yet."
        }
    }

    /// Every arm's rules, most turns first within each arm.
    private var ruleTurns: [RuleTurns] {
        arms.flatMap { arm in arm.rulesByTurns.map { (arm: arm.name, rule: $0.rule, turns: $0.turns) } }
    }

    private static var armColumn: Column<Arm> {
        Column("Arm", .left, tableLimit: 24) { $0.name }
    }

    private static var costColumns: [Column<Arm>] {
        [
            armColumn,
            Column("Sessions", .right) { NumberText.grouped($0.sessions) },
            Column("Mean", .right) { $0.costPerSession.mean.display },
            Column("95% range", .left) { Self.rangeText($0.costPerSession.meanInterval) },
            Column("Median", .right) { $0.costPerSession.median.display },
            Column("95% range", .left) { Self.rangeText($0.costPerSession.medianInterval) },
            Column("p90", .right) { $0.costPerSession.p90.display },
            Column("95% range", .left) { Self.rangeText($0.costPerSession.p90Interval) },
        ]
    }

    private static var spendColumns: [Column<Arm>] {
        [
            armColumn,
            Column("Turns", .right) { NumberText.grouped($0.turns) },
            Column("Actual", .right) { $0.cost.display },
            Column("Requested", .right) { $0.requested.display },
            Column("Baseline", .right) { $0.baseline.display },
            Column("Savings", .right) { $0.savings.display },
            Column("Saved", .right) { SavingsReport.percentCell($0.savingsBasisPoints) },
            Column("Routing savings", .right) { $0.routingSavings.display },
            Column("Routing saved", .right) { SavingsReport.percentCell($0.routingSavingsBasisPoints) },
        ]
    }

    private static var outcomeColumns: [Column<Arm>] {
        [
            armColumn,
            Column("Success", .left) { Self.shareText($0.outcomes.explicitSuccess) },
            Column("Tests passed", .left) { Self.shareText($0.outcomes.testsPassed) },
            Column("Abandoned", .left) { Self.shareText($0.outcomes.abandoned) },
            Column("Errors", .left) { Self.shareText($0.outcomes.failedTurnSessions) },
            Column("Fallbacks", .left) { Self.shareText($0.outcomes.fallbackSessions) },
        ]
    }

    private static var effortColumns: [Column<Arm>] {
        [
            armColumn,
            Column("Loop trips", .right) { Self.decimalCell($0.outcomes.meanLoopTrips, places: 2) },
            Column("Tool error turns", .right) { Self.decimalCell($0.outcomes.meanToolErrorTurns, places: 2) },
            Column("Minutes to finish", .right) { Self.decimalCell($0.outcomes.medianMinutesToFinish, places: 1) },
        ]
    }

    private static var verdictColumns: [Column<Arm>] {
        var columns = [armColumn]
        for verdict in SessionSignals.Verdict.allCases {
            columns.append(Column(verdict.name, .right) { NumberText.grouped($0.outcomes.verdicts[verdict] ?? 0) })
        }
        return columns
    }

    private static var ruleColumns: [Column<RuleTurns>] {
        [
            Column("Arm", .left, tableLimit: 24) { $0.arm },
            Column("Rule", .left, tableLimit: 32) { $0.rule },
            Column("Turns", .right) { NumberText.grouped($0.turns) },
        ]
    }

    private static var differenceColumns: [Column<Comparison>] {
        [
            Column("Arm", .left, tableLimit: 24) { $0.arm },
            Column("Difference", .right) { $0.meanDifference.display },
            Column("95% range", .left) { Self.rangeText($0.interval) },
            Column("p-value", .right) { Self.pValueText($0.pValue) },
            Column("Always-valid 95%", .left) { Self.rangeText($0.alwaysValid) },
            Column("Conclusive", .left) { $0.conclusive ? "yes" : "no" },
        ]
    }

    /// A figure with `places` decimals, or `"–"`.
    private static func decimalCell(_ value: Double?, places: Int) -> String {
        value.flatMap { decimalText($0, places: places) } ?? "–"
    }
}
