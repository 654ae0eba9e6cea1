import NIOCore
import NIOHTTP1
import SluiceRouting

/// What a turn hands its shadow once the primary's answer has ended.
struct ShadowHandoff: Sendable {
    let runner: ShadowRunner
    let shadow: PlannedShadow
    let body: ByteBuffer
    let headers: HTTPHeaders
    let stream: Bool
}
