package import SluiceWire

/// What is known about a turn before it is forwarded: who sent it, what it looked like, how it
/// was decided, and what it would have cost on the baseline model.
///
/// The routing core builds these from its plan; a request refused before it could be planned
/// (unreadable, too large) gets the few facts its headers give. With a ``TurnOutcome`` they make
/// the turn's ledger record (``TurnRecord/init(facts:outcome:)``).
package struct TurnFacts: Sendable, Hashable {
    /// Unique id of the turn.
    package var id: String
    /// When the request arrived, in Unix milliseconds (UTC).
    package var startedAtMilliseconds: Int64
    /// The session key.
    package var session: String
    /// The work item the session is tagged with (`x-sluice-tag`).
    package var tag: String?
    /// The client's own identity: `x-sluice-user`, the user the body names, or the keyed hash of
    /// its credential; never the credential itself.
    package var user: String?
    /// The agent program (`claude-code`, `codex`, `openai-python`...).
    package var client: String?
    /// The subagent that made the request, when the agent says so.
    package var agentID: String?
    /// That subagent's parent.
    package var parentAgentID: String?
    /// Whether the turn is a side call (title, summary, compaction, probe).
    package var isSideCall: Bool
    /// The dialect the client spoke.
    package var clientDialect: Dialect
    /// The `model` value the client sent; empty when the body could not be read.
    package var requestedModel: String
    /// The rule that decided; empty when the turn was refused before a decision.
    package var rule: String
    /// The experiment the session is in, when one applies.
    package var experiment: String?
    /// The experiment arm, when an experiment applies.
    package var arm: String?
    /// The decision's reason, for people.
    package var reason: String
    /// The turn shape's name; empty when the body could not be read.
    package var shape: String
    /// Categories of the tool results the request carried.
    package var toolCategories: [String]
    /// Sluice's estimate of the prompt size, in tokens.
    package var promptTokensEstimate: Int
    /// Assistant tool-call turns since the last user text.
    package var loopDepth: Int
    /// Whether a tool result in the request reported an error.
    package var toolError: Bool
    /// Whether the client asked for a streamed answer.
    package var stream: Bool
    /// The model every turn of this dialect is priced against; `nil` when the policy names none
    /// (then no saving is claimed).
    package var baseline: PricedModel?
    /// The model the client asked for, as the policy or the price book prices it, or why neither
    /// does: the requested counterfactual.
    package var requested: CounterfactualModel
    /// What the request asked of the prompt cache, for the counterfactuals' simulated caches.
    package var cacheRequest: CacheRequest
    /// Tool calls in a row, ending with the request's latest, that repeat the one before them.
    package var toolCallRepeats: Int
    /// The rest of what a rule can test, kept for `sluice replay`; `nil` for a request refused
    /// before it could be read.
    package var features: RecordedFeatures?
    /// What guards did to the turn (`budget-soft:per-session`, `loop-stop:tight`), comma-separated;
    /// `nil` when none acted.
    package var guardNote: String?

    package init(
        id: String, startedAtMilliseconds: Int64, session: String, tag: String? = nil, user: String? = nil,
        client: String? = nil, agentID: String? = nil,
        parentAgentID: String? = nil, isSideCall: Bool = false, clientDialect: Dialect, requestedModel: String = "",
        rule: String = "", experiment: String? = nil, arm: String? = nil, reason: String = "", shape: String = "", toolCategories: [String] = [],
        promptTokensEstimate: Int = 0, loopDepth: Int = 0, toolError: Bool = false, stream: Bool = false,
        baseline: PricedModel? = nil, requested: CounterfactualModel = .unpriced("the request named no model"),
        cacheRequest: CacheRequest = .unstated, toolCallRepeats: Int = 0,
        features: RecordedFeatures? = nil, guardNote: String? = nil
    ) {
        self.id = id
        self.startedAtMilliseconds = startedAtMilliseconds
        self.session = session
        self.tag = tag
        self.user = user
        self.client = client
        self.agentID = agentID
        self.parentAgentID = parentAgentID
        self.isSideCall = isSideCall
        self.clientDialect = clientDialect
        self.requestedModel = requestedModel
        self.rule = rule
        self.experiment = experiment
        self.arm = arm
        self.reason = reason
        self.shape = shape
        self.toolCategories = toolCategories
        self.promptTokensEstimate = promptTokensEstimate
        self.loopDepth = loopDepth
        self.toolError = toolError
        self.stream = stream
        self.baseline = baseline
        self.requested = requested
        self.cacheRequest = cacheRequest
        self.toolCallRepeats = toolCallRepeats
        self.features = features
        self.guardNote = guardNote
    }
}
