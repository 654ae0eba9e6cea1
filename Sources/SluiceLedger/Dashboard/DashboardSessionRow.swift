package import SluiceWire

/// One session as the sessions page lists it: who ran it and how, what it cost against both
/// counterfactuals, how it ended and what waste its turns show.
///
/// Built from the session's turns with the reports the CLI uses: the sums are
/// ``LongTailReport/SessionSpend`` (``SessionSummary`` and ``WasteFlag/tally(_:)``), the ending
/// is ``SessionSignals/verdict`` with the explicit outcome first. Only the descriptive fields
/// (user, client, arm) are read here, in one pass.
package struct DashboardSessionRow: Sendable, Hashable {
    /// The session key.
    package var session: String
    /// The user of the session's latest turn that named one.
    package var user: String?
    /// The tag of the session's latest tagged turn (``SessionSummary/tag``).
    package var tag: String?
    /// The agent program of the session's latest turn that named one.
    package var client: String?
    /// The dialect the session's first turn spoke (`anthropic`, `openai-chat`, …).
    package var dialect: String
    /// The experiment of the session's first turn, if any.
    package var experiment: String?
    /// The arm of the session's first turn, as `sluice ab` assigns sessions to arms.
    package var arm: String?
    /// Start of the first turn, Unix milliseconds.
    package var firstAtMilliseconds: Int64
    /// Start of the last turn, Unix milliseconds.
    package var lastAtMilliseconds: Int64
    /// Number of turns.
    package var turns: Int
    /// Turns a model other than the baseline answered (``SessionSummary/routedTurns``).
    package var routedTurns: Int
    /// Turns whose status is not `ok`.
    package var failedTurns: Int
    /// Turns whose usage is Sluice's estimate.
    package var estimatedTurns: Int
    /// Usage summed over the turns.
    package var usage: Usage
    /// What the session cost.
    package var cost: USD
    /// The requested counterfactual (a turn without one counts at its cost).
    package var requested: USD
    /// The all-frontier counterfactual.
    package var baseline: USD
    /// How the session ended, from the best evidence (``SessionSignals/verdict``).
    package var outcome: SessionSignals.Verdict
    /// Whether the session may still be going (``SessionSignals/inProgress``).
    package var inProgress: Bool
    /// The latest explicit outcome, if one was reported.
    package var reportedOutcome: SessionOutcome?
    /// The waste patterns its turns show, with their turn counts.
    package var flags: [WasteFlag.Tally]

    /// Savings against the all-frontier counterfactual; negative when the session cost more.
    package var savings: USD { baseline - cost }
    /// Savings against the models the client asked for; negative when routing cost more.
    package var routingSavings: USD { requested - cost }
    /// The agent program, or the dialect when no turn named a program: what the client filter
    /// matches and the client column shows.
    package var clientName: String { client ?? dialect }
    /// `~` when some usage is estimated, for money cells.
    var mark: String { estimatedTurns > 0 ? "~" : "" }

    /// Summarizes one session.
    ///
    /// - Parameters:
    ///   - session: The session key.
    ///   - turns: The session's turns, in any order; at least one for meaningful figures.
    ///   - outcome: The session's latest explicit outcome, if any.
    ///   - nowMilliseconds: The current time, for sessions still in progress and abandoned ones.
    package init(session: String, turns: [TurnRecord], outcome: SessionOutcome?, nowMilliseconds: Int64) {
        let spend = LongTailReport.SessionSpend(session: session, turns: turns)
        let signals = SessionSignals(
            session: session, turns: turns, outcome: outcome, nowMilliseconds: nowMilliseconds)
        var first: TurnRecord?
        var userTurn: TurnRecord?
        var clientTurn: TurnRecord?
        for turn in turns {
            if first.map({ TurnRecord.chronologically(turn, $0) }) ?? true { first = turn }
            if let user = turn.user, !user.isEmpty,
                userTurn.map({ TurnRecord.chronologically($0, turn) }) ?? true
            {
                userTurn = turn
            }
            if let client = turn.client, !client.isEmpty,
                clientTurn.map({ TurnRecord.chronologically($0, turn) }) ?? true
            {
                clientTurn = turn
            }
        }
        self.session = session
        user = userTurn?.user
        tag = spend.summary.tag
        client = clientTurn?.client
        dialect = first?.clientDialect.rawValue ?? ""
        experiment = first?.experiment
        arm = first?.arm
        firstAtMilliseconds = spend.summary.firstAtMilliseconds
        lastAtMilliseconds = spend.summary.lastAtMilliseconds
        self.turns = spend.summary.turns
        routedTurns = spend.summary.routedTurns
        failedTurns = spend.summary.failedTurns
        estimatedTurns = spend.summary.estimatedTurns
        usage = spend.summary.usage
        cost = spend.cost
        requested = spend.requested
        baseline = spend.baseline
        self.outcome = signals.verdict
        inProgress = signals.inProgress
        reportedOutcome = outcome
        flags = spend.flags
    }

    /// One row per session in `turns`, most recent activity first (then by key).
    ///
    /// - Parameters:
    ///   - turns: Turns of any sessions, in any order.
    ///   - outcomes: Explicit outcomes of any sessions; the latest per session counts.
    ///   - nowMilliseconds: The current time, Unix milliseconds.
    package static func rows(
        turns: [TurnRecord], outcomes: [SessionOutcome], nowMilliseconds: Int64
    ) -> [DashboardSessionRow] {
        let latest = SessionOutcome.latest(outcomes)
        return Dictionary(grouping: turns, by: \.session)
            .map { session, sessionTurns in
                DashboardSessionRow(
                    session: session, turns: sessionTurns, outcome: latest[session], nowMilliseconds: nowMilliseconds)
            }
            .sorted { lhs, rhs in
                lhs.lastAtMilliseconds != rhs.lastAtMilliseconds
                    ? lhs.lastAtMilliseconds > rhs.lastAtMilliseconds : lhs.session < rhs.session
            }
    }
}
