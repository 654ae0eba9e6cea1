extension LongTailReport {
    /// The table's sections as Markdown, for an issue, a pull request or a wiki page: a heading
    /// per section, pipe tables for the distribution, the top sessions, the caps and the groups,
    /// and the histogram in a code block (its bars only line up in a monospaced font).
    var markdown: String {
        var lines = ["# Sluice spend report", ""]
        guard !sessions.isEmpty else {
            lines.append("No sessions in the ledger yet.")
            return lines.joined(separator: "\n")
        }
        lines += summaryLines.map { "- " + MarkdownText.escaped($0) }

        lines += ["", "## Cost per session", ""]
        lines += MarkdownText.table(
            [
                .init(header: "Sessions", alignment: .right), .init(header: "Mean", alignment: .right),
                .init(header: "Median", alignment: .right), .init(header: "p90", alignment: .right),
                .init(header: "p99", alignment: .right), .init(header: "Max", alignment: .right),
                .init(header: "Top 10% share", alignment: .right),
                .init(header: "Suggested cap (3 × p90)", alignment: .right),
            ],
            rows: [
                [
                    NumberText.grouped(distribution.count), distribution.mean.display, distribution.median.display,
                    distribution.p90.display, distribution.p99.display, distribution.maximum.display,
                    SavingsReport.percentCell(distribution.topDecileShareBasisPoints),
                    distribution.suggestedCap.display,
                ]
            ])
        lines.append("")
        lines += MarkdownText.codeBlock(distribution.histogram.lines())

        lines += ["", "## Top sessions", ""]
        lines += MarkdownText.table(
            [
                .init(header: "#", alignment: .right), .init(header: "Session", alignment: .left),
                .init(header: "Tag", alignment: .left), .init(header: "Turns", alignment: .right),
                .init(header: "Cost", alignment: .right), .init(header: "Share", alignment: .right),
                .init(header: "Savings", alignment: .right), .init(header: "Flags", alignment: .left),
            ],
            rows: topSessions.enumerated().map { index, session in
                [
                    String(index + 1), session.session, session.tag ?? "", NumberText.grouped(session.turns),
                    session.cost.display, SavingsReport.percentCell(session.cost.basisPoints(of: totals.cost)),
                    session.savings.display, Self.flagsText(session.flags),
                ]
            })
        let flags = flagsInTopSessions
        if !flags.isEmpty {
            lines.append("")
            lines += flags.map { flag in
                "- **\(MarkdownText.escaped(flag.name))**: \(MarkdownText.escaped(flag.description))."
            }
        }

        if !suggestedCaps.isEmpty {
            lines += ["", "## Suggested caps per tag", ""]
            lines.append(
                "3 × p90 of the tag's session costs, for tags with \(Self.minimumSessionsForTagCap)+ sessions.")
            lines.append("")
            lines += MarkdownText.table(
                [
                    .init(header: "Tag", alignment: .left), .init(header: "Sessions", alignment: .right),
                    .init(header: "p90", alignment: .right), .init(header: "Cap", alignment: .right),
                ],
                rows: suggestedCaps.map { [$0.tag, NumberText.grouped($0.sessions), $0.p90.display, $0.cap.display] })
        }

        lines += ["", "## Forecast, next \(SpendForecast.horizonDays) days", ""]
        lines.append(MarkdownText.escaped(forecastLine))

        if let groups {
            lines += ["", "## Spend by \(groups.key.rawValue)", ""]
            lines += MarkdownText.table(
                [
                    .init(header: groups.key.rawValue.capitalizedFirst, alignment: .left),
                    .init(header: "Turns", alignment: .right), .init(header: "Sessions", alignment: .right),
                    .init(header: "Actual", alignment: .right), .init(header: "Requested", alignment: .right),
                    .init(header: "Baseline", alignment: .right), .init(header: "Savings", alignment: .right),
                    .init(header: "Share", alignment: .right),
                ],
                rows: groups.rows.map { row in
                    [
                        row.key, NumberText.grouped(row.turns), NumberText.grouped(row.sessions), row.cost.display,
                        row.requested.display, row.baseline.display, row.savings.display,
                        SavingsReport.percentCell(row.shareBasisPoints),
                    ]
                })
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    /// The text with its first character uppercased: `"tag"` → `"Tag"`.
    fileprivate var capitalizedFirst: String {
        prefix(1).uppercased() + dropFirst()
    }
}
