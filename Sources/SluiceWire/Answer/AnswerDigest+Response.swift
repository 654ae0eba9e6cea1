extension AnswerDigest {
    /// The digest of a whole (non-streamed) answer body in `dialect`'s shape; `nil` if the body is
    /// not a JSON object.
    package init?(response body: UnsafeRawBufferPointer, dialect: Dialect) {
        guard let document = try? JSONDocument(bytes: body), document.root.kind == .object else { return nil }
        let root = document.root
        self.init()
        switch dialect {
        case .anthropic:
            stopReason = root["stop_reason"]?.string
            for block in root["content"].elementsIfAny {
                switch block["type"]?.string {
                case "text": textCharacters += block["text"]?.string?.count ?? 0
                case "tool_use":
                    let input = block["input"].map { String(decoding: UnsafeRawBufferPointer(rebasing: body[$0.byteRange]), as: UTF8.self) }
                    toolCalls.append(ToolCall(name: block["name"]?.string ?? "", arguments: input ?? "{}"))
                default: break
                }
            }
        case .openAIChat:
            var choice: JSONValue?
            for first in root["choices"].elementsIfAny {
                choice = first
                break
            }
            stopReason = choice?["finish_reason"]?.string
            let message = choice?["message"]
            textCharacters = message?["content"]?.string?.count ?? 0
            for call in message?["tool_calls"].elementsIfAny ?? .empty {
                let function = call["function"]
                toolCalls.append(
                    ToolCall(name: function?["name"]?.string ?? "", arguments: function?["arguments"]?.string ?? ""))
            }
        case .openAIResponses:
            stopReason = root["status"]?.string
            for item in root["output"].elementsIfAny {
                switch item["type"]?.string {
                case "message":
                    for part in item["content"].elementsIfAny where part["type"]?.string == "output_text" {
                        textCharacters += part["text"]?.string?.count ?? 0
                    }
                case "function_call":
                    toolCalls.append(
                        ToolCall(name: item["name"]?.string ?? "", arguments: item["arguments"]?.string ?? ""))
                case "custom_tool_call":
                    toolCalls.append(ToolCall(name: item["name"]?.string ?? "", arguments: item["input"]?.string ?? ""))
                default: break
                }
            }
        }
    }
}
