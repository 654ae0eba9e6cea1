/// How a turn ended, as recorded in the ledger.
///
/// The raw values are stored as text in the ledger and shown in reports, so they never change
/// once shipped; a new outcome gets a new case. Each way an upstream can fail has its own status,
/// because each asks for a different remedy: a rate limit for a fallback or a slower agent, a
/// timeout for a longer `first_byte`, an unreachable upstream for a look at its address.
package enum TurnStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// The upstream answered in full.
    case ok
    /// The client's request was rejected before forwarding (malformed, too large, no route).
    case invalidRequest = "invalid_request"
    /// The upstream answered with a 5xx status, or reported an error inside its stream.
    case upstreamError = "upstream_error"
    /// The upstream refused the request with a 4xx status other than 429 (a bad request, a key
    /// it does not accept).
    case upstreamRejected = "upstream_rejected"
    /// The upstream answered 429: too many requests or tokens for the account.
    case rateLimited = "rate_limited"
    /// The upstream refused the connection, reset it, or closed it before answering.
    case upstreamUnreachable = "upstream_unreachable"
    /// The upstream sent nothing within its first-byte timeout.
    case upstreamTimeout = "upstream_timeout"
    /// Written by earlier versions for what is now `upstream_unreachable` or `upstream_timeout`;
    /// kept so their ledgers stay readable. Never written any more.
    case upstreamFailed = "upstream_failed"
    /// The upstream died after bytes had reached the client.
    case streamInterrupted = "stream_interrupted"
    /// The client disconnected; whatever usage was seen is recorded.
    case clientCancelled = "client_cancelled"
    /// Sluice's own configuration kept the turn from being forwarded (an upstream's
    /// `api_key_env` names a variable that is not set).
    case misconfigured
    /// A guard (budget, loop breaker) refused the turn.
    case refused

    /// The status of a turn whose upstream answered `httpStatus` before anything reached the
    /// client: `ok` for 2xx, else the kind of refusal.
    package static func answered(httpStatus: Int) -> TurnStatus {
        switch httpStatus {
        case 200..<300: .ok
        case 429: .rateLimited
        case 500...: .upstreamError
        default: .upstreamRejected
        }
    }

    /// Whether a model may have worked on the turn, so that tokens it did not report are
    /// estimated rather than counted as none.
    package var mayHaveUsedTokens: Bool {
        switch self {
        case .ok, .streamInterrupted, .clientCancelled: true
        default: false
        }
    }
}
