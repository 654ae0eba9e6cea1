extension ExperimentReport {
    /// One arm of the experiment: its sessions' costs with intervals, its spend against the
    /// counterfactuals, its outcomes and which rules took its turns.
    ///
    /// Every figure describes the same sessions: the settled ones. A session still in progress
    /// (no explicit outcome, a turn within the idle threshold; ``SessionSignals/inProgress``)
    /// is only counted in ``inProgress``: its cost so far would pull cost per session down, and
    /// its turns are left out of the spend and the turns per rule too, until it settles.
    package struct Arm: Sendable, Hashable {
        /// The cost of a session in this arm: point figures (exact, as the spend report computes
        /// them) and 95 % bootstrap intervals (whole nanodollars; `nil` below two sessions).
        package struct CostPerSession: Sendable, Hashable {
            /// The mean, rounded half up to a whole nanodollar.
            package var mean: USD
            /// Its bootstrap interval.
            package var meanInterval: ClosedRange<USD>?
            /// The nearest-rank median.
            package var median: USD
            /// Its bootstrap interval.
            package var medianInterval: ClosedRange<USD>?
            /// The nearest-rank 90th percentile.
            package var p90: USD
            /// Its bootstrap interval.
            package var p90Interval: ClosedRange<USD>?
        }

        /// How the arm's sessions ended, as shares with Wilson intervals, and what their turns
        /// show of the way there; a share is `nil` when no session qualifies for its
        /// denominator, an average or median `nil` without sessions.
        package struct Outcomes: Sendable, Hashable {
            /// Sessions per verdict (``SessionSignals/verdict``).
            package var verdicts: [SessionSignals.Verdict: Int]
            /// Reported successes among sessions with an explicit outcome.
            package var explicitSuccess: ProportionInterval?
            /// Sessions whose last test run passed, among sessions with a test run.
            package var testsPassed: ProportionInterval?
            /// Abandoned sessions among all sessions.
            package var abandoned: ProportionInterval?
            /// Sessions with at least one failed turn of any kind (upstream errors, refusals;
            /// ``SessionSignals/failedTurns``), among all sessions. Reports name it
            /// `upstream_errors`.
            package var failedTurnSessions: ProportionInterval?
            /// Sessions with at least one turn taken by a fallback model, among all sessions.
            package var fallbackSessions: ProportionInterval?
            /// Tool-loop turns per session, on average.
            package var meanLoopTrips: Double?
            /// Turns whose tool result reported an error, per session on average.
            package var meanToolErrorTurns: Double?
            /// The nearest-rank median of the minutes from a session's first turn to its last
            /// (``SessionSignals/timeToFinishMilliseconds``).
            package var medianMinutesToFinish: Double?
        }

        /// One session's key and turns, as the report assigns them to arms.
        struct Session {
            var key: String
            /// The turns in chronological order (``TurnRecord/chronologically``).
            var turns: [TurnRecord]

            /// When the session's first turn started, Unix milliseconds; zero without turns.
            var startedAtMilliseconds: Int64 { turns.first?.startedAtMilliseconds ?? 0 }
        }

        /// The arm's name.
        package var name: String
        /// Number of settled sessions: every figure below is about these.
        package var sessions: Int
        /// Sessions still in progress, left out of every other figure until they settle.
        package var inProgress: Int
        /// Number of turns of the settled sessions.
        package var turns: Int
        /// Each session's cost, ascending.
        package var sessionCosts: [USD]
        /// Cost per session.
        package var costPerSession: CostPerSession
        /// Actual cost of the settled sessions' turns.
        package var cost: USD
        /// The requested counterfactual (a turn without one counts at its cost).
        package var requested: USD
        /// The all-frontier counterfactual.
        package var baseline: USD
        /// How the sessions ended.
        package var outcomes: Outcomes
        /// Turns per policy rule.
        package var turnsByRule: [String: Int]
        /// The pilot that fixes the always-valid interval's τ²: the settled sessions among the
        /// arm's first ``ExperimentReport/minimumSessionsPerArm`` by start time (then key), in
        /// dollars. Later sessions never enter it, so once those first sessions have settled it
        /// stops moving (``AlwaysValidInterval``).
        var pilot: SampleSummary

        /// Savings against the all-frontier counterfactual; negative when the arm cost more.
        package var savings: USD { baseline - cost }
        /// ``savings`` as basis points of the baseline; `nil` when the baseline is zero.
        package var savingsBasisPoints: Int? { savings.basisPoints(of: baseline) }
        /// Savings against the models the clients asked for; negative when routing cost more.
        package var routingSavings: USD { requested - cost }
        /// ``routingSavings`` as basis points of the requested counterfactual; `nil` when it is zero.
        package var routingSavingsBasisPoints: Int? { routingSavings.basisPoints(of: requested) }

        /// The rules by turns taken, most first, then by name.
        package var rulesByTurns: [(rule: String, turns: Int)] {
            turnsByRule.map { (rule: $0.key, turns: $0.value) }
                .sorted { $0.turns != $1.turns ? $0.turns > $1.turns : $0.rule < $1.rule }
        }

        /// The session costs in `Double` dollars, ascending: the samples of the statistics.
        var sessionDollars: [Double] { sessionCosts.map(ExperimentReport.dollars) }

        /// Computes the arm's figures.
        ///
        /// - Parameters:
        ///   - name: The arm.
        ///   - sessions: Its sessions, in any order.
        ///   - outcomes: The latest explicit outcome per session key.
        ///   - nowMilliseconds: The current time, for abandonment and sessions in progress.
        ///   - idleMilliseconds: How long without a turn makes a session abandoned, and settled.
        ///   - bootstrap: The bootstrap for the intervals.
        ///   - seed: The arm's random draws.
        init(
            name: String, sessions: [Session], outcomes: [String: SessionOutcome], nowMilliseconds: Int64,
            idleMilliseconds: Int64, bootstrap: Bootstrap, seed: SeededGenerator
        ) {
            self.name = name
            var inProgress = 0
            var turns = 0
            var cost = USD.zero
            var requested = USD.zero
            var baseline = USD.zero
            var turnsByRule: [String: Int] = [:]
            var costs: [USD] = []
            var signals: [SessionSignals] = []
            var pilotDollars: [Double] = []
            // By start time, so the pilot is the arm's first sessions whatever order they came in.
            let byStart = sessions.sorted {
                ($0.startedAtMilliseconds, $0.key) < ($1.startedAtMilliseconds, $1.key)
            }
            for (index, session) in byStart.enumerated() {
                let sessionSignals = SessionSignals(
                    session: session.key, turns: session.turns, outcome: outcomes[session.key],
                    nowMilliseconds: nowMilliseconds, idleMilliseconds: idleMilliseconds)
                guard !sessionSignals.inProgress else {
                    inProgress += 1
                    continue
                }
                var sessionCost = USD.zero
                for turn in session.turns {
                    sessionCost += turn.cost
                    requested += turn.requested.cost
                    baseline += turn.baselineCost
                    turnsByRule[turn.rule, default: 0] += 1
                }
                turns += session.turns.count
                cost += sessionCost
                costs.append(sessionCost)
                signals.append(sessionSignals)
                if index < ExperimentReport.minimumSessionsPerArm {
                    pilotDollars.append(ExperimentReport.dollars(sessionCost))
                }
            }
            costs.sort()
            self.sessions = costs.count
            self.inProgress = inProgress
            pilot = SampleSummary(pilotDollars)
            self.turns = turns
            self.cost = cost
            self.requested = requested
            self.baseline = baseline
            self.turnsByRule = turnsByRule
            sessionCosts = costs
            costPerSession = Self.summarizeCosts(costs, bootstrap: bootstrap, seed: seed)
            self.outcomes = Self.summarizeOutcomes(signals)
        }

        /// The point figures of `sorted` costs and their bootstrap intervals, drawn in a fixed
        /// order (mean, median, p90) from one generator.
        private static func summarizeCosts(
            _ sorted: [USD], bootstrap: Bootstrap, seed: SeededGenerator
        ) -> CostPerSession {
            let distribution = CostDistribution(sessionCosts: sorted)
            let dollars = sorted.map(ExperimentReport.dollars)
            var generator = seed
            let mean = bootstrap.interval(of: .mean, in: dollars, using: &generator)
            let median = bootstrap.interval(of: .median, in: dollars, using: &generator)
            let p90 = bootstrap.interval(of: .p90, in: dollars, using: &generator)
            return CostPerSession(
                mean: distribution.mean, meanInterval: mean.map(ExperimentReport.usdRange),
                median: distribution.median, medianInterval: median.map(ExperimentReport.usdRange),
                p90: distribution.p90, p90Interval: p90.map(ExperimentReport.usdRange))
        }

        /// The outcome shares, averages and median of the sessions' signals.
        private static func summarizeOutcomes(_ signals: [SessionSignals]) -> Outcomes {
            var verdicts: [SessionSignals.Verdict: Int] = [:]
            for verdict in SessionSignals.Verdict.allCases { verdicts[verdict] = 0 }
            for signal in signals { verdicts[signal.verdict, default: 0] += 1 }
            let explicit = signals.filter { $0.outcome != nil }
            let tested = signals.compactMap(\.lastTestRun)
            let loopTrips = signals.reduce(0) { $0 + $1.loopTrips }
            let toolErrorTurns = signals.reduce(0) { $0 + $1.toolErrorTurns }
            let sessions = Double(signals.count)
            let minutesToFinish = signals.map(\.timeToFinishMinutes).sorted()
            return Outcomes(
                verdicts: verdicts,
                explicitSuccess: ProportionInterval(
                    successes: explicit.count(where: { $0.outcome?.verdict == .success }), trials: explicit.count,
                    level: ExperimentReport.level),
                testsPassed: ProportionInterval(
                    successes: tested.count(where: { $0.passed }), trials: tested.count, level: ExperimentReport.level),
                abandoned: ProportionInterval(
                    successes: signals.count(where: { $0.abandoned }), trials: signals.count,
                    level: ExperimentReport.level),
                failedTurnSessions: ProportionInterval(
                    successes: signals.count(where: { $0.failedTurns > 0 }), trials: signals.count,
                    level: ExperimentReport.level),
                fallbackSessions: ProportionInterval(
                    successes: signals.count(where: { $0.fallbacks > 0 }), trials: signals.count,
                    level: ExperimentReport.level),
                meanLoopTrips: signals.isEmpty ? nil : Double(loopTrips) / sessions,
                meanToolErrorTurns: signals.isEmpty ? nil : Double(toolErrorTurns) / sessions,
                medianMinutesToFinish: minutesToFinish.isEmpty ? nil : Sample.percentile(50, ofSorted: minutesToFinish))
        }
    }
}
