import Synchronization

/// The categories of tool calls already classified, by a hash of the call's bytes.
///
/// The history features classify every earlier call of a conversation, and an agent sends its
/// whole conversation every turn: all but the newest reply's calls were classified on an earlier
/// turn. Classifying a shell command splits and looks up words (a few microseconds); looking up
/// its hash costs a lock and a probe. One memo lives with each `RequestScanner`, so a policy
/// reload (which may recategorize tools) starts a fresh one.
///
/// Bounded: past ``capacity`` entries the table is emptied and refills from the turns that
/// follow. A hash collision (64 bits) could only misfile one earlier call of the history.
package final class ToolCallMemo: Sendable {
    /// Entries kept before the table starts again.
    static let capacity = 131_072

    private let table = Mutex<[UInt64: ToolCategory]>([:])

    package init() {}

    /// The category stored under `key`, or the one `classify` gives, stored.
    func category(for key: UInt64, classify: () -> ToolCategory) -> ToolCategory {
        if let known = table.withLock({ $0[key] }) { return known }
        let category = classify()
        table.withLock { table in
            if table.count >= Self.capacity { table.removeAll(keepingCapacity: true) }
            table[key] = category
        }
        return category
    }
}
