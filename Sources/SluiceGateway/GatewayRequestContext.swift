package import Hummingbird
package import NIOCore

/// The request context: Hummingbird's basics plus the connection, to notice a client leaving.
package struct GatewayRequestContext: RequestContext {
    package var coreContext: CoreRequestContextStorage
    /// The client's connection; its close future fires when the client disconnects.
    package let channel: any Channel

    package init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// Bodies are collected by the turn handler with the configured limit, not by Hummingbird.
    package var maxUploadSize: Int { Int.max }
}
