import Synchronization

/// What the gateway remembers about recent sessions between their turns: the prompt size of the
/// previous turn, so a turn's features can say how much of its prompt is new.
///
/// Bounded: past `capacity` sessions the least recently seen are forgotten, and a forgotten
/// session's next turn counts as its first (`newPromptTokens == nil`).
final class SessionMemory: Sendable {
    private struct State {
        var entries: [String: Entry] = [:]
        var clock: UInt64 = 0
    }

    private struct Entry {
        var promptTokens: Int
        var lastSeen: UInt64
    }

    private let state = Mutex(State())
    private let capacity: Int

    init(capacity: Int = 50_000) {
        self.capacity = capacity
    }

    /// Records this turn's prompt size and returns the tokens new since the session's previous
    /// turn: the growth, or the whole prompt after the history shrank (compaction started over).
    func newPromptTokens(session: String, promptTokens: Int) -> Int? {
        state.withLock { state in
            state.clock += 1
            let previous = state.entries[session]?.promptTokens
            state.entries[session] = Entry(promptTokens: promptTokens, lastSeen: state.clock)
            if state.entries.count > capacity { Self.forgetOldest(&state, keeping: capacity * 9 / 10) }
            guard let previous else { return nil }
            return promptTokens >= previous ? promptTokens - previous : promptTokens
        }
    }

    /// Drops the least recently seen sessions in one sweep, so the cost is paid rarely.
    private static func forgetOldest(_ state: inout State, keeping count: Int) {
        let cutoff = state.entries.values.map(\.lastSeen).sorted(by: >)[count - 1]
        state.entries = state.entries.filter { $0.value.lastSeen >= cutoff }
    }
}
