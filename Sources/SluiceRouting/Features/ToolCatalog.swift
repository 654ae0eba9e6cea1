/// The mapping from tool names to categories: data, extendable by a policy.
///
/// Tools that run a shell (`Bash`, Codex's `shell`/`shell_command`/`exec_command`, OpenHands'
/// `execute_bash`, mini-swe-agent's `bash`) are classified by the command they ran
/// (`CommandClassifier`). Editor tools with a `command` argument (`str_replace_editor`,
/// `file_editor`) are `read` when they only view and `edit` otherwise.
package struct ToolCatalog: Sendable {
    /// How a tool's category is found.
    package enum Entry: Sendable, Hashable {
        /// Always this category.
        case fixed(ToolCategory)
        /// A shell: classify the command it ran.
        case shell
        /// An editor whose `command` argument says whether it viewed or changed a file.
        case editor
    }

    private var entries: [String: Entry]

    /// The built-in catalog, covering Claude Code, Codex, OpenHands, SWE-agent and mini-swe-agent.
    package static let builtIn = ToolCatalog(entries: builtInEntries)

    init(entries: [String: Entry]) {
        self.entries = entries
    }

    /// This catalog with `overrides` (exact tool names) taking precedence.
    package func overriding(with overrides: [String: ToolCategory]) -> ToolCatalog {
        var copy = self
        for (name, category) in overrides { copy.entries[name] = .fixed(category) }
        return copy
    }

    /// How `name` is classified: exact name first, then its lowercase form, then MCP tools as `other`.
    package func entry(for name: String) -> Entry {
        knownEntry(for: name) ?? .fixed(.other)
    }

    /// How `name` is classified, or `nil` when the catalog does not know it.
    package func knownEntry(for name: String) -> Entry? {
        entries[name] ?? entries[name.lowercased()]
    }

    private static let builtInEntries: [String: Entry] = {
        var table: [String: Entry] = [:]
        func add(_ category: ToolCategory, _ names: [String]) {
            for name in names { table[name] = .fixed(category) }
        }
        add(.search, ["Grep", "Glob", "grep", "glob", "search", "find", "grep_search", "file_search",
                      "codebase_search", "search_files", "find_file", "search_dir", "search_file", "find_files"])
        add(.read, ["Read", "read", "read_file", "view_file", "NotebookRead", "open", "goto", "scroll_up",
                    "scroll_down", "view_image", "cat", "read_many_files"])
        add(.list, ["LS", "ls", "list_dir", "list_files", "list_directory", "tree"])
        add(.edit, ["Edit", "Write", "MultiEdit", "NotebookEdit", "apply_patch", "edit", "write_file", "create_file",
                    "create", "insert", "str_replace", "replace", "write", "edit_file", "edit_blocks"])
        add(.plan, ["TodoWrite", "update_plan", "task_tracker", "ExitPlanMode", "EnterPlanMode", "TaskCreate",
                    "TaskUpdate", "TaskList", "TaskGet", "think", "todo_write"])
        add(.web, ["WebFetch", "WebSearch", "web_search", "web_fetch", "browser", "fetch"])
        add(.agent, ["Task", "Agent", "delegate", "SendMessage", "spawn_agent"])
        for name in ["Bash", "bash", "shell", "shell_command", "exec_command", "execute_bash", "terminal",
                     "run_command", "local_shell", "run_terminal_cmd", "execute_command", "container.exec"] {
            table[name] = .shell
        }
        for name in ["str_replace_editor", "file_editor", "str_replace_based_edit_tool", "text_editor"] {
            table[name] = .editor
        }
        return table
    }()
}
