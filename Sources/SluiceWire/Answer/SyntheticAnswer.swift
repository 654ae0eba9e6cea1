/// An assistant answer that Sluice writes itself, with no upstream involved, in a client's dialect.
///
/// The loop breaker uses it to stop an agent that keeps making the same tool call. An error would
/// not do that: agents retry errors, and some hide them from their user. A normal, successful
/// answer with text, no tool calls and a terminal stop reason (`end_turn`, `stop`, `completed`)
/// ends the agent's turn, and the agent shows the text to its user as the model's reply.
///
/// Every field that the official SDKs require is present, so a client that validates the answer
/// takes it like any other. Usage is all zeros: no model was called, so nothing is billed.
///
/// ```swift
/// let answer = SyntheticAnswer(text: "Sluice stopped a repeated tool call.", model: request.model, id: turnID)
/// let payload = streamed
///     ? answer.stream(for: client, createdAt: now)
///     : answer.body(for: client, createdAt: now)
/// ```
package struct SyntheticAnswer: Sendable, Hashable {
    /// What the agent shows its user; rendered exactly, JSON-escaped.
    package var text: String
    /// Echoed as the response's model, so the client sees the model it asked for.
    package var model: String
    /// A unique suffix (a turn id, say) for the `msg_`, `chatcmpl-` and `resp_` ids.
    package var id: String

    package init(text: String, model: String, id: String) {
        self.text = text
        self.model = model
        self.id = id
    }

    /// The whole (non-streamed) response body in `dialect`'s shape, as JSON.
    ///
    /// - Parameter unixSeconds: The creation time OpenAI's shapes carry (`created`, `created_at`).
    package func body(for dialect: Dialect, createdAt unixSeconds: Int64) -> String {
        switch dialect {
        case .anthropic:
            return anthropicMessage(content: "[\(Self.anthropicTextBlock(text))]", stopReason: #""end_turn""#)
        case .openAIChat:
            return """
                {"id":\(chatID),"object":"chat.completion","created":\(unixSeconds),"model":\(quotedModel),\
                "choices":[{"index":0,"message":{"role":"assistant","content":\(quotedText),"refusal":null},\
                "logprobs":null,"finish_reason":"stop"}],\
                "usage":{"prompt_tokens":0,"completion_tokens":0,"total_tokens":0}}
                """
        case .openAIResponses:
            return responsesObject(completed: true, createdAt: unixSeconds)
        }
    }

    /// The complete SSE stream in `dialect`'s shape: every event, the terminal one included.
    ///
    /// The text goes out as one delta: there is nothing to wait for, and one delta is the
    /// smallest stream every client accumulates correctly.
    ///
    /// - Parameter unixSeconds: The creation time OpenAI's shapes carry (`created`, `created_at`).
    package func stream(for dialect: Dialect, createdAt unixSeconds: Int64) -> String {
        switch dialect {
        case .anthropic: anthropicStream()
        case .openAIChat: chatStream(createdAt: unixSeconds)
        case .openAIResponses: responsesStream(createdAt: unixSeconds)
        }
    }

    // MARK: - JSON pieces shared by the whole and the streamed forms

    private var quotedText: String { JSONStringDecoder.quoted(text) }
    private var quotedModel: String { JSONStringDecoder.quoted(model) }
    private var anthropicID: String { JSONStringDecoder.quoted("msg_" + id) }
    private var chatID: String { JSONStringDecoder.quoted("chatcmpl-" + id) }
    private var responseID: String { JSONStringDecoder.quoted("resp_" + id) }
    /// The Responses output item's id; the response's own id differs by its prefix.
    private var responsesItemID: String { JSONStringDecoder.quoted("msg_" + id) }

    /// One named SSE event. JSON-quoting escapes CR and LF, so `data` is always a single line.
    private static func event(_ name: String, _ data: String) -> String {
        "event: \(name)\ndata: \(data)\n\n"
    }

    // MARK: - Anthropic Messages

    /// A `message` object: the whole body, or (empty, not yet stopped) the one `message_start` carries.
    ///
    /// - Parameters:
    ///   - content: The JSON array of content blocks.
    ///   - stopReason: `end_turn` quoted, or `null` while streaming.
    private func anthropicMessage(content: String, stopReason: String) -> String {
        """
        {"id":\(anthropicID),"type":"message","role":"assistant","model":\(quotedModel),"content":\(content),\
        "stop_reason":\(stopReason),"stop_sequence":null,\
        "usage":{"input_tokens":0,"output_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}}
        """
    }

    /// A `text` content block holding `text`.
    private static func anthropicTextBlock(_ text: String) -> String {
        #"{"type":"text","text":\#(JSONStringDecoder.quoted(text))}"#
    }

    private func anthropicStream() -> String {
        let start = anthropicMessage(content: "[]", stopReason: "null")
        let emptyBlock = Self.anthropicTextBlock("")
        // Each event's data repeats its name as `type`; `fields` are the members after it.
        let events: [(type: String, fields: String)] = [
            ("message_start", #","message":\#(start)"#),
            ("content_block_start", #","index":0,"content_block":\#(emptyBlock)"#),
            ("content_block_delta", #","index":0,"delta":{"type":"text_delta","text":\#(quotedText)}"#),
            ("content_block_stop", #","index":0"#),
            ("message_delta", #","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":0}"#),
            ("message_stop", ""),
        ]
        return events.map { Self.event($0.type, #"{"type":"\#($0.type)"\#($0.fields)}"#) }.joined()
    }

    // MARK: - OpenAI Chat Completions

    /// The chunks go out as unnamed `data:` events, the way Chat Completions streams them.
    ///
    /// The usage chunk (`choices: []`) is sent as if the client had set
    /// `stream_options.include_usage`; clients that did not ask for it skip a chunk without choices.
    private func chatStream(createdAt unixSeconds: Int64) -> String {
        func chunk(choices: String, usage: String) -> String {
            """
            data: {"id":\(chatID),"object":"chat.completion.chunk","created":\(unixSeconds),"model":\(quotedModel),\
            "choices":\(choices),"usage":\(usage)}


            """
        }
        func choice(delta: String, finishReason: String) -> String {
            #"[{"index":0,"delta":\#(delta),"logprobs":null,"finish_reason":\#(finishReason)}]"#
        }
        return chunk(choices: choice(delta: #"{"role":"assistant","content":""}"#, finishReason: "null"), usage: "null")
            + chunk(choices: choice(delta: #"{"content":\#(quotedText)}"#, finishReason: "null"), usage: "null")
            + chunk(choices: choice(delta: "{}", finishReason: #""stop""#), usage: "null")
            + chunk(choices: "[]", usage: #"{"prompt_tokens":0,"completion_tokens":0,"total_tokens":0}"#)
            + "data: [DONE]\n\n"
    }

    // MARK: - OpenAI Responses

    /// A `response` object: when `completed`, the whole body and what `response.completed`
    /// carries; otherwise the empty, `in_progress` one that `response.created` carries.
    ///
    /// The openai SDK's `Response` model requires `parallel_tool_calls`, `tool_choice` and `tools`;
    /// the other echoes of request parameters are written as their defaults so that clients
    /// reading them find a value.
    private func responsesObject(completed: Bool, createdAt unixSeconds: Int64) -> String {
        let status = completed ? "completed" : "in_progress"
        let output = completed ? "[\(responsesMessageItem(completed: true))]" : "[]"
        // The SDK requires `cache_write_tokens` next to `cached_tokens`.
        let usage =
            completed
            ? """
            {"input_tokens":0,"input_tokens_details":{"cached_tokens":0,"cache_write_tokens":0},\
            "output_tokens":0,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":0}
            """
            : "null"
        return """
            {"id":\(responseID),"object":"response","created_at":\(unixSeconds),"status":"\(status)",\
            "error":null,"incomplete_details":null,"instructions":null,"max_output_tokens":null,"model":\(quotedModel),\
            "output":\(output),"parallel_tool_calls":true,"previous_response_id":null,"temperature":null,\
            "tool_choice":"auto","tools":[],"top_p":null,"metadata":{},"usage":\(usage)}
            """
    }

    /// The assistant `message` output item: empty while in progress, holding the text once completed.
    private func responsesMessageItem(completed: Bool) -> String {
        let status = completed ? "completed" : "in_progress"
        let content = completed ? "[\(Self.outputTextPart(text))]" : "[]"
        return #"{"id":\#(responsesItemID),"type":"message","status":"\#(status)","role":"assistant","#
            + #""content":\#(content)}"#
    }

    /// An `output_text` part holding `text`; the SDK requires `annotations` (and `logprobs` on the
    /// text events).
    private static func outputTextPart(_ text: String) -> String {
        #"{"type":"output_text","text":\#(JSONStringDecoder.quoted(text)),"annotations":[],"logprobs":[]}"#
    }

    private func responsesStream(createdAt unixSeconds: Int64) -> String {
        let created = responsesObject(completed: false, createdAt: unixSeconds)
        let completed = responsesObject(completed: true, createdAt: unixSeconds)
        let emptyItem = responsesMessageItem(completed: false)
        let fullItem = responsesMessageItem(completed: true)
        let emptyPart = Self.outputTextPart("")
        let fullPart = Self.outputTextPart(text)
        // Every event about the one text part says where it sits: output 0, content 0.
        let location = #""item_id":\#(responsesItemID),"output_index":0,"content_index":0"#
        let events: [(type: String, fields: String)] = [
            ("response.created", #""response":\#(created)"#),
            ("response.output_item.added", #""output_index":0,"item":\#(emptyItem)"#),
            ("response.content_part.added", #"\#(location),"part":\#(emptyPart)"#),
            ("response.output_text.delta", #"\#(location),"delta":\#(quotedText),"logprobs":[]"#),
            ("response.output_text.done", #"\#(location),"text":\#(quotedText),"logprobs":[]"#),
            ("response.content_part.done", #"\#(location),"part":\#(fullPart)"#),
            ("response.output_item.done", #""output_index":0,"item":\#(fullItem)"#),
            ("response.completed", #""response":\#(completed)"#),
        ]
        return events.enumerated().map { number, event in
            Self.event(event.type, #"{"type":"\#(event.type)","sequence_number":\#(number),\#(event.fields)}"#)
        }.joined()
    }
}
