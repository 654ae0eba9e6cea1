extension LongTailReport {
    /// The report for people: totals, the distribution and its histogram, the top sessions with
    /// their flags, the suggested caps, the forecast and the groups.
    var table: String {
        guard !sessions.isEmpty else { return "No sessions in the ledger yet." }
        var lines = summaryLines
        lines.append("")
        lines.append("Cost per session")
        lines += distributionLines.map { "  " + $0 }
        lines.append("")
        lines += distribution.histogram.lines()

        lines.append("")
        lines.append("Top sessions by cost")
        lines += topSessionsTable.rendered()
        let flags = flagsInTopSessions
        if !flags.isEmpty {
            lines.append("")
            lines.append("Flags:")
            lines += flags.map { "  \($0.name): \($0.description)." }
        }

        if !suggestedCaps.isEmpty {
            lines.append("")
            lines.append(
                "Suggested caps per tag (3 × p90, tags with \(Self.minimumSessionsForTagCap)+ sessions)")
            var caps = TextTable([
                .init(header: "TAG", alignment: .left), .init(header: "SESSIONS", alignment: .right),
                .init(header: "P90", alignment: .right), .init(header: "CAP", alignment: .right),
            ])
            for cap in suggestedCaps {
                caps.append([
                    TextTable.truncated(cap.tag, to: 32), NumberText.grouped(cap.sessions), cap.p90.display,
                    cap.cap.display,
                ])
            }
            lines += caps.rendered()
        }

        lines.append("")
        lines.append(forecastLine)

        if let groups {
            lines.append("")
            lines.append("Spend by \(groups.key.rawValue)")
            lines += Self.groupsTable(groups).rendered()
        }
        return lines.joined(separator: "\n")
    }

    /// Counts, the three prices and where the counterfactual prices come from.
    var summaryLines: [String] {
        let counts: String =
            "Spend across \(Self.counted(totals.sessions, "session")), \(Self.counted(totals.turns, "turn"))"
        let saved: String = SavingsReport.percentCell(totals.savingsBasisPoints)
        var prices: String = "Actual \(totals.cost.display) · requested \(totals.requested.display)"
        prices += " · baseline \(totals.baseline.display) · saved \(totals.savings.display) (\(saved))"
        prices += " · routing saved \(totals.routingSavings.display)"
        var coverage: String = "Prices: requested \(Self.coverageText(totals.requestedCoverage))"
        coverage += "; baseline \(Self.coverageText(totals.baselineCoverage))."
        var lines = [counts, prices, coverage]
        if totals.estimatedTurns > 0 {
            var estimated: String = NumberText.grouped(totals.estimatedTurns)
            estimated += " of \(NumberText.grouped(totals.turns))"
            estimated += " turns had no usage from the upstream; their costs are Sluice's estimates."
            lines.append(estimated)
        }
        return lines
    }

    /// The percentiles, the top decile's share and the suggested cap.
    var distributionLines: [String] {
        var percentiles: String = "median \(distribution.median.display)   mean \(distribution.mean.display)"
        percentiles += "   p90 \(distribution.p90.display)   p99 \(distribution.p99.display)"
        percentiles += "   max \(distribution.maximum.display)"
        var lines = [percentiles]
        if let share = distribution.topDecileShareBasisPoints {
            var top: String = "The most expensive \(Self.counted(distribution.topDecileCount, "session"))"
            top += " (top 10%) spent \(NumberText.percent(basisPoints: share))% of the total."
            lines.append(top)
        }
        lines.append("Suggested per-session cap: \(distribution.suggestedCap.display) (3 × p90).")
        return lines
    }

    /// The forecast with its interval, marked when the history is short.
    var forecastLine: String {
        var line: String = "Forecast, next \(SpendForecast.horizonDays) days: \(forecast.spend.display)"
        // One day says nothing about how days vary: no range rather than a range of width zero.
        if forecast.daysOfHistory > 1 {
            line += " (80% range \(forecast.low.display) – \(forecast.high.display))"
        }
        line += ", from \(Self.counted(forecast.daysOfHistory, "day")) of history"
        line += " at \(forecast.dailyMean.display)/day."
        if forecast.isShortHistory { line += " (few days of data: a rough guess)" }
        return line
    }

    /// The flags that any top session shows, in declaration order, for the legend.
    var flagsInTopSessions: [WasteFlag] {
        let shown = Set(topSessions.flatMap { $0.flags.map(\.flag) })
        return WasteFlag.allCases.filter { shown.contains($0) }
    }

    /// A session's flags for people: `"retries ×2, tool loop ×4"`; empty without flags.
    static func flagsText(_ flags: [WasteFlag.Tally]) -> String {
        flags.map { "\($0.flag.name) ×\($0.turns)" }.joined(separator: ", ")
    }

    /// `"12 exact, 3 simulated, 1 unknown"`.
    static func coverageText(_ counts: CoverageCounts) -> String {
        "\(NumberText.grouped(counts.exact)) exact, \(NumberText.grouped(counts.simulated)) simulated, "
            + "\(NumberText.grouped(counts.unknown)) unknown"
    }

    /// `"1 session"`, `"1,204 sessions"`.
    static func counted(_ count: Int, _ noun: String) -> String {
        "\(NumberText.grouped(count)) \(noun)\(count == 1 ? "" : "s")"
    }

    private var topSessionsTable: TextTable {
        let showsTags = topSessions.contains { $0.tag != nil }
        var columns: [TextTable.Column] = [
            .init(header: "#", alignment: .right), .init(header: "SESSION", alignment: .left),
        ]
        if showsTags { columns.append(.init(header: "TAG", alignment: .left)) }
        columns += [
            .init(header: "TURNS", alignment: .right), .init(header: "COST", alignment: .right),
            .init(header: "SHARE", alignment: .right), .init(header: "SAVINGS", alignment: .right),
            .init(header: "FLAGS", alignment: .left),
        ]
        var table = TextTable(columns)
        for (index, session) in topSessions.enumerated() {
            // Wide enough for a whole Claude Code or Codex key (`cc:` + UUID), which `--session` takes.
            var cells = [String(index + 1), TextTable.truncated(session.session, to: 44)]
            if showsTags { cells.append(TextTable.truncated(session.tag ?? "", to: 16)) }
            cells += [
                NumberText.grouped(session.turns), session.cost.display,
                SavingsReport.percentCell(session.cost.basisPoints(of: totals.cost)), session.savings.display,
                Self.flagsText(session.flags),
            ]
            table.append(cells)
        }
        return table
    }

    private static func groupsTable(_ groups: SpendGroups) -> TextTable {
        var table = TextTable([
            .init(header: groups.key.rawValue.uppercased(), alignment: .left),
            .init(header: "TURNS", alignment: .right), .init(header: "SESSIONS", alignment: .right),
            .init(header: "ACTUAL", alignment: .right), .init(header: "REQUESTED", alignment: .right),
            .init(header: "BASELINE", alignment: .right), .init(header: "SAVINGS", alignment: .right),
            .init(header: "SHARE", alignment: .right),
        ])
        for row in groups.rows {
            table.append([
                TextTable.truncated(row.key, to: 32), NumberText.grouped(row.turns), NumberText.grouped(row.sessions),
                row.cost.display, row.requested.display, row.baseline.display, row.savings.display,
                SavingsReport.percentCell(row.shareBasisPoints),
            ])
        }
        return table
    }
}
