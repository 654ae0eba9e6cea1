/// Reads provider usage objects into `Usage`, per dialect.
///
/// Normalization is by the dialect of the body being read, never by the upstream's name: an
/// Anthropic `input_tokens` excludes cached tokens, an OpenAI `prompt_tokens` or `input_tokens`
/// includes them.
package enum UsageReader {
    /// The largest token count believed: far above any real turn, far below where sums overflow.
    ///
    /// Counts come from the upstream; a broken or hostile one must not crash the gateway or put a
    /// record the ledger refuses (negative counts), so each is clamped to `0...maximumTokens`.
    package static let maximumTokens = 1 << 40

    static func count(_ value: JSONValue?) -> Int? {
        guard let raw = value?.int else { return nil }
        return Swift.min(Swift.max(raw, 0), maximumTokens)
    }

    /// Applies an Anthropic `usage` object to `usage`, field by field.
    ///
    /// Only the fields present overwrite: a stream's `message_delta` carries cumulative counts
    /// for some fields, and `message_start`'s values stand for the others.
    package static func applyAnthropic(_ object: JSONValue, to usage: inout Usage) {
        guard object.kind == .object else { return }
        if let value = count(object["input_tokens"]) { usage.uncachedInput = value }
        if let value = count(object["cache_read_input_tokens"]) { usage.cacheRead = value }
        if let split = object["cache_creation"], split.kind == .object,
            split["ephemeral_5m_input_tokens"] != nil || split["ephemeral_1h_input_tokens"] != nil
        {
            usage.cacheWrite5m = count(split["ephemeral_5m_input_tokens"]) ?? 0
            usage.cacheWrite1h = count(split["ephemeral_1h_input_tokens"]) ?? 0
        } else if let value = count(object["cache_creation_input_tokens"]), value != usage.cacheWrite {
            // No TTL breakdown: bill at the default (5-minute) lifetime, as Anthropic does. A total
            // that matches the split `message_start` gave (a `message_delta` repeats only the
            // total) keeps that split.
            usage.cacheWrite5m = value
            usage.cacheWrite1h = 0
        }
        if let value = count(object["output_tokens"]) { usage.output = value }
        if let value = count(object[path: "output_tokens_details", "thinking_tokens"]) { usage.reasoning = value }
        if let value = count(object[path: "server_tool_use", "web_search_requests"]) { usage.webSearchRequests = value }
    }

    /// Reads an OpenAI Chat Completions `usage` object.
    package static func openAIChat(_ object: JSONValue) -> Usage? {
        guard object.kind == .object else { return nil }
        return openAI(
            prompt: count(object["prompt_tokens"]), details: object["prompt_tokens_details"],
            output: count(object["completion_tokens"]),
            reasoning: count(object[path: "completion_tokens_details", "reasoning_tokens"]))
    }

    /// Reads an OpenAI Responses `usage` object.
    package static func openAIResponses(_ object: JSONValue) -> Usage? {
        guard object.kind == .object else { return nil }
        return openAI(
            prompt: count(object["input_tokens"]), details: object["input_tokens_details"],
            output: count(object["output_tokens"]),
            reasoning: count(object[path: "output_tokens_details", "reasoning_tokens"]))
    }

    private static func openAI(prompt: Int?, details: JSONValue?, output: Int?, reasoning: Int?) -> Usage? {
        guard prompt != nil || output != nil else { return nil }
        let prompt = prompt ?? 0
        let cached = count(details?["cached_tokens"]) ?? 0
        var write12h = 0
        var write30m = count(details?["cache_write_tokens"]) ?? 0
        if let split = details?["cache_write_tokens_details"], split.kind == .object {
            write12h = count(split["ttl_12h_tokens"]) ?? 0
            write30m = count(split["ttl_30m_tokens"]) ?? Swift.max(0, write30m - write12h)
        }
        return Usage(
            uncachedInput: Swift.max(0, prompt - cached - write30m - write12h), cacheRead: cached,
            cacheWrite5m: write30m, cacheWrite1h: write12h, output: output ?? 0, reasoning: reasoning ?? 0)
    }

    /// Reads the usage of a whole (non-streamed) response body.
    package static func response(_ root: JSONValue, dialect: Dialect) -> Usage? {
        guard let object = root["usage"] else { return nil }
        switch dialect {
        case .anthropic:
            guard object.kind == .object else { return nil }
            var usage = Usage.zero
            applyAnthropic(object, to: &usage)
            return usage
        case .openAIChat: return openAIChat(object)
        case .openAIResponses: return openAIResponses(object)
        }
    }
}
