import SluiceRouting
import Synchronization

/// What the gateway remembers about recent sessions between their turns: the prompt size of the
/// previous turn (so a turn's features can say how much of its prompt is new), and the model that
/// answered it with how much it read from cache (for stickiness).
///
/// Bounded: past `capacity` sessions the least recently seen are forgotten, and a forgotten
/// session's next turn counts as its first.
final class SessionMemory: Sendable {
    private struct State {
        var entries: [String: Entry] = [:]
        var clock: UInt64 = 0
    }

    private struct Entry {
        var promptTokens: Int?
        var previous: Stickiness.Previous?
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
        update(session) { entry in
            let previous = entry.promptTokens
            entry.promptTokens = promptTokens
            guard let previous else { return nil }
            return promptTokens >= previous ? promptTokens - previous : promptTokens
        }
    }

    /// The model that answered the session's previous turn, and how warm its cache was.
    func previous(session: String) -> Stickiness.Previous? {
        state.withLock { $0.entries[session]?.previous }
    }

    /// Notes the model that answered a turn and the tokens it read from cache.
    func noteAnswered(session: String, model: String, cacheRead: Int) {
        update(session) { $0.previous = Stickiness.Previous(model: model, cacheRead: cacheRead) }
    }

    private func update<T>(_ session: String, _ body: (inout Entry) -> T) -> T {
        state.withLock { state in
            state.clock += 1
            var entry = state.entries[session] ?? Entry(lastSeen: state.clock)
            entry.lastSeen = state.clock
            let result = body(&entry)
            state.entries[session] = entry
            if state.entries.count > capacity { Self.forgetOldest(&state, keeping: capacity * 9 / 10) }
            return result
        }
    }

    /// Drops the least recently seen sessions in one sweep, so the cost is paid rarely.
    private static func forgetOldest(_ state: inout State, keeping count: Int) {
        let cutoff = state.entries.values.map(\.lastSeen).sorted(by: >)[count - 1]
        state.entries = state.entries.filter { $0.value.lastSeen >= cutoff }
    }
}
