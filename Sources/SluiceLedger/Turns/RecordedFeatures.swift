package import SluiceWire

/// The request facts a ledger row keeps beyond its own columns, so that `sluice replay` can
/// re-decide the turn under another policy without the request body.
///
/// The row already holds the shape, the tool categories, the prompt size, the loop depth, the
/// error flag, the repeats and the stream flag; this holds the rest of what a rule can test.
/// Plain values (the routing core's enums by their raw names), because the ledger does not depend
/// on the routing core: the routing core converts both ways.
package struct RecordedFeatures: Sendable, Hashable, Codable {
    package var messageCount: Int
    package var assistantMessages: Int
    package var toolsOffered: Int
    package var toolChoice: String?
    package var thinking: Bool
    package var maxTokens: Int?
    package var images: Int
    package var hasStopSequences: Bool
    /// The last message's kind, by its raw name (`tool_result`, `user_text`...).
    package var lastMessage: String
    package var lastToolNames: [String]
    package var lastToolResultBytes: Int
    package var newPromptTokens: Int?
    package var subagent: String?
    package var cacheRequest: CacheRequest

    package init(
        messageCount: Int = 0, assistantMessages: Int = 0, toolsOffered: Int = 0, toolChoice: String? = nil,
        thinking: Bool = false, maxTokens: Int? = nil, images: Int = 0, hasStopSequences: Bool = false,
        lastMessage: String = "none", lastToolNames: [String] = [], lastToolResultBytes: Int = 0,
        newPromptTokens: Int? = nil, subagent: String? = nil, cacheRequest: CacheRequest = .unstated
    ) {
        self.messageCount = messageCount
        self.assistantMessages = assistantMessages
        self.toolsOffered = toolsOffered
        self.toolChoice = toolChoice
        self.thinking = thinking
        self.maxTokens = maxTokens
        self.images = images
        self.hasStopSequences = hasStopSequences
        self.lastMessage = lastMessage
        self.lastToolNames = lastToolNames
        self.lastToolResultBytes = lastToolResultBytes
        self.newPromptTokens = newPromptTokens
        self.subagent = subagent
        self.cacheRequest = cacheRequest
    }

    private enum CodingKeys: String, CodingKey {
        case messageCount = "messages", assistantMessages = "assistant", toolsOffered = "tools"
        case toolChoice = "tool_choice", thinking, maxTokens = "max_tokens", images
        case hasStopSequences = "stop_sequences", lastMessage = "last", lastToolNames = "tool_names"
        case lastToolResultBytes = "result_bytes", newPromptTokens = "new_prompt", subagent, cacheRequest = "cache"
    }
}
