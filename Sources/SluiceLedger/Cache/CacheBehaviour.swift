/// How a model's prompt cache behaves, as far as its bill depends on it.
///
/// A counterfactual ("what would this turn have cost on Opus?") is mostly a question about the
/// cache: on Claude Code traffic writes are about 4% of prompt tokens but 40% of the bill. The
/// simulator (``SessionCaches``) needs to know whether the model caches only where the request
/// marks it or by itself, the shortest prefix it caches, the steps reads come in, and how long an
/// idle entry lives. Defaults follow the provider (``defaults(forModelID:)``); a price book or
/// policy entry can override them (`cache:`).
package struct CacheBehaviour: Sendable, Hashable, Codable {
    /// Who decides what is cached.
    package enum Mode: String, Sendable, Hashable, Codable {
        /// Only prefixes up to the breakpoints the request marks (Anthropic `cache_control`); a
        /// request without marks caches nothing.
        case explicit
        /// Every long-enough prompt prefix, by the provider itself (OpenAI, DeepSeek, Gemini).
        case automatic
        /// Nothing is cached, or caching changes nothing on the bill.
        case none
    }

    /// Who decides what is cached.
    package var mode: Mode
    /// Prompts shorter than this are never cached (and nothing is read for them).
    package var minimumTokens: Int
    /// Reads come in whole multiples of this many tokens (OpenAI 128, DeepSeek 64; 1 for exact).
    package var granularity: Int
    /// How long an idle entry lives at the default lifetime (Anthropic 5 minutes).
    package var shortLifetimeMilliseconds: Int64
    /// How long an idle entry lives at the extended lifetime (Anthropic 1 hour, OpenAI 24 hours).
    package var longLifetimeMilliseconds: Int64
    /// Whether the answer itself is cached too, so the next turn reads the previous prompt plus
    /// output (DeepSeek); otherwise only the prompt is.
    package var cachesOutput: Bool

    package init(
        mode: Mode, minimumTokens: Int = 0, granularity: Int = 1, shortLifetimeMilliseconds: Int64 = 300_000,
        longLifetimeMilliseconds: Int64 = 3_600_000, cachesOutput: Bool = false
    ) {
        self.mode = mode
        self.minimumTokens = max(0, minimumTokens)
        self.granularity = max(1, granularity)
        self.shortLifetimeMilliseconds = max(0, shortLifetimeMilliseconds)
        self.longLifetimeMilliseconds = max(self.shortLifetimeMilliseconds, longLifetimeMilliseconds)
        self.cachesOutput = cachesOutput
    }

    /// A model without a prompt cache.
    package static let none = CacheBehaviour(mode: .none)

    /// Anthropic's cache: breakpoints the request marks, 5-minute and 1-hour entries.
    package static func anthropic(minimumTokens: Int) -> CacheBehaviour {
        CacheBehaviour(mode: .explicit, minimumTokens: minimumTokens)
    }

    /// OpenAI's automatic cache: prefixes of 1,024 tokens and more, read in steps of 128; entries
    /// live minutes in memory, or 24 hours with extended retention.
    package static let openAI = CacheBehaviour(
        mode: .automatic, minimumTokens: 1_024, granularity: 128, longLifetimeMilliseconds: 86_400_000)

    /// DeepSeek's automatic cache: 64-token units that include the previous answer, kept for hours.
    package static let deepSeek = CacheBehaviour(
        mode: .automatic, minimumTokens: 64, granularity: 64, shortLifetimeMilliseconds: 3_600_000,
        longLifetimeMilliseconds: 86_400_000, cachesOutput: true)

    /// The provider's documented behaviour for a model id, when nothing overrides it.
    ///
    /// - Anthropic (`claude-…`): explicit. Minimum cacheable prefix 4,096 tokens for Opus 4.5 and
    ///   later and for Haiku 4.5 and later, 2,048 for Sonnet 4.6 and later and for Fable, 1,024 for
    ///   older models (protocol reference §1.6; newer families are assumed to keep their family's).
    /// - OpenAI (`gpt-…`, `o1`…`o4`, `codex-…`): automatic; the gpt-5.6 family keeps entries at
    ///   least 30 minutes, or 12 hours.
    /// - DeepSeek: automatic in 64-token units with the answer included.
    /// - Gemini: automatic (implicit caching), prefixes of 1,024 tokens and more.
    /// - Anything else (local and self-hosted models): none.
    package static func defaults(forModelID id: String) -> CacheBehaviour {
        let id = ModelIdentity.normalized(id)
        if id.contains("claude") { return .anthropic(minimumTokens: anthropicMinimum(id)) }
        if id.hasPrefix("gpt-5.6") {
            return CacheBehaviour(
                mode: .automatic, minimumTokens: 1_024, granularity: 128, shortLifetimeMilliseconds: 1_800_000,
                longLifetimeMilliseconds: 43_200_000)
        }
        if id.hasPrefix("gpt-") || id.hasPrefix("o1") || id.hasPrefix("o3") || id.hasPrefix("o4")
            || id.hasPrefix("codex-") || id.hasPrefix("chatgpt-")
        {
            return .openAI
        }
        if id.contains("deepseek") { return .deepSeek }
        if id.contains("gemini") { return CacheBehaviour(mode: .automatic, minimumTokens: 1_024) }
        return .none
    }

    private static func anthropicMinimum(_ id: String) -> Int {
        let newer = ["opus-4-5", "opus-4-6", "opus-4-7", "opus-4-8", "opus-5", "haiku-4-5", "haiku-5"]
        if newer.contains(where: { id.contains($0) }) { return 4_096 }
        if ["sonnet-4-6", "sonnet-5", "fable"].contains(where: { id.contains($0) }) { return 2_048 }
        return 1_024
    }
}
