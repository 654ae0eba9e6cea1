package import SluiceLedger

extension RoutingPolicy {
    /// The rule name of turns a cost-matched random control sent to a cheaper model.
    package static let randomControlRuleName = "random-control"

    /// The experiment and arm a session is in, if any.
    ///
    /// A session that has an arm keeps it as long as the policy still has that experiment and
    /// arm, whatever the weights say now. A session this gateway already knows without an arm (it
    /// started before the experiment did, or the experiment's share left it out) stays out. Any
    /// other session joins the first experiment whose share takes it, in the arm its hash falls
    /// in: at its start, or, met in the middle of its conversation with nothing remembered (another
    /// instance served its start, or it predates a restart), in the arm every instance computes for
    /// it. A session that joins in the middle is left out of `sluice ab` (``ABReport``), since its
    /// earlier turns were routed otherwise.
    ///
    /// - Parameters:
    ///   - key: The session key.
    ///   - state: The session's state in this run, if Sluice has seen it.
    ///   - remembered: The arm the gateway remembers for it, for a session with no state here.
    /// - Returns: The experiment and arm, or `nil` for the policy's own rules.
    package func assignment(
        for key: String, state: SessionState?, remembered: ArmAssignment?
    ) -> (experiment: Experiment, arm: ExperimentArm)? {
        func existing(_ known: ArmAssignment?) -> (experiment: Experiment, arm: ExperimentArm)? {
            guard let known, let experiment = experiments.first(where: { $0.name == known.experiment }),
                let arm = experiment.arm(named: known.arm)
            else { return nil }
            return (experiment, arm)
        }
        if let state { return existing(state.arm) }
        if let remembered { return existing(remembered) }
        for experiment in experiments {
            let enrolled = ExperimentHash.fraction(key: experiment.name, key, "share") * 100 < Double(experiment.share)
            guard enrolled else { continue }
            guard let arm = experiment.arm(at: ExperimentHash.fraction(key: experiment.name, key)) else { continue }
            return (experiment, arm)
        }
        return nil
    }

    /// The decision of a cost-matched random control arm: the model the tally draws for this
    /// turn (the session key and its turn number are the draw's key, so a replay draws the same),
    /// if it can take the turn; otherwise the baseline.
    ///
    /// - Returns: The decision, and the model the matched arm's rules chose, to be counted.
    func randomControlDecision(
        experiment: Experiment, matched: ExperimentArm, features: TurnFeatures, sessionKey: String, turn: Int,
        tally: ExperimentTally?, tracing: Bool
    ) -> (decision: RoutingDecision, matchedModel: String) {
        let matchedModel = decide(for: features, rules: matched.rules, tracing: false).model
        let baseline = baselines[features.dialect] ?? ""
        let fraction = ExperimentHash.fraction(key: experiment.name, sessionKey, "turn", String(turn))
        if let tally, let drawn = tally.draw(fraction, baseline: baseline), let model = models[drawn],
            refusal(of: model, for: features) == nil, upstreams[model.upstream]?.speaks(features.dialect) == true
        {
            let share = Double(tally.byModel[drawn] ?? 0) / Double(tally.turns)
            let percent = (share * 1000).rounded() / 10
            let reason =
                "cost-matched random control: arm \(matched.name) sends \(percent)% of turns to \(drawn), "
                + "and this turn was drawn at random"
            let decision = self.decision(
                routingTo: model.name, rule: Self.randomControlRuleName, reason: reason, baseline: baseline,
                trace: [])
            return (decision, matchedModel)
        }
        var decision = decide(for: features, rules: [], tracing: tracing)
        decision.reason = "cost-matched random control drew the baseline; " + decision.reason
        return (decision, matchedModel)
    }
}
