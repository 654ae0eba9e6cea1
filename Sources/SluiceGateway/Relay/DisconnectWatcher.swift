import NIOCore
import Synchronization

/// Cancels a relay when its client disconnects, even while the relay waits on the upstream.
///
/// Hummingbird does not cancel a handler when the connection closes, and a relay blocked on the
/// upstream's next chunk would only notice at its next write, minutes later for a thinking model.
/// The watcher cancels the relaying task from the connection's close future instead; cancelling
/// that task makes AsyncHTTPClient cancel the upstream request.
final class DisconnectWatcher: @unchecked Sendable {
    // @unchecked: `task` is only touched under `lock`, and only while `active` says the task lives.
    private let lock = Mutex(State())
    private nonisolated(unsafe) var task: UnsafeCurrentTask?

    private struct State {
        var active = true
        var clientGone = false
    }

    /// Whether the client went away during the relay.
    var clientGone: Bool { lock.withLock { $0.clientGone } }

    /// Runs `body`, cancelling it if `channel` closes first.
    func watch<T>(_ channel: any Channel, _ body: () async throws -> T) async rethrows -> T {
        withUnsafeCurrentTask { current in
            lock.withLock { _ in task = current }
        }
        channel.closeFuture.whenComplete { _ in
            self.lock.withLock { state in
                guard state.active else { return }
                state.clientGone = true
                self.task?.cancel()
            }
        }
        defer {
            lock.withLock { state in
                state.active = false
                task = nil
            }
        }
        return try await body()
    }
}
