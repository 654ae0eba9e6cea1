/// What a request asked of the prompt cache: the lifetime a counterfactual model's cache entries
/// get.
///
/// Anthropic caches only where the request marks it (`cache_control`, `ttl` `5m` or `1h`); OpenAI
/// caches by itself and a request may ask for longer retention (`prompt_cache_retention: "24h"`,
/// `prompt_cache_options.ttl`). A request that says nothing leaves the choice to the session's
/// recorded writes (``SessionCaches``).
package enum CacheRequest: Sendable, Hashable, Codable {
    /// The request says nothing about caching (an OpenAI request without retention options).
    case unstated
    /// The request asks for no caching: an Anthropic request without any `cache_control`.
    case off
    /// The request asks for entries that live this long when idle (the longest it marks).
    case lifetime(milliseconds: Int64)

    /// Anthropic's default lifetime, for a `cache_control` without `ttl`.
    package static let fiveMinutes = CacheRequest.lifetime(milliseconds: 300_000)

    /// A lifetime written as providers write them: `5m`, `1h`, `30m`, `12h`, `24h`, `90s`, `1d`.
    ///
    /// - Returns: The milliseconds, or `nil` for any other text.
    package static func milliseconds(inLifetime text: Substring) -> Int64? {
        guard let unit = text.last, text.count >= 2, text.count <= 8,
            let value = Int64(text.dropLast()), value > 0
        else { return nil }
        switch unit {
        case "s": return value * 1_000
        case "m": return value * 60_000
        case "h": return value * 3_600_000
        case "d": return value * 86_400_000
        default: return nil
        }
    }

    /// The longer of two asks: a request that marks a 5-minute and a 1-hour breakpoint keeps its
    /// prefix an hour.
    package func merged(with other: CacheRequest) -> CacheRequest {
        switch (self, other) {
        case (.lifetime(let a), .lifetime(let b)): return .lifetime(milliseconds: max(a, b))
        case (.lifetime, _): return self
        case (_, .lifetime): return other
        case (.off, _), (_, .off): return .off
        default: return .unstated
        }
    }
}
