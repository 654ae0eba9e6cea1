extension ExperimentReport {
    /// The table's sections as Markdown, for an issue or a pull request that proposes to adopt
    /// (or drop) an arm: a heading per section, pipe tables, the conclusions as a list and the
    /// notes as paragraphs.
    var markdown: String {
        var lines = ["# Sluice experiment report: \(MarkdownText.escaped(experiment))", ""]
        guard sessions > 0 else {
            lines.append(MarkdownText.escaped(emptyText))
            return lines.joined(separator: "\n")
        }
        lines.append(MarkdownText.escaped(headline))

        lines += ["", "## Cost per session", ""]
        lines += MarkdownText.table(
            [
                .init(header: "Arm", alignment: .left), .init(header: "Sessions", alignment: .right),
                .init(header: "Mean", alignment: .right), .init(header: "95% range", alignment: .left),
                .init(header: "Median", alignment: .right), .init(header: "95% range", alignment: .left),
                .init(header: "p90", alignment: .right), .init(header: "95% range", alignment: .left),
            ],
            rows: arms.map { arm in
                let cost = arm.costPerSession
                return [
                    arm.name, NumberText.grouped(arm.sessions), cost.mean.display, Self.rangeText(cost.meanInterval),
                    cost.median.display, Self.rangeText(cost.medianInterval), cost.p90.display,
                    Self.rangeText(cost.p90Interval),
                ]
            })

        lines += ["", "## Spend", ""]
        lines += MarkdownText.table(
            [
                .init(header: "Arm", alignment: .left), .init(header: "Turns", alignment: .right),
                .init(header: "Actual", alignment: .right), .init(header: "Requested", alignment: .right),
                .init(header: "Baseline", alignment: .right), .init(header: "Savings", alignment: .right),
                .init(header: "Saved", alignment: .right), .init(header: "Routing savings", alignment: .right),
                .init(header: "Routing saved", alignment: .right),
            ],
            rows: arms.map { arm in
                [
                    arm.name, NumberText.grouped(arm.turns), arm.cost.display, arm.requested.display,
                    arm.baseline.display, arm.savings.display, SavingsReport.percentCell(arm.savingsBasisPoints),
                    arm.routingSavings.display, SavingsReport.percentCell(arm.routingSavingsBasisPoints),
                ]
            })

        lines += ["", "## Outcomes", ""]
        lines += MarkdownText.table(
            [
                .init(header: "Arm", alignment: .left), .init(header: "Success", alignment: .left),
                .init(header: "Tests passed", alignment: .left), .init(header: "Abandoned", alignment: .left),
                .init(header: "Errors", alignment: .left), .init(header: "Loop trips", alignment: .right),
            ],
            rows: arms.map { arm in
                let outcomes = arm.outcomes
                return [
                    arm.name, Self.shareText(outcomes.explicitSuccess), Self.shareText(outcomes.testsPassed),
                    Self.shareText(outcomes.abandoned), Self.shareText(outcomes.upstreamErrors),
                    outcomes.meanLoopTrips.flatMap { Self.decimalText($0, places: 2) } ?? "–",
                ]
            })

        lines += ["", "## Verdicts", ""]
        var verdictColumns = [TextTable.Column(header: "Arm", alignment: .left)]
        for verdict in SessionSignals.Verdict.allCases {
            verdictColumns.append(TextTable.Column(header: verdict.name, alignment: .right))
        }
        var verdictRows: [[String]] = []
        for arm in arms {
            var cells = [arm.name]
            for verdict in SessionSignals.Verdict.allCases {
                cells.append(NumberText.grouped(arm.outcomes.verdicts[verdict] ?? 0))
            }
            verdictRows.append(cells)
        }
        lines += MarkdownText.table(verdictColumns, rows: verdictRows)

        lines += ["", "## Turns per rule", ""]
        var ruleRows: [[String]] = []
        for arm in arms {
            for entry in arm.rulesByTurns {
                ruleRows.append([arm.name, entry.rule, NumberText.grouped(entry.turns)])
            }
        }
        lines += MarkdownText.table(
            [
                .init(header: "Arm", alignment: .left), .init(header: "Rule", alignment: .left),
                .init(header: "Turns", alignment: .right),
            ],
            rows: ruleRows)

        if let reference, !comparisons.isEmpty {
            lines += ["", "## Difference in mean cost per session, against \(MarkdownText.escaped(reference.name))", ""]
            lines += MarkdownText.table(
                [
                    .init(header: "Arm", alignment: .left), .init(header: "Difference", alignment: .right),
                    .init(header: "95% range", alignment: .left), .init(header: "p-value", alignment: .right),
                    .init(header: "Always-valid 95%", alignment: .left), .init(header: "Conclusive", alignment: .left),
                ],
                rows: comparisons.map { comparison in
                    [
                        comparison.arm, comparison.meanDifference.display, Self.rangeText(comparison.interval),
                        Self.pValueText(comparison.pValue), Self.rangeText(comparison.alwaysValid),
                        comparison.conclusive ? "yes" : "no",
                    ]
                })
            lines.append("")
            lines += comparisons.map {
                "- **\(MarkdownText.escaped($0.arm))**: \(MarkdownText.escaped($0.conclusion))"
            }
        }

        for note in footnotes {
            lines += ["", MarkdownText.escaped(note)]
        }
        return lines.joined(separator: "\n")
    }
}
