package import SluiceLedger
package import SluiceWire

/// A routing policy: where turns can go, what each model costs, and the rules that choose.
///
/// Read one from YAML with ``init(yaml:)``, which refuses a file with any problem, so a value of
/// this type is always consistent: every route and baseline names a model, every model an
/// upstream. The memberwise initializer skips those checks and is meant for tests.
///
/// ```swift
/// let policy = try RoutingPolicy(yaml: text).resolvingEnvironment(ProcessInfo.processInfo.environment)
/// let decision = policy.decide(for: features)
/// ```
package struct RoutingPolicy: Sendable {
    /// Upstreams by name.
    package var upstreams: [String: UpstreamSpec]
    /// Models by name.
    package var models: [String: ModelSpec] {
        didSet { modelNamesByID = Self.index(models) }
    }
    /// Each model's name under its normalized id (``ModelIdentity``), the first name when two
    /// models share an id: so pricing the model a client asked for is one lookup per turn.
    private(set) var modelNamesByID: [String: String]
    /// The baseline model's name for each client dialect: every turn of that dialect is priced as
    /// if this model had answered it, and it answers the turns no rule applies to.
    package var baselines: [Dialect: String]
    /// The rules, in the order they are tried.
    package var rules: [RoutingRule]
    /// Tool names mapped to categories, on top of (and overriding) the built-in table.
    package var toolCategoryOverrides: [String: ToolCategory]
    /// When a session stays on its previous model (`stickiness:`); off unless the policy asks.
    package var stickiness: Stickiness
    /// Dated prices of models by id (`prices:`), for models the policy does not price itself and
    /// for the models clients ask for.
    package var priceBook: PriceBook
    /// Experiments that split sessions between arms routed by different rules (`experiments:`).
    package var experiments: [Experiment]
    /// Models that also answer a sampled share of turns in the background, for comparison (`shadows:`).
    package var shadows: [ShadowSpec]
    /// The model that gives each turn its `p_cheap` (`next_move_model:`), if the policy names one.
    package var nextMoveModel: NextMoveModel?
    /// Spending caps and plan tiers (`budgets:`); `nil` when the policy sets none.
    package var budgets: Budgets?
    /// What to do with agents stuck in a loop (`loop_breaker:`); `nil` when off.
    package var loopBreaker: LoopBreaker?
    /// Sessions whose cost runs away, flagged (`anomalies:`); `nil` when off.
    package var anomalies: AnomalyWatch?

    package init(
        upstreams: [String: UpstreamSpec], models: [String: ModelSpec], baselines: [Dialect: String],
        rules: [RoutingRule], toolCategoryOverrides: [String: ToolCategory] = [:], stickiness: Stickiness = .init(),
        priceBook: PriceBook = .empty, experiments: [Experiment] = [],
        shadows: [ShadowSpec] = [], nextMoveModel: NextMoveModel? = nil, budgets: Budgets? = nil,
        loopBreaker: LoopBreaker? = nil, anomalies: AnomalyWatch? = nil
    ) {
        self.budgets = budgets
        self.loopBreaker = loopBreaker
        self.anomalies = anomalies
        self.shadows = shadows
        self.nextMoveModel = nextMoveModel
        self.experiments = experiments
        self.stickiness = stickiness
        self.priceBook = priceBook
        self.upstreams = upstreams
        self.models = models
        modelNamesByID = Self.index(models)
        self.baselines = baselines
        self.rules = rules
        self.toolCategoryOverrides = toolCategoryOverrides
    }

    private static func index(_ models: [String: ModelSpec]) -> [String: String] {
        var index: [String: String] = [:]
        for model in models.values.sorted(by: { $0.name < $1.name }) {
            index[ModelIdentity.normalized(model.id)] = index[ModelIdentity.normalized(model.id)] ?? model.name
        }
        return index
    }

    /// The model the policy calls `name`, if any.
    package func model(named name: String) -> ModelSpec? {
        models[name]
    }

    /// The baseline model for clients of `dialect`, if the policy names one.
    package func baselineModel(for dialect: Dialect) -> ModelSpec? {
        baselines[dialect].flatMap { models[$0] }
    }

    /// The upstream that serves `model`, if the policy has it.
    package func upstream(serving model: ModelSpec) -> UpstreamSpec? {
        upstreams[model.upstream]
    }

    /// The policy with the environment applied: each upstream's `base_url_env` and `api_key_env`.
    ///
    /// An upstream whose `base_url_env` is set to a non-empty value takes that value as its base
    /// URL (trailing slashes dropped); the others keep the file's. An upstream's `api_key_env`
    /// supplies its ``UpstreamSpec/apiKey``; a variable that is unset or empty leaves it `nil`,
    /// and turns for that upstream are refused with a clear error (see
    /// ``unsetKeyProblems(in:)``). Pure: the caller passes the environment, so tests and reloads
    /// see exactly what they pass.
    ///
    /// - Parameter environment: Environment variables by name.
    /// - Returns: The same policy with base URLs and keys resolved.
    package func resolvingEnvironment(_ environment: [String: String]) -> RoutingPolicy {
        var resolved = self
        for (name, upstream) in upstreams {
            if let variable = upstream.baseURLEnvironment, let value = environment[variable] {
                let trimmed = value.trimmingWhitespace()
                if !trimmed.isEmpty { resolved.upstreams[name]?.baseURL = trimmed.droppingTrailingSlashes() }
            }
            if let variable = upstream.apiKeyEnvironment {
                let key = environment[variable]?.trimmingWhitespace() ?? ""
                resolved.upstreams[name]?.apiKey = key.isEmpty ? nil : key
            }
        }
        return resolved
    }

    /// One problem per upstream whose `api_key_env` names a variable that is not set (or is
    /// empty) in `environment`: every turn routed to its models would be refused.
    ///
    /// `policy check` lists these with the file's own problems; `serve` logs them once at start.
    package func unsetKeyProblems(in environment: [String: String]) -> [PolicyProblem] {
        upstreams.values.sorted { $0.name < $1.name }.compactMap { upstream in
            guard let variable = upstream.apiKeyEnvironment,
                (environment[variable]?.trimmingWhitespace() ?? "").isEmpty
            else { return nil }
            let users = models.values.filter { $0.upstream == upstream.name }.map(\.name).sorted()
            let affected = users.isEmpty ? "" : " (models \(users.map { "\"\($0)\"" }.joined(separator: ", ")))"
            return PolicyProblem(
                path: "upstreams.\(upstream.name).api_key_env",
                message: "$\(variable) is not set here, so turns routed to this upstream\(affected) would be refused")
        }
    }
}

extension String {
    /// The text without leading and trailing spaces, tabs and line breaks.
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0.isWhitespace }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }

    /// `https://host/v1/` as `https://host/v1`: the gateway appends paths that start with `/`.
    func droppingTrailingSlashes() -> String {
        var result = Substring(self)
        while result.hasSuffix("/") { result = result.dropLast() }
        return String(result)
    }
}
