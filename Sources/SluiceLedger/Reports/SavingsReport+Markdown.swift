extension SavingsReport {
    /// The savings report as Markdown: a heading, a pipe table with one row per session, then the
    /// totals; for pasting into an issue or a wiki page.
    var markdown: String {
        var lines = ["# Sluice savings report", ""]
        guard !sessions.isEmpty else {
            lines.append("No sessions in the ledger yet.")
            return lines.joined(separator: "\n")
        }
        lines += MarkdownText.table(
            [
                .init(header: "Session", alignment: .left), .init(header: "Tag", alignment: .left),
                .init(header: "Turns", alignment: .right), .init(header: "Routed", alignment: .right),
                .init(header: "Failed", alignment: .right), .init(header: "Actual", alignment: .right),
                .init(header: "Requested", alignment: .right), .init(header: "Baseline", alignment: .right),
                .init(header: "Savings", alignment: .right),
                .init(header: "Saved", alignment: .right), .init(header: "Last seen (UTC)", alignment: .left),
            ],
            rows: sessions.map { summary in
                [
                    summary.session, summary.tag ?? "", NumberText.grouped(summary.turns),
                    NumberText.grouped(summary.routedTurns), NumberText.grouped(summary.failedTurns),
                    summary.moneyCell(summary.cost), summary.moneyCell(summary.requestedCost),
                    summary.moneyCell(summary.baselineCost),
                    summary.moneyCell(summary.savings), Self.percentCell(summary.savingsBasisPoints),
                    UTCDateTime(unixMilliseconds: summary.lastAtMilliseconds).shortDisplay,
                ]
            })

        let sessionCount = "\(NumberText.grouped(totals.sessions)) session\(totals.sessions == 1 ? "" : "s")"
        let turnCount = "\(NumberText.grouped(totals.turns)) turn\(totals.turns == 1 ? "" : "s")"
        var total: String = "**Total:** \(sessionCount), \(turnCount)"
        total += " (\(NumberText.grouped(totals.routedTurns)) routed); actual \(totals.cost.display)"
        total += ", baseline \(totals.baselineCost.display), saved \(totals.savings.display)"
        total += " (\(Self.percentCell(totals.savingsBasisPoints)))."
        lines += ["", total, ""]
        lines.append(footnote(mark: ""))
        if totals.estimatedTurns > 0 {
            var estimated: String = "~ includes estimated usage: \(NumberText.grouped(totals.estimatedTurns)) of "
            estimated += "\(NumberText.grouped(totals.turns)) turns had no usage from the upstream."
            lines.append(MarkdownText.escaped(estimated))
        }
        return lines.joined(separator: "\n")
    }
}
