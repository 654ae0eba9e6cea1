/// One vocabulary for what a tool call does, across agents.
///
/// Claude Code's `Grep`, Codex's `shell_command` running `rg` and OpenHands' `execute_bash`
/// running `grep` are all `search`: rules are written once, for every agent.
package enum ToolCategory: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case search, read, list, edit, exec, test, plan, web, agent, other

    package static func < (lhs: ToolCategory, rhs: ToolCategory) -> Bool {
        lhs.sortIndex < rhs.sortIndex
    }

    private var sortIndex: Int { Self.allCases.firstIndex(of: self) ?? 0 }
}
