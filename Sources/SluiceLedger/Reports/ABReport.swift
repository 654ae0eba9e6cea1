/// What `sluice ab` prints: one experiment's report (or every experiment's in the ledger), then how
/// the shadow models compared with the primaries.
///
/// The command only loads the ledger and the policy's arm orders and calls this; grouping turns by
/// experiment and combining the sections is report logic, pure and tested here.
package struct ABReport: Sendable {
    /// Why there is nothing to report.
    package enum Problem: Error, Sendable, Hashable, CustomStringConvertible {
        /// The ledger has no turn of any experiment, and no shadow turn.
        case nothing
        /// The experiment asked for has no turns; the ones that do are listed.
        case unknown(String, known: [String])

        package var description: String {
            switch self {
            case .nothing:
                return "no experiment or shadow turns yet: add an experiments: or shadows: section to the policy "
                    + "and let sessions run."
            case .unknown(let name, let known):
                return "no turns of experiment \"\(name)\""
                    + (known.isEmpty ? "." : "; it has \(known.joined(separator: ", ")).")
            }
        }
    }

    package var experiments: [ExperimentReport]
    /// Per experiment, sessions left out because they joined it after their start: their first
    /// turn in the period was routed outside it (a gateway that met them mid-conversation with
    /// nothing remembered put them in their arm then).
    package var lateSessions: [String: Int]
    package var shadows: ShadowReport?

    /// Builds the report.
    ///
    /// - Parameters:
    ///   - experiment: The experiment to report, or `nil` for every one in the turns.
    ///   - armOrders: Arm names in the policy's order, per experiment (the first is the reference);
    ///     an experiment without an entry lists `control` first, then the others by name.
    ///   - turns: The period's turns; those of no experiment are ignored.
    ///   - outcomes: Explicit outcomes.
    ///   - shadows: The period's shadow turns.
    ///   - nowMilliseconds: Now, for sessions in progress and abandonment.
    ///   - idleMilliseconds: How long without a turn settles a session.
    /// - Throws: ``Problem`` when there is nothing to report.
    package init(
        experiment: String?, armOrders: [String: [String]], turns: [TurnRecord], outcomes: [SessionOutcome],
        shadows: [ShadowRecord], nowMilliseconds: Int64, idleMilliseconds: Int64
    ) throws(Problem) {
        var byExperiment: [String: [TurnRecord]] = [:]
        var first: [String: TurnRecord] = [:]
        for turn in turns {
            if let name = turn.experiment { byExperiment[name, default: []].append(turn) }
            if let earlier = first[turn.session], TurnRecord.chronologically(earlier, turn) { continue }
            first[turn.session] = turn
        }
        var late: [String: Int] = [:]
        for (name, experimentTurns) in byExperiment {
            let joinedLate = Set(experimentTurns.map(\.session).filter { first[$0]?.experiment != name })
            guard !joinedLate.isEmpty else { continue }
            late[name] = joinedLate.count
            byExperiment[name] = experimentTurns.filter { !joinedLate.contains($0.session) }
        }
        lateSessions = late
        let names = experiment.map { [$0] } ?? byExperiment.keys.sorted()
        if let experiment, byExperiment[experiment] == nil {
            throw .unknown(experiment, known: byExperiment.keys.sorted())
        }
        guard !names.isEmpty || !shadows.isEmpty else { throw .nothing }
        self.experiments = names.map { name in
            let turns = byExperiment[name] ?? []
            return ExperimentReport(
                experiment: name, arms: armOrders[name] ?? Self.defaultOrder(Set(turns.compactMap(\.arm))),
                turns: turns, outcomes: outcomes, nowMilliseconds: nowMilliseconds, idleMilliseconds: idleMilliseconds)
        }
        self.shadows = shadows.isEmpty ? nil : ShadowReport(shadows: shadows)
    }

    /// Without the policy's order: `control` first when there is one (the reference), then by name.
    static func defaultOrder(_ arms: Set<String>) -> [String] {
        arms.sorted { ($0 == "control" ? 0 : 1, $0) < ($1 == "control" ? 0 : 1, $1) }
    }

    /// The sections in `format`. In JSON, one experiment is its report's object with a `shadows`
    /// member; several (or none) are `{"experiments": [...], "shadows": [...]}`.
    package func rendered(as format: ReportFormat) -> String {
        guard format == .json else {
            let sections = experiments.map { report in
                let text = report.rendered(as: format)
                guard let late = lateSessions[report.experiment], format != .csv else { return text }
                return text + "\n\n" + "\(NumberText.grouped(late)) sessions joined \(report.experiment) after their "
                    + "start (met mid-conversation after a restart or on another instance) and are left out."
            }
            return (sections + [shadows?.rendered(as: format)].compactMap { $0 }).joined(separator: "\n\n")
        }
        let shadowJSON = shadows?.json ?? "[]"
        func members(_ report: ExperimentReport) -> [(key: String, json: String)] {
            report.jsonMembers + [("late_sessions", String(lateSessions[report.experiment] ?? 0))]
        }
        if experiments.count == 1 {
            return JSONText.object(members(experiments[0]) + [("shadows", shadowJSON)])
        }
        return JSONText.object([
            ("experiments", JSONText.array(experiments.map { JSONText.object(members($0)) })), ("shadows", shadowJSON),
        ])
    }
}
