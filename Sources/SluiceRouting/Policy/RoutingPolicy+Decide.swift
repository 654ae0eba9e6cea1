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
    /// - Returns: The model, the rule, a one-line reason and the trace of every rule tried.
    package func decide(for features: TurnFeatures, tracing: Bool = true) -> RoutingDecision {
        let baselineName = baselines[features.dialect] ?? ""
        let needed = tokensNeeded(by: features)
        var trace: [RuleTrace] = []
        for rule in rules {
            if !tracing {
                if !rule.conditions.holds(for: features) { continue }
            } else if let mismatch = rule.conditions.mismatch(for: features) {
                trace.append(RuleTrace(rule: rule.name, matched: false, note: mismatch))
                continue
            }
            if let refusal = refusal(of: rule.route, for: features, needing: needed) {
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
        if let refusal = refusal(of: baseline.name, for: features, needing: needed) {
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

    /// Why model `name` cannot take the turn, or `nil` when it can.
    private func refusal(of name: String, for features: TurnFeatures, needing needed: Int?) -> String? {
        guard let model = models[name] else { return "model \"\(name)\" is not in the policy" }
        guard let upstream = upstreams[model.upstream] else {
            return "model \"\(name)\"'s upstream \"\(model.upstream)\" is not in the policy"
        }
        guard upstream.speaks(features.dialect) else {
            return "model \"\(name)\" is served by upstream \"\(upstream.name)\", which does not speak "
                + "\(features.dialect.rawValue) (no translation between dialects yet)"
        }
        guard let needed, needed <= model.contextWindow else {
            let size = needed.map { Wording.grouped($0) + " tokens" } ?? "more tokens than can be counted"
            return "the turn needs \(size) (prompt + max_tokens) and model \"\(name)\" holds "
                + "\(Wording.grouped(model.contextWindow))"
        }
        return nil
    }

    /// Prompt tokens plus the output limit; `nil` if the sum overflows.
    private func tokensNeeded(by features: TurnFeatures) -> Int? {
        let (sum, overflow) = features.promptTokens.addingReportingOverflow(max(0, features.maxTokens ?? 0))
        return overflow ? nil : sum
    }

    private func decision(
        routingTo name: String, rule: String, reason: String, baseline: String, trace: [RuleTrace]
    ) -> RoutingDecision {
        let model = models[name]
        return RoutingDecision(
            model: name, modelID: model?.id ?? "", upstream: model?.upstream ?? "", rule: rule, reason: reason,
            baseline: baseline, trace: trace)
    }
}
