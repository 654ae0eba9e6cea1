import SluiceWire

extension PolicyReader {
    /// Checks that need more than one section: names that must resolve, baselines every routable
    /// dialect needs, and rules that can never apply or never match.
    ///
    /// Parts that already had a problem of their own are skipped, so one mistake is reported once.
    mutating func crossCheck(_ draft: PolicyDraft) {
        checkModelUpstreams(draft)
        checkFallbacks(draft)
        checkBaselines(draft)
        checkRules(draft)
    }

    private mutating func checkModelUpstreams(_ draft: PolicyDraft) {
        for model in draft.models.values.sorted(by: { $0.name < $1.name })
        where !draft.upstreamNames.contains(model.upstream) {
            let suggestion = Wording.suggestion(for: model.upstream, among: draft.upstreamNames)
            report(
                Self.path(Self.path("models", model.name), "upstream"),
                "unknown upstream \"\(model.upstream)\"\(suggestion)")
        }
    }

    /// A fallback must be another model, and able to answer some client its model answers
    /// (there is no translation between dialects yet).
    private mutating func checkFallbacks(_ draft: PolicyDraft) {
        for model in draft.models.values.sorted(by: { $0.name < $1.name }) {
            let dialects = draft.upstreams[model.upstream]?.dialects ?? []
            for (index, fallback) in model.fallbacks.enumerated() {
                let path = Self.path(Self.path(Self.path("models", model.name), "fallback"), index: index)
                guard checkModelName(fallback, at: path, draft: draft) else { continue }
                if fallback == model.name {
                    report(path, "a model cannot be its own fallback")
                } else if let other = draft.models[fallback], let theirs = draft.upstreams[other.upstream]?.dialects,
                    !dialects.isEmpty, dialects.isDisjoint(with: theirs)
                {
                    report(
                        path,
                        "\"\(fallback)\" speaks \(Self.list(theirs)), not \(Self.list(dialects)) like \"\(model.name)\": "
                            + "it could never take over one of its turns")
                }
            }
        }
    }

    private mutating func checkBaselines(_ draft: PolicyDraft) {
        switch draft.baselines {
        case nil:
            return
        case .single(let name):
            checkModelName(name, at: "baseline", draft: draft)
        case .perDialect(let names):
            var reported: Set<String> = []
            for dialect in Dialect.allCases {
                guard let name = names[dialect], let path = draft.baselinePaths[dialect] else { continue }
                guard checkModelName(name, at: path, draft: draft, reportOnce: &reported) else { continue }
                guard let model = draft.models[name], let upstream = draft.upstreams[model.upstream] else { continue }
                if !upstream.speaks(dialect) {
                    report(
                        path,
                        "model \"\(name)\" is served by upstream \"\(upstream.name)\", which does not speak "
                            + "\(dialect.rawValue)")
                }
            }
        }
    }

    private mutating func checkRules(_ draft: PolicyDraft) {
        let baselines = draft.resolvedBaselines
        let baselinesReadable = Self.baselinesAreReadable(draft)
        // Rules that can apply somewhere, for the shadowing check of the rules after them.
        var earlier: [(index: Int, rule: RoutingRule, model: ModelSpec, dialects: Set<Dialect>)] = []
        var dialectsWithoutBaseline: Set<Dialect> = []
        for (index, rule) in draft.rules.enumerated() {
            let path = Self.path("rules", index: index)
            // A route is checked even in a rule with other problems; the checks of the rule as a
            // whole need all of it.
            guard rule.route.isEmpty || checkModelName(rule.route, at: Self.path(path, "route"), draft: draft),
                draft.soundRules.contains(index)
            else { continue }
            guard let model = draft.models[rule.route], let upstream = draft.upstreams[model.upstream] else { continue }

            if rule.conditions.isContradictory {
                report(path, "can never match: its conditions contradict each other")
                continue
            }
            let allowed = rule.conditions.possibleClients
            let dialects = allowed.intersection(upstream.dialects)
            guard !dialects.isEmpty else {
                report(
                    path,
                    "can never apply: its client condition allows only \(Self.list(allowed)), and model "
                        + "\"\(model.name)\" is served by upstream \"\(upstream.name)\", which speaks only "
                        + "\(Self.list(upstream.dialects))")
                continue
            }
            if let min = rule.conditions.promptTokens?.min, min > model.contextWindow {
                report(
                    Self.path(path, "when.prompt_tokens"),
                    "min \(Wording.grouped(min)) is more than model \"\(model.name)\"'s context window "
                        + "(\(Wording.grouped(model.contextWindow))), so this rule can never apply")
                continue
            }
            if let shadow = earlier.first(where: { Self.shadows($0, rule: rule, model: model, dialects: dialects) }) {
                let why =
                    shadow.rule.conditions.isUnconditional
                    ? "has no conditions"
                    : shadow.rule.conditions == rule.conditions
                        ? "has the same conditions" : "matches every turn this rule would"
                report(
                    path,
                    "can never match: rule \"\(shadow.rule.name)\" (rules[\(shadow.index)]) comes first and "
                        + "\(why)")
                continue
            }
            earlier.append((index, rule, model, dialects))

            guard baselinesReadable else { continue }
            for dialect in Dialect.allCases where dialects.contains(dialect) && baselines[dialect] == nil {
                guard dialectsWithoutBaseline.insert(dialect).inserted else { continue }
                report(
                    "baseline",
                    "no baseline model for \(dialect.rawValue) clients, which rule \"\(rule.name)\" "
                        + "(rules[\(index)]) routes\(Self.baselineHint(draft, missing: dialect))")
            }
        }
    }

    /// Whether an earlier rule takes every turn the later rule could: its conditions cover the later
    /// one's, its model speaks every dialect the later rule could serve, and its context window
    /// holds every turn the later rule's could.
    private static func shadows(
        _ earlier: (index: Int, rule: RoutingRule, model: ModelSpec, dialects: Set<Dialect>),
        rule: RoutingRule, model: ModelSpec, dialects: Set<Dialect>
    ) -> Bool {
        earlier.rule.conditions.covers(rule.conditions) && dialects.isSubset(of: earlier.dialects)
            && earlier.model.contextWindow >= model.contextWindow
    }

    /// Whether the baselines were read well enough that a missing dialect is a real gap rather than
    /// an echo of a problem already reported.
    private static func baselinesAreReadable(_ draft: PolicyDraft) -> Bool {
        switch draft.baselines {
        case nil: false
        case .single(let name): draft.models[name].flatMap { draft.upstreams[$0.upstream] } != nil
        case .perDialect: true
        }
    }

    private static func baselineHint(_ draft: PolicyDraft, missing dialect: Dialect) -> String {
        guard case .single(let name) = draft.baselines else { return "" }
        return "; baseline \"\(name)\" covers only the dialects its upstream speaks, so name one per client "
            + "dialect, such as baseline: {anthropic: ..., \(dialect.rawValue): ...}"
    }

    /// Reports a name that is not a model; `false` when the model is unknown.
    @discardableResult
    private mutating func checkModelName(_ name: String, at path: String, draft: PolicyDraft) -> Bool {
        var reported: Set<String> = []
        return checkModelName(name, at: path, draft: draft, reportOnce: &reported)
    }

    private mutating func checkModelName(
        _ name: String, at path: String, draft: PolicyDraft, reportOnce reported: inout Set<String>
    ) -> Bool {
        guard !draft.modelNames.contains(name) else { return true }
        if reported.insert(path).inserted {
            report(path, "unknown model \"\(name)\"\(Wording.suggestion(for: name, among: draft.modelNames))")
        }
        return false
    }

    /// Dialects in declaration order: `anthropic, openai-chat`.
    private static func list(_ dialects: Set<Dialect>) -> String {
        Dialect.allCases.filter(dialects.contains).map(\.rawValue).joined(separator: ", ")
    }
}
