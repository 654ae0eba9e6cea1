package import SluiceLedger
package import SluiceWire

/// What Sluice read from one request: the facts routing rules match on.
///
/// Built by one pass over the request bytes (`TurnFeatures.init(scanning:dialect:headers:)`),
/// never by decoding the whole body.
package struct TurnFeatures: Sendable, Hashable {
    /// The client's dialect, from the request path.
    package var dialect: Dialect
    /// The top-level `model` value the client sent.
    package var requestedModel: String
    /// Whether the client asked for a streamed answer.
    package var stream: Bool
    /// Estimated prompt tokens of the whole request (system, tools, messages).
    package var promptTokens: Int
    /// Number of messages (or input items).
    package var messageCount: Int
    /// Assistant messages (or output items) in the history: none means the conversation is at
    /// its start, which is how a new run of the same task shows itself.
    package var assistantMessages: Int
    /// Number of tools offered.
    package var toolsOffered: Int
    /// `tool_choice` as sent, flattened to a word (`auto`, `any`, `none`, `required`, a tool name).
    package var toolChoice: String?
    /// Whether thinking or a reasoning effort was asked for.
    package var thinking: Bool
    /// The output limit the client set (`max_tokens`, `max_completion_tokens`, `max_output_tokens`).
    package var maxTokens: Int?
    /// Number of images in the request.
    package var images: Int
    /// Whether the request sets stop sequences.
    package var hasStopSequences: Bool
    /// What the last message carries.
    package var lastMessage: MessageKind
    /// Categories of the tool calls whose results the last message carries, sorted, unique.
    package var lastToolCategories: [ToolCategory]
    /// Names of those tool calls, in order.
    package var lastToolNames: [String]
    /// Whether any of those results reports an error (`is_error`, or failure text).
    package var lastToolError: Bool
    /// Bytes of text in those results.
    package var lastToolResultBytes: Int
    /// Assistant tool-call turns since the last user text.
    package var loopDepth: Int
    /// How many times in a row, before the latest one, the model made the identical tool call(s):
    /// 0 when the latest call is new; a loop signal when it grows.
    package var toolCallRepeats: Int
    /// The tool calls of the latest replies of the current tool loop, for the loop breaker.
    package var callWindow = CallWindow()
    /// Estimated prompt tokens added since the session's previous turn; `nil` for a session's
    /// first turn Sluice has seen (filled in by the turn plan from the session's state).
    package var newPromptTokens: Int?
    /// The subagent identity from headers, if any.
    package var subagent: String?
    /// The turn's shape, derived from the facts above.
    package var shape: TurnShape
    /// What the request asked of the prompt cache (Anthropic `cache_control`, OpenAI retention).
    package var cacheRequest: CacheRequest = .unstated
    /// The user the body names: Claude Code's account or device in `metadata.user_id` (`cc:`), or
    /// an OpenAI request's `safety_identifier` or `user` (`openai:`).
    package var clientUser: String?
    /// What the conversation's earlier replies did: read-only runs, edits, the latest reply's
    /// calls, the last message's size and the prompt's growth.
    package var history = ReplyHistory()
    /// The next-move model's probability that the frontier model's next reply would only search,
    /// read or list; `nil` when the policy names no model (filled in by the turn plan).
    package var nextMove: NextMovePrediction?

    package init(
        dialect: Dialect, requestedModel: String = "", stream: Bool = false, promptTokens: Int = 0,
        messageCount: Int = 0, toolsOffered: Int = 0, toolChoice: String? = nil, thinking: Bool = false,
        maxTokens: Int? = nil, images: Int = 0, hasStopSequences: Bool = false, lastMessage: MessageKind = .none,
        lastToolCategories: [ToolCategory] = [], lastToolNames: [String] = [], lastToolError: Bool = false,
        lastToolResultBytes: Int = 0, loopDepth: Int = 0, subagent: String? = nil, shape: TurnShape = .other,
        toolCallRepeats: Int = 0, newPromptTokens: Int? = nil, assistantMessages: Int = 0
    ) {
        self.dialect = dialect
        self.requestedModel = requestedModel
        self.stream = stream
        self.promptTokens = promptTokens
        self.messageCount = messageCount
        self.assistantMessages = assistantMessages
        self.toolsOffered = toolsOffered
        self.toolChoice = toolChoice
        self.thinking = thinking
        self.maxTokens = maxTokens
        self.images = images
        self.hasStopSequences = hasStopSequences
        self.lastMessage = lastMessage
        self.lastToolCategories = lastToolCategories
        self.lastToolNames = lastToolNames
        self.lastToolError = lastToolError
        self.lastToolResultBytes = lastToolResultBytes
        self.loopDepth = loopDepth
        self.toolCallRepeats = toolCallRepeats
        self.newPromptTokens = newPromptTokens
        self.subagent = subagent
        self.shape = shape
    }
}
