/// Builds an ``AnswerDigest`` from a streamed answer, chunk by chunk, on the side of the relay.
///
/// Used only for turns a shadow model also answers (a sampled few): it parses every event's JSON,
/// which the relay's usage tap avoids.
package struct AnswerDigestTap: Sendable {
    package let dialect: Dialect
    private var parser = ServerSentEventParser()
    private var digest = AnswerDigest()
    /// Tool calls being streamed, by the index the stream gives them.
    private var calls: [Int: (name: String, arguments: String)] = [:]

    package init(dialect: Dialect) {
        self.dialect = dialect
    }

    /// Reads one chunk of the stream.
    package mutating func consume(_ chunk: UnsafeRawBufferPointer) {
        var parser = ServerSentEventParser()
        swap(&parser, &self.parser)
        parser.feed(chunk) { name, data in handle(name: name, data: data) }
        swap(&parser, &self.parser)
    }

    /// The digest, once the stream has ended.
    package mutating func finish() -> AnswerDigest {
        var parser = ServerSentEventParser()
        swap(&parser, &self.parser)
        parser.finish { name, data in handle(name: name, data: data) }
        swap(&parser, &self.parser)
        var result = digest
        result.toolCalls += calls.sorted { $0.key < $1.key }.map { AnswerDigest.ToolCall(name: $0.value.name, arguments: $0.value.arguments) }
        return result
    }

    private mutating func handle(name: UnsafeRawBufferPointer, data: UnsafeRawBufferPointer) {
        guard let document = try? JSONDocument(bytes: data), document.root.kind == .object else { return }
        let root = document.root
        switch dialect {
        case .anthropic:
            switch root["type"]?.string {
            case "content_block_start":
                if let block = root["content_block"], block["type"]?.string == "tool_use" {
                    calls[root["index"]?.int ?? calls.count] = (block["name"]?.string ?? "", "")
                }
            case "content_block_delta":
                let delta = root["delta"]
                switch delta?["type"]?.string {
                case "text_delta": digest.textCharacters += delta?["text"]?.string?.count ?? 0
                case "input_json_delta":
                    calls[root["index"]?.int ?? 0, default: ("", "")].arguments += delta?["partial_json"]?.string ?? ""
                default: break
                }
            case "message_delta":
                if let reason = root[path: "delta", "stop_reason"]?.string { digest.stopReason = reason }
            default: break
            }
        case .openAIChat:
            for choice in root["choices"].elementsIfAny {
                if let reason = choice["finish_reason"]?.string { digest.stopReason = reason }
                let delta = choice["delta"]
                digest.textCharacters += delta?["content"]?.string?.count ?? 0
                for call in delta?["tool_calls"].elementsIfAny ?? .empty {
                    let index = call["index"]?.int ?? 0
                    var current = calls[index] ?? ("", "")
                    if let name = call[path: "function", "name"]?.string { current.name += name }
                    current.arguments += call[path: "function", "arguments"]?.string ?? ""
                    calls[index] = current
                }
            }
        case .openAIResponses:
            switch root["type"]?.string {
            case "response.output_text.delta": digest.textCharacters += root["delta"]?.string?.count ?? 0
            case "response.output_item.done":
                let item = root["item"]
                switch item?["type"]?.string {
                case "function_call":
                    digest.toolCalls.append(
                        .init(name: item?["name"]?.string ?? "", arguments: item?["arguments"]?.string ?? ""))
                case "custom_tool_call":
                    digest.toolCalls.append(.init(name: item?["name"]?.string ?? "", arguments: item?["input"]?.string ?? ""))
                default: break
                }
            case "response.completed", "response.incomplete", "response.failed":
                digest.stopReason = root[path: "response", "status"]?.string
            default: break
            }
        }
    }
}
