/// A session's call tree: the main agent's turns with each subagent's turns nested under the
/// agent that started it, as lines a renderer indents.
///
/// Agents that delegate (Claude Code's Task tool, Codex subagents) run subagents whose turns
/// interleave in time with their parent's. Listed flat, a session reads as noise; nested, it
/// shows which delegation cost what. The ledger records each turn's ``TurnRecord/agentID`` and
/// ``TurnRecord/parentAgentID``, which is all the tree needs.
///
/// The order is the main thread's turns in time order, with each subagent's block (its turns
/// and, nested one level deeper, its own subagents' blocks) inserted at the position of the
/// subagent's first turn. Side calls are not a thread of their own: they stay in the flow of
/// the agent that made them (the main flow when no agent id is given), marked by
/// ``Line/isSideCall``.
///
/// ```swift
/// for line in SessionTree(turns: turns).lines {
///     print(String(repeating: "  ", count: line.depth) + line.turn.model)
/// }
/// ```
package struct SessionTree: Sendable, Hashable {
    /// One turn at its place in the tree.
    package struct Line: Sendable, Hashable {
        /// Nesting depth: 0 for the main thread, 1 for its subagents, 2 for theirs...
        package var depth: Int
        /// The turn.
        package var turn: TurnRecord

        package init(depth: Int, turn: TurnRecord) {
            self.depth = depth
            self.turn = turn
        }

        /// Whether the turn is a side call, for renderers to mark.
        package var isSideCall: Bool { turn.isSideCall }
    }

    /// Every turn of the session once, in tree order.
    package var lines: [Line]

    /// Builds the tree.
    ///
    /// A subagent's parent is the first non-empty ``TurnRecord/parentAgentID`` among its turns.
    /// A subagent with no parent, with a parent that made no turn in the session, or whose
    /// chain of parents runs into a cycle (which only a faulty client can report) hangs off the
    /// main thread, so every turn appears exactly once.
    ///
    /// - Parameter turns: One session's turns, in any order; sorted by start time, then id.
    package init(turns: [TurnRecord]) {
        let ordered = turns.sorted(by: TurnRecord.chronologically)

        // Each thread's turns, by position in `ordered`; agents in order of first appearance.
        var positions: [String?: [Int]] = [:]
        var agents: [String] = []
        var declaredParent: [String: String] = [:]
        for (position, turn) in ordered.enumerated() {
            let agent = turn.subagentID
            if let agent {
                if positions[agent] == nil { agents.append(agent) }
                if declaredParent[agent] == nil, let parent = turn.parentAgentID, !parent.isEmpty {
                    declaredParent[agent] = parent
                }
            }
            positions[agent, default: []].append(position)
        }

        var children: [String?: [String]] = [:]
        for agent in agents {
            children[Self.parent(of: agent, declared: declaredParent, known: positions), default: []].append(agent)
        }

        var lines: [Line] = []
        lines.reserveCapacity(ordered.count)
        Self.append(
            thread: nil, depth: 0, ordered: ordered, positions: positions, children: children, to: &lines)
        self.lines = lines
    }

    /// The thread `agent` hangs off: its declared parent when that made turns here and the chain
    /// of declared parents above it ends (at an agent without a known parent) without repeating
    /// an agent; else the main thread (`nil`). A chain that ends keeps every ancestor's declared
    /// parent too, so the result is a tree.
    private static func parent(
        of agent: String, declared: [String: String], known positions: [String?: [Int]]
    ) -> String? {
        guard let parent = declared[agent], positions[parent] != nil else { return nil }
        var seen: Set<String> = [agent]
        var ancestor: String? = parent
        while let current = ancestor {
            guard seen.insert(current).inserted else { return nil }  // a cycle
            guard let next = declared[current], positions[next] != nil else { break }
            ancestor = next
        }
        return parent
    }

    /// Appends `thread`'s turns at `depth`, each child thread's block at its first turn.
    private static func append(
        thread: String?, depth: Int, ordered: [TurnRecord], positions: [String?: [Int]],
        children: [String?: [String]], to lines: inout [Line]
    ) {
        // The thread's own turns and its children's blocks, merged by position.
        var items: [(position: Int, child: String?)] = (positions[thread] ?? []).map {
            (position: $0, child: nil)
        }
        for child in children[thread] ?? [] {
            if let first = positions[child]?.first { items.append((position: first, child: child)) }
        }
        items.sort { $0.position < $1.position }
        for item in items {
            if let child = item.child {
                append(
                    thread: child, depth: depth + 1, ordered: ordered, positions: positions, children: children,
                    to: &lines)
            } else {
                lines.append(Line(depth: depth, turn: ordered[item.position]))
            }
        }
    }
}
