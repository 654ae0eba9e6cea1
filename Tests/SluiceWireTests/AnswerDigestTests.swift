import Testing

@testable import SluiceWire

/// Answers digested for shadow comparisons: whole and streamed, in each dialect, agree.
@Suite struct AnswerDigestTests {
    static func whole(_ json: String, _ dialect: Dialect) -> AnswerDigest? {
        Array(json.utf8).withUnsafeBytes { AnswerDigest(response: $0, dialect: dialect) }
    }

    /// Streams in two uneven chunks, so events are split across chunk boundaries.
    static func streamed(_ events: String, _ dialect: Dialect) -> AnswerDigest {
        var tap = AnswerDigestTap(dialect: dialect)
        let bytes = Array(events.utf8)
        let cut = bytes.count / 3
        bytes[..<cut].withUnsafeBytes { tap.consume($0) }
        bytes[cut...].withUnsafeBytes { tap.consume($0) }
        return tap.finish()
    }

    static let grep = AnswerDigest.ToolCall(name: "Grep", arguments: #"{"pattern":"price","path":"src"}"#)

    @Test func anthropic() throws {
        let whole = try #require(
            Self.whole(
                #"{"content":[{"type":"text","text":"Let me look."},{"type":"tool_use","id":"t","name":"Grep","input":{"pattern": "price", "path": "src"}}],"stop_reason":"tool_use"}"#,
                .anthropic))
        #expect(whole == AnswerDigest(toolCalls: [Self.grep], stopReason: "tool_use", textCharacters: 12))
        let stream = """
            event: message_start
            data: {"type":"message_start","message":{"usage":{"input_tokens":5}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Let me "}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"look."}}

            event: content_block_start
            data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"t","name":"Grep","input":{}}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\\"pattern\\": \\"pri"}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"ce\\", \\"path\\":\\"src\\"}"}}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":9}}

            event: message_stop
            data: {"type":"message_stop"}


            """
        #expect(Self.streamed(stream, .anthropic) == whole)
    }

    @Test func openAIChat() throws {
        let whole = try #require(
            Self.whole(
                #"{"choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant","content":null,"tool_calls":[{"id":"c","type":"function","function":{"name":"Grep","arguments":"{\"pattern\":\"price\",\"path\":\"src\"}"}}]}}]}"#,
                .openAIChat))
        #expect(whole == AnswerDigest(toolCalls: [Self.grep], stopReason: "tool_calls"))
        let stream = """
            data: {"choices":[{"index":0,"delta":{"role":"assistant","tool_calls":[{"index":0,"id":"c","function":{"name":"Grep","arguments":""}}]}}]}

            data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\\"pattern\\":\\"price\\","}}]}}]}

            data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\\"path\\":\\"src\\"}"}}]}}]}

            data: {"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}

            data: [DONE]


            """
        #expect(Self.streamed(stream, .openAIChat) == whole)
    }

    @Test func openAIResponses() throws {
        let whole = try #require(
            Self.whole(
                #"{"status":"completed","output":[{"type":"message","content":[{"type":"output_text","text":"Done."}]},{"type":"function_call","name":"Grep","arguments":"{\"pattern\":\"price\",\"path\":\"src\"}"}]}"#,
                .openAIResponses))
        #expect(whole == AnswerDigest(toolCalls: [Self.grep], stopReason: "completed", textCharacters: 5))
        let stream = """
            event: response.output_text.delta
            data: {"type":"response.output_text.delta","delta":"Done."}

            event: response.output_item.done
            data: {"type":"response.output_item.done","item":{"type":"function_call","name":"Grep","arguments":"{\\"pattern\\":\\"price\\",\\"path\\":\\"src\\"}"}}

            event: response.completed
            data: {"type":"response.completed","response":{"status":"completed","usage":{"input_tokens":3,"output_tokens":2}}}


            """
        #expect(Self.streamed(stream, .openAIResponses) == whole)
    }

    @Test func comparesToolsArgumentsAndWhitespace() {
        let spaced = AnswerDigest(toolCalls: [.init(name: "Grep", arguments: "{ \"pattern\" : \"price\", \"path\": \"src\" }")])
        let other = AnswerDigest(toolCalls: [.init(name: "Grep", arguments: #"{"pattern":"cost","path":"src"}"#)])
        let read = AnswerDigest(toolCalls: [.init(name: "Read", arguments: "{}")])
        let compact = AnswerDigest(toolCalls: [Self.grep])
        #expect(spaced.callsSameToolsWithSameArguments(as: compact))
        #expect(other.callsSameTools(as: compact) && !other.callsSameToolsWithSameArguments(as: compact))
        #expect(!read.callsSameTools(as: compact))
        // Whitespace inside strings counts.
        #expect(AnswerDigest.compacted(#"{"a": "x y"}"#) == #"{"a":"x y"}"#)
    }
}
