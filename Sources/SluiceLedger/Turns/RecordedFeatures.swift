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
    /// What the conversation's earlier replies did; `nil` in rows written before Sluice kept it.
    package var history: ReplyHistory?

    package init(
        messageCount: Int = 0, assistantMessages: Int = 0, toolsOffered: Int = 0, toolChoice: String? = nil,
        thinking: Bool = false, maxTokens: Int? = nil, images: Int = 0, hasStopSequences: Bool = false,
        lastMessage: String = "none", lastToolNames: [String] = [], lastToolResultBytes: Int = 0,
        newPromptTokens: Int? = nil, subagent: String? = nil, cacheRequest: CacheRequest = .unstated,
        history: ReplyHistory? = ReplyHistory()
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
        self.history = history
    }

    private enum CodingKeys: String, CodingKey {
        case messageCount = "messages", assistantMessages = "assistant", toolsOffered = "tools"
        case toolChoice = "tool_choice", thinking, maxTokens = "max_tokens", images
        case hasStopSequences = "stop_sequences", lastMessage = "last", lastToolNames = "tool_names"
        case lastToolResultBytes = "result_bytes", newPromptTokens = "new_prompt", subagent, cacheRequest = "cache", history
    }
}

extension RecordedFeatures {
    /// The features as one compact JSON object, the ledger's `features` column.
    ///
    /// Written by hand, as the reports' JSON is: every turn writes one, off the request path but
    /// on the writer's, and Foundation's coder would cost more than the row's other columns.
    package var json: String {
        func number(_ value: Int?) -> String { value.map(String.init) ?? "null" }
        let cache: String
        switch cacheRequest {
        case .unstated: cache = JSONText.string("unstated")
        case .off: cache = JSONText.string("off")
        case .lifetime(let milliseconds): cache = String(milliseconds)
        }
        return JSONText.object([
            ("messages", "\(messageCount)"), ("assistant", "\(assistantMessages)"), ("tools", "\(toolsOffered)"),
            ("tool_choice", toolChoice.map(JSONText.string) ?? "null"), ("thinking", "\(thinking)"),
            ("max_tokens", number(maxTokens)), ("images", "\(images)"), ("stop_sequences", "\(hasStopSequences)"),
            ("last", JSONText.string(lastMessage)), ("tool_names", JSONText.array(lastToolNames.map(JSONText.string))),
            ("result_bytes", "\(lastToolResultBytes)"), ("new_prompt", number(newPromptTokens)),
            ("subagent", subagent.map(JSONText.string) ?? "null"), ("cache", cache),
            ("history", history.map { history in
                JSONText.object([
                    ("replies", "\(history.replies)"), ("read_only", "\(history.readOnlyReplies)"),
                    ("streak", "\(history.readOnlyStreak)"), ("since_edit", "\(history.repliesSinceEdit)"),
                    ("edited", "\(history.edited)"), ("previous_calls", "\(history.previousCalls)"),
                    ("last_bytes", "\(history.lastMessageBytes)"), ("growth", "\(history.growthTokens)"),
                ])
            } ?? "null"),
        ])
    }

    /// Reads ``json``; `nil` for text that is not such an object.
    package init?(json: String) {
        var text = json
        let parsed: RecordedFeatures? = text.withUTF8 { bytes in
            guard let document = try? JSONDocument(bytes: UnsafeRawBufferPointer(bytes)), document.root.kind == .object
            else { return nil }
            let root = document.root
            func count(_ key: String) -> Int? { root[key]?.int }
            func flag(_ key: String) -> Bool { root[key]?.bool ?? false }
            let cache: CacheRequest
            if let milliseconds = root["cache"]?.int {
                cache = .lifetime(milliseconds: Int64(milliseconds))
            } else {
                cache = root["cache"]?.string == "off" ? .off : .unstated
            }
            let history = root["history"].flatMap { kept -> ReplyHistory? in
                guard kept.kind == .object else { return nil }
                var history = ReplyHistory()
                history.replies = kept["replies"]?.int ?? 0
                history.readOnlyReplies = kept["read_only"]?.int ?? 0
                history.readOnlyStreak = kept["streak"]?.int ?? 0
                history.repliesSinceEdit = kept["since_edit"]?.int ?? 0
                history.edited = kept["edited"]?.bool ?? false
                history.previousCalls = kept["previous_calls"]?.int ?? 0
                history.lastMessageBytes = kept["last_bytes"]?.int ?? 0
                history.growthTokens = kept["growth"]?.int ?? 0
                return history
            }
            return RecordedFeatures(
                messageCount: count("messages") ?? 0, assistantMessages: count("assistant") ?? 0,
                toolsOffered: count("tools") ?? 0, toolChoice: root["tool_choice"]?.string, thinking: flag("thinking"),
                maxTokens: count("max_tokens"), images: count("images") ?? 0, hasStopSequences: flag("stop_sequences"),
                lastMessage: root["last"]?.string ?? "none",
                lastToolNames: root["tool_names"].elementsIfAny.compactMap(\.string),
                lastToolResultBytes: count("result_bytes") ?? 0, newPromptTokens: count("new_prompt"),
                subagent: root["subagent"]?.string, cacheRequest: cache, history: history)
        }
        guard let parsed else { return nil }
        self = parsed
    }
}
