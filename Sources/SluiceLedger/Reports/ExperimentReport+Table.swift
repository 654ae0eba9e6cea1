extension ExperimentReport {
    /// The report for people: a heading line, then cost per session, spend, outcomes, verdicts,
    /// turns per rule, the differences against the reference with their sentences, and what
    /// the intervals mean.
    var table: String {
        guard sessions > 0 else { return emptyText }
        var lines = [headline]
        let sections: [(title: String, table: TextTable)] = [
            ("Cost per session", costTable), ("Spend", spendTable), ("Outcomes", outcomesTable),
            ("Verdicts", verdictsTable), ("Turns per rule", rulesTable),
        ]
        for section in sections {
            lines.append("")
            lines.append(section.title)
            lines += section.table.rendered()
        }
        if let reference, !comparisons.isEmpty {
            lines.append("")
            lines.append("Difference in mean cost per session, against \(reference.name)")
            lines += differenceTable.rendered()
            lines.append("")
            lines += comparisons.map { "\($0.arm): \($0.conclusion)" }
        }
        lines.append("")
        lines += footnotes
        return lines.joined(separator: "\n")
    }

    /// What the report says when the experiment has no sessions yet.
    var emptyText: String {
        "No turns of experiment \(experiment) in the ledger yet."
    }

    /// `Experiment cheap-first: 2 arms, 52 sessions, 610 turns; reference arm control.`
    var headline: String {
        var line = "Experiment \(experiment): \(LongTailReport.counted(arms.count, "arm")), "
        line += "\(LongTailReport.counted(sessions, "session")), \(LongTailReport.counted(turns, "turn"))"
        if let reference { line += "; reference arm \(reference.name)" }
        return line + "."
    }

    /// The notes under the tables, in plain words (text and markdown alike).
    var footnotes: [String] {
        let idle: String = LongTailReport.counted(Int(idleMilliseconds / 60_000), "minute")
        var ranges: String = "Ranges are 95% bootstrap intervals: where the figure would likely land if the same "
        ranges += "arms ran again on new sessions."
        var always: String = "The always-valid interval stays trustworthy however often you look, so this report is "
        always += "safe to check daily. A difference counts as conclusive only when that interval leaves out zero "
        always += "and each arm has at least \(Self.minimumSessionsPerArm) sessions."
        var pValue: String = "P-value: how often a difference this large would appear by chance if the arms "
        pValue += "cost the same."
        var shares: String = "Shares: success among sessions with a reported outcome; tests passed among sessions "
        shares += "that ran tests (their last run); abandoned: quiet for \(idle) without a reported success; errors: "
        shares += "at least one failed turn. Loop trips: turns per session in a tool loop."
        var notes: [String] = [ranges, always, pValue, shares]
        if mixedSessions > 0 {
            var mixed: String = LongTailReport.counted(mixedSessions, "session")
            mixed += " had turns in more than one arm; each counts in the arm of its first turn."
            notes.append(mixed)
        }
        return notes
    }

    /// `"$0.3500 – $0.4500"`, or `"–"` without an interval.
    static func rangeText(_ range: ClosedRange<USD>?) -> String {
        guard let range else { return "–" }
        return "\(range.lowerBound.display) – \(range.upperBound.display)"
    }

    /// `"80.0% of 10 (49.0–94.3%)"`, or `"–"` when no session qualifies.
    static func shareText(_ proportion: ProportionInterval?) -> String {
        guard let proportion else { return "–" }
        return "\(percentText(proportion.share)) of \(NumberText.grouped(proportion.trials)) "
            + "(\(percentNumber(proportion.interval.lower))–\(percentText(proportion.interval.upper)))"
    }

    /// A share as a percentage with one decimal: 0.8016 → `"80.2%"`.
    static func percentText(_ share: Double) -> String {
        percentNumber(share) + "%"
    }

    /// A p-value with four decimals, or `"–"`.
    static func pValueText(_ pValue: Double?) -> String {
        pValue.flatMap { decimalText($0, places: 4) } ?? "–"
    }

    /// A share as a percentage number with one decimal, without the sign: 0.8016 → `"80.2"`.
    private static func percentNumber(_ share: Double) -> String {
        decimalText(share * 100, places: 1) ?? "–"
    }

    private var costTable: TextTable {
        var table = TextTable([
            .init(header: "ARM", alignment: .left), .init(header: "SESSIONS", alignment: .right),
            .init(header: "MEAN", alignment: .right), .init(header: "95% RANGE", alignment: .left),
            .init(header: "MEDIAN", alignment: .right), .init(header: "95% RANGE", alignment: .left),
            .init(header: "P90", alignment: .right), .init(header: "95% RANGE", alignment: .left),
        ])
        for arm in arms {
            let cost = arm.costPerSession
            table.append([
                TextTable.truncated(arm.name, to: 24), NumberText.grouped(arm.sessions),
                cost.mean.display, Self.rangeText(cost.meanInterval),
                cost.median.display, Self.rangeText(cost.medianInterval),
                cost.p90.display, Self.rangeText(cost.p90Interval),
            ])
        }
        return table
    }

    private var spendTable: TextTable {
        var table = TextTable([
            .init(header: "ARM", alignment: .left), .init(header: "TURNS", alignment: .right),
            .init(header: "ACTUAL", alignment: .right), .init(header: "REQUESTED", alignment: .right),
            .init(header: "BASELINE", alignment: .right), .init(header: "SAVINGS", alignment: .right),
            .init(header: "SAVED", alignment: .right), .init(header: "ROUTING SAVINGS", alignment: .right),
            .init(header: "ROUTING SAVED", alignment: .right),
        ])
        for arm in arms {
            table.append([
                TextTable.truncated(arm.name, to: 24), NumberText.grouped(arm.turns), arm.cost.display,
                arm.requested.display, arm.baseline.display, arm.savings.display,
                SavingsReport.percentCell(arm.savingsBasisPoints), arm.routingSavings.display,
                SavingsReport.percentCell(arm.routingSavingsBasisPoints),
            ])
        }
        return table
    }

    private var outcomesTable: TextTable {
        var table = TextTable([
            .init(header: "ARM", alignment: .left), .init(header: "SUCCESS", alignment: .left),
            .init(header: "TESTS PASSED", alignment: .left), .init(header: "ABANDONED", alignment: .left),
            .init(header: "ERRORS", alignment: .left), .init(header: "LOOP TRIPS", alignment: .right),
        ])
        for arm in arms {
            let outcomes = arm.outcomes
            table.append([
                TextTable.truncated(arm.name, to: 24), Self.shareText(outcomes.explicitSuccess),
                Self.shareText(outcomes.testsPassed), Self.shareText(outcomes.abandoned),
                Self.shareText(outcomes.upstreamErrors),
                outcomes.meanLoopTrips.flatMap { Self.decimalText($0, places: 2) } ?? "–",
            ])
        }
        return table
    }

    private var verdictsTable: TextTable {
        var columns: [TextTable.Column] = [.init(header: "ARM", alignment: .left)]
        for verdict in SessionSignals.Verdict.allCases {
            columns.append(TextTable.Column(header: verdict.name.uppercased(), alignment: .right))
        }
        var table = TextTable(columns)
        for arm in arms {
            var cells = [TextTable.truncated(arm.name, to: 24)]
            for verdict in SessionSignals.Verdict.allCases {
                cells.append(NumberText.grouped(arm.outcomes.verdicts[verdict] ?? 0))
            }
            table.append(cells)
        }
        return table
    }

    private var rulesTable: TextTable {
        var table = TextTable([
            .init(header: "ARM", alignment: .left), .init(header: "RULE", alignment: .left),
            .init(header: "TURNS", alignment: .right),
        ])
        for arm in arms {
            for entry in arm.rulesByTurns {
                table.append([
                    TextTable.truncated(arm.name, to: 24), TextTable.truncated(entry.rule, to: 32),
                    NumberText.grouped(entry.turns),
                ])
            }
        }
        return table
    }

    private var differenceTable: TextTable {
        var table = TextTable([
            .init(header: "ARM", alignment: .left), .init(header: "DIFFERENCE", alignment: .right),
            .init(header: "95% RANGE", alignment: .left), .init(header: "P-VALUE", alignment: .right),
            .init(header: "ALWAYS-VALID 95%", alignment: .left), .init(header: "CONCLUSIVE", alignment: .left),
        ])
        for comparison in comparisons {
            table.append([
                TextTable.truncated(comparison.arm, to: 24), comparison.meanDifference.display,
                Self.rangeText(comparison.interval), Self.pValueText(comparison.pValue),
                Self.rangeText(comparison.alwaysValid), comparison.conclusive ? "yes" : "no",
            ])
        }
        return table
    }
}
