import Foundation
import SluiceLedger
import Testing

@Suite struct ExperimentReportTests {
    static let minute: Int64 = 60_000
    /// Two hours in: every session of the fixtures (which start in the first half hour) has been
    /// quiet for longer than the hour of the idle threshold, so all are settled.
    static let now: Int64 = 120 * ExperimentReportTests.minute

    /// One arm's sessions, two turns each, a minute apart (session `i` starts at `i` minutes):
    /// the first turn costs `firstCents` under `firstRule`, the second the rest of the session's
    /// cost under `default`. Every turn's baseline is 30¢ and its requested price 25¢.
    static func sessions(
        arm: String, centsPerSession: [Int64], firstCents: Int64, firstRule: String = "default"
    ) -> [TurnRecord] {
        var turns: [TurnRecord] = []
        for (index, cents) in centsPerSession.enumerated() {
            let session = "\(arm)-\(index)"
            let start = Int64(index) * Self.minute
            turns.append(
                .armTurn(
                    id: "\(session)-a", at: start, session: session, arm: arm, rule: firstRule,
                    cost: firstCents * 10_000_000, baseline: 300_000_000, requested: 250_000_000))
            turns.append(
                .armTurn(
                    id: "\(session)-b", at: start + 1_000, session: session, arm: arm,
                    cost: (cents - firstCents) * 10_000_000, baseline: 300_000_000, requested: 250_000_000))
        }
        return turns
    }

    /// 12 sessions per arm: control costs 40¢ to 51¢ per session, cheap 10¢ to 21¢.
    static let clearlyDifferent: [TurnRecord] =
        ExperimentReportTests.sessions(arm: "control", centsPerSession: Array(40...51), firstCents: 30)
        + ExperimentReportTests.sessions(
            arm: "cheap", centsPerSession: Array(10...21), firstCents: 5, firstRule: "cheap-first")

    static func report(
        _ turns: [TurnRecord], arms: [String] = ["control", "cheap"], outcomes: [SessionOutcome] = []
    ) -> ExperimentReport {
        ExperimentReport(
            experiment: "cheap-first", arms: arms, turns: turns, outcomes: outcomes, nowMilliseconds: Self.now)
    }

    @Test func computesEachArmsCostsExactly() throws {
        let report = Self.report(Self.clearlyDifferent)
        #expect(report.arms.map(\.name) == ["control", "cheap"])
        let control = report.arms[0]
        let cheap = report.arms[1]
        #expect(control.sessions == 12)
        #expect(control.inProgress == 0)
        #expect(control.turns == 24)
        #expect(control.costPerSession.mean == USD(nanos: 455_000_000))  // 45.5¢
        #expect(control.costPerSession.median == .cents(45))  // rank 6 of 12
        #expect(control.costPerSession.p90 == .cents(50))  // rank ⌈10.8⌉ = 11
        #expect(cheap.costPerSession.mean == USD(nanos: 155_000_000))
        #expect(cheap.costPerSession.median == .cents(15))
        #expect(cheap.costPerSession.p90 == .cents(20))
        for arm in report.arms {
            let cost = arm.costPerSession
            let mean = try #require(cost.meanInterval)
            let median = try #require(cost.medianInterval)
            let p90 = try #require(cost.p90Interval)
            #expect(mean.contains(cost.mean))
            #expect(median.contains(cost.median))
            #expect(p90.contains(cost.p90))
        }

        #expect(control.cost == .cents(546))
        #expect(control.baseline == .cents(720))
        #expect(control.requested == .cents(600))
        #expect(control.savings == .cents(174))
        #expect(control.savingsBasisPoints == 2_417)
        #expect(control.routingSavingsBasisPoints == 900)
        #expect(cheap.cost == .cents(186))
        #expect(cheap.savingsBasisPoints == 7_417)
        #expect(control.turnsByRule == ["default": 24])
        #expect(cheap.turnsByRule == ["cheap-first": 12, "default": 12])
    }

    @Test func aClearlyCheaperArmIsConclusive() throws {
        let report = Self.report(Self.clearlyDifferent)
        let comparison = try #require(report.comparisons.first)
        #expect(report.comparisons.count == 1)
        #expect(comparison.reference == "control")
        #expect(comparison.arm == "cheap")
        #expect(comparison.meanDifference == USD(nanos: -300_000_000))
        let interval = try #require(comparison.interval)
        let p = try #require(comparison.pValue)
        #expect(interval.contains(comparison.meanDifference))
        #expect(p < 0.01)
        let always = try #require(comparison.alwaysValid)
        #expect(always.upperBound < .zero)
        #expect(always.contains(comparison.meanDifference))
        #expect(comparison.conclusive)
        #expect(comparison.conclusion.hasPrefix("conclusive: cheap costs $0.3000 less per session than control"))

        let table = report.rendered(as: .table)
        #expect(table.contains("cheap: conclusive: cheap costs $0.3000 less per session than control"))
        #expect(table.contains("95% bootstrap intervals"))
        #expect(table.contains("safe to check daily"))
    }

    @Test func smallSamplesAreTooFewToConcludeAnything() throws {
        let turns =
            Self.sessions(arm: "control", centsPerSession: Array(40...43), firstCents: 30)
            + Self.sessions(arm: "cheap", centsPerSession: Array(10...13), firstCents: 5)
        let report = Self.report(turns)
        let comparison = try #require(report.comparisons.first)
        #expect(!comparison.conclusive)
        // The always-valid interval would resolve 30¢ at 2 sessions per arm, but nothing is
        // conclusive below 10.
        #expect(comparison.sessionsNeededPerArm == 10)
        #expect(comparison.sessionsMorePerArm == 6)
        let sentence =
            "too few sessions to conclude anything: 4 per arm so far (at least 10 per arm are needed); "
            + "the observed difference of $0.3000 per session would need about 6 more per arm "
            + "(needed per arm in total: 10)."
        #expect(comparison.conclusion == sentence)
        #expect(report.rendered(as: .table).contains(sentence))
        #expect(report.rendered(as: .markdown).contains("too few sessions to conclude anything: 4 per arm so far"))
    }

    @Test func aSmallDifferenceSaysHowManyMoreSessionsTheAlwaysValidIntervalNeeds() throws {
        // Same spread in both arms (σ ≈ 8¢), means 1¢ apart. A single-look test with 80 % power
        // would need 2 × 2.8016² × σ² / 1¢² ≈ 999 per arm; the always-valid interval, with τ²
        // from the first 10 sessions per arm, leaves out 1¢ only at 1,361.
        let pattern: [Int64] = [0, 20, 5, 15, 10, 0, 20, 5, 15, 10, 0, 20]
        let turns =
            Self.sessions(arm: "control", centsPerSession: pattern.map { 40 + $0 }, firstCents: 30)
            + Self.sessions(arm: "cheap", centsPerSession: pattern.map { 39 + $0 }, firstCents: 5)
        let report = Self.report(turns)
        let comparison = try #require(report.comparisons.first)
        #expect(comparison.meanDifference == USD(nanos: -10_000_000))
        #expect(!comparison.conclusive)

        let spread = try #require(
            SampleSummary.pooledVariance(Self.summary(of: report.arms[0]), Self.summary(of: report.arms[1])))
        let mixing = try #require(comparison.mixingVariance)
        let needed = try #require(
            AlwaysValidInterval.sessionsPerArm(
                difference: Self.dollars(comparison.meanDifference), sessionVariance: spread, mixingVariance: mixing,
                alpha: 1 - ExperimentReport.level))
        #expect(needed == 1_361)
        #expect(SampleSize.sessionsPerArm(difference: 0.01, standardDeviation: spread.squareRoot()) == 999)
        #expect(comparison.sessionsNeededPerArm == needed)
        #expect(comparison.sessionsMorePerArm == needed - 12)
        #expect(
            comparison.conclusion
                == "too few sessions to conclude anything: 12 per arm so far; the observed difference of "
                + "$0.0100 per session would need about 1,349 more per arm (needed per arm in total: 1,361).")

        let data = Data(report.rendered(as: .json).utf8)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let difference = try #require(object["difference"] as? [String: Any])
        #expect(Self.number(difference["sessions_needed_per_arm"]) == 1_361)
        #expect(Self.number(difference["sessions_more_per_arm"]) == 1_349)
    }

    @Test func theMixingVarianceIsFixedByThePilot() throws {
        // The first 10 sessions per arm are the same in both ledgers; the later 20 per arm are far
        // more spread out. τ² comes from the first 10 alone, so it does not move.
        let pilotControl = Array(Int64(40)...49)
        let pilotCheap = Array(Int64(10)...19)
        let early =
            Self.sessions(arm: "control", centsPerSession: pilotControl, firstCents: 30)
            + Self.sessions(arm: "cheap", centsPerSession: pilotCheap, firstCents: 5)
        let later =
            Self.sessions(arm: "control", centsPerSession: pilotControl + Array(Int64(60)...79), firstCents: 30)
            + Self.sessions(arm: "cheap", centsPerSession: pilotCheap + Array(Int64(20)...39), firstCents: 5)
        let earlyReport = Self.report(early)
        let laterReport = Self.report(later)
        #expect(laterReport.arms.map(\.sessions) == [30, 30])
        let first = try #require(earlyReport.comparisons.first?.mixingVariance)
        let second = try #require(laterReport.comparisons.first?.mixingVariance)
        #expect(first > 0)
        #expect(first == second)

        // Re-estimated from all 30 sessions per arm it would be several times larger.
        let control = Self.summary(of: laterReport.arms[0])
        let cheap = Self.summary(of: laterReport.arms[1])
        let dataDriven = try #require(AlwaysValidInterval.tunedMixingVariance(reference: control, treatment: cheap))
        #expect(dataDriven > 5 * first)

        // And the report's always-valid interval is the one with the pilot's τ².
        let fixed = try #require(
            AlwaysValidInterval(
                reference: control, treatment: cheap, mixingVariance: first, alpha: 1 - ExperimentReport.level))
        let comparison = try #require(laterReport.comparisons.first)
        #expect(comparison.alwaysValid == Self.usd(fixed.interval.lower)...Self.usd(fixed.interval.upper))
    }

    @Test func sessionsInProgressAreLeftOutUntilTheySettle() throws {
        // A control session whose only turn started 5 minutes ago and that has no outcome is still
        // going: it is counted in `in_progress` and nowhere else. A session just as recent with a
        // reported outcome is settled and counts like any other.
        let live = TurnRecord.armTurn(
            id: "live-a", at: Self.now - 5 * Self.minute, session: "control-live", arm: "control",
            cost: 990_000_000, baseline: 990_000_000, requested: 990_000_000)
        let reported = TurnRecord.armTurn(
            id: "reported-a", at: Self.now - 5 * Self.minute, session: "control-reported", arm: "control",
            cost: 200_000_000, baseline: 300_000_000, requested: 250_000_000)
        let outcomes = [
            SessionOutcome(
                id: "o", session: "control-reported", verdict: .success, recordedAtMilliseconds: Self.now)
        ]
        let report = Self.report(Self.clearlyDifferent + [live, reported], outcomes: outcomes)
        let settledOnly = Self.report(Self.clearlyDifferent + [reported], outcomes: outcomes)

        let control = report.arms[0]
        #expect(control.sessions == 13)
        #expect(control.inProgress == 1)
        #expect(control.turns == 25)
        #expect(control.cost == .cents(566))
        #expect(!control.sessionCosts.contains(.cents(99)))
        #expect(control.turnsByRule == ["default": 25])
        #expect(report.arms[1].inProgress == 0)
        #expect(report.inProgress == 1)
        // Apart from the count, the arm and the comparison are exactly as without the live session.
        var expected = settledOnly.arms[0]
        expected.inProgress = 1
        #expect(control == expected)
        #expect(report.comparisons == settledOnly.comparisons)

        let table = report.rendered(as: .table)
        #expect(table.contains("1 more session in progress, not counted yet"))
        #expect(table.contains("control: 1 more in progress, not counted yet."))
        #expect(table.contains("so all figures describe the same sessions"))
        #expect(report.rendered(as: .markdown).contains("- control: 1 more in progress, not counted yet."))
        let data = Data(report.rendered(as: .json).utf8)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let arms = try #require(object["arms"] as? [[String: Any]])
        #expect(arms.map { Self.number($0["in_progress"]) } == [1, 0])
        #expect(arms.map { Self.number($0["sessions"]) } == [13, 12])

        // Once it has been quiet for the idle threshold, it settles and counts.
        let settled = ExperimentReport(
            experiment: "cheap-first", arms: ["control", "cheap"], turns: Self.clearlyDifferent + [live, reported],
            outcomes: outcomes, nowMilliseconds: Self.now + SessionSignals.defaultIdleMilliseconds)
        #expect(settled.arms[0].sessions == 14)
        #expect(settled.arms[0].inProgress == 0)
    }

    @Test func equalArmsSaySo() throws {
        let turns =
            Self.sessions(arm: "control", centsPerSession: Array(40...51), firstCents: 30)
            + Self.sessions(arm: "cheap", centsPerSession: Array(40...51), firstCents: 30)
        let comparison = try #require(Self.report(turns).comparisons.first)
        #expect(comparison.meanDifference == .zero)
        #expect(!comparison.conclusive)
        #expect(comparison.pValue == 1)
        #expect(comparison.conclusion.hasSuffix("12 per arm so far; the arms cost the same per session so far."))
    }

    @Test func theJSONKeepsItsContract() throws {
        let report = Self.report(Self.clearlyDifferent)
        let data = Data(report.rendered(as: .json).utf8)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["experiment"] as? String == "cheap-first")
        let arms = try #require(object["arms"] as? [[String: Any]])
        #expect(arms.map { $0["arm"] as? String } == ["control", "cheap"])
        let control = arms[0]
        #expect(Self.number(control["sessions"]) == 12)
        #expect(Self.number(control["savings_pct"]).map { abs($0 - 24.17) < 1e-9 } == true)
        let cost = try #require(control["cost_per_session"] as? [String: Any])
        #expect(Self.number(cost["mean"]).map { abs($0 - 0.455) < 1e-12 } == true)
        #expect(Self.number(cost["median"]).map { abs($0 - 0.45) < 1e-12 } == true)
        #expect(Self.number(cost["p90"]).map { abs($0 - 0.5) < 1e-12 } == true)
        for key in ["ci95", "median_ci95", "p90_ci95"] {
            let pair = try #require(cost[key] as? [Any])
            #expect(pair.count == 2 && pair.allSatisfy { Self.number($0) != nil })
        }
        #expect(Self.number(control["in_progress"]) == 0)
        let outcomes = try #require(control["outcomes"] as? [String: Any])
        let verdicts = try #require(outcomes["verdicts"] as? [String: Any])
        #expect(Self.number(verdicts["abandoned"]) == 12)  // quiet for over an hour, no outcome
        #expect(outcomes["explicit_success"] is NSNull)
        let fallbacks = try #require(outcomes["fallback_sessions"] as? [String: Any])
        #expect(Self.number(fallbacks["successes"]) == 0)
        #expect(Self.number(fallbacks["sessions"]) == 12)
        #expect(Self.number(outcomes["mean_tool_error_turns"]) == 0)
        #expect(Self.number(outcomes["median_minutes_to_finish"]).map { abs($0 - 0.02) < 1e-12 } == true)

        let difference = try #require(object["difference"] as? [String: Any])
        #expect(difference["reference"] as? String == "control")
        #expect(difference["arm"] as? String == "cheap")
        #expect(Self.number(difference["p_value"]).map { $0 < 0.01 } == true)
        #expect(Self.boolean(difference["conclusive"]) == true)
        #expect(Self.number(difference["mean_difference"]).map { abs($0 + 0.3) < 1e-12 } == true)
        #expect((difference["always_valid_ci95"] as? [Any])?.count == 2)
        #expect(Self.number(difference["sessions_needed_per_arm"]) == 10)
        #expect(Self.number(difference["sessions_more_per_arm"]) == 0)
        #expect((object["differences"] as? [Any])?.count == 1)
    }

    @Test func unavailableIntervalsAreNullInJSON() throws {
        let turns =
            Self.sessions(arm: "control", centsPerSession: [40], firstCents: 30)
            + Self.sessions(arm: "cheap", centsPerSession: [10, 12], firstCents: 5)
        let data = Data(Self.report(turns).rendered(as: .json).utf8)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let arms = try #require(object["arms"] as? [[String: Any]])
        let cost = try #require(arms[0]["cost_per_session"] as? [String: Any])
        #expect(cost["ci95"] is NSNull)
        #expect(cost["median_ci95"] is NSNull)
        let difference = try #require(object["difference"] as? [String: Any])
        #expect(difference["p_value"] is NSNull)
        #expect(difference["always_valid_ci95"] is NSNull)
        #expect(Self.boolean(difference["conclusive"]) == false)
    }

    @Test func countsOutcomesWithWilsonIntervals() throws {
        // Control: sessions 0–3 ran tests (the last one failed), 0 and 1 reported outcomes.
        let turns = Self.clearlyDifferent.map { turn -> TurnRecord in
            var turn = turn
            if ["control-0-b", "control-1-b", "control-2-b", "control-3-b"].contains(turn.id) {
                turn.toolCategories = ["test"]
                turn.toolError = turn.id == "control-3-b"
            }
            if turn.id == "control-4-b" { turn.toolCallRepeats = 3 }
            if turn.id == "control-5-b" { turn.status = .upstreamTimeout }
            if turn.id == "control-6-b" { turn.fallback = "rate_limited" }
            if turn.id == "control-7-a" { turn.toolError = true }
            return turn
        }
        let outcomes = [
            SessionOutcome(id: "o1", session: "control-0", verdict: .success, recordedAtMilliseconds: 1),
            SessionOutcome(id: "o2", session: "control-1", verdict: .failure, recordedAtMilliseconds: 2),
        ]
        let control = Self.report(turns, outcomes: outcomes).arms[0].outcomes
        #expect(control.verdicts[.success] == 1)
        #expect(control.verdicts[.failure] == 1)
        #expect(control.verdicts[.testsPassed] == 1)  // session 2; session 0 reported success
        #expect(control.verdicts[.testsFailed] == 1)
        #expect(control.verdicts[.abandoned] == 8)  // settled without an outcome or a test run
        #expect(control.verdicts[.unknown] == 0)
        let success = try #require(control.explicitSuccess)
        #expect(success.successes == 1 && success.trials == 2)
        let tests = try #require(control.testsPassed)
        #expect(tests.successes == 3 && tests.trials == 4)
        let abandoned = try #require(control.abandoned)
        let errors = try #require(control.failedTurnSessions)
        let fallbacks = try #require(control.fallbackSessions)
        #expect(abandoned.successes == 11 && abandoned.trials == 12)  // all but the reported success
        #expect(errors.successes == 1)
        #expect(fallbacks.successes == 1 && fallbacks.trials == 12)
        #expect(control.meanLoopTrips == 1.0 / 12)
        #expect(control.meanToolErrorTurns == 2.0 / 12)  // the failed test run and control-7-a
        #expect(control.medianMinutesToFinish == 1.0 / 60)  // every session's two turns are a second apart

        let json = Self.report(turns, outcomes: outcomes).rendered(as: .json)
        #expect(json.contains(#""tests_passed":{"successes":3,"sessions":4,"share":0.7500,"ci95":["#))
        #expect(json.contains(#""upstream_errors":{"successes":1,"sessions":12,"share":0.0833,"ci95":["#))
        #expect(json.contains(#""fallback_sessions":{"successes":1,"sessions":12,"share":0.0833,"ci95":["#))
        #expect(json.contains(#""mean_tool_error_turns":0.1667,"median_minutes_to_finish":0.02"#))
        let table = Self.report(turns, outcomes: outcomes).rendered(as: .table)
        #expect(table.contains("Effort per session"))
        #expect(table.contains("TOOL ERROR TURNS"))
        #expect(table.contains("FALLBACKS"))
    }

    @Test func armsDefaultToThoseFoundAndListedArmsAppearWithoutSessions() {
        let found = Self.report(Self.clearlyDifferent, arms: [])
        #expect(found.arms.map(\.name) == ["cheap", "control"])  // sorted: cheap is the reference

        let listed = Self.report(Self.clearlyDifferent, arms: ["control", "spare", "cheap"])
        #expect(listed.arms.map(\.name) == ["control", "spare", "cheap"])
        #expect(listed.arms[1].sessions == 0)
        #expect(listed.comparisons.map(\.arm) == ["spare", "cheap"])
        #expect(!listed.comparisons[0].conclusive)
        #expect(listed.comparisons[0].interval == nil)
    }

    @Test func turnsWithoutAnArmAreIgnoredAndMixedSessionsCounted() {
        var turns = Self.clearlyDifferent
        turns.append(.armTurn(id: "stray", at: 0, session: "stray", arm: nil, cost: 99_000_000_000))
        // A late turn of control-0 in the other arm: the session stays in control, its first arm.
        turns.append(.armTurn(id: "late", at: 20 * Self.minute, session: "control-0", arm: "cheap", cost: 0))
        let report = Self.report(turns)
        #expect(report.sessions == 24)
        #expect(report.turns == 49)
        #expect(report.mixedSessions == 1)
        #expect(report.rendered(as: .table).contains("1 session had turns in more than one arm"))
    }

    @Test func theSameLedgerGivesTheSameReport() {
        #expect(Self.report(Self.clearlyDifferent) == Self.report(Array(Self.clearlyDifferent.reversed())))
    }

    @Test func rendersEveryFormatWithoutSessions() {
        let report = Self.report([])
        #expect(report.rendered(as: .table) == "No turns of experiment cheap-first in the ledger yet.")
        #expect(report.rendered(as: .markdown).hasPrefix("# Sluice experiment report: cheap-first"))
        #expect(report.rendered(as: .csv).lines.count == 3)  // the header and one row per listed arm
        #expect(report.rendered(as: .json).contains(#""difference":{"reference":"control","arm":"cheap""#))
    }

    @Test func rendersMarkdownAndCSV() {
        let report = Self.report(Self.clearlyDifferent)
        let markdown = report.rendered(as: .markdown)
        #expect(markdown.hasPrefix("# Sluice experiment report: cheap-first\n"))
        #expect(markdown.contains("## Difference in mean cost per session, against control"))
        #expect(markdown.contains("- **cheap**: conclusive: cheap costs $0.3000 less per session than control"))
        let csv = report.rendered(as: .csv).lines
        #expect(csv.count == 3)
        #expect(csv[0].hasPrefix("arm,sessions,turns,in_progress,mean_usd,mean_low_usd,mean_high_usd,median_usd,"))
        #expect(csv[1].hasPrefix("control,12,24,0,0.455,"))
        #expect(csv[2].hasSuffix(",true"))
    }

    @Test func theTableAndMarkdownShowTheSameColumns() {
        let report = Self.report(Self.clearlyDifferent)
        let table = report.rendered(as: .table)
        let markdown = report.rendered(as: .markdown)
        for section in ["Cost per session", "Spend", "Outcomes", "Effort per session", "Verdicts", "Turns per rule"] {
            #expect(table.contains("\n\(section)\n"))
            #expect(markdown.contains("## \(section)\n"))
        }
        #expect(table.contains("ARM      SESSIONS"))
        #expect(markdown.contains("| Arm | Sessions | Mean | 95% range | Median | 95% range | p90 | 95% range |"))
        #expect(markdown.contains("| Arm | Loop trips | Tool error turns | Minutes to finish |"))
        #expect(table.contains("TOOL ERROR TURNS  MINUTES TO FINISH"))
    }

    /// An arm's settled session costs in dollars, summarized as the report summarizes them.
    static func summary(of arm: ExperimentReport.Arm) -> SampleSummary {
        SampleSummary(arm.sessionCosts.map(dollars))
    }

    /// An amount as `Double` dollars, as the report's statistics see it.
    static func dollars(_ amount: USD) -> Double {
        Double(amount.nanos) / 1e9
    }

    /// `Double` dollars rounded to the nearest nanodollar, as the report rounds interval ends.
    static func usd(_ dollars: Double) -> USD {
        USD(nanos: Int64((dollars * 1e9).rounded()))
    }

    /// A JSON number as `Double`, whatever class Foundation parsed it into.
    static func number(_ value: Any?) -> Double? {
        guard let number = value as? NSNumber, !isBoolean(number) else { return nil }
        return number.doubleValue
    }

    /// A JSON `true` or `false`; `nil` for anything else.
    static func boolean(_ value: Any?) -> Bool? {
        guard let number = value as? NSNumber, isBoolean(number) else { return nil }
        return number.boolValue
    }

    static func isBoolean(_ number: NSNumber) -> Bool {
        String(cString: number.objCType) == "c"
    }
}
