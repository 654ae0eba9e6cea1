import SluiceWire

/// The spend report of `sluice report` across sessions: where the money goes, how long the tail
/// is, what a per-session cap should be, and what the next 30 days will cost.
///
/// Built from ledger rows rather than session summaries because the waste flags, the daily
/// forecast and the groups need each turn. Rendering is pure, so the CLI, the dashboard and
/// tests produce the same text from the same ledger.
///
/// ```swift
/// let report = LongTailReport(turns: everyTurnInTheLedger, groupBy: .tag)
/// print(report.rendered(as: .table))
/// ```
package struct LongTailReport: Sendable, Hashable {
    /// How many of the most expensive sessions the report lists.
    package static let topSessionCount = 10
    /// A tag needs this many sessions before its p90 means enough to suggest a cap.
    package static let minimumSessionsForTagCap = 5

    /// One session's spend and waste flags: its ``SessionSummary`` (the same sums `--sessions` shows)
    /// and what ``WasteFlag`` finds in its turns.
    package struct SessionSpend: Sendable, Hashable {
        /// The session's totals.
        package var summary: SessionSummary
        /// The waste patterns its turns show.
        package var flags: [WasteFlag.Tally]

        /// Sums one session's turns.
        ///
        /// - Parameters:
        ///   - session: The session key.
        ///   - turns: The session's turns, in any order.
        package init(session: String, turns: [TurnRecord]) {
            summary = SessionSummary.summarize(turns).first
                ?? SessionSummary(
                    session: session, tag: nil, firstAtMilliseconds: 0, lastAtMilliseconds: 0, turns: 0, routedTurns: 0,
                    failedTurns: 0, estimatedTurns: 0, usage: .zero, cost: .zero, baselineListCost: .zero,
                    baselineCost: .zero)
            flags = WasteFlag.tally(turns)
        }

        package var session: String { summary.session }
        package var tag: String? { summary.tag }
        package var turns: Int { summary.turns }
        package var firstAtMilliseconds: Int64 { summary.firstAtMilliseconds }
        package var lastAtMilliseconds: Int64 { summary.lastAtMilliseconds }
        package var cost: USD { summary.cost }
        /// The requested counterfactual (a turn without one counts at its actual cost).
        package var requested: USD { summary.requestedCost }
        /// The all-frontier counterfactual.
        package var baseline: USD { summary.baselineCost }
        /// Savings against the all-frontier counterfactual; negative when the session cost more.
        package var savings: USD { summary.savings }
        /// Savings against the requested models; negative when routing cost more.
        package var routingSavings: USD { summary.routingSavings }

        /// Most expensive first, then session key ascending, so ties list deterministically.
        package static func mostExpensiveFirst(_ lhs: SessionSpend, _ rhs: SessionSpend) -> Bool {
            lhs.cost != rhs.cost ? lhs.cost > rhs.cost : lhs.session < rhs.session
        }
    }

    /// A per-session cap suggested for the sessions of one tag.
    package struct TagCap: Sendable, Hashable {
        /// The tag.
        package var tag: String
        /// Number of sessions with the tag.
        package var sessions: Int
        /// The nearest-rank 90th percentile of their costs.
        package var p90: USD

        package init(tag: String, sessions: Int, p90: USD) {
            self.tag = tag
            self.sessions = sessions
            self.p90 = p90
        }

        /// The suggested cap: 3 × p90, the rule of ``CostDistribution/suggestedCap``.
        package var cap: USD { CostDistribution.cap(p90: p90) }
    }

    /// How many turns' counterfactual prices are of each coverage kind.
    package struct CoverageCounts: Sendable, Hashable {
        /// Observed on the model that answered.
        package var exact = 0
        /// Priced with a simulated prompt cache.
        package var simulated = 0
        /// Not priced (counted at the actual cost).
        package var unknown = 0

        package init(exact: Int = 0, simulated: Int = 0, unknown: Int = 0) {
            self.exact = exact
            self.simulated = simulated
            self.unknown = unknown
        }

        /// Counts one more turn of `coverage`'s kind.
        package mutating func add(_ coverage: Coverage) {
            switch coverage {
            case .exact: exact += 1
            case .simulated: simulated += 1
            case .unknown: unknown += 1
            }
        }
    }

    /// Figures summed over every turn in the report.
    package struct Totals: Sendable, Hashable {
        /// Number of sessions.
        package var sessions: Int
        /// Number of turns.
        package var turns: Int
        /// Turns whose usage is Sluice's estimate.
        package var estimatedTurns: Int
        /// Actual cost.
        package var cost: USD
        /// The requested counterfactual.
        package var requested: USD
        /// The all-frontier counterfactual.
        package var baseline: USD
        /// Coverage of the turns' requested prices.
        package var requestedCoverage: CoverageCounts
        /// Coverage of the turns' baseline prices.
        package var baselineCoverage: CoverageCounts

        /// Sums the turns.
        ///
        /// - Parameters:
        ///   - turns: Turns of any sessions.
        ///   - sessions: How many sessions they belong to.
        package init(turns: [TurnRecord], sessions: Int) {
            self.sessions = sessions
            self.turns = turns.count
            estimatedTurns = 0
            cost = .zero
            requested = .zero
            baseline = .zero
            requestedCoverage = CoverageCounts()
            baselineCoverage = CoverageCounts()
            for turn in turns {
                if turn.estimated { estimatedTurns += 1 }
                cost += turn.cost
                requested += turn.requested.cost
                baseline += turn.baselineCost
                requestedCoverage.add(turn.requested.coverage)
                baselineCoverage.add(turn.baseline.coverage)
            }
        }

        /// Savings against the all-frontier counterfactual; negative when it cost more.
        package var savings: USD { baseline - cost }

        /// Savings against the models the clients asked for; negative when routing cost more.
        package var routingSavings: USD { requested - cost }

        /// Savings as basis points of the baseline; `nil` when the baseline is zero.
        package var savingsBasisPoints: Int? { savings.basisPoints(of: baseline) }
    }

    /// Every session, most expensive first (then by key).
    package var sessions: [SessionSpend]
    /// How the sessions' costs spread.
    package var distribution: CostDistribution
    /// Suggested caps for tags with at least ``minimumSessionsForTagCap`` sessions, by tag.
    package var suggestedCaps: [TagCap]
    /// The next 30 days' spend.
    package var forecast: SpendForecast
    /// Sums over all turns.
    package var totals: Totals
    /// The turns grouped by the key asked for; `nil` when no grouping was asked.
    package var groups: SpendGroups?

    /// The ``topSessionCount`` most expensive sessions.
    package var topSessions: [SessionSpend] { Array(sessions.prefix(Self.topSessionCount)) }

    /// Computes the report.
    ///
    /// - Parameters:
    ///   - turns: Turns of any sessions, in any order.
    ///   - groupBy: What to group the turns by, if anything.
    package init(turns: [TurnRecord], groupBy: SpendGroupKey? = nil) {
        let turnsBySession = Dictionary(grouping: turns, by: \.session)
        let sessions = turnsBySession.map { SessionSpend(session: $0.key, turns: $0.value) }
            .sorted(by: SessionSpend.mostExpensiveFirst)
        self.sessions = sessions
        distribution = CostDistribution(sessionCosts: sessions.map(\.cost))
        suggestedCaps = Self.tagCaps(sessions)
        // The forecast sums each day's turns itself.
        forecast = SpendForecast(dailySpend: turns.map { (day: Self.day(ofMilliseconds: $0.startedAtMilliseconds), spend: $0.cost) })
        totals = Totals(turns: turns, sessions: sessions.count)
        groups = groupBy.map { SpendGroups(turns: turns, by: $0) }
    }

    /// The report as text in the given format; no format ends with a newline.
    ///
    /// The table is for people: totals, the distribution with its histogram, the top sessions
    /// with their waste flags, the suggested caps, the forecast and the groups. JSON is one
    /// object with money as exact decimals. CSV has one row per group when grouped, else one per
    /// session. Markdown has the table's sections as headings, pipe tables and a code block.
    package func rendered(as format: ReportFormat) -> String {
        switch format {
        case .table: table
        case .json: json
        case .csv: csv
        case .markdown: markdown
        }
    }

    /// The Unix day number (days since 1970-01-01, UTC) of a Unix time in milliseconds; times
    /// before 1970 fall on negative days.
    package static func day(ofMilliseconds milliseconds: Int64) -> Int64 {
        UTCDateTime.daysSinceEpoch(unixMilliseconds: milliseconds)
    }

    /// Caps for the tags with enough sessions, by tag ascending.
    private static func tagCaps(_ sessions: [SessionSpend]) -> [TagCap] {
        var costsByTag: [String: [USD]] = [:]
        for session in sessions {
            guard let tag = session.tag, !tag.isEmpty else { continue }
            costsByTag[tag, default: []].append(session.cost)
        }
        var caps: [TagCap] = []
        for (tag, costs) in costsByTag where costs.count >= minimumSessionsForTagCap {
            caps.append(
                TagCap(tag: tag, sessions: costs.count, p90: CostDistribution.percentile(90, ofSorted: costs.sorted())))
        }
        return caps.sorted { $0.tag < $1.tag }
    }
}
