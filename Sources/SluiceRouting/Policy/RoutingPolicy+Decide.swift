import SluiceWire

extension RoutingPolicy {
    /// Chooses the model for a turn.
    ///
    /// Rules are tried in order; the first whose conditions hold and whose model can take the turn
    /// decides. A rule whose conditions hold is still passed over, with the reason in the trace,
    /// when its model's upstream does not speak the client's dialect (translation between dialects
    /// does not exist yet) or when its context window cannot hold the prompt plus `max_tokens`.
    /// When no rule applies the client dialect's baseline model answers; when there is no baseline
    /// either, the decision has an empty `model` and the gateway refuses the turn.
    ///
    /// - Parameters:
    ///   - features: What Sluice read from the request.
    ///   - tracing: Whether to say why each rule passed over did not match (for `policy explain`);
    ///     the gateway leaves it off, since those notes cost a string per rule on every turn.
    ///   - rules: The rules to try: the policy's own, or an experiment arm's.
    /// - Returns: The model, the rule, a one-line reason and the trace of every rule tried.
    package func decide(for features: TurnFeatures, rules: [RoutingRule]? = nil, tracing: Bool = true)
        -> RoutingDecision
    {
        let baselineName = baselines[features.dialect] ?? ""
        var trace: [RuleTrace] = []
        for rule in rules ?? self.rules {
            if !tracing {
                if !rule.conditions.holds(for: features) { continue }
            } else if let mismatch = rule.conditions.mismatch(for: features) {
                trace.append(RuleTrace(rule: rule.name, matched: false, note: mismatch))
                continue
            }
            if let refusal = refusal(ofRoute: rule.route, for: features) {
                trace.append(RuleTrace(rule: rule.name, matched: false, note: "conditions hold, but \(refusal)"))
                continue
            }
            let summary = rule.conditions.summary(for: features)
            trace.append(RuleTrace(rule: rule.name, matched: true, note: summary))
            return decision(
                routingTo: rule.route, rule: rule.name, reason: "rule \(rule.name): \(summary)",
                baseline: baselineName, trace: trace)
        }
        guard let baseline = baselineModel(for: features.dialect),
            upstreams[baseline.upstream]?.speaks(features.dialect) == true
        else {
            return RoutingDecision(
                model: "", modelID: "", upstream: "", rule: "",
                reason: "no rule applied to this \(features.dialect.rawValue) turn and the policy has no baseline "
                    + "model that speaks \(features.dialect.rawValue)",
                baseline: baselineName, trace: trace)
        }
        var reason = "no rule applied; \(features.dialect.rawValue) baseline \"\(baseline.name)\" answers"
        if let refusal = refusal(of: baseline, for: features) {
            // The baseline answers anyway: it is the policy's last word, and the upstream's own
            // error about an oversized request is clearer than a refusal here would be.
            reason += " (although \(refusal))"
        }
        return decision(
            routingTo: baseline.name, rule: Self.baselineRuleName, reason: reason, baseline: baselineName,
            trace: trace)
    }

    /// The rule name decisions carry when no rule applied and the baseline model answers.
    package static let baselineRuleName = "baseline"

    /// Why the model a rule routes to cannot take the turn, or `nil` when it can.
    private func refusal(ofRoute name: String, for features: TurnFeatures) -> String? {
        guard let model = models[name] else { return "model \"\(name)\" is not in the policy" }
        return refusal(of: model, for: features)
    }

    func decision(
        routingTo name: String, rule: String, reason: String, baseline: String, trace: [RuleTrace]
    ) -> RoutingDecision {
        let model = models[name]
        return RoutingDecision(
            model: name, modelID: model?.id ?? "", upstream: model?.upstream ?? "", rule: rule, reason: reason,
            baseline: baseline, trace: trace)
    }
}
