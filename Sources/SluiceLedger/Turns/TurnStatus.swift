/// How a turn ended, as recorded in the ledger.
///
/// The raw values are stored as text in the ledger and shown in reports, so they never change
/// once shipped; a new outcome gets a new case.
package enum TurnStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// The upstream answered in full.
    case ok
    /// The client's request was rejected before forwarding (malformed, too large...).
    case invalidRequest = "invalid_request"
    /// The upstream answered with a non-2xx status.
    case upstreamError = "upstream_error"
    /// The upstream refused the connection, timed out or reset before the first byte.
    case upstreamFailed = "upstream_failed"
    /// The upstream died after bytes had reached the client.
    case streamInterrupted = "stream_interrupted"
    /// The client disconnected; whatever usage was seen is recorded.
    case clientCancelled = "client_cancelled"
    /// A guard (budget, loop breaker) refused the turn.
    case refused
}
