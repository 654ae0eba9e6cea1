/// What an answer did, in a form two answers can be compared by: the tools it called with their
/// arguments, why it stopped, and how much text it wrote.
///
/// Shadow turns compare a second model's answer with the primary's on these: the next action of a
/// coding agent is its tool call, so "same tool with the same arguments" is the agreement that
/// matters; stop reason and text length say the rest. Arguments are kept with the whitespace
/// outside their strings removed, so two serializations of one call compare equal (key order
/// still counts).
package struct AnswerDigest: Sendable, Hashable {
    /// One tool call: its name and its compacted arguments.
    package struct ToolCall: Sendable, Hashable {
        package var name: String
        package var arguments: String

        package init(name: String, arguments: String) {
            self.name = name
            self.arguments = AnswerDigest.compacted(arguments)
        }
    }

    /// The tool calls, in order.
    package var toolCalls: [ToolCall]
    /// The stop reason as the dialect names it (`end_turn`, `tool_use`, `stop`, `tool_calls`, `completed`).
    package var stopReason: String?
    /// Characters of text written (thinking not counted).
    package var textCharacters: Int

    package init(toolCalls: [ToolCall] = [], stopReason: String? = nil, textCharacters: Int = 0) {
        self.toolCalls = toolCalls
        self.stopReason = stopReason
        self.textCharacters = textCharacters
    }

    /// Whether both called the same tools in the same order.
    package func callsSameTools(as other: AnswerDigest) -> Bool {
        toolCalls.map(\.name) == other.toolCalls.map(\.name)
    }

    /// Whether both called the same tools with the same arguments.
    package func callsSameToolsWithSameArguments(as other: AnswerDigest) -> Bool {
        toolCalls == other.toolCalls
    }

    /// JSON text without the whitespace outside its strings.
    static func compacted(_ json: String) -> String {
        var result = ""
        result.reserveCapacity(json.utf8.count)
        var inString = false
        var escaped = false
        for character in json {
            if inString {
                result.append(character)
                if escaped {
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == "\"" {
                    inString = false
                }
            } else if character == "\"" {
                inString = true
                result.append(character)
            } else if !character.isWhitespace {
                result.append(character)
            }
        }
        return result
    }
}
