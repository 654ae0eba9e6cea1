import AsyncHTTPClient
import SluiceLedger
import SluiceRouting
import SluiceWire

/// Why an upstream did not answer a turn before anything reached the client: the status the
/// ledger records, and the error the client gets if no fallback takes the turn.
struct UpstreamFailure: Sendable {
    var status: TurnStatus
    var error: ClientError

    /// A failure to get an answer at all: timed out, or refused, reset or closed.
    init(_ error: any Error, route: UpstreamRoute) {
        if let error = error as? HTTPClientError,
            error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout
        {
            status = .upstreamTimeout
            self.error = ClientError(
                .upstreamTimeout,
                "The upstream \"\(route.upstream)\" did not answer in time (\(route.firstByteTimeoutSeconds) s to "
                    + "the first byte).")
        } else {
            status = .upstreamUnreachable
            self.error = ClientError(
                .upstreamUnreachable,
                "The upstream \"\(route.upstream)\" at \(route.url) could not be reached or closed the connection "
                    + "before answering.")
        }
    }

    /// Whether a fallback may take a turn the upstream answered with `httpStatus` (429, 5xx).
    static func allowsFallback(httpStatus: Int) -> Bool {
        httpStatus == 429 || httpStatus >= 500
    }
}
