import Yams

/// The `tool_categories:` and `stickiness:` sections: small settings with no checks across sections.
extension PolicyReader {
    /// `tool_categories: {my_search: search}`: tool names mapped to categories.
    mutating func readToolCategories(_ node: Node, into draft: inout PolicyDraft) {
        guard
            let entries = entries(
                of: node, at: "tool_categories", expecting: "a mapping of tool names to categories")
        else { return }
        var categories: [String: ToolCategory] = [:]
        for (tool, value) in entries {
            if let category: ToolCategory = choice(value, at: Self.path("tool_categories", tool), kind: "tool category")
            {
                categories[tool] = category
            }
        }
        draft.toolCategoryOverrides = categories
    }

    /// `stickiness: {tool_loop: true, require_saving: true}`.
    mutating func readStickiness(_ node: Node, into draft: inout PolicyDraft) {
        guard
            let fields = fields(
                of: node, at: "stickiness", expecting: "a mapping such as {tool_loop: true, require_saving: true}",
                allowed: ["tool_loop", "require_saving"])
        else { return }
        draft.stickiness.toolLoop = fields["tool_loop"].flatMap { flag($0, at: "stickiness.tool_loop") } ?? false
        draft.stickiness.requireSaving =
            fields["require_saving"].flatMap { flag($0, at: "stickiness.require_saving") } ?? false
    }
}
