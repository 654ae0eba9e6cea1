import Foundation
import Testing

@testable import SluiceWire

/// Answers Sluice writes itself read, in every dialect, as a finished text answer: Foundation's
/// parser checks the JSON, the module's own readers check what Sluice would make of it.
@Suite struct SyntheticAnswerTests {
    static let createdAt: Int64 = 1_764_000_000
    static let answer = SyntheticAnswer(
        text: "Sluice stopped this turn: the same tool call was repeated 5 times.", model: "claude-sonnet-5-5",
        id: "turn-7")
    /// Everything JSON must escape or pass through as UTF-8: quotes, a backslash, a newline, a tab,
    /// a control character, accented and astral characters.
    static let awkward = SyntheticAnswer(
        text: "He said \"stop\" \\ twice\nthen left:\tcafé 🚦 \u{01}end", model: #"local/"odd"\model"#, id: "t\"1")

    // MARK: - Helpers

    /// The events of `stream`, split by the module's own parser.
    ///
    /// Only `feed` is used for the result: every event, the last included, must end with its
    /// blank line, or a client would wait for more.
    static func events(_ stream: String) -> [(name: String, data: String)] {
        var parser = ServerSentEventParser()
        var seen: [(name: String, data: String)] = []
        Array(stream.utf8).withUnsafeBytes { raw in
            parser.feed(raw) { name, data in
                seen.append((String(decoding: name, as: UTF8.self), String(decoding: data, as: UTF8.self)))
            }
        }
        var unterminated = 0
        parser.finish { _, _ in unterminated += 1 }
        #expect(unterminated == 0, "an event lacks the blank line that ends it")
        return seen
    }

    /// `json` parsed by Foundation as an object.
    static func object(_ json: String) throws -> [String: Any] {
        let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8))
        return try #require(parsed as? [String: Any], "not a JSON object: \(json)")
    }

    /// The value at `path` (object keys and array indexes) in parsed JSON; `nil` where it leads nowhere.
    static func at(_ json: Any?, _ path: Any...) -> Any? {
        var current = json
        for step in path {
            switch step {
            case let key as String:
                current = (current as? [String: Any])?[key]
            case let index as Int:
                guard let array = current as? [Any], array.indices.contains(index) else { return nil }
                current = array[index]
            default:
                return nil
            }
        }
        return current
    }

    /// The stop reason each dialect's readers report for a finished text answer.
    static func stopReason(_ dialect: Dialect) -> String {
        switch dialect {
        case .anthropic: "end_turn"
        case .openAIChat: "stop"
        case .openAIResponses: "completed"
        }
    }

    /// The text of a whole answer body.
    static func bodyText(_ body: [String: Any], _ dialect: Dialect) -> String? {
        switch dialect {
        case .anthropic: at(body, "content", 0, "text") as? String
        case .openAIChat: at(body, "choices", 0, "message", "content") as? String
        case .openAIResponses: at(body, "output", 0, "content", 0, "text") as? String
        }
    }

    /// The text deltas of a stream, concatenated as a client accumulates them.
    static func streamedText(_ stream: String, _ dialect: Dialect) throws -> String {
        var text = ""
        for event in events(stream) where event.data != "[DONE]" {
            let json = try object(event.data)
            switch dialect {
            case .anthropic:
                guard event.name == "content_block_delta" else { continue }
                let delta = try #require(at(json, "delta", "text") as? String)
                text += delta
            case .openAIChat:
                text += at(json, "choices", 0, "delta", "content") as? String ?? ""
            case .openAIResponses:
                guard event.name == "response.output_text.delta" else { continue }
                let delta = try #require(at(json, "delta") as? String)
                text += delta
            }
        }
        return text
    }

    // MARK: - Anthropic Messages

    @Test func anthropicBodyIsAFinishedTextMessage() throws {
        let body = try Self.object(Self.answer.body(for: .anthropic, createdAt: Self.createdAt))
        #expect(body["id"] as? String == "msg_turn-7")
        #expect(body["type"] as? String == "message")
        #expect(body["role"] as? String == "assistant")
        #expect(body["model"] as? String == "claude-sonnet-5-5")
        #expect((body["content"] as? [Any])?.count == 1)
        #expect(Self.at(body, "content", 0, "type") as? String == "text")
        #expect(Self.bodyText(body, .anthropic) == Self.answer.text)
        #expect(body["stop_reason"] as? String == "end_turn")
        #expect(body["stop_sequence"] is NSNull)
        for key in ["input_tokens", "output_tokens", "cache_creation_input_tokens", "cache_read_input_tokens"] {
            #expect(Self.at(body, "usage", key) as? Int == 0, "usage.\(key)")
        }
    }

    @Test func anthropicStreamFollowsTheCanonicalEventOrder() throws {
        let stream = Self.answer.stream(for: .anthropic, createdAt: Self.createdAt)
        let events = Self.events(stream)
        #expect(
            events.map(\.name) == [
                "message_start", "content_block_start", "content_block_delta", "content_block_stop", "message_delta",
                "message_stop",
            ])
        let data = try events.map { try Self.object($0.data) }
        try #require(data.count == 6)
        #expect(data.map { $0["type"] as? String ?? "" } == events.map(\.name))

        let start = try #require(data.first)
        #expect(Self.at(start, "message", "id") as? String == "msg_turn-7")
        #expect(Self.at(start, "message", "model") as? String == "claude-sonnet-5-5")
        #expect((Self.at(start, "message", "content") as? [Any])?.isEmpty == true)
        #expect(Self.at(start, "message", "stop_reason") is NSNull)
        #expect(Self.at(start, "message", "usage", "input_tokens") as? Int == 0)

        #expect(Self.at(data[1], "index") as? Int == 0)
        #expect(Self.at(data[1], "content_block", "type") as? String == "text")
        #expect(Self.at(data[1], "content_block", "text") as? String == "")
        #expect(Self.at(data[2], "delta", "type") as? String == "text_delta")
        #expect(Self.at(data[3], "index") as? Int == 0)
        #expect(Self.at(data[4], "delta", "stop_reason") as? String == "end_turn")
        #expect(Self.at(data[4], "usage", "output_tokens") as? Int == 0)
        let accumulated = try Self.streamedText(stream, .anthropic)
        #expect(accumulated == Self.answer.text)
    }

    // MARK: - OpenAI Chat Completions

    @Test func chatBodyIsAFinishedTextCompletion() throws {
        let body = try Self.object(Self.answer.body(for: .openAIChat, createdAt: Self.createdAt))
        #expect(body["id"] as? String == "chatcmpl-turn-7")
        #expect(body["object"] as? String == "chat.completion")
        #expect(body["created"] as? Int == Int(Self.createdAt))
        #expect(body["model"] as? String == "claude-sonnet-5-5")
        #expect((body["choices"] as? [Any])?.count == 1)
        #expect(Self.at(body, "choices", 0, "message", "role") as? String == "assistant")
        #expect(Self.bodyText(body, .openAIChat) == Self.answer.text)
        // No `tool_calls`: the agent has nothing to run, so its turn ends.
        #expect(
            (Self.at(body, "choices", 0, "message") as? [String: Any]).map { Set($0.keys) }
                == Set(["role", "content", "refusal"]))
        #expect(Self.at(body, "choices", 0, "finish_reason") as? String == "stop")
        for key in ["prompt_tokens", "completion_tokens", "total_tokens"] {
            #expect(Self.at(body, "usage", key) as? Int == 0, "usage.\(key)")
        }
    }

    @Test func chatStreamSendsRoleTextStopUsageThenDone() throws {
        let stream = Self.answer.stream(for: .openAIChat, createdAt: Self.createdAt)
        let events = Self.events(stream)
        #expect(events.allSatisfy { $0.name.isEmpty }, "Chat Completions chunks are unnamed")
        #expect(events.map(\.data).last == "[DONE]")
        let chunks = try events.dropLast().map { try Self.object($0.data) }
        try #require(chunks.count == 4)
        for chunk in chunks {
            #expect(chunk["object"] as? String == "chat.completion.chunk")
            #expect(chunk["id"] as? String == "chatcmpl-turn-7")
            #expect(chunk["created"] as? Int == Int(Self.createdAt))
            #expect(chunk["model"] as? String == "claude-sonnet-5-5")
        }
        #expect(Self.at(chunks[0], "choices", 0, "delta", "role") as? String == "assistant")
        #expect(Self.at(chunks[0], "choices", 0, "delta", "content") as? String == "")
        #expect(Self.at(chunks[1], "choices", 0, "delta", "content") as? String == Self.answer.text)
        #expect(chunks[0...1].allSatisfy { Self.at($0, "choices", 0, "finish_reason") is NSNull })
        #expect((Self.at(chunks[2], "choices", 0, "delta") as? [String: Any])?.isEmpty == true)
        #expect(Self.at(chunks[2], "choices", 0, "finish_reason") as? String == "stop")
        #expect(chunks[0...2].allSatisfy { $0["usage"] is NSNull })
        #expect((chunks[3]["choices"] as? [Any])?.isEmpty == true)
        #expect(Self.at(chunks[3], "usage", "total_tokens") as? Int == 0)
        let accumulated = try Self.streamedText(stream, .openAIChat)
        #expect(accumulated == Self.answer.text)
    }

    // MARK: - OpenAI Responses

    @Test func responsesBodyIsACompletedResponseWithOneMessage() throws {
        let body = try Self.object(Self.answer.body(for: .openAIResponses, createdAt: Self.createdAt))
        #expect(body["id"] as? String == "resp_turn-7")
        #expect(body["object"] as? String == "response")
        #expect(body["status"] as? String == "completed")
        #expect(body["created_at"] as? Int == Int(Self.createdAt))
        #expect(body["model"] as? String == "claude-sonnet-5-5")
        #expect(body["error"] is NSNull)
        // Required by the openai SDK's `Response` model.
        #expect(body["parallel_tool_calls"] as? Bool == true)
        #expect(body["tool_choice"] as? String == "auto")
        #expect((body["tools"] as? [Any])?.isEmpty == true)

        #expect((body["output"] as? [Any])?.count == 1)
        #expect(Self.at(body, "output", 0, "type") as? String == "message")
        #expect(Self.at(body, "output", 0, "id") as? String == "msg_turn-7")
        #expect(Self.at(body, "output", 0, "status") as? String == "completed")
        #expect(Self.at(body, "output", 0, "role") as? String == "assistant")
        #expect((Self.at(body, "output", 0, "content") as? [Any])?.count == 1)
        #expect(Self.at(body, "output", 0, "content", 0, "type") as? String == "output_text")
        #expect((Self.at(body, "output", 0, "content", 0, "annotations") as? [Any])?.isEmpty == true)
        #expect(Self.bodyText(body, .openAIResponses) == Self.answer.text)

        #expect(Self.at(body, "usage", "input_tokens") as? Int == 0)
        #expect(Self.at(body, "usage", "input_tokens_details", "cached_tokens") as? Int == 0)
        #expect(Self.at(body, "usage", "output_tokens") as? Int == 0)
        #expect(Self.at(body, "usage", "output_tokens_details", "reasoning_tokens") as? Int == 0)
        #expect(Self.at(body, "usage", "total_tokens") as? Int == 0)
    }

    @Test func responsesStreamNumbersItsEventsAndEndsCompleted() throws {
        let stream = Self.answer.stream(for: .openAIResponses, createdAt: Self.createdAt)
        let events = Self.events(stream)
        #expect(
            events.map(\.name) == [
                "response.created", "response.output_item.added", "response.content_part.added",
                "response.output_text.delta", "response.output_text.done", "response.content_part.done",
                "response.output_item.done", "response.completed",
            ])
        let data = try events.map { try Self.object($0.data) }
        try #require(data.count == 8)
        #expect(data.map { $0["type"] as? String ?? "" } == events.map(\.name))
        let numbers = try data.map { try #require($0["sequence_number"] as? Int) }
        #expect(numbers == Array(0..<events.count))

        #expect(Self.at(data[0], "response", "status") as? String == "in_progress")
        #expect((Self.at(data[0], "response", "output") as? [Any])?.isEmpty == true)
        #expect(Self.at(data[0], "response", "id") as? String == "resp_turn-7")

        let itemID = try #require(Self.at(data[1], "item", "id") as? String)
        #expect(itemID == "msg_turn-7")
        #expect(Self.at(data[1], "item", "status") as? String == "in_progress")
        for event in data[2...5] {
            #expect(event["item_id"] as? String == itemID)
            #expect(event["output_index"] as? Int == 0)
            #expect(event["content_index"] as? Int == 0)
        }
        #expect(Self.at(data[2], "part", "text") as? String == "")
        #expect(Self.at(data[4], "text") as? String == Self.answer.text)
        #expect(Self.at(data[5], "part", "text") as? String == Self.answer.text)
        #expect(Self.at(data[6], "output_index") as? Int == 0)
        #expect(Self.at(data[6], "item", "status") as? String == "completed")
        #expect(Self.at(data[6], "item", "content", 0, "text") as? String == Self.answer.text)

        let completed = try #require(data.last?["response"] as? [String: Any])
        #expect(completed["status"] as? String == "completed")
        #expect(Self.bodyText(completed, .openAIResponses) == Self.answer.text)
        #expect(Self.at(completed, "usage", "total_tokens") as? Int == 0)
        let accumulated = try Self.streamedText(stream, .openAIResponses)
        #expect(accumulated == Self.answer.text)
    }

    // MARK: - Every dialect

    /// Sluice's own readers (the ledger's usage, the shadow digest) see a finished text answer
    /// with no tool calls and no billable tokens, whole and streamed.
    @Test(arguments: Dialect.allCases)
    func readsBackAsATextAnswerWithoutToolCalls(_ dialect: Dialect) {
        let expected = AnswerDigest(
            toolCalls: [], stopReason: Self.stopReason(dialect), textCharacters: Self.answer.text.count)
        for streamed in [false, true] {
            let rendered =
                streamed
                ? Self.answer.stream(for: dialect, createdAt: Self.createdAt)
                : Self.answer.body(for: dialect, createdAt: Self.createdAt)
            let reading = Array(rendered.utf8).withUnsafeBytes {
                AnswerReading($0, dialect: dialect, streamed: streamed)
            }
            #expect(reading.digest == expected, "streamed: \(streamed)")
            #expect(reading.usage == Usage.zero, "streamed: \(streamed)")
            #expect(reading.completed, "streamed: \(streamed)")
            #expect(reading.upstreamError == nil, "streamed: \(streamed)")
        }
    }

    @Test(arguments: Dialect.allCases)
    func keepsTextAndModelExactWhateverTheyContain(_ dialect: Dialect) throws {
        let body = try Self.object(Self.awkward.body(for: dialect, createdAt: Self.createdAt))
        #expect(Self.bodyText(body, dialect) == Self.awkward.text)
        #expect(body["model"] as? String == Self.awkward.model)
        let stream = Self.awkward.stream(for: dialect, createdAt: Self.createdAt)
        let accumulated = try Self.streamedText(stream, dialect)
        #expect(accumulated == Self.awkward.text)
    }
}
