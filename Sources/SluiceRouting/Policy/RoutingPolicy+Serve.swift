import SluiceWire

extension RoutingPolicy {
    /// Why `model` cannot serve the turn, or `nil` when it can.
    ///
    /// The one answer to "can this model take this turn", used by the rules, the baseline,
    /// stickiness and fallbacks alike: the model's upstream must speak the client's dialect (there
    /// is no translation between dialects yet), and its context window must hold the prompt plus
    /// the output limit. Token counts come from the request, which any client controls, so the
    /// sum is taken without overflow: a count too large to add up fits no window.
    ///
    /// - Parameters:
    ///   - model: A model of this policy.
    ///   - features: The turn.
    /// - Returns: A phrase for reasons and traces (`model "haiku" is served by upstream "local",
    ///   which does not speak openai-chat ...`), or `nil`.
    package func refusal(of model: ModelSpec, for features: TurnFeatures) -> String? {
        guard let upstream = upstreams[model.upstream] else {
            return "model \"\(model.name)\"'s upstream \"\(model.upstream)\" is not in the policy"
        }
        guard upstream.speaks(features.dialect) else {
            return "model \"\(model.name)\" is served by upstream \"\(upstream.name)\", which does not speak "
                + "\(features.dialect.rawValue) (no translation between dialects yet)"
        }
        guard let needed = Self.tokensNeeded(by: features), needed <= model.contextWindow else {
            let size = Self.tokensNeeded(by: features).map { Wording.grouped($0) + " tokens" }
                ?? "more tokens than can be counted"
            return "the turn needs \(size) (prompt + max_tokens) and model \"\(model.name)\" holds "
                + "\(Wording.grouped(model.contextWindow))"
        }
        return nil
    }

    /// Prompt tokens plus the output limit (a negative limit counts as none); `nil` when the sum
    /// does not fit in an `Int`.
    static func tokensNeeded(by features: TurnFeatures) -> Int? {
        let (sum, overflow) = max(0, features.promptTokens).addingReportingOverflow(max(0, features.maxTokens ?? 0))
        return overflow ? nil : sum
    }
}

extension RoutingPolicy {
    /// A scanner for this policy's requests: its tool categories, and its loop breaker's window.
    package func makeScanner() -> RequestScanner {
        RequestScanner(
            catalog: ToolCatalog.builtIn.overriding(with: toolCategoryOverrides),
            loopWindow: loopBreaker?.window)
    }
}
