/// What a session's own turns say about how it went, without anyone reporting an outcome.
///
/// Few users will record an explicit outcome for every session, yet a cheaper arm must not win
/// an experiment by failing more. The ledger already holds signals of trouble and of success:
/// tool calls that errored, loops, fallbacks, failed turns, and above all the last test run the
/// agent reported. This reads them per session so `sluice ab` can compare arms on outcomes next
/// to cost; ``verdict`` folds them into one label with the explicit outcome first.
///
/// ```swift
/// let signals = SessionSignals.bySession(turns: turns, outcomes: outcomes, nowMilliseconds: now)
/// signals["cc:1234"]?.verdict   // .testsPassed
/// ```
package struct SessionSignals: Sendable, Hashable {
    /// How a session ended, from the best evidence available.
    ///
    /// The raw values appear in JSON reports and never change once shipped.
    package enum Verdict: String, Sendable, Hashable, Codable, CaseIterable {
        /// The user (or their harness) reported success.
        case success
        /// The user reported failure.
        case failure
        /// No explicit outcome; the last test run the agent reported passed.
        case testsPassed = "tests_passed"
        /// No explicit outcome; the last test run the agent reported failed.
        case testsFailed = "tests_failed"
        /// No explicit outcome or test run, and the session went quiet.
        case abandoned
        /// Nothing to go on yet.
        case unknown

        /// The verdict for people: `"tests passed"`.
        package var name: String {
            switch self {
            case .success: "success"
            case .failure: "failure"
            case .testsPassed: "tests passed"
            case .testsFailed: "tests failed"
            case .abandoned: "abandoned"
            case .unknown: "unknown"
            }
        }
    }

    /// A test run seen in the session: the turn that carried its results to the model.
    package struct TestRun: Sendable, Hashable {
        /// The turn's id.
        package var turn: String
        /// When the turn started, Unix milliseconds.
        package var atMilliseconds: Int64
        /// Whether the run passed: the tool result did not report an error.
        package var passed: Bool

        package init(turn: String, atMilliseconds: Int64, passed: Bool) {
            self.turn = turn
            self.atMilliseconds = atMilliseconds
            self.passed = passed
        }
    }

    /// The tool category of a test run's results (``TurnRecord/toolCategories``).
    package static let testCategory = "test"

    /// How long a session may be quiet before it counts as abandoned, unless told otherwise: an
    /// hour is longer than an agent thinks or a person reads a diff, and shorter than a working
    /// day, after which an unfinished session is unlikely to be picked up again.
    package static let defaultIdleMilliseconds: Int64 = 60 * 60 * 1_000

    /// The session key.
    package var session: String
    /// Number of turns.
    package var turns: Int
    /// Turns whose request carried a tool result that reported an error.
    package var toolErrorTurns: Int
    /// Turns in a tool loop: the model repeated the identical tool call at least
    /// ``WasteFlag/toolLoopRepeats`` times before them.
    package var loopTrips: Int
    /// Turns a fallback model took because the ones before it failed.
    package var fallbacks: Int
    /// Turns that failed, of any kind: every status except `ok` and `client_cancelled`.
    ///
    /// Besides upstream errors this counts Sluice's own refusals, unroutable requests and
    /// misconfigured upstreams, because an experiment's arm can cause those too; a client that
    /// hung up is the user's doing, not a failure. (Reports keep the JSON key `upstream_errors`
    /// for the share of sessions with at least one.)
    package var failedTurns: Int
    /// The latest test run, or `nil` when the session reported none.
    package var lastTestRun: TestRun?
    /// Start of the first turn, Unix milliseconds; zero without turns.
    package var firstAtMilliseconds: Int64
    /// Start of the last turn, Unix milliseconds; zero without turns.
    package var lastAtMilliseconds: Int64
    /// Whether the session went quiet for longer than the idle threshold without being reported
    /// a success.
    package var abandoned: Bool
    /// Whether the session may still be going: it has no explicit outcome and its last turn
    /// started within the idle threshold.
    ///
    /// Its cost and ending are not known yet, so reports leave it out of their figures until it
    /// settles (an outcome is reported, or it goes quiet for the idle threshold); counting it
    /// would pull cost per session down with sessions that are only half done.
    package var inProgress: Bool
    /// The latest explicit outcome, if any.
    package var outcome: SessionOutcome?

    /// Milliseconds from the first turn's start to the last one's: how long the work took.
    package var timeToFinishMilliseconds: Int64 { lastAtMilliseconds - firstAtMilliseconds }
    /// ``timeToFinishMilliseconds`` in minutes.
    package var timeToFinishMinutes: Double { Double(timeToFinishMilliseconds) / 60_000 }

    /// The best evidence of how the session ended: the explicit outcome when there is one, else
    /// the last test run, else abandonment, else unknown.
    package var verdict: Verdict {
        if let outcome {
            return outcome.verdict == .success ? .success : .failure
        }
        if let lastTestRun {
            return lastTestRun.passed ? .testsPassed : .testsFailed
        }
        return abandoned ? .abandoned : .unknown
    }

    /// Reads one session's signals.
    ///
    /// - Parameters:
    ///   - session: The session key.
    ///   - turns: The session's turns, in any order.
    ///   - outcome: Its latest explicit outcome (``SessionOutcome/latest(_:)``), if any.
    ///   - nowMilliseconds: The current time, Unix milliseconds (injected, so reports are
    ///     reproducible).
    ///   - idleMilliseconds: How long without a turn makes a session abandoned and no longer in progress.
    package init(
        session: String, turns: [TurnRecord], outcome: SessionOutcome?, nowMilliseconds: Int64,
        idleMilliseconds: Int64 = SessionSignals.defaultIdleMilliseconds
    ) {
        let ordered = turns.sorted(by: TurnRecord.chronologically)
        self.session = session
        self.turns = ordered.count
        toolErrorTurns = ordered.count(where: { $0.toolError })
        loopTrips = ordered.count(where: { ($0.toolCallRepeats ?? 0) >= WasteFlag.toolLoopRepeats })
        fallbacks = ordered.count(where: { $0.fallback != nil })
        failedTurns = ordered.count(where: { $0.status != .ok && $0.status != .clientCancelled })
        lastTestRun = ordered.last(where: { $0.toolCategories.contains(Self.testCategory) }).map {
            TestRun(turn: $0.id, atMilliseconds: $0.startedAtMilliseconds, passed: !$0.toolError)
        }
        let last = ordered.last?.startedAtMilliseconds ?? 0
        firstAtMilliseconds = ordered.first?.startedAtMilliseconds ?? 0
        lastAtMilliseconds = last
        self.outcome = outcome
        let quiet = !ordered.isEmpty && nowMilliseconds - last > idleMilliseconds
        abandoned = quiet && outcome?.verdict != .success
        inProgress = !ordered.isEmpty && !quiet && outcome == nil
    }

    /// Reads the signals of every session in `turns`.
    ///
    /// - Parameters:
    ///   - turns: Turns of any sessions, in any order.
    ///   - outcomes: Explicit outcomes of any sessions; the latest per session counts.
    ///   - nowMilliseconds: The current time, Unix milliseconds.
    ///   - idleMilliseconds: How long without a turn makes a session abandoned.
    /// - Returns: The signals by session key; sessions with outcomes but no turns are left out.
    package static func bySession(
        turns: [TurnRecord], outcomes: [SessionOutcome], nowMilliseconds: Int64,
        idleMilliseconds: Int64 = SessionSignals.defaultIdleMilliseconds
    ) -> [String: SessionSignals] {
        let latest = SessionOutcome.latest(outcomes)
        var signals: [String: SessionSignals] = [:]
        for (session, sessionTurns) in Dictionary(grouping: turns, by: \.session) {
            signals[session] = SessionSignals(
                session: session, turns: sessionTurns, outcome: latest[session], nowMilliseconds: nowMilliseconds,
                idleMilliseconds: idleMilliseconds)
        }
        return signals
    }
}
