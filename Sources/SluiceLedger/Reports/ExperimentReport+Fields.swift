extension ExperimentReport {
    /// One JSON object: `experiment`, `reference` (null without arms), `arms` (in report order),
    /// `difference` (the first arm after the reference against it, null with fewer than two
    /// arms), `differences` (every arm after the reference), `minimum_sessions_per_arm`,
    /// `mixed_sessions` and `abandoned_after_ms`.
    ///
    /// Money is exact decimal dollars (interval ends rounded to whole nanodollars); shares and
    /// p-values have four decimals; an interval that cannot be computed is null.
    var json: String { JSONText.object(jsonMembers) }

    /// The members of ``json``, for reports that add their own (`sluice ab` adds `shadows`).
    var jsonMembers: [(key: String, json: String)] {
        [
            ("experiment", JSONText.string(experiment)),
            ("reference", ReportValue.optionalString(reference?.name).json),
            ("arms", JSONText.array(arms.map(\.jsonObject))),
            ("difference", comparisons.first?.jsonObject ?? "null"),
            ("differences", JSONText.array(comparisons.map(\.jsonObject))),
            ("minimum_sessions_per_arm", String(Self.minimumSessionsPerArm)),
            ("mixed_sessions", String(mixedSessions)),
            ("abandoned_after_ms", String(idleMilliseconds)),
        ]
    }

    /// One row per arm: its figures, then its difference from the reference (empty for the
    /// reference itself). Always a header row.
    var csv: String {
        let header = Self.csvFields(of: Arm.placeholder, against: nil).csvHeader
        let rows = arms.enumerated().map { index, arm in
            Self.csvFields(of: arm, against: index == 0 ? nil : comparisons[index - 1]).csvRow
        }
        return CSVText.document([header] + rows)
    }

    /// `[lower, upper]` as exact decimal dollars, or `null`.
    static func rangeJSON(_ range: ClosedRange<USD>?) -> String {
        guard let range else { return "null" }
        return JSONText.array([range.lowerBound.decimalString, range.upperBound.decimalString])
    }

    /// A `Double` as a JSON number with `places` decimals, or `null`.
    static func numberJSON(_ value: Double?, places: Int = 4) -> String {
        value.flatMap { decimalText($0, places: places) } ?? "null"
    }

    /// A flat row of an arm's figures and its difference from the reference.
    private static func csvFields(of arm: Arm, against comparison: Comparison?) -> ReportFields {
        let cost = arm.costPerSession
        let outcomes = arm.outcomes
        return [
            ("arm", .string(arm.name)),
            ("sessions", .integer(arm.sessions)),
            ("turns", .integer(arm.turns)),
            ("in_progress", .integer(arm.inProgress)),
            ("mean_usd", .usd(cost.mean)),
            ("mean_low_usd", .number(cost.meanInterval?.lowerBound.decimalString)),
            ("mean_high_usd", .number(cost.meanInterval?.upperBound.decimalString)),
            ("median_usd", .usd(cost.median)),
            ("median_low_usd", .number(cost.medianInterval?.lowerBound.decimalString)),
            ("median_high_usd", .number(cost.medianInterval?.upperBound.decimalString)),
            ("p90_usd", .usd(cost.p90)),
            ("p90_low_usd", .number(cost.p90Interval?.lowerBound.decimalString)),
            ("p90_high_usd", .number(cost.p90Interval?.upperBound.decimalString)),
            ("actual_usd", .usd(arm.cost)),
            ("requested_usd", .usd(arm.requested)),
            ("baseline_usd", .usd(arm.baseline)),
            ("savings_usd", .usd(arm.savings)),
            ("savings_pct", .percent(basisPoints: arm.savingsBasisPoints)),
            ("routing_savings_usd", .usd(arm.routingSavings)),
            ("routing_savings_pct", .percent(basisPoints: arm.routingSavingsBasisPoints)),
            ("success_share", shareValue(outcomes.explicitSuccess)),
            ("tests_passed_share", shareValue(outcomes.testsPassed)),
            ("abandoned_share", shareValue(outcomes.abandoned)),
            ("upstream_errors_share", shareValue(outcomes.failedTurnSessions)),
            ("fallback_sessions_share", shareValue(outcomes.fallbackSessions)),
            ("mean_loop_trips", decimalValue(outcomes.meanLoopTrips)),
            ("mean_tool_error_turns", decimalValue(outcomes.meanToolErrorTurns)),
            ("median_minutes_to_finish", decimalValue(outcomes.medianMinutesToFinish, places: 2)),
            ("mean_difference_usd", .number(comparison?.meanDifference.decimalString)),
            ("p_value", decimalValue(comparison?.pValue)),
            ("sessions_needed_per_arm", .optionalInteger(comparison?.sessionsNeededPerArm)),
            ("sessions_more_per_arm", .optionalInteger(comparison?.sessionsMorePerArm)),
            // Text, not a JSON value: empty for the reference, which is compared with nothing.
            ("conclusive", .number(comparison.map { $0.conclusive ? "true" : "false" })),
        ]
    }

    /// A share with four decimals; null when no session qualifies.
    private static func shareValue(_ proportion: ProportionInterval?) -> ReportValue {
        decimalValue(proportion?.share)
    }

    /// A `Double` with `places` decimals; null when there is none.
    private static func decimalValue(_ value: Double?, places: Int = 4) -> ReportValue {
        .number(value.flatMap { decimalText($0, places: places) })
    }
}

extension ExperimentReport.Arm {
    /// The arm as a JSON object: `arm`, `sessions` and `turns` (settled sessions only),
    /// `in_progress` (sessions not counted yet), `cost_per_session`, the spend (`actual_usd`,
    /// `requested_usd`, `baseline_usd`, `savings_usd`, `savings_pct`, `routing_savings_usd`,
    /// `routing_savings_pct`), `outcomes` and `rules` (turns per rule, most first), all of the
    /// settled sessions.
    var jsonObject: String {
        let cost = costPerSession
        let costJSON = JSONText.object([
            ("mean", cost.mean.decimalString),
            ("ci95", ExperimentReport.rangeJSON(cost.meanInterval)),
            ("median", cost.median.decimalString),
            ("median_ci95", ExperimentReport.rangeJSON(cost.medianInterval)),
            ("p90", cost.p90.decimalString),
            ("p90_ci95", ExperimentReport.rangeJSON(cost.p90Interval)),
        ])
        let spend: ReportFields = [
            ("actual_usd", .usd(self.cost)),
            ("requested_usd", .usd(requested)),
            ("baseline_usd", .usd(baseline)),
            ("savings_usd", .usd(savings)),
            ("savings_pct", .percent(basisPoints: savingsBasisPoints)),
            ("routing_savings_usd", .usd(routingSavings)),
            ("routing_savings_pct", .percent(basisPoints: routingSavingsBasisPoints)),
        ]
        var members: [(key: String, json: String)] = [
            ("arm", JSONText.string(name)),
            ("sessions", String(sessions)),
            ("turns", String(turns)),
            ("in_progress", String(inProgress)),
            ("cost_per_session", costJSON),
        ]
        members += spend.map { (key: $0.key, json: $0.value.json) }
        members.append((key: "outcomes", json: outcomesJSON))
        let rules = rulesByTurns.map { (key: $0.rule, json: String($0.turns)) }
        members.append((key: "rules", json: JSONText.object(rules)))
        return JSONText.object(members)
    }

    /// `verdicts` (sessions per verdict), the five shares (each `{"successes", "sessions",
    /// "share", "ci95"}` or null when no session qualifies: `explicit_success`, `tests_passed`,
    /// `abandoned`, `upstream_errors` for failed turns of any kind, `fallback_sessions`), then
    /// `mean_loop_trips`, `mean_tool_error_turns` and `median_minutes_to_finish` (null without
    /// sessions).
    private var outcomesJSON: String {
        let verdictCounts = SessionSignals.Verdict.allCases.map {
            (key: $0.rawValue, json: String(outcomes.verdicts[$0] ?? 0))
        }
        return JSONText.object([
            ("verdicts", JSONText.object(verdictCounts)),
            ("explicit_success", Self.shareJSON(outcomes.explicitSuccess)),
            ("tests_passed", Self.shareJSON(outcomes.testsPassed)),
            ("abandoned", Self.shareJSON(outcomes.abandoned)),
            ("upstream_errors", Self.shareJSON(outcomes.failedTurnSessions)),
            ("fallback_sessions", Self.shareJSON(outcomes.fallbackSessions)),
            ("mean_loop_trips", ExperimentReport.numberJSON(outcomes.meanLoopTrips)),
            ("mean_tool_error_turns", ExperimentReport.numberJSON(outcomes.meanToolErrorTurns)),
            ("median_minutes_to_finish", ExperimentReport.numberJSON(outcomes.medianMinutesToFinish, places: 2)),
        ])
    }

    private static func shareJSON(_ proportion: ProportionInterval?) -> String {
        guard let proportion else { return "null" }
        return JSONText.object([
            ("successes", String(proportion.successes)),
            ("sessions", String(proportion.trials)),
            ("share", ExperimentReport.numberJSON(proportion.share)),
            ("ci95", JSONText.array([
                ExperimentReport.numberJSON(proportion.interval.lower),
                ExperimentReport.numberJSON(proportion.interval.upper),
            ])),
        ])
    }

    /// An arm without sessions, for the CSV header.
    static var placeholder: Self {
        Self(
            name: "", sessions: [], outcomes: [:], nowMilliseconds: 0, idleMilliseconds: 0,
            bootstrap: Bootstrap(resamples: 1), seed: SeededGenerator(seed: 0))
    }
}

extension ExperimentReport.Comparison {
    /// The comparison as a JSON object: `reference`, `arm`, the session counts, `mean_difference`
    /// (arm minus reference, dollars), `ci95` (bootstrap), `p_value`, `always_valid_ci95`,
    /// `conclusive`, `sessions_needed_per_arm` (in total, for the always-valid interval),
    /// `sessions_more_per_arm` (beyond the arm with fewer) and `conclusion`.
    var jsonObject: String {
        JSONText.object([
            ("reference", JSONText.string(reference)),
            ("arm", JSONText.string(arm)),
            ("reference_sessions", String(referenceSessions)),
            ("arm_sessions", String(armSessions)),
            ("mean_difference", meanDifference.decimalString),
            ("ci95", ExperimentReport.rangeJSON(interval)),
            ("p_value", ExperimentReport.numberJSON(pValue)),
            ("always_valid_ci95", ExperimentReport.rangeJSON(alwaysValid)),
            ("conclusive", conclusive ? "true" : "false"),
            ("sessions_needed_per_arm", sessionsNeededPerArm.map { String($0) } ?? "null"),
            ("sessions_more_per_arm", sessionsMorePerArm.map { String($0) } ?? "null"),
            ("conclusion", JSONText.string(conclusion)),
        ])
    }
}
