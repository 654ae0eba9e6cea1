/// Token usage of one turn, normalized across dialects.
///
/// Anthropic reports `input_tokens` without cached tokens; OpenAI's `prompt_tokens` and
/// `input_tokens` include them. Both are brought to this one shape so that pricing never has to
/// know which dialect the numbers came from.
package struct Usage: Sendable, Hashable, Codable {
    /// Prompt tokens neither read from nor written to a prompt cache.
    package var uncachedInput: Int
    /// Prompt tokens read from a prompt cache.
    package var cacheRead: Int
    /// Prompt tokens written to a cache entry with a 5-minute (or the provider's default) lifetime.
    package var cacheWrite5m: Int
    /// Prompt tokens written to a cache entry with a 1-hour (or longer) lifetime.
    package var cacheWrite1h: Int
    /// Generated tokens, reasoning included.
    package var output: Int
    /// The reasoning part of `output`, recorded apart; never added to `output` again.
    package var reasoning: Int
    /// Web searches the provider ran for the turn (Anthropic's `server_tool_use`), billed per
    /// request on top of the tokens.
    package var webSearchRequests: Int

    package init(
        uncachedInput: Int = 0, cacheRead: Int = 0, cacheWrite5m: Int = 0, cacheWrite1h: Int = 0,
        output: Int = 0, reasoning: Int = 0, webSearchRequests: Int = 0
    ) {
        self.uncachedInput = uncachedInput
        self.cacheRead = cacheRead
        self.cacheWrite5m = cacheWrite5m
        self.cacheWrite1h = cacheWrite1h
        self.output = output
        self.reasoning = reasoning
        self.webSearchRequests = webSearchRequests
    }

    private enum CodingKeys: String, CodingKey {
        case uncachedInput, cacheRead, cacheWrite5m, cacheWrite1h, output, reasoning, webSearchRequests
    }

    /// Decodes usage, reading a missing `webSearchRequests` (records spooled by an older Sluice)
    /// as none.
    package init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            uncachedInput: try values.decode(Int.self, forKey: .uncachedInput),
            cacheRead: try values.decode(Int.self, forKey: .cacheRead),
            cacheWrite5m: try values.decode(Int.self, forKey: .cacheWrite5m),
            cacheWrite1h: try values.decode(Int.self, forKey: .cacheWrite1h),
            output: try values.decode(Int.self, forKey: .output),
            reasoning: try values.decode(Int.self, forKey: .reasoning),
            webSearchRequests: try values.decodeIfPresent(Int.self, forKey: .webSearchRequests) ?? 0)
    }

    package static let zero = Usage()

    /// Every prompt token, cached or not.
    package var promptTokens: Int { uncachedInput + cacheRead + cacheWrite5m + cacheWrite1h }

    /// Tokens written to any cache.
    package var cacheWrite: Int { cacheWrite5m + cacheWrite1h }
}
