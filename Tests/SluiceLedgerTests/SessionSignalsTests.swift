import SluiceLedger
import Testing

@Suite struct SessionSignalsTests {
    static let minute: Int64 = 60_000

    /// One session's turns, given out of order: a failing tool, a failed test run, a loop with a
    /// fallback, an upstream error, then a passing test run on a turn the client cancelled.
    static let turns: [TurnRecord] = [
        .armTurn(id: "t4", at: 4_000, session: "s", status: .upstreamError),
        .armTurn(id: "t1", at: 1_000, session: "s", toolCategories: ["read"], toolError: true),
        .armTurn(id: "t5", at: 5_000, session: "s", toolCategories: ["test"], status: .clientCancelled),
        .armTurn(id: "t3", at: 3_000, session: "s", toolCallRepeats: 2, fallback: "rate_limited"),
        .armTurn(id: "t2", at: 2_000, session: "s", toolCategories: ["test", "read"], toolError: true),
    ]

    @Test func countsTheSignalsOfTheTurns() throws {
        let signals = SessionSignals(
            session: "s", turns: Self.turns, outcome: nil, nowMilliseconds: 5_000 + Self.minute)
        #expect(signals.turns == 5)
        #expect(signals.toolErrorTurns == 2)
        #expect(signals.loopTrips == 1)
        #expect(signals.fallbacks == 1)
        #expect(signals.failedTurns == 1)  // the cancelled turn is the user's doing
        let run = try #require(signals.lastTestRun)
        #expect(run == SessionSignals.TestRun(turn: "t5", atMilliseconds: 5_000, passed: true))
        #expect(signals.firstAtMilliseconds == 1_000)
        #expect(signals.lastAtMilliseconds == 5_000)
        #expect(signals.timeToFinishMilliseconds == 4_000)
        #expect(signals.timeToFinishMinutes == 4_000.0 / 60_000)
        #expect(!signals.abandoned)
        #expect(signals.inProgress)  // no outcome, and its last turn a minute ago
        #expect(signals.verdict == .testsPassed)
    }

    @Test func aLoopTripNeedsTheToolLoopRepeats() {
        let turns: [TurnRecord] = [
            .armTurn(id: "a", session: "s", toolCallRepeats: WasteFlag.toolLoopRepeats - 1),
            .armTurn(id: "b", session: "s", toolCallRepeats: WasteFlag.toolLoopRepeats),
            .armTurn(id: "c", session: "s", toolCallRepeats: WasteFlag.toolLoopRepeats + 3),
            .armTurn(id: "d", session: "s"),
        ]
        #expect(SessionSignals(session: "s", turns: turns, outcome: nil, nowMilliseconds: 0).loopTrips == 2)
    }

    @Test func theLastTestRunDecidesBetweenPassedAndFailed() {
        let failedLast = Self.turns.filter { $0.id != "t5" }
        let signals = SessionSignals(session: "s", turns: failedLast, outcome: nil, nowMilliseconds: 4_000)
        #expect(signals.lastTestRun?.turn == "t2")
        #expect(signals.verdict == .testsFailed)
    }

    @Test func anExplicitOutcomeComesFirstAndTheLatestOneCounts() {
        let outcomes = [
            SessionOutcome(id: "o2", session: "s", verdict: .failure, recordedAtMilliseconds: 9_000),
            SessionOutcome(id: "o1", session: "s", verdict: .success, recordedAtMilliseconds: 8_000),
        ]
        let signals = SessionSignals.bySession(turns: Self.turns, outcomes: outcomes, nowMilliseconds: 10_000)
        #expect(signals["s"]?.outcome?.id == "o2")
        #expect(signals["s"]?.verdict == .failure)  // the tests passed, but the user said it failed
    }

    @Test func aQuietSessionIsAbandonedUnlessItSucceeded() {
        let quiet = [TurnRecord.armTurn(id: "a", at: 0, session: "s")]
        let later = 61 * Self.minute
        let abandoned = SessionSignals(session: "s", turns: quiet, outcome: nil, nowMilliseconds: later)
        #expect(abandoned.abandoned)
        #expect(abandoned.verdict == .abandoned)

        let success = SessionOutcome(id: "o", session: "s", verdict: .success, recordedAtMilliseconds: 1)
        let succeeded = SessionSignals(session: "s", turns: quiet, outcome: success, nowMilliseconds: later)
        #expect(!succeeded.abandoned)
        #expect(succeeded.verdict == .success)

        let failure = SessionOutcome(id: "o", session: "s", verdict: .failure, recordedAtMilliseconds: 1)
        let failed = SessionSignals(session: "s", turns: quiet, outcome: failure, nowMilliseconds: later)
        #expect(failed.abandoned)
        #expect(failed.verdict == .failure)

        let recent = SessionSignals(session: "s", turns: quiet, outcome: nil, nowMilliseconds: 59 * Self.minute)
        #expect(!recent.abandoned)
        #expect(recent.verdict == .unknown)

        let shortIdle = SessionSignals(
            session: "s", turns: quiet, outcome: nil, nowMilliseconds: 2 * Self.minute, idleMilliseconds: Self.minute)
        #expect(shortIdle.verdict == .abandoned)
    }

    @Test func aSessionIsInProgressUntilItHasAnOutcomeOrGoesQuiet() {
        let turns = [TurnRecord.armTurn(id: "a", at: 0, session: "s")]
        let success = SessionOutcome(id: "o", session: "s", verdict: .success, recordedAtMilliseconds: 1)
        let failure = SessionOutcome(id: "o", session: "s", verdict: .failure, recordedAtMilliseconds: 1)
        // Within the hour: going on, unless an outcome (of either kind) was reported.
        #expect(SessionSignals(session: "s", turns: turns, outcome: nil, nowMilliseconds: 60 * Self.minute).inProgress)
        #expect(!SessionSignals(session: "s", turns: turns, outcome: success, nowMilliseconds: Self.minute).inProgress)
        #expect(!SessionSignals(session: "s", turns: turns, outcome: failure, nowMilliseconds: Self.minute).inProgress)
        // Quiet for longer than the idle threshold: settled (and abandoned).
        let quiet = SessionSignals(session: "s", turns: turns, outcome: nil, nowMilliseconds: 60 * Self.minute + 1)
        #expect(!quiet.inProgress)
        #expect(quiet.abandoned)
    }

    @Test func verdictsHaveStableRawValues() {
        #expect(SessionSignals.Verdict.allCases.map(\.rawValue) == [
            "success", "failure", "tests_passed", "tests_failed", "abandoned", "unknown",
        ])
    }

    @Test func groupsTurnsBySession() {
        let turns: [TurnRecord] = [
            .armTurn(id: "a1", at: 0, session: "a"),
            .armTurn(id: "b1", at: 10, session: "b", status: .rateLimited),
            .armTurn(id: "a2", at: 20, session: "a"),
        ]
        let signals = SessionSignals.bySession(turns: turns, outcomes: [], nowMilliseconds: 30)
        #expect(signals.keys.sorted() == ["a", "b"])
        #expect(signals["a"]?.turns == 2)
        #expect(signals["b"]?.failedTurns == 1)
    }
}
