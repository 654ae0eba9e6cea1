import Testing

@testable import SluiceWire

@Suite struct ServerSentEventParserTests {
    static func events(_ chunks: [String]) -> [(String, String)] {
        var parser = ServerSentEventParser()
        var seen: [(String, String)] = []
        for chunk in chunks {
            Array(chunk.utf8).withUnsafeBytes { raw in
                parser.feed(raw) { name, data in
                    seen.append((String(decoding: name, as: UTF8.self), String(decoding: data, as: UTF8.self)))
                }
            }
        }
        parser.finish { name, data in
            seen.append((String(decoding: name, as: UTF8.self), String(decoding: data, as: UTF8.self)))
        }
        return seen
    }

    @Test func splitsNamedEventsAndJoinsMultiLineData() {
        let seen = Self.events(["event: a\ndata: 1\n\n: comment\ndata: x\ndata: y\n\nevent: b\ndata:z\n\n"])
        #expect(seen.map(\.0) == ["a", "", "b"])
        #expect(seen.map(\.1) == ["1", "x\ny", "z"])
    }

    @Test(arguments: [1, 2, 3, 5, 7, 64])
    func handlesEventsCutAnywhereBetweenChunks(_ size: Int) {
        let stream = "event: message_start\r\ndata: {\"a\":1}\r\n\r\nevent: ping\rdata: {}\r\rdata: [DONE]\n\n"
        let bytes = Array(stream.utf8)
        let chunks = stride(from: 0, to: bytes.count, by: size).map {
            String(decoding: bytes[$0..<min($0 + size, bytes.count)], as: UTF8.self)
        }
        let seen = Self.events(chunks)
        #expect(seen.map(\.0) == ["message_start", "ping", ""])
        #expect(seen.map(\.1) == ["{\"a\":1}", "{}", "[DONE]"])
    }

    @Test func deliversALastEventThatLacksItsBlankLine() {
        #expect(Self.events(["data: tail"]).map(\.1) == ["tail"])
    }
}

@Suite struct StreamUsageTapTests {
    static func tap(_ dialect: Dialect, _ stream: String, chunk: Int = 17) -> StreamUsageTap {
        var tap = StreamUsageTap(dialect: dialect)
        let bytes = Array(stream.utf8)
        for start in stride(from: 0, to: bytes.count, by: chunk) {
            bytes[start..<min(start + chunk, bytes.count)].withUnsafeBytes { tap.consume($0) }
        }
        tap.finish()
        return tap
    }

    @Test func mergesAnthropicStartAndCumulativeDelta() {
        let stream = """
            event: message_start
            data: {"type":"message_start","message":{"usage":{"input_tokens":312,"cache_creation_input_tokens":1840,"cache_read_input_tokens":40211,"output_tokens":1}}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"usage"}}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":187,"output_tokens_details":{"thinking_tokens":96}}}

            event: message_stop
            data: {"type":"message_stop"}


            """
        let tap = Self.tap(.anthropic, stream)
        #expect(tap.completed)
        #expect(tap.usage == Usage(uncachedInput: 312, cacheRead: 40211, cacheWrite5m: 1840, output: 187, reasoning: 96))
    }

    @Test func keepsTheTTLSplitWhenTheDeltaRepeatsOnlyTheTotal() {
        let stream = """
            event: message_start
            data: {"type":"message_start","message":{"usage":{"input_tokens":110,"cache_creation_input_tokens":400,"cache_read_input_tokens":8100,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":400},"output_tokens":1}}}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"input_tokens":110,"cache_creation_input_tokens":400,"cache_read_input_tokens":8100,"output_tokens":130}}

            event: message_stop
            data: {"type":"message_stop"}


            """
        let tap = Self.tap(.anthropic, stream)
        #expect(tap.usage == Usage(uncachedInput: 110, cacheRead: 8100, cacheWrite1h: 400, output: 130))
    }

    @Test func readsTheChatUsageChunkAndTheEnd() {
        let stream = """
            data: {"choices":[{"index":0,"delta":{"content":"hi"}}],"usage":null}

            data: {"choices":[],"usage":{"prompt_tokens":5210,"completion_tokens":184,"prompt_tokens_details":{"cached_tokens":4864},"completion_tokens_details":{"reasoning_tokens":128}}}

            data: [DONE]


            """
        let tap = Self.tap(.openAIChat, stream)
        #expect(tap.completed)
        #expect(tap.usage == Usage(uncachedInput: 346, cacheRead: 4864, output: 184, reasoning: 128))
    }

    @Test func readsResponsesCompletedAndNoticesAMissingEnd() {
        let complete = """
            event: response.created
            data: {"type":"response.created","response":{"id":"r"}}

            event: response.completed
            data: {"type":"response.completed","response":{"usage":{"input_tokens":18342,"input_tokens_details":{"cached_tokens":17920},"output_tokens":611,"output_tokens_details":{"reasoning_tokens":448}}}}


            """
        let tap = Self.tap(.openAIResponses, complete)
        #expect(tap.completed)
        #expect(tap.usage == Usage(uncachedInput: 422, cacheRead: 17920, output: 611, reasoning: 448))
        let cut = Self.tap(.openAIResponses, "event: response.created\ndata: {\"type\":\"response.created\"}\n\n")
        #expect(!cut.completed)
        #expect(cut.usage == nil)
    }

    @Test func notesAnUpstreamErrorEvent() {
        let tap = Self.tap(
            .anthropic, "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"x\"}}\n\n")
        #expect(tap.upstreamError == "overloaded_error")
        #expect(tap.ended)
        #expect(!tap.completed)
        let chat = Self.tap(.openAIChat, "data: {\"error\":{\"message\":\"x\",\"type\":\"server_error\"}}\n\n")
        #expect(chat.upstreamError == "server_error")
        #expect(chat.ended)
    }

    @Test func clampsNegativeAndAbsurdCounts() throws {
        var body = Array(#"{"usage":{"input_tokens":-5,"output_tokens":99999999999999999,"cache_read_input_tokens":3}}"#.utf8)
        try body.withUnsafeMutableBytes { raw in
            let document = try JSONDocument(bytes: UnsafeRawBufferPointer(raw))
            let usage = UsageReader.response(document.root, dialect: .anthropic)
            #expect(usage == Usage(uncachedInput: 0, cacheRead: 3, output: UsageReader.maximumTokens))
        }
        var chat = Array(#"{"usage":{"prompt_tokens":10,"completion_tokens":2,"prompt_tokens_details":{"cached_tokens":50}}}"#.utf8)
        try chat.withUnsafeMutableBytes { raw in
            let document = try JSONDocument(bytes: UnsafeRawBufferPointer(raw))
            #expect(UsageReader.response(document.root, dialect: .openAIChat) == Usage(cacheRead: 50, output: 2))
        }
    }
}

@Suite struct ClientErrorTests {
    @Test func rendersEachDialectsShape() {
        let error = ClientError(.requestTooLarge, "too \"big\"")
        #expect(error.status == 413)
        #expect(
            error.body(for: .anthropic)
                == #"{"type":"error","error":{"type":"request_too_large","message":"too \"big\""}}"#)
        #expect(
            error.body(for: .openAIChat)
                == #"{"error":{"message":"too \"big\"","type":"invalid_request_error","param":null,"code":"request_too_large"}}"#)
        #expect(ClientError(.streamInterrupted, "x").streamEvent(for: .anthropic).hasPrefix("event: error\ndata: {"))
        #expect(ClientError(.streamInterrupted, "x").streamEvent(for: .openAIResponses).hasPrefix("event: response.failed\n"))
    }
}
