import SluiceLedger
import SluiceWire

/// What ``PolicyReader`` read from a document before the checks across sections.
///
/// Parts that had a problem of their own are kept by name only (`upstreamNames`, `modelNames`,
/// `soundRules`), so that a model with a bad price does not also make every rule routing to it
/// report "unknown model".
struct PolicyDraft {
    /// How the document names its baselines.
    enum Baselines {
        /// One model for every dialect its upstream speaks: `baseline: opus`.
        case single(String)
        /// A model per client dialect: `baseline: {anthropic: opus, openai-chat: sol}`.
        case perDialect([Dialect: String])
    }

    var upstreams: [String: UpstreamSpec] = [:]
    /// Every upstream declared, well-formed or not.
    var upstreamNames: Set<String> = []
    var models: [String: ModelSpec] = [:]
    /// Every model declared, well-formed or not.
    var modelNames: Set<String> = []
    /// `nil` when the document has no (readable) `baseline`.
    var baselines: Baselines?
    /// For `perDialect` baselines, the path each dialect's entry was written at
    /// (`baseline.openai` sets two dialects).
    var baselinePaths: [Dialect: String] = [:]
    var rules: [RoutingRule] = []
    /// Indices of the rules read without a problem.
    var soundRules: Set<Int> = []
    var toolCategoryOverrides: [String: ToolCategory] = [:]
    var stickiness = Stickiness()
    var priceBook = PriceBook.empty
    var experiments: [ExperimentDraft] = []
    var shadows: [ShadowSpec] = []
    /// The model `next_move_model:` names, read.
    var nextMoveModel: NextMoveModel?
    /// The path each shadow was written at, for the checks across sections.
    var shadowPaths: [String] = []
    var budgets: Budgets?
    /// The path each cap was written at, for the checks across sections.
    var capPaths: [String] = []
    var loopBreaker: LoopBreaker?
    var anomalies: AnomalyWatch?

    /// The baseline model for each client dialect, as the policy will hold them.
    ///
    /// A single baseline name applies to every dialect its model's upstream speaks: a baseline in
    /// another dialect could neither answer a turn nor be priced like one until translation exists.
    var resolvedBaselines: [Dialect: String] {
        switch baselines {
        case nil:
            return [:]
        case .perDialect(let names):
            return names
        case .single(let name):
            guard let model = models[name], let upstream = upstreams[model.upstream] else { return [:] }
            return Dictionary(uniqueKeysWithValues: upstream.dialects.map { ($0, name) })
        }
    }
}
