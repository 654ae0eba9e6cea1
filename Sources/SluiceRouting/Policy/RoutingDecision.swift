/// The model chosen for one turn, the rule that chose it and why.
///
/// When no model can take the turn (no rule applies and the client's dialect has no baseline),
/// `model` is empty and `reason` says why; the gateway answers that with a client error.
package struct RoutingDecision: Sendable, Hashable {
    /// The policy's name for the chosen model; empty when there is none.
    package var model: String
    /// The provider's id for it, spliced into the request's `model` value.
    package var modelID: String
    /// The name of the upstream that serves it.
    package var upstream: String
    /// The name of the rule that chose it: `baseline` when no rule applied, `stickiness` when the
    /// session stayed on its model instead of the rule's.
    package var rule: String
    /// One line for people: `rule grep-shaped: shape tool_followup, 12,345 prompt tokens ≤ 150,000`.
    package var reason: String
    /// The baseline model for the client's dialect, against which the turn's savings are priced;
    /// empty when the policy has none for that dialect.
    package var baseline: String
    /// Every rule tried, in order, up to and including the one that decided.
    package var trace: [RuleTrace]
    /// When stickiness kept the session on its model: why, and what the rule had chosen.
    package var stickiness: String?

    package init(
        model: String, modelID: String, upstream: String, rule: String, reason: String, baseline: String,
        trace: [RuleTrace], stickiness: String? = nil
    ) {
        self.model = model
        self.modelID = modelID
        self.upstream = upstream
        self.rule = rule
        self.reason = reason
        self.baseline = baseline
        self.trace = trace
        self.stickiness = stickiness
    }

    /// Whether a model was chosen; `false` means the gateway must refuse the turn.
    package var hasModel: Bool { !model.isEmpty }

    /// The decision with `model` in place of the chosen one (stickiness, an escalated loop, a
    /// soft budget limit); the rule and reason are the caller's to change.
    package func sending(to model: ModelSpec) -> RoutingDecision {
        var sent = self
        sent.model = model.name
        sent.modelID = model.id
        sent.upstream = model.upstream
        return sent
    }
}
