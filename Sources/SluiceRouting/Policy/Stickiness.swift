import SluiceLedger
import SluiceWire

/// When a session stays on the model it used last instead of the one the rules chose.
///
/// ```yaml
/// stickiness:
///   tool_loop: true        # inside a tool loop, keep the model that started it
///   require_saving: true   # switch only when the new model is cheaper even with a cold cache
/// ```
///
/// Switching models throws away the session's prompt cache: the new model reads the whole prompt
/// at its uncached price, while the old one would have read most of it from cache. A router that
/// ignores this can make a session dearer while each turn looks cheaper. Stickiness only ever
/// holds a session back from a cheaper model; a rule that chose a dearer one chose it for quality.
package struct Stickiness: Sendable, Hashable {
    /// Keep a session on its previous model, rather than move it to a cheaper one, while the
    /// model is working through tool results.
    package var toolLoop: Bool
    /// Move a session to a cheaper model only when that model's estimated cost of this turn, with
    /// nothing cached, is below the previous model's with its cache as warm as the previous turn
    /// left it.
    package var requireSaving: Bool

    package init(toolLoop: Bool = false, requireSaving: Bool = false) {
        self.toolLoop = toolLoop
        self.requireSaving = requireSaving
    }
}

extension RoutingPolicy {
    /// The rule name decisions carry when stickiness kept a session on its model.
    package static let stickinessRuleName = "stickiness"

    /// The decision after stickiness: `decision` itself, or the session's previous model with
    /// the reason.
    ///
    /// Stickiness only ever keeps a session off a *cheaper* model (a lower input price at this
    /// prompt's size): a rule that chose a dearer model chose it for quality, and a turn is never
    /// kept from it. It keeps the previous model only when that model can still serve the turn
    /// (``refusal(of:for:)``); side calls never stick, since they are not the session's main line
    /// of work. With `tool_loop`, a session stays on its model inside a tool loop. With
    /// `require_saving`, it switches only when the cheaper model reading the whole prompt uncached
    /// costs less than the current one reading from cache what the previous turn sent (the
    /// estimate of what a prompt cache holds; the part it does not hold is read uncached).
    ///
    /// - Parameters:
    ///   - decision: What the rules chose.
    ///   - features: The turn.
    ///   - session: The session's state; stickiness needs the model that answered its last turn.
    /// - Returns: `decision`, or the previous model under the rule name `stickiness` with a
    ///   reason and a ``RoutingDecision/stickiness`` note that name the rule's choice.
    package func applyingStickiness(
        to decision: RoutingDecision, features: TurnFeatures, session: SessionState?
    ) -> RoutingDecision {
        guard stickiness.toolLoop || stickiness.requireSaving, let session, let previous = session.answeredModel,
            previous != decision.model, features.shape != .sideCall, let chosen = models[decision.model],
            let stay = models[previous], refusal(of: stay, for: features) == nil
        else { return decision }
        let prompt = features.promptTokens
        let chosenTier = chosen.price.tier(forPromptTokens: prompt)
        let stayTier = stay.price.tier(forPromptTokens: prompt)
        guard chosenTier.input.nanosPerThousandTokens < stayTier.input.nanosPerThousandTokens else { return decision }
        let choice = "rule \(decision.rule) chose \(chosen.name)"
        if stickiness.toolLoop && features.lastMessage == .toolResult && features.loopDepth > 0 {
            return keeping(stay, over: decision, note: "stayed on \(stay.name) inside the tool loop it started; \(choice)")
        }
        if stickiness.requireSaving {
            let cached = Swift.min(session.promptTokens ?? 0, prompt)
            let stayCost = stayTier.cacheRead.cost(of: cached) + stayTier.input.cost(of: prompt - cached)
            let switchCost = chosenTier.input.cost(of: prompt)
            if switchCost >= stayCost {
                return keeping(
                    stay, over: decision,
                    note: "stayed on \(stay.name): \(chosen.name) with a cold cache (~\(switchCost.display)) would not "
                        + "beat \(stay.name) with its warm cache (~\(stayCost.display)); \(choice)")
            }
        }
        return decision
    }

    private func keeping(_ model: ModelSpec, over decision: RoutingDecision, note: String) -> RoutingDecision {
        var kept = decision.sending(to: model)
        kept.rule = Self.stickinessRuleName
        kept.reason = note
        kept.stickiness = note
        return kept
    }
}
