package import SluiceRouting
import Synchronization

/// Session states in this process's memory: the store of a single gateway, and the fallback of
/// ``PostgresSessionStore`` while its database does not answer.
///
/// Bounded: past `capacity` sessions the least recently updated are forgotten, and a forgotten
/// session's next turn counts as its first. Reading a state changes nothing; only a turn's
/// outcome (``update(_:_:)``) makes a session recent. A restart forgets every session.
package final class InMemorySessionStore: SessionStateStore {
    private struct Entry {
        var state: SessionState
        var lastUpdate: UInt64
    }

    private struct Storage {
        var entries: [String: Entry] = [:]
        var clock: UInt64 = 0
    }

    private let storage = Mutex(Storage())
    private let capacity: Int

    package init(capacity: Int = 50_000) {
        self.capacity = max(1, capacity)
    }

    package func state(of key: String) async -> SessionState? {
        storage.withLock { $0.entries[key]?.state }
    }

    package func update<Result: Sendable>(
        _ key: String, _ change: @Sendable (SessionState?) -> (SessionState, Result)
    ) async -> Result {
        storage.withLock { storage in
            storage.clock += 1
            let (state, result) = change(storage.entries[key]?.state)
            storage.entries[key] = Entry(state: state, lastUpdate: storage.clock)
            if storage.entries.count > capacity { Self.forgetOldest(&storage, keeping: max(1, capacity * 9 / 10)) }
            return result
        }
    }

    /// Drops the least recently updated sessions in one sweep, so the cost is paid rarely.
    private static func forgetOldest(_ storage: inout Storage, keeping count: Int) {
        let cutoff = storage.entries.values.map(\.lastUpdate).sorted(by: >)[count - 1]
        storage.entries = storage.entries.filter { $0.value.lastUpdate >= cutoff }
    }
}
