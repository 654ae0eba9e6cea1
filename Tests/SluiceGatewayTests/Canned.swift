/// Provider answers with known usage, one per dialect, streamed and whole.
enum Canned {
    struct Answer {
        var json: String
        var events: [String]
        var streamText: String { events.joined() }
    }

    static func answer(path: String, stream: Bool) -> Answer {
        if path.hasSuffix("/messages") { return anthropic }
        if path.hasSuffix("/responses") { return responses }
        return chat
    }

    /// A whole answer in the path's dialect with the given `usage` object.
    static func answer(path: String, usage: String) -> String {
        if path.hasSuffix("/messages") {
            return #"{"id":"msg_g","type":"message","role":"assistant","model":"m","content":[{"type":"text","text":"ok"}],"stop_reason":"end_turn","usage":"#
                + usage + "}"
        }
        if path.hasSuffix("/responses") {
            return #"{"id":"resp_g","object":"response","status":"completed","model":"m","output":[{"type":"message","role":"assistant","content":[{"type":"output_text","text":"ok"}]}],"usage":"#
                + usage + "}"
        }
        return #"{"id":"c_g","object":"chat.completion","model":"m","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"ok"}}],"usage":"#
            + usage + "}"
    }

    static func rateLimited(path: String) -> String {
        path.hasSuffix("/messages")
            ? #"{"type":"error","error":{"type":"rate_limit_error","message":"slow down"}}"#
            : #"{"error":{"message":"slow down","type":"rate_limit_error","code":"rate_limit_exceeded"}}"#
    }

    /// Usage: 100 uncached, 2000 read, 300 written (5m), 50 out.
    static let anthropic = Answer(
        json: #"{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[{"type":"text","text":"Hi"}],"stop_reason":"end_turn","usage":{"input_tokens":100,"cache_read_input_tokens":2000,"cache_creation_input_tokens":300,"output_tokens":50}}"#,
        events: [
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\",\"content\":[],\"usage\":{\"input_tokens\":100,\"cache_read_input_tokens\":2000,\"cache_creation_input_tokens\":300,\"output_tokens\":1}}}\n\n",
            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\n",
            "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n",
            "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":50}}\n\n",
            "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
        ])

    /// Usage: 1000 prompt of which 600 cached, 40 out of which 10 reasoning.
    static let chat = Answer(
        json: #"{"id":"c1","object":"chat.completion","model":"m","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"Hi"}}],"usage":{"prompt_tokens":1000,"completion_tokens":40,"prompt_tokens_details":{"cached_tokens":600},"completion_tokens_details":{"reasoning_tokens":10}}}"#,
        events: [
            "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}],\"usage\":null}\n\n",
            "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}],\"usage\":null}\n\n",
            "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":null}\n\n",
            "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":40,\"prompt_tokens_details\":{\"cached_tokens\":600},\"completion_tokens_details\":{\"reasoning_tokens\":10}}}\n\n",
            "data: [DONE]\n\n",
        ])

    /// Usage: 5000 input of which 4000 cached, 70 out of which 30 reasoning.
    static let responses = Answer(
        json: #"{"id":"resp_1","object":"response","status":"completed","model":"m","output":[{"type":"message","role":"assistant","content":[{"type":"output_text","text":"Hi"}]}],"usage":{"input_tokens":5000,"input_tokens_details":{"cached_tokens":4000},"output_tokens":70,"output_tokens_details":{"reasoning_tokens":30}}}"#,
        events: [
            "event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0,\"response\":{\"id\":\"resp_1\",\"status\":\"in_progress\"}}\n\n",
            "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"sequence_number\":1,\"delta\":\"Hi\"}\n\n",
            "event: response.completed\ndata: {\"type\":\"response.completed\",\"sequence_number\":2,\"response\":{\"id\":\"resp_1\",\"status\":\"completed\",\"usage\":{\"input_tokens\":5000,\"input_tokens_details\":{\"cached_tokens\":4000},\"output_tokens\":70,\"output_tokens_details\":{\"reasoning_tokens\":30}}}}\n\n",
        ])
}
