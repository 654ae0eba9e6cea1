import SluiceLedger

extension RoutingPolicy {
    /// The shadow that mirrors a planned turn, if any: the first in the policy whose filters
    /// match, whose draw takes this turn, and whose model can take it in the client's dialect
    /// with its key set. The draw's key is the shadow's name, the session and the turn's number,
    /// so replaying a session draws the same turns. Only answers are mirrored, and only turns
    /// that go upstream; the daily cap is the gateway's to check.
    func shadow(
        for plan: TurnPlan, scanned: ScannedRequest, operation: TurnOperation, turn: Int, at now: Int64
    ) -> PlannedShadow? {
        guard operation == .answer, case .forward = plan.verdict, let chosen = plan.candidates.first else { return nil }
        let features = plan.features
        for spec in shadows {
            if let rules = spec.rules, !rules.contains(plan.decision.rule) { continue }
            if let shapes = spec.shapes, !shapes.contains(features.shape) { continue }
            if let arms = spec.arms, !arms.contains(plan.arm?.assignment.arm ?? "") { continue }
            guard spec.model != chosen.model.name, let model = models[spec.model],
                refusal(of: model, for: features) == nil, let upstream = upstreams[model.upstream]
            else { continue }
            let draw = ExperimentHash.fraction(key: spec.name, plan.session.key, "turn", String(turn))
            guard draw * 100 < Double(spec.samplePercent) else { continue }
            guard
                let route = UpstreamRoute.to(
                    upstream, clientDialect: features.dialect, operation: operation,
                    edits: scanned.edits(routedModelID: model.id), dropsUsageChunk: scanned.usageOptionEdit != nil),
                !route.credentials.isMissing
            else { continue }
            return PlannedShadow(
                name: spec.name, candidate: PlannedCandidate(model: model, route: route, at: now),
                dailyCap: spec.dailyCap)
        }
        return nil
    }
}
