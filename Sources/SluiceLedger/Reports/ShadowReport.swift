/// How shadow models compared with the primaries they mirrored, per shadow and per rule: the
/// section `sluice ab` ends with.
///
/// Agreement is on what a coding agent does next: the same tools called (in order), the same
/// tools with the same arguments (the agent's next step would be identical), the same stop
/// reason. Shares are of the shadow turns that answered; failures are counted apart.
package struct ShadowReport: Sendable, Hashable {
    /// One shadow on the turns of one rule.
    package struct Row: Sendable, Hashable {
        package var shadow: String
        package var rule: String
        package var shadowModel: String
        package var turns: Int
        /// Shadow turns that answered (`ok`); the agreement shares are of these.
        package var answered: Int
        package var sameTools: Int
        package var sameArguments: Int
        package var sameStopReason: Int
        package var shadowCost: USD
        package var primaryCost: USD
        /// Median total time, milliseconds.
        package var shadowMedianMilliseconds: Int
        package var primaryMedianMilliseconds: Int
    }

    package var rows: [Row]

    package init(shadows: [ShadowRecord]) {
        let groups = Dictionary(grouping: shadows) { "\($0.name)\u{0}\($0.rule)" }
        rows = groups.values.map { group in
            let answered = group.filter { $0.status == .ok }
            func median(_ values: [Int]) -> Int {
                let sorted = values.sorted()
                return sorted.isEmpty ? 0 : sorted[(sorted.count - 1) / 2]
            }
            return Row(
                shadow: group[0].name, rule: group[0].rule, shadowModel: group[0].shadowModel, turns: group.count,
                answered: answered.count, sameTools: answered.filter(\.sameTools).count,
                sameArguments: answered.filter(\.sameArguments).count,
                sameStopReason: answered.filter(\.sameStopReason).count,
                shadowCost: group.reduce(.zero) { $0 + $1.cost }, primaryCost: group.reduce(.zero) { $0 + $1.primaryCost },
                shadowMedianMilliseconds: median(answered.map(\.totalMilliseconds)),
                primaryMedianMilliseconds: median(group.map(\.primaryTotalMilliseconds)))
        }.sorted { ($0.shadow, $0.rule) < ($1.shadow, $1.rule) }
    }

    private static func share(_ part: Int, of whole: Int) -> String {
        guard whole > 0 else { return "-" }
        return NumberText.percent(basisPoints: (part * 10_000 + whole / 2) / whole) + "%"
    }

    private static let columns: [TextTable.Column] = [
        .init(header: "SHADOW", alignment: .left), .init(header: "RULE", alignment: .left),
        .init(header: "MODEL", alignment: .left), .init(header: "TURNS", alignment: .right),
        .init(header: "ANSWERED", alignment: .right), .init(header: "SAME TOOLS", alignment: .right),
        .init(header: "SAME ARGS", alignment: .right), .init(header: "SAME STOP", alignment: .right),
        .init(header: "SHADOW $", alignment: .right), .init(header: "PRIMARY $", alignment: .right),
        .init(header: "P50 MS", alignment: .right), .init(header: "PRIMARY P50 MS", alignment: .right),
    ]

    private var cells: [[String]] {
        rows.map { row in
            [
                row.shadow, row.rule, row.shadowModel, NumberText.grouped(row.turns), NumberText.grouped(row.answered),
                Self.share(row.sameTools, of: row.answered), Self.share(row.sameArguments, of: row.answered),
                Self.share(row.sameStopReason, of: row.answered), row.shadowCost.display, row.primaryCost.display,
                NumberText.grouped(row.shadowMedianMilliseconds), NumberText.grouped(row.primaryMedianMilliseconds),
            ]
        }
    }

    private static let legend =
        "Same tools: the shadow called the same tools in the same order; same args: with the same arguments "
        + "(the agent's next step would be identical). Shares are of the shadow turns that answered."

    /// The section in `format`; CSV has one row per shadow and rule.
    package func rendered(as format: ReportFormat) -> String {
        switch format {
        case .table:
            var table = TextTable(Self.columns)
            cells.forEach { table.append($0) }
            return (["Shadow turns"] + table.rendered() + [Self.legend]).joined(separator: "\n")
        case .markdown:
            return (["### Shadow turns", ""] + MarkdownText.table(Self.columns, rows: cells) + ["", Self.legend])
                .joined(separator: "\n")
        case .csv:
            let header = "shadow,rule,model,turns,answered,same_tools,same_arguments,same_stop_reason,shadow_usd,primary_usd"
            return ([header] + rows.map { row in
                [
                    CSVText.field(row.shadow), CSVText.field(row.rule), CSVText.field(row.shadowModel), "\(row.turns)",
                    "\(row.answered)", "\(row.sameTools)", "\(row.sameArguments)", "\(row.sameStopReason)",
                    row.shadowCost.decimalString, row.primaryCost.decimalString,
                ].joined(separator: ",")
            }).joined(separator: "\n")
        case .json:
            return json
        }
    }

    /// A JSON array, one object per shadow and rule.
    package var json: String {
        JSONText.array(
            rows.map { row in
                JSONText.object([
                    ("shadow", JSONText.string(row.shadow)), ("rule", JSONText.string(row.rule)),
                    ("model", JSONText.string(row.shadowModel)), ("turns", "\(row.turns)"),
                    ("answered", "\(row.answered)"), ("same_tools", "\(row.sameTools)"),
                    ("same_arguments", "\(row.sameArguments)"), ("same_stop_reason", "\(row.sameStopReason)"),
                    ("shadow_usd", row.shadowCost.decimalString), ("primary_usd", row.primaryCost.decimalString),
                    ("shadow_p50_ms", "\(row.shadowMedianMilliseconds)"),
                    ("primary_p50_ms", "\(row.primaryMedianMilliseconds)"),
                ])
            })
    }
}
