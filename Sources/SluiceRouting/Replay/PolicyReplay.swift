package import SluiceLedger

/// `sluice replay`: re-decides recorded turns under a candidate policy, without calling a model.
///
/// Each turn goes through ``RoutingPolicy/plan(_:session:operation:at:experiments:tracing:)``, the
/// plan `sluice serve` makes, with session state carried from turn to turn as the gateway carries
/// it (``ReplayLane``); nothing here decides on its own. No model is called, so upstream keys the
/// environment lacks are replaced by placeholders: a policy whose keys are set elsewhere replays
/// as it serves. Costs come from the session caches' replayed
/// world (``SessionCaches/price(_:answeredBy:actualCost:requested:baseline:replayed:)``): a turn
/// the candidate sends where it really went keeps its recorded cost exactly, any other is
/// simulated on the candidate's model, and a switch pays its cold cache.
///
/// ```swift
/// let report = PolicyReplay.run(turns, candidate: candidate, against: current)
/// print(report.rendered(as: .table))
/// ```
package enum PolicyReplay {
    /// Replays `turns` (any order; they are taken in arrival order) under `candidate`, and under
    /// `current` when given; without it the candidate is compared with what was recorded.
    ///
    /// - Parameter notes: Caveats the caller knows about its input (rows without stored features).
    package static func run(
        _ turns: [ReplayTurn], candidate: RoutingPolicy, against current: RoutingPolicy? = nil, notes: [String] = []
    ) -> ReplayReport {
        let ordered = turns.enumerated().sorted {
            ($0.element.startedAtMilliseconds, $0.offset) < ($1.element.startedAtMilliseconds, $1.offset)
        }.map(\.element)
        var candidateLane = ReplayLane(policy: candidate.withPlaceholderKeys())
        var currentLane = current.map { ReplayLane(policy: $0.withPlaceholderKeys()) }
        for turn in ordered {
            candidateLane.replay(turn)
            currentLane?.replay(turn)
        }
        candidateLane.finish()
        currentLane?.finish()
        let mine = candidateLane.outcomes
        // "Changed": another rule or model than the current policy's decision, or than the
        // recorded one (the recorded rule, and its model unless a fallback answered instead).
        let changed: [Bool]
        if let theirs = currentLane?.outcomes {
            changed = zip(mine, theirs).map { $0.rule != $1.rule || !ReplayLane.sameModel($0.modelID, $1.modelID) }
        } else {
            changed = zip(mine, ordered).map { turn, original in
                guard let recorded = original.recorded else { return turn.modelID != nil }
                if let rule = recorded.rule, rule != turn.rule { return true }
                // A failed or fallen-back turn's recorded model is not the one its rule chose.
                guard recorded.status == .ok, !recorded.fellBack else { return false }
                return !ReplayLane.sameModel(turn.modelID, recorded.modelID.isEmpty ? nil : recorded.modelID)
            }
        }
        // What really happened, as the current side when no policy is given.
        let recordedSide: [ReplayedTurn] = zip(mine, ordered).map { turn, original in
            var recorded = turn
            let id = original.recorded.flatMap { $0.modelID.isEmpty ? nil : $0.modelID }
            recorded.model = id.map { original.recorded?.modelName ?? $0 }
            recorded.modelID = id
            recorded.cost = turn.recordedCost.map { Counterfactual(cost: $0, coverage: .exact) }
            return recorded
        }
        let theirs = currentLane?.outcomes ?? recordedSide

        var sessions: [String: ReplayReport.Session] = [:]
        var sessionOrder: [String] = []
        for (index, turn) in mine.enumerated() {
            if sessions[turn.session] == nil {
                sessionOrder.append(turn.session)
                sessions[turn.session] = ReplayReport.Session(
                    key: turn.session, turns: 0, changed: 0, candidate: .init(), current: .init())
            }
            sessions[turn.session]?.turns += 1
            if changed[index] { sessions[turn.session]?.changed += 1 }
            sessions[turn.session]?.candidate.add(turn)
            sessions[turn.session]?.current.add(theirs[index])
        }
        let recordedCosts = mine.compactMap(\.recordedCost)
        var allNotes = notes
        let estimated = mine.filter(\.estimated).count
        if estimated > 0 {
            allNotes.append(
                "\(estimated) turns carried no recorded usage: priced from Sluice's prompt estimate, output not counted.")
        }
        return ReplayReport(
            turns: mine.count, sessions: sessionOrder.compactMap { sessions[$0] },
            candidate: side("candidate", mine), current: side(current == nil ? "recorded" : "current", theirs),
            recordedActual: recordedCosts.isEmpty ? nil : recordedCosts.reduce(.zero, +),
            changedTurns: changed.filter { $0 }.count,
            byRule: counts(mine, changed, by: \.rule), byShape: counts(mine, changed, by: \.shape), notes: allNotes)
    }

    private static func side(_ label: String, _ turns: [ReplayedTurn]) -> ReplayReport.Side {
        var totals = ReplayReport.Totals()
        var models: [String: Int] = [:]
        for turn in turns {
            totals.add(turn)
            models[turn.model ?? "(refused)", default: 0] += 1
        }
        let byModel = models.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { (name: $0.key, turns: $0.value) }
        return ReplayReport.Side(label: label, totals: totals, byModel: byModel)
    }

    private static func counts(
        _ turns: [ReplayedTurn], _ changed: [Bool], by key: KeyPath<ReplayedTurn, String>
    ) -> [ReplayReport.Count] {
        var counts: [String: (turns: Int, changed: Int)] = [:]
        for (turn, isChanged) in zip(turns, changed) {
            let name = turn[keyPath: key].isEmpty ? "(refused)" : turn[keyPath: key]
            counts[name, default: (0, 0)].turns += 1
            if isChanged { counts[name, default: (0, 0)].changed += 1 }
        }
        return counts.sorted { ($1.value.turns, $0.key) < ($0.value.turns, $1.key) }
            .map { ReplayReport.Count(name: $0.key, turns: $0.value.turns, changed: $0.value.changed) }
    }
}

extension ReplayReport.Totals {
    /// Adds one turn: its cost and both counterfactuals (unknown ones at the turn's own cost).
    fileprivate mutating func add(_ turn: ReplayedTurn) {
        turns += 1
        guard turn.model != nil else {
            refusedTurns += 1
            return
        }
        actual += turn.cost?.cost ?? .zero
        requested += turn.requested?.cost ?? turn.cost?.cost ?? .zero
        baseline += turn.baseline?.cost ?? turn.cost?.cost ?? .zero
        if turn.cost?.coverage == .simulated { simulatedTurns += 1 }
    }
}

extension RoutingPolicy {
    /// The policy with a placeholder for every upstream key the environment did not set, for
    /// replay, which calls no upstream: a missing key must not turn every decision into a refusal.
    func withPlaceholderKeys() -> RoutingPolicy {
        var policy = self
        for (name, upstream) in upstreams where upstream.apiKeyEnvironment != nil && upstream.apiKey == nil {
            policy.upstreams[name]?.apiKey = "replay-placeholder"
        }
        return policy
    }
}
