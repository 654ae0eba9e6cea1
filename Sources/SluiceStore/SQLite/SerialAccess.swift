import Synchronization

/// Runs async operations one at a time, in arrival order.
///
/// sqlite-nio gives one connection and runs each statement as a separate job, so two tasks
/// could interleave their statements inside one transaction. Every store operation goes
/// through this gate instead.
final class SerialAccess: Sendable {
    private struct State {
        var isBusy = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    /// Waits for earlier operations to finish, then runs `operation` alone.
    func run<Result: Sendable>(_ operation: () async throws -> Result) async throws -> Result {
        await acquire()
        defer { release() }
        return try await operation()
    }

    private func acquire() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let acquired = state.withLock { state in
                if !state.isBusy {
                    state.isBusy = true
                    return true
                }
                state.waiters.append(continuation)
                return false
            }
            if acquired { continuation.resume() }
        }
    }

    private func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.waiters.isEmpty else {
                state.isBusy = false
                return nil
            }
            return state.waiters.removeFirst()  // stays busy: ownership passes to the next waiter
        }
        next?.resume()
    }
}
