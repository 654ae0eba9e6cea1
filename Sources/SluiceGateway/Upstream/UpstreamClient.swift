package import AsyncHTTPClient
package import Logging
package import NIOCore
package import NIOHTTP1
package import SluiceRouting
import Tracing

/// Sends requests to upstreams over one HTTP client that Sluice configures itself.
///
/// Redirects are off (an upstream that redirects is misconfigured, and following one would
/// resend the prompt elsewhere), responses are not decompressed (the relay forwards bytes as
/// they are), and the connection pool is larger than AsyncHTTPClient's default of 8 per host,
/// because agents run many turns at once against one provider.
package final class UpstreamClient: Sendable {
    package let http: HTTPClient

    /// - Parameter connectTimeoutSeconds: For every upstream: the pool is shared, so the policy's
    ///   longest `timeout.connect` applies to all of them.
    package init(connectTimeoutSeconds: Int = UpstreamSpec.defaultConnectTimeoutSeconds) {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .disabled
        // `read` bounds the silence between chunks of a stream; models can think for minutes.
        configuration.timeout = .init(connect: .seconds(Int64(connectTimeoutSeconds)), read: .seconds(600))
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 256)
        // A refused connection fails the turn at once instead of being retried until the connect
        // timeout: the client (or a fallback) is better served by a fast, clear error.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.httpVersion = .automatic
        // No tracer: a no-op span per request still costs a few percent of the CPU per turn.
        configuration.tracing.tracer = nil
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Shuts the client down; call once, after the server has stopped.
    package func shutdown() async throws {
        try await http.shutdown()
    }

    /// Sends `body` along `route` and returns once the response head has arrived.
    ///
    /// - Parameters:
    ///   - body: The bytes the route says to send.
    ///   - route: Where and how.
    ///   - headers: The headers to send, credentials included (``ForwardedHeaders``).
    /// - Warning: The returned body must be consumed or dropped; dropping it cancels the request.
    package func send(
        _ body: ByteBuffer, along route: UpstreamRoute, headers: HTTPHeaders, logger: Logger
    ) async throws -> HTTPClientResponse {
        var request = HTTPClientRequest(url: route.url)
        request.method = .POST
        request.headers = headers
        request.body = .bytes(body)
        return try await http.execute(
            request, timeout: .seconds(Int64(route.firstByteTimeoutSeconds)), logger: logger)
    }
}
