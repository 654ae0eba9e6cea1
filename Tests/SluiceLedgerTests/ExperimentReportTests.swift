import Foundation
import SluiceLedger
import Testing

@Suite struct ExperimentReportTests {
    static let minute: Int64 = 60_000
    static let now: Int64 = 30 * ExperimentReportTests.minute

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
        let sentence =
            "too few sessions to conclude anything: 4 per arm so far (at least 10 per arm are needed); "
            + "the observed difference of $0.3000 per session would need about 10 per arm."
        #expect(comparison.conclusion == sentence)
        #expect(report.rendered(as: .table).contains(sentence))
        #expect(report.rendered(as: .markdown).contains("too few sessions to conclude anything: 4 per arm so far"))
    }

    @Test func aSmallDifferenceSaysHowManySessionsItWouldNeed() throws {
        // Same spread in both arms (σ ≈ 8¢), means 1¢ apart: 2 × 2.8016² × σ² / 1¢² ≈ 999 per arm.
        let pattern: [Int64] = [0, 20, 5, 15, 10, 0, 20, 5, 15, 10, 0, 20]
        let turns =
            Self.sessions(arm: "control", centsPerSession: pattern.map { 40 + $0 }, firstCents: 30)
            + Self.sessions(arm: "cheap", centsPerSession: pattern.map { 39 + $0 }, firstCents: 5)
        let comparison = try #require(Self.report(turns).comparisons.first)
        #expect(comparison.meanDifference == USD(nanos: -10_000_000))
        #expect(!comparison.conclusive)
        #expect(comparison.sessionsNeededPerArm == 999)
        #expect(
            comparison.conclusion
                == "too few sessions to conclude anything: 12 per arm so far; the observed difference of "
                + "$0.0100 per session would need about 999 per arm.")
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
        let outcomes = try #require(control["outcomes"] as? [String: Any])
        let verdicts = try #require(outcomes["verdicts"] as? [String: Any])
        #expect(Self.number(verdicts["unknown"]) == 12)
        #expect(outcomes["explicit_success"] is NSNull)

        let difference = try #require(object["difference"] as? [String: Any])
        #expect(difference["reference"] as? String == "control")
        #expect(difference["arm"] as? String == "cheap")
        #expect(Self.number(difference["p_value"]).map { $0 < 0.01 } == true)
        #expect(Self.boolean(difference["conclusive"]) == true)
        #expect(Self.number(difference["mean_difference"]).map { abs($0 + 0.3) < 1e-12 } == true)
        #expect((difference["always_valid_ci95"] as? [Any])?.count == 2)
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
        #expect(control.verdicts[.unknown] == 8)
        let success = try #require(control.explicitSuccess)
        #expect(success.successes == 1 && success.trials == 2)
        let tests = try #require(control.testsPassed)
        #expect(tests.successes == 3 && tests.trials == 4)
        let abandoned = try #require(control.abandoned)
        let errors = try #require(control.upstreamErrors)
        #expect(abandoned.successes == 0 && abandoned.trials == 12)
        #expect(errors.successes == 1)
        #expect(control.meanLoopTrips == 1.0 / 12)

        let json = Self.report(turns, outcomes: outcomes).rendered(as: .json)
        #expect(json.contains(#""tests_passed":{"successes":3,"sessions":4,"share":0.7500,"ci95":["#))
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
        #expect(csv[0].hasPrefix("arm,sessions,turns,mean_usd,mean_low_usd,mean_high_usd,median_usd,"))
        #expect(csv[1].hasPrefix("control,12,24,0.455,"))
        #expect(csv[2].hasSuffix(",true"))
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
