/// Reads provider usage objects into `Usage`, per dialect.
///
/// Normalization is by the dialect of the body being read, never by the upstream's name: an
/// Anthropic `input_tokens` excludes cached tokens, an OpenAI `prompt_tokens` or `input_tokens`
/// includes them.
package enum UsageReader {
    /// Applies an Anthropic `usage` object to `usage`, field by field.
    ///
    /// Only the fields present overwrite: a stream's `message_delta` carries cumulative counts
    /// for some fields, and `message_start`'s values stand for the others.
    package static func applyAnthropic(_ object: JSONValue, to usage: inout Usage) {
        guard object.kind == .object else { return }
        if let value = object["input_tokens"]?.int { usage.uncachedInput = value }
        if let value = object["cache_read_input_tokens"]?.int { usage.cacheRead = value }
        if let split = object["cache_creation"], split.kind == .object,
            split["ephemeral_5m_input_tokens"] != nil || split["ephemeral_1h_input_tokens"] != nil
        {
            usage.cacheWrite5m = split["ephemeral_5m_input_tokens"]?.int ?? 0
            usage.cacheWrite1h = split["ephemeral_1h_input_tokens"]?.int ?? 0
        } else if let value = object["cache_creation_input_tokens"]?.int, value != usage.cacheWrite {
            // No TTL breakdown: bill at the default (5-minute) lifetime, as Anthropic does. A total
            // that matches the split `message_start` gave (a `message_delta` repeats only the
            // total) keeps that split.
            usage.cacheWrite5m = value
            usage.cacheWrite1h = 0
        }
        if let value = object["output_tokens"]?.int { usage.output = value }
        if let value = object[path: "output_tokens_details", "thinking_tokens"]?.int { usage.reasoning = value }
    }

    /// Reads an OpenAI Chat Completions `usage` object.
    package static func openAIChat(_ object: JSONValue) -> Usage? {
        guard object.kind == .object else { return nil }
        return openAI(
            prompt: object["prompt_tokens"]?.int, details: object["prompt_tokens_details"],
            output: object["completion_tokens"]?.int,
            reasoning: object[path: "completion_tokens_details", "reasoning_tokens"]?.int)
    }

    /// Reads an OpenAI Responses `usage` object.
    package static func openAIResponses(_ object: JSONValue) -> Usage? {
        guard object.kind == .object else { return nil }
        return openAI(
            prompt: object["input_tokens"]?.int, details: object["input_tokens_details"],
            output: object["output_tokens"]?.int,
            reasoning: object[path: "output_tokens_details", "reasoning_tokens"]?.int)
    }

    private static func openAI(prompt: Int?, details: JSONValue?, output: Int?, reasoning: Int?) -> Usage? {
        guard prompt != nil || output != nil else { return nil }
        let prompt = prompt ?? 0
        let cached = details?["cached_tokens"]?.int ?? 0
        var write12h = 0
        var write30m = details?["cache_write_tokens"]?.int ?? 0
        if let split = details?["cache_write_tokens_details"], split.kind == .object {
            write12h = split["ttl_12h_tokens"]?.int ?? 0
            write30m = split["ttl_30m_tokens"]?.int ?? Swift.max(0, write30m - write12h)
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
