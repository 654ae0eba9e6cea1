package import SluiceWire

/// What a turn must look like for a rule to match: the `when:` block of a rule.
///
/// Every condition is optional; an absent one accepts any turn, and all present ones must hold.
/// A rule with no conditions matches every turn.
///
/// ```yaml
/// when: {client: anthropic, shape: tool_followup, last_tool_categories: [search, read, list],
///        last_tool_error: false, prompt_tokens: {max: 100000}}
/// ```
///
/// `any`, `all` and `not` combine whole mappings of conditions, nested as deep as needed, and
/// sit beside the plain conditions (which must all hold as well):
///
/// ```yaml
/// when:
///   shape: tool_followup
///   any: [{last_tool_categories: [search, read, list]}, {loop_depth: {min: 8}}]
///   not: {subagent: true}
/// ```
package struct RuleConditions: Sendable, Hashable {
    /// `client`: the client dialects accepted.
    package var client: Set<Dialect>?
    /// `shape`: the turn shapes accepted.
    package var shape: Set<TurnShape>?
    /// `last_message`: what the last message may carry.
    package var lastMessage: Set<MessageKind>?
    /// `last_tool_categories`: holds when the last message carries results of at least one
    /// categorized tool call and every category is in this set ("only searched and read").
    package var lastToolCategories: Set<ToolCategory>?
    /// `last_tool_error`: whether a tool result in the last message reports an error.
    package var lastToolError: Bool?
    /// `tools`: whether the request offers any tools.
    package var tools: Bool?
    /// `thinking`: whether thinking or a reasoning effort was asked for.
    package var thinking: Bool?
    /// `stream`: whether the client asked for a streamed answer.
    package var stream: Bool?
    /// `images`: whether the request carries images.
    package var images: Bool?
    /// `subagent`: whether the request comes from a subagent.
    package var subagent: Bool?
    /// `stop_sequences`: whether the request sets stop sequences.
    package var stopSequences: Bool?
    /// `edited`: whether any earlier reply in the conversation edited a file.
    package var edited: Bool?
    /// `requested_model`: patterns the client's `model` value must match one of.
    package var requestedModel: [GlobPattern]?
    /// `prompt_tokens`: the estimated prompt size accepted.
    package var promptTokens: CountRange?
    /// `max_tokens`: the output limit accepted; never holds for a request that sets none.
    package var maxTokens: CountRange?
    /// `loop_depth`: assistant tool-call turns since the last user text.
    package var loopDepth: CountRange?
    /// `messages`: the number of messages (or input items).
    package var messages: CountRange?
    /// `last_tool_result_bytes`: the size of the latest tool results.
    package var lastToolResultBytes: CountRange?
    /// `tool_call_repeats`: how many times in a row the latest tool call was made before (a loop).
    package var toolCallRepeats: CountRange?
    /// `new_prompt_tokens`: prompt tokens added since the session's previous turn; never holds
    /// for a session's first turn.
    package var newPromptTokens: CountRange?
    /// `replies`: assistant replies in the conversation so far.
    package var replies: CountRange?
    /// `read_only_streak`: read-only replies (every call a search, read or listing) in a row
    /// just before this turn.
    package var readOnlyStreak: CountRange?
    /// `read_only_percent`: the share of replies so far that were read-only, 0 to 100.
    package var readOnlyPercent: CountRange?
    /// `replies_since_edit`: replies since the latest one that edited a file (all of them when
    /// none did).
    package var repliesSinceEdit: CountRange?
    /// `previous_tool_calls`: tool calls the previous reply made.
    package var previousToolCalls: CountRange?
    /// `last_message_bytes`: the size of the last message, as sent.
    package var lastMessageBytes: CountRange?
    /// `prompt_growth_tokens`: estimated tokens of the previous reply and all that followed it.
    package var promptGrowthTokens: CountRange?
    /// `p_cheap`: the next-move model's probability that the frontier model would only search,
    /// read or list next, in thousandths; never holds under a policy without a model.
    package var pCheap: CountRange?
    /// `any`: holds when at least one of these mappings holds.
    package var anyOf: [RuleConditions]?
    /// `all`: holds when every one of these mappings holds. The plain conditions of one mapping
    /// already must all hold; `all` exists so that several `any` or `not` can be combined.
    package var allOf: [RuleConditions]?
    /// `not`: holds when this mapping does not (when at least one of its conditions fails).
    package var not: RuleConditions? {
        get { negation.first }
        set { negation = newValue.map { [$0] } ?? [] }
    }
    /// The storage of `not`: none or one element. An array, because a struct cannot hold an
    /// optional of its own type directly, and an array keeps its elements out of line.
    private var negation: [RuleConditions]

    package init(
        client: Set<Dialect>? = nil, shape: Set<TurnShape>? = nil, lastMessage: Set<MessageKind>? = nil,
        lastToolCategories: Set<ToolCategory>? = nil, lastToolError: Bool? = nil, tools: Bool? = nil,
        thinking: Bool? = nil, stream: Bool? = nil, images: Bool? = nil, subagent: Bool? = nil,
        stopSequences: Bool? = nil, requestedModel: [GlobPattern]? = nil, promptTokens: CountRange? = nil,
        maxTokens: CountRange? = nil, loopDepth: CountRange? = nil, messages: CountRange? = nil,
        lastToolResultBytes: CountRange? = nil, toolCallRepeats: CountRange? = nil,
        newPromptTokens: CountRange? = nil, edited: Bool? = nil, replies: CountRange? = nil,
        readOnlyStreak: CountRange? = nil, readOnlyPercent: CountRange? = nil, repliesSinceEdit: CountRange? = nil,
        previousToolCalls: CountRange? = nil, lastMessageBytes: CountRange? = nil,
        promptGrowthTokens: CountRange? = nil, pCheap: CountRange? = nil, anyOf: [RuleConditions]? = nil, allOf: [RuleConditions]? = nil,
        not: RuleConditions? = nil
    ) {
        self.client = client
        self.shape = shape
        self.lastMessage = lastMessage
        self.lastToolCategories = lastToolCategories
        self.lastToolError = lastToolError
        self.tools = tools
        self.thinking = thinking
        self.stream = stream
        self.images = images
        self.subagent = subagent
        self.stopSequences = stopSequences
        self.requestedModel = requestedModel
        self.promptTokens = promptTokens
        self.maxTokens = maxTokens
        self.loopDepth = loopDepth
        self.messages = messages
        self.lastToolResultBytes = lastToolResultBytes
        self.toolCallRepeats = toolCallRepeats
        self.newPromptTokens = newPromptTokens
        self.edited = edited
        self.replies = replies
        self.readOnlyStreak = readOnlyStreak
        self.readOnlyPercent = readOnlyPercent
        self.repliesSinceEdit = repliesSinceEdit
        self.previousToolCalls = previousToolCalls
        self.lastMessageBytes = lastMessageBytes
        self.promptGrowthTokens = promptGrowthTokens
        self.pCheap = pCheap
        self.anyOf = anyOf
        self.allOf = allOf
        self.negation = not.map { [$0] } ?? []
    }

    /// Whether no condition is set, so the rule matches every turn.
    package var isUnconditional: Bool { self == RuleConditions() }

    /// Whether every condition holds for the turn.
    ///
    /// Runs for every rule tried on every turn, so it walks the conditions in place: no array of
    /// them is built and no text is made.
    package func holds(for features: TurnFeatures) -> Bool {
        allConditions { $0.holds(for: features) }
    }

    /// Why the conditions do not hold for the turn, or `nil` when they do.
    ///
    /// Names the first condition that fails, in the order conditions are listed in
    /// ``RuleConditions`` (plain conditions first, then `any`, `all`, `not`):
    /// `shape is tool_followup, not side_call`.
    package func mismatch(for features: TurnFeatures) -> String? {
        var mismatch: String?
        _ = allConditions { condition in
            guard !condition.holds(for: features) else { return true }
            mismatch = condition.mismatch(for: features)
            return false
        }
        return mismatch
    }

    /// The conditions that held, rendered for a decision's reason:
    /// `shape tool_followup, last tools search/read, 12,345 prompt tokens ≤ 150,000`.
    package func summary(for features: TurnFeatures) -> String {
        let held = conditions.map { $0.summary(for: features) }
        return held.isEmpty ? "matches every turn" : held.joined(separator: ", ")
    }

    /// The conditions as the policy states them, whatever the turn:
    /// `shape side_call, last_tool_error true`. Used where a message must quote conditions that
    /// did not hold, such as the inside of a `not` that did.
    var written: String {
        let parts = conditions.map(\.written)
        return parts.isEmpty ? "{}" : parts.joined(separator: ", ")
    }

    /// The set conditions, in checking and rendering order.
    var conditions: [RuleCondition] {
        var result: [RuleCondition] = []
        _ = allConditions { condition in
            result.append(condition)
            return true
        }
        return result
    }

    /// Hands each set condition to `body`, in checking and rendering order, until `body` returns
    /// `false`: the plain conditions in the order ``RuleConditions`` lists them, then `any`, `all`
    /// and `not`, so the cheap tests run before the nested ones.
    ///
    /// - Returns: Whether `body` returned `true` for every condition.
    func allConditions(_ body: (RuleCondition) -> Bool) -> Bool {
        if let client, !body(.client(client)) { return false }
        if let shape, !body(.shape(shape)) { return false }
        if let lastMessage, !body(.lastMessage(lastMessage)) { return false }
        if let lastToolCategories, !body(.lastToolCategories(lastToolCategories)) { return false }
        for flag in Self.flags {
            if let wanted = self[flag: flag], !body(.flag(flag, wanted)) { return false }
        }
        if let requestedModel, !body(.requestedModel(requestedModel)) { return false }
        for count in Self.counts {
            if let range = self[count: count], !body(.count(count, range)) { return false }
        }
        if let anyOf, !body(.any(anyOf)) { return false }
        if let allOf, !body(.all(allOf)) { return false }
        if let negated = negation.first, !body(.not(negated)) { return false }
        return true
    }

    /// The flags and counts in declaration order, made once: `allCases` may build a new array on
    /// every call, and ``allConditions(_:)`` runs on the request path.
    private static let flags = RuleCondition.Flag.allCases
    private static let counts = RuleCondition.Count.allCases

    /// The boolean condition named by `flag`.
    subscript(flag flag: RuleCondition.Flag) -> Bool? {
        get {
            switch flag {
            case .lastToolError: lastToolError
            case .tools: tools
            case .thinking: thinking
            case .stream: stream
            case .images: images
            case .subagent: subagent
            case .stopSequences: stopSequences
            case .edited: edited
            }
        }
        set {
            switch flag {
            case .lastToolError: lastToolError = newValue
            case .tools: tools = newValue
            case .thinking: thinking = newValue
            case .stream: stream = newValue
            case .images: images = newValue
            case .subagent: subagent = newValue
            case .stopSequences: stopSequences = newValue
            case .edited: edited = newValue
            }
        }
    }

    /// The range condition named by `count`.
    subscript(count count: RuleCondition.Count) -> CountRange? {
        get {
            switch count {
            case .promptTokens: promptTokens
            case .maxTokens: maxTokens
            case .loopDepth: loopDepth
            case .messages: messages
            case .lastToolResultBytes: lastToolResultBytes
            case .toolCallRepeats: toolCallRepeats
            case .newPromptTokens: newPromptTokens
            case .replies: replies
            case .readOnlyStreak: readOnlyStreak
            case .readOnlyPercent: readOnlyPercent
            case .repliesSinceEdit: repliesSinceEdit
            case .previousToolCalls: previousToolCalls
            case .lastMessageBytes: lastMessageBytes
            case .promptGrowthTokens: promptGrowthTokens
            case .pCheap: pCheap
            }
        }
        set {
            switch count {
            case .promptTokens: promptTokens = newValue
            case .maxTokens: maxTokens = newValue
            case .loopDepth: loopDepth = newValue
            case .messages: messages = newValue
            case .lastToolResultBytes: lastToolResultBytes = newValue
            case .toolCallRepeats: toolCallRepeats = newValue
            case .newPromptTokens: newPromptTokens = newValue
            case .replies: replies = newValue
            case .readOnlyStreak: readOnlyStreak = newValue
            case .readOnlyPercent: readOnlyPercent = newValue
            case .repliesSinceEdit: repliesSinceEdit = newValue
            case .previousToolCalls: previousToolCalls = newValue
            case .lastMessageBytes: lastMessageBytes = newValue
            case .promptGrowthTokens: promptGrowthTokens = newValue
            case .pCheap: pCheap = newValue
            }
        }
    }
}
