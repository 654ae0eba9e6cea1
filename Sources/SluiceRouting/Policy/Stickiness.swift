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
/// ignores this can make a session dearer while each turn looks cheaper.
package struct Stickiness: Sendable, Hashable {
    /// Keep a session on its previous model while the model is working through tool results.
    package var toolLoop: Bool
    /// Switch only when the new model's estimated cost of this turn, with nothing cached, is below
    /// the previous model's with its cache as warm as the previous turn left it.
    package var requireSaving: Bool

    package init(toolLoop: Bool = false, requireSaving: Bool = false) {
        self.toolLoop = toolLoop
        self.requireSaving = requireSaving
    }

    /// What the gateway remembers of a session's previous turn.
    package struct Previous: Sendable, Hashable {
        /// The policy model that answered it.
        package var model: String
        /// Prompt tokens it read from cache: how warm that model's cache is for this session.
        package var cacheRead: Int

        package init(model: String, cacheRead: Int) {
            self.model = model
            self.cacheRead = cacheRead
        }
    }
}

extension RoutingPolicy {
    /// The decision after stickiness: `decision` itself, or the previous model with the reason.
    ///
    /// Stays only on a previous model that can take the turn (speaks the client's dialect, holds
    /// the prompt and the output limit); side calls never stick, since they are not the session's
    /// main line of work.
    package func applyingStickiness(
        to decision: RoutingDecision, features: TurnFeatures, previous: Stickiness.Previous?
    ) -> RoutingDecision {
        guard stickiness.toolLoop || stickiness.requireSaving, let previous, previous.model != decision.model,
            features.shape != .sideCall, let chosen = models[decision.model], let stay = models[previous.model],
            upstreams[stay.upstream]?.speaks(features.dialect) == true,
            stay.contextWindow >= features.promptTokens + (features.maxTokens ?? 0)
        else { return decision }
        var kept = decision
        kept.model = stay.name
        kept.modelID = stay.id
        kept.upstream = stay.upstream
        if stickiness.toolLoop && features.lastMessage == .toolResult && features.loopDepth > 0 {
            kept.reason = "stayed on \(stay.name) inside the tool loop it started (rule \(decision.rule) chose \(chosen.name))"
            return kept
        }
        if stickiness.requireSaving {
            let prompt = features.promptTokens
            let cached = Swift.min(previous.cacheRead, prompt)
            let tier = stay.price.tier(forPromptTokens: prompt)
            let stayCost = tier.cacheRead.cost(of: cached) + tier.input.cost(of: prompt - cached)
            let switchCost = chosen.price.tier(forPromptTokens: prompt).input.cost(of: prompt)
            if switchCost >= stayCost {
                kept.reason =
                    "stayed on \(stay.name): \(chosen.name) with a cold cache (~\(switchCost.display)) would not beat "
                    + "\(stay.name) with its warm cache (~\(stayCost.display)); rule \(decision.rule) chose \(chosen.name)"
                return kept
            }
        }
        return decision
    }
}
