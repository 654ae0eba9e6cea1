import NIOCore
import Synchronization

/// Cancels the turn in progress on a connection when its client goes away, even while the turn
/// waits on the upstream.
///
/// Hummingbird neither cancels a handler when the client leaves nor closes the connection when the
/// client's side of it ends (it allows half-closure), so a relay blocked on a silent upstream (a
/// model thinking before its first byte, or between events) would only notice at its next write,
/// minutes later. `ClientDisconnectHandler` sits in each connection's pipeline and tells this
/// watch when the input ends or the connection drops; each turn marks itself current while it
/// runs, and the watch cancels it. Cancelling that task makes AsyncHTTPClient cancel the upstream
/// request.
final class ConnectionWatch: @unchecked Sendable {
    // @unchecked: `current` is only read or written under `state`'s lock, and only while the
    // turn that stored it is inside `guardTurn`, so the task it names is alive.
    private nonisolated(unsafe) var current: UnsafeCurrentTask?
    private let state = Mutex(State())

    private struct State {
        var closed = false
        var turnActive = false
    }

    /// Watches of open connections, added and removed by `ClientDisconnectHandler`.
    private static let open = Mutex<[ObjectIdentifier: ConnectionWatch]>([:])

    /// The watch of `channel`.
    ///
    /// A channel without the handler (a server built some other way) gets a watch that only
    /// learns of the full close of the connection.
    static func of(_ channel: any Channel) -> ConnectionWatch {
        let key = ObjectIdentifier(channel)
        let (watch, isNew) = open.withLock { watches -> (ConnectionWatch, Bool) in
            if let watch = watches[key] { return (watch, false) }
            let watch = ConnectionWatch()
            watches[key] = watch
            return (watch, true)
        }
        if isNew { channel.closeFuture.whenComplete { _ in release(channel: key) } }
        return watch
    }

    static func register(_ channel: any Channel) {
        open.withLock { $0[ObjectIdentifier(channel)] = ConnectionWatch() }
    }

    static func release(channel key: ObjectIdentifier) {
        let watch = open.withLock { $0.removeValue(forKey: key) }
        watch?.clientLeft()
    }

    /// Whether the client has gone.
    var isClosed: Bool { state.withLock { $0.closed } }

    /// Runs one turn's `body`, cancelling it if the client leaves first.
    func guardTurn<T>(_ body: () async throws -> T) async rethrows -> T {
        let alreadyClosed = withUnsafeCurrentTask { task in
            state.withLock { state -> Bool in
                current = task
                state.turnActive = true
                return state.closed
            }
        }
        if alreadyClosed { withUnsafeCurrentTask { $0?.cancel() } }
        defer {
            state.withLock { state in
                state.turnActive = false
                current = nil
            }
        }
        return try await body()
    }

    /// The client's side of the connection ended: cancel the turn in progress, if any.
    func clientLeft() {
        state.withLock { state in
            state.closed = true
            if state.turnActive { current?.cancel() }
        }
    }
}

/// Tells a connection's `ConnectionWatch` when the client's input ends or the connection drops.
final class ClientDisconnectHandler: ChannelInboundHandler, RemovableChannelHandler {
    // Parts pass through untouched; only events are read.
    typealias InboundIn = NIOAny

    func handlerAdded(context: ChannelHandlerContext) {
        ConnectionWatch.register(context.channel)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            ConnectionWatch.of(context.channel).clientLeft()
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        ConnectionWatch.release(channel: ObjectIdentifier(context.channel))
        context.fireChannelInactive()
    }
}
