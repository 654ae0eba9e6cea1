package import SluiceWire

/// One row of the ledger: everything Sluice knows about one request/response.
///
/// Sessions, reports, A/B comparisons and replays are all derived from these rows, so a record
/// is self-contained (it carries its own baseline figures and the model names as they were at
/// the time) and immutable once written. `Codable` lets the writer spool records to disk as JSON
/// lines when the store is down.
package struct TurnRecord: Sendable, Hashable, Codable {
    /// Unique id of the turn; appending the same id twice stores it once.
    package var id: String
    /// When the request arrived, in Unix milliseconds (UTC).
    package var startedAtMilliseconds: Int64
    /// The session key (DESIGN §4).
    package var session: String
    /// The work item the user tagged the session with (`x-sluice-tag`).
    package var tag: String?
    /// The subagent that made the request, when the agent says so.
    package var agentID: String?
    /// The subagent's parent, when the agent says so.
    package var parentAgentID: String?
    /// Whether the turn is a side call (title, summary, compaction, probe).
    package var isSideCall: Bool
    /// The dialect the client spoke.
    package var clientDialect: Dialect
    /// The `model` value the client sent.
    package var requestedModel: String
    /// The policy's name of the model that was chosen.
    package var model: String
    /// The provider's model id sent upstream.
    package var modelID: String
    /// The upstream the request went to.
    package var upstream: String
    /// The policy rule that chose the model.
    package var rule: String
    /// The experiment the session is in, when one applies.
    package var experiment: String?
    /// The experiment arm, when an experiment applies.
    package var arm: String?
    /// The human-readable reason for the decision.
    package var reason: String
    /// The turn shape (`side_call`, `user_turn`, `tool_followup`, `other`).
    package var shape: String
    /// Categories of the tool results the turn carried (`search`, `read`...).
    package var toolCategories: [String]
    /// Sluice's estimate of the prompt size, in tokens.
    package var promptTokensEstimate: Int
    /// Assistant tool calls since the last user text.
    package var loopDepth: Int
    /// Whether a tool result in the request reported an error.
    package var toolError: Bool
    /// Whether the response was streamed.
    package var stream: Bool
    /// Normalized usage (reported by the upstream, or estimated when `estimated`).
    package var usage: Usage
    /// Whether `usage` is Sluice's estimate because the upstream reported none.
    package var estimated: Bool
    /// What the turn cost.
    package var cost: USD
    /// The policy's baseline model at the time.
    package var baselineModel: String
    /// The list baseline: every prompt token at the baseline's uncached input price.
    package var baselineListCost: USD
    /// The all-frontier counterfactual: the turn on the baseline model with its simulated prompt
    /// cache (``SessionCaches``); savings are measured against it. The turn's own cost when the
    /// policy names no baseline.
    package var baselineCost: USD
    /// How ``baselineCost`` was obtained; `nil` in records written before Sluice simulated caches
    /// (their baseline re-priced the turn's own usage).
    package var baselineCoverage: Coverage?
    /// The requested counterfactual: the turn on the model the client asked for; `nil` in records
    /// written before Sluice priced it.
    package var requestedCost: USD?
    /// How ``requestedCost`` was obtained.
    package var requestedCoverage: Coverage?
    /// Tool calls in a row, ending with the request's latest, that repeated the one before them;
    /// `nil` in records written before Sluice kept it.
    package var toolCallRepeats: Int?
    /// The client's own identity (see ``TurnFacts/user``).
    package var user: String?
    /// The agent program.
    package var client: String?
    /// Milliseconds from the request's arrival to the first byte sent to the client.
    package var firstByteMilliseconds: Int?
    /// Milliseconds from the request's arrival to the end of the response.
    package var totalMilliseconds: Int
    /// How the turn ended.
    package var status: TurnStatus
    /// The HTTP status the client received.
    package var httpStatus: Int
    /// Why the models tried before ``model`` were passed over, when a fallback took the turn.
    package var fallback: String?
    /// Bytes of the request body; `nil` in records written before Sluice counted them.
    package var requestBytes: Int?
    /// Bytes of the answer relayed to the client; `nil` in records written before Sluice counted them.
    package var responseBytes: Int?
    /// The request facts beyond the columns above that `sluice replay` re-decides the turn with;
    /// `nil` in records written before Sluice kept them, and for requests it could not read.
    package var features: RecordedFeatures?
    /// What guards did to the turn (see ``TurnFacts/guardNote``); `nil` when none acted.
    package var guardNote: String?

    /// Builds a record from every field; optional fields default to absent.
    package init(
        id: String,
        startedAtMilliseconds: Int64,
        session: String,
        tag: String? = nil,
        agentID: String? = nil,
        parentAgentID: String? = nil,
        isSideCall: Bool,
        clientDialect: Dialect,
        requestedModel: String,
        model: String,
        modelID: String,
        upstream: String,
        rule: String,
        arm: String? = nil,
        reason: String,
        shape: String,
        toolCategories: [String],
        promptTokensEstimate: Int,
        loopDepth: Int,
        toolError: Bool,
        stream: Bool,
        usage: Usage,
        estimated: Bool,
        cost: USD,
        baselineModel: String,
        baselineListCost: USD,
        baselineCost: USD,
        firstByteMilliseconds: Int? = nil,
        totalMilliseconds: Int,
        status: TurnStatus,
        httpStatus: Int,
        fallback: String? = nil,
        requestBytes: Int? = nil,
        responseBytes: Int? = nil,
        baselineCoverage: Coverage? = nil,
        requestedCost: USD? = nil,
        requestedCoverage: Coverage? = nil,
        toolCallRepeats: Int? = nil,
        user: String? = nil,
        client: String? = nil,
        experiment: String? = nil,
        features: RecordedFeatures? = nil,
        guardNote: String? = nil
    ) {
        self.id = id
        self.startedAtMilliseconds = startedAtMilliseconds
        self.session = session
        self.tag = tag
        self.agentID = agentID
        self.parentAgentID = parentAgentID
        self.isSideCall = isSideCall
        self.clientDialect = clientDialect
        self.requestedModel = requestedModel
        self.model = model
        self.modelID = modelID
        self.upstream = upstream
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
        self.usage = usage
        self.estimated = estimated
        self.cost = cost
        self.baselineModel = baselineModel
        self.baselineListCost = baselineListCost
        self.baselineCost = baselineCost
        self.firstByteMilliseconds = firstByteMilliseconds
        self.totalMilliseconds = totalMilliseconds
        self.status = status
        self.httpStatus = httpStatus
        self.fallback = fallback
        self.requestBytes = requestBytes
        self.responseBytes = responseBytes
        self.baselineCoverage = baselineCoverage
        self.requestedCost = requestedCost
        self.requestedCoverage = requestedCoverage
        self.toolCallRepeats = toolCallRepeats
        self.user = user
        self.client = client
        self.features = features
        self.guardNote = guardNote
    }

    /// The all-frontier counterfactual with its coverage. A record written before Sluice
    /// simulated caches reads as exact where the baseline answered and simulated elsewhere.
    package var baseline: Counterfactual {
        Counterfactual(cost: baselineCost, coverage: baselineCoverage ?? (isRouted ? .simulated : .exact))
    }

    /// The requested counterfactual with its coverage: unknown, at the turn's own cost, in
    /// records written before Sluice priced it.
    package var requested: Counterfactual {
        guard let requestedCost, let requestedCoverage else {
            return .unknown("recorded before Sluice priced the requested model", actualCost: cost)
        }
        return Counterfactual(cost: requestedCost, coverage: requestedCoverage)
    }

    /// What the turn saved against the all-frontier counterfactual; negative when it cost more.
    package var savings: USD { baselineCost - cost }

    /// What the router's choice saved against the model the client asked for; negative when it
    /// cost more. The client's own choices (a small model it asked for) are not in it.
    package var routingSavings: USD { requested.cost - cost }

    /// Whether a model other than the baseline answered.
    package var isRouted: Bool { model != baselineModel }

    /// Orders records the way the ledger returns them: by start time, then id.
    ///
    /// Used wherever turns are sorted in Swift so that the order matches `ORDER BY
    /// started_at_ms, id` in the stores.
    package static func chronologically(_ lhs: TurnRecord, _ rhs: TurnRecord) -> Bool {
        (lhs.startedAtMilliseconds, lhs.id) < (rhs.startedAtMilliseconds, rhs.id)
    }
}
