import NIOCore
import NIOHTTP1
import SluiceRouting
import SluiceWire

/// What a turn hands its shadow once the primary's answer has ended: the request to send again,
/// and the primary's answer as relayed, to be read and compared off the client's path.
struct ShadowHandoff: Sendable {
    let runner: ShadowRunner
    let shadow: PlannedShadow
    let body: ByteBuffer
    let headers: HTTPHeaders
    let stream: Bool

    /// The primary's answer bytes, as the client received them.
    struct Answer: Sendable {
        var bytes: ByteBuffer
        var dialect: Dialect
        var streamed: Bool
    }
}
