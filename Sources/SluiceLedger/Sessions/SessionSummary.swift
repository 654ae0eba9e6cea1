package import SluiceWire

/// One session's totals: the unit of every savings report (DESIGN §1).
///
/// Stores aggregate these in their query language where they can (`GROUP BY session`);
/// ``summarize(_:)`` computes the same figures in Swift for stores that cannot, and for tests
/// that check the two agree.
package struct SessionSummary: Sendable, Hashable {
    /// The session key.
    package var session: String
    /// The tag of the session's most recent turn that had one.
    package var tag: String?
    /// Start of the session's first turn, Unix milliseconds.
    package var firstAtMilliseconds: Int64
    /// Start of the session's last turn, Unix milliseconds.
    package var lastAtMilliseconds: Int64
    /// Number of turns.
    package var turns: Int
    /// Turns a model other than the baseline answered.
    package var routedTurns: Int
    /// Turns whose status is not `ok`.
    package var failedTurns: Int
    /// Turns whose usage is Sluice's estimate.
    package var estimatedTurns: Int
    /// Usage summed over the turns.
    package var usage: Usage
    /// Actual cost summed over the turns.
    package var cost: USD
    /// List baseline summed over the turns.
    package var baselineListCost: USD
    /// All-frontier counterfactual summed over the turns.
    package var baselineCost: USD
    /// Requested counterfactual summed over the turns (a turn without one counts at its cost).
    package var requestedCost: USD

    /// Builds a summary from already-aggregated figures (what a store's query returns).
    package init(
        session: String, tag: String?, firstAtMilliseconds: Int64, lastAtMilliseconds: Int64, turns: Int,
        routedTurns: Int, failedTurns: Int, estimatedTurns: Int, usage: Usage, cost: USD, baselineListCost: USD,
        baselineCost: USD, requestedCost: USD? = nil
    ) {
        self.session = session
        self.tag = tag
        self.firstAtMilliseconds = firstAtMilliseconds
        self.lastAtMilliseconds = lastAtMilliseconds
        self.turns = turns
        self.routedTurns = routedTurns
        self.failedTurns = failedTurns
        self.estimatedTurns = estimatedTurns
        self.usage = usage
        self.cost = cost
        self.baselineListCost = baselineListCost
        self.baselineCost = baselineCost
        self.requestedCost = requestedCost ?? cost
    }

    /// What the session saved against the all-frontier counterfactual; negative when it cost more.
    package var savings: USD { baselineCost - cost }

    /// What the router's choices saved against the models the client asked for; negative when
    /// they cost more.
    package var routingSavings: USD { requestedCost - cost }

    /// Savings as basis points of the cache-faithful baseline, rounded half away from zero;
    /// `nil` when the baseline is zero (nothing to compare against).
    package var savingsBasisPoints: Int? { savings.basisPoints(of: baselineCost) }

    /// Summarizes turns per session, in the order every store returns summaries.
    ///
    /// The order is most recent activity first (`lastAtMilliseconds` descending), then session
    /// key ascending, so that results are deterministic. The tag is that of the latest turn
    /// (by start time, then id) with a non-nil tag.
    ///
    /// - Parameter turns: Turns of any number of sessions, in any order.
    /// - Returns: One summary per session.
    package static func summarize(_ turns: [TurnRecord]) -> [SessionSummary] {
        var summaries: [String: SessionSummary] = [:]
        var latestTagged: [String: TurnRecord] = [:]
        for turn in turns {
            if turn.tag != nil, latestTagged[turn.session].map({ TurnRecord.chronologically($0, turn) }) ?? true {
                latestTagged[turn.session] = turn
            }
            summaries[turn.session, default: SessionSummary(empty: turn.session, at: turn.startedAtMilliseconds)]
                .add(turn)
        }
        for (session, turn) in latestTagged {
            summaries[session]?.tag = turn.tag
        }
        return summaries.values.sorted(by: SessionSummary.mostRecentFirst)
    }

    /// The order of ``summarize(_:)``: latest activity first, then session key ascending.
    package static func mostRecentFirst(_ lhs: SessionSummary, _ rhs: SessionSummary) -> Bool {
        if lhs.lastAtMilliseconds != rhs.lastAtMilliseconds { return lhs.lastAtMilliseconds > rhs.lastAtMilliseconds }
        return lhs.session < rhs.session
    }

    private init(empty session: String, at milliseconds: Int64) {
        self.init(
            session: session, tag: nil, firstAtMilliseconds: milliseconds, lastAtMilliseconds: milliseconds,
            turns: 0, routedTurns: 0, failedTurns: 0, estimatedTurns: 0, usage: .zero, cost: .zero,
            baselineListCost: .zero, baselineCost: .zero)
    }

    private mutating func add(_ turn: TurnRecord) {
        firstAtMilliseconds = min(firstAtMilliseconds, turn.startedAtMilliseconds)
        lastAtMilliseconds = max(lastAtMilliseconds, turn.startedAtMilliseconds)
        turns += 1
        if turn.isRouted { routedTurns += 1 }
        if turn.status != .ok { failedTurns += 1 }
        if turn.estimated { estimatedTurns += 1 }
        usage.add(turn.usage)
        cost += turn.cost
        baselineListCost += turn.baselineListCost
        baselineCost += turn.baselineCost
        requestedCost += turn.requested.cost
    }
}

extension Usage {
    /// Adds another turn's usage field by field.
    mutating func add(_ other: Usage) {
        uncachedInput += other.uncachedInput
        cacheRead += other.cacheRead
        cacheWrite5m += other.cacheWrite5m
        cacheWrite1h += other.cacheWrite1h
        output += other.output
        reasoning += other.reasoning
        webSearchRequests += other.webSearchRequests
    }
}
