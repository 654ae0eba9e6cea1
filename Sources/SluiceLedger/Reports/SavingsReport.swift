package import SluiceWire

/// The savings report of `sluice report`: one line per session, then totals.
///
/// Built from the summaries a store returns; rendering is pure, so the CLI, the dashboard and
/// tests produce the same text from the same ledger.
///
/// ```swift
/// let report = SavingsReport(sessions: try await store.sessionSummaries(), by: .savings)
/// print(report.rendered(as: .table))
/// ```
package struct SavingsReport: Sendable, Hashable {
    /// The order of the sessions; every key sorts descending (largest or latest first).
    package enum SortKey: String, Sendable, Hashable, CaseIterable {
        /// Highest actual cost first.
        case cost
        /// Largest savings first.
        case savings
        /// Most turns first.
        case turns
        /// Latest activity first.
        case recent
    }

    /// Figures summed over every session in the report.
    package struct Totals: Sendable, Hashable {
        /// Number of sessions.
        package var sessions: Int
        /// Number of turns.
        package var turns: Int
        /// Turns a model other than the baseline answered.
        package var routedTurns: Int
        /// Turns whose status is not `ok`.
        package var failedTurns: Int
        /// Turns whose usage is estimated.
        package var estimatedTurns: Int
        /// Usage summed over all turns.
        package var usage: Usage
        /// Actual cost.
        package var cost: USD
        /// List baseline.
        package var baselineListCost: USD
        /// All-frontier counterfactual.
        package var baselineCost: USD
        /// Requested counterfactual.
        package var requestedCost: USD

        /// Sums the summaries.
        package init(_ summaries: [SessionSummary]) {
            sessions = summaries.count
            turns = 0
            routedTurns = 0
            failedTurns = 0
            estimatedTurns = 0
            usage = .zero
            cost = .zero
            baselineListCost = .zero
            baselineCost = .zero
            requestedCost = .zero
            for summary in summaries {
                turns += summary.turns
                routedTurns += summary.routedTurns
                failedTurns += summary.failedTurns
                estimatedTurns += summary.estimatedTurns
                usage.add(summary.usage)
                cost += summary.cost
                baselineListCost += summary.baselineListCost
                baselineCost += summary.baselineCost
                requestedCost += summary.requestedCost
            }
        }

        /// Savings against the all-frontier counterfactual; negative when it cost more.
        package var savings: USD { baselineCost - cost }

        /// Savings against the models the clients asked for; negative when routing cost more.
        package var routingSavings: USD { requestedCost - cost }

        /// Savings as basis points of the cache-faithful baseline; `nil` when it is zero.
        package var savingsBasisPoints: Int? { savings.basisPoints(of: baselineCost) }
    }

    /// The sessions, in report order.
    package var sessions: [SessionSummary]
    /// Sums over all sessions.
    package var totals: Totals

    /// Sorts the summaries and computes the totals.
    ///
    /// Ties are broken by latest activity, then session key, so output is deterministic.
    ///
    /// - Parameters:
    ///   - sessions: One summary per session, in any order.
    ///   - sortKey: What to sort by, descending.
    package init(sessions: [SessionSummary], by sortKey: SortKey = .recent) {
        self.sessions = sessions.sorted { lhs, rhs in
            switch sortKey {
            case .cost where lhs.cost != rhs.cost: return lhs.cost > rhs.cost
            case .savings where lhs.savings != rhs.savings: return lhs.savings > rhs.savings
            case .turns where lhs.turns != rhs.turns: return lhs.turns > rhs.turns
            default: return SessionSummary.mostRecentFirst(lhs, rhs)
            }
        }
        totals = Totals(sessions)
    }

    /// The report as text in the given format.
    ///
    /// JSON is one compact document (`{"sessions":[...],"totals":{...}}`) with money as exact
    /// decimal numbers; CSV has a header row and one row per session; the table is for people.
    /// No format ends with a newline.
    package func rendered(as format: ReportFormat) -> String {
        switch format {
        case .json: json
        case .csv: csv
        case .table: table
        case .markdown: markdown
        }
    }

    private var json: String {
        let sessionObjects = sessions.map(\.reportFields.jsonObject)
        return JSONText.object([
            ("sessions", JSONText.array(sessionObjects)),
            ("totals", totalsFields.jsonObject),
        ])
    }

    private var totalsFields: ReportFields {
        [
            ("sessions", .integer(totals.sessions)),
            ("turns", .integer(totals.turns)),
            ("routed_turns", .integer(totals.routedTurns)),
            ("failed_turns", .integer(totals.failedTurns)),
            ("input_tokens", .integer(totals.usage.uncachedInput)),
            ("cache_read_tokens", .integer(totals.usage.cacheRead)),
            ("cache_write_tokens", .integer(totals.usage.cacheWrite)),
            ("output_tokens", .integer(totals.usage.output)),
            ("actual_usd", .usd(totals.cost)),
            ("requested_usd", .usd(totals.requestedCost)),
            ("baseline_usd", .usd(totals.baselineCost)),
            ("baseline_list_usd", .usd(totals.baselineListCost)),
            ("savings_usd", .usd(totals.savings)),
            ("routing_savings_usd", .usd(totals.routingSavings)),
            ("savings_pct", .percent(basisPoints: totals.savingsBasisPoints)),
        ]
    }

    /// What the savings are measured against, under the table (text and markdown alike).
    func footnote(mark: String) -> String {
        "Savings are against the all-frontier baseline; against the models the clients asked for, routing saved "
            + "\(mark)\(totals.routingSavings.display). List baseline (every prompt token at the baseline's "
            + "uncached input price): \(mark)\(totals.baselineListCost.display)."
    }

    private var csv: String {
        let header = SessionSummary.csvHeader
        return CSVText.document([header] + sessions.map(\.reportFields.csvRow))
    }

    private var table: String {
        guard !sessions.isEmpty else { return "No sessions in the ledger yet." }
        let showsTags = sessions.contains { $0.tag != nil }
        let showsFailures = totals.failedTurns > 0

        var columns: [TextTable.Column] = [.init(header: "SESSION", alignment: .left)]
        if showsTags { columns.append(.init(header: "TAG", alignment: .left)) }
        columns += [.init(header: "TURNS", alignment: .right), .init(header: "ROUTED", alignment: .right)]
        if showsFailures { columns.append(.init(header: "FAILED", alignment: .right)) }
        columns += [
            .init(header: "ACTUAL", alignment: .right), .init(header: "REQUESTED", alignment: .right),
            .init(header: "BASELINE", alignment: .right), .init(header: "SAVINGS", alignment: .right),
            .init(header: "SAVED", alignment: .right),
            .init(header: "LAST SEEN (UTC)", alignment: .left),
        ]
        var table = TextTable(columns)

        for summary in sessions {
            // Wide enough for a whole Claude Code or Codex key (`cc:` + UUID), which `--session` takes.
            var cells = [TextTable.truncated(summary.session, to: 44)]
            if showsTags { cells.append(TextTable.truncated(summary.tag ?? "", to: 16)) }
            cells += [NumberText.grouped(summary.turns), NumberText.grouped(summary.routedTurns)]
            if showsFailures { cells.append(NumberText.grouped(summary.failedTurns)) }
            cells += [
                summary.moneyCell(summary.cost), summary.moneyCell(summary.requestedCost),
                summary.moneyCell(summary.baselineCost),
                summary.moneyCell(summary.savings), Self.percentCell(summary.savingsBasisPoints),
                UTCDateTime(unixMilliseconds: summary.lastAtMilliseconds).shortDisplay,
            ]
            table.append(cells)
        }

        table.appendRule()
        let estimatedMark = totals.estimatedTurns > 0 ? "~" : ""
        var cells = ["TOTAL, \(totals.sessions) session\(totals.sessions == 1 ? "" : "s")"]
        if showsTags { cells.append("") }
        cells += [NumberText.grouped(totals.turns), NumberText.grouped(totals.routedTurns)]
        if showsFailures { cells.append(NumberText.grouped(totals.failedTurns)) }
        cells += [
            estimatedMark + totals.cost.display, estimatedMark + totals.requestedCost.display,
            estimatedMark + totals.baselineCost.display,
            estimatedMark + totals.savings.display, Self.percentCell(totals.savingsBasisPoints), "",
        ]
        table.append(cells)

        var lines = table.rendered()
        lines.append("")
        lines.append(footnote(mark: estimatedMark))
        if totals.estimatedTurns > 0 {
            lines.append(
                "~ includes estimated usage: \(NumberText.grouped(totals.estimatedTurns)) of "
                    + "\(NumberText.grouped(totals.turns)) turns had no usage from the upstream.")
        }
        return lines.joined(separator: "\n")
    }

    /// `"73.33%"`, or `"–"` when there is no baseline to compare with.
    static func percentCell(_ basisPoints: Int?) -> String {
        basisPoints.map { NumberText.percent(basisPoints: $0) + "%" } ?? "–"
    }
}

extension SessionSummary {
    /// The CSV header of savings reports; the same keys as the JSON session object.
    static var csvHeader: String {
        SessionSummary(
            session: "", tag: nil, firstAtMilliseconds: 0, lastAtMilliseconds: 0, turns: 0, routedTurns: 0,
            failedTurns: 0, estimatedTurns: 0, usage: .zero, cost: .zero, baselineListCost: .zero,
            baselineCost: .zero
        ).reportFields.csvHeader
    }
}
