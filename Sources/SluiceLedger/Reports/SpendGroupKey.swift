/// What `sluice report --group-by` groups turns by.
///
/// The raw values are what users type. Every key reads one field of the ledger row, so a group
/// is a plain `GROUP BY` that a store could also compute.
package enum SpendGroupKey: String, Sendable, Hashable, CaseIterable {
    /// The client's identity (``TurnRecord/user``).
    case user
    /// The work item (``TurnRecord/tag``).
    case tag
    /// The agent program (``TurnRecord/client``).
    case client
    /// The policy rule that chose the model.
    case rule
    /// The model that answered.
    case model
    /// The turn shape (`user_turn`, `tool_followup`...).
    case shape
    /// Who made the turn: `"main"` for the main agent, `"side"` for side calls, else the
    /// subagent's id.
    case subagent

    /// The group of a turn without a value for the key: no user, no tag, an empty rule...
    package static let noValue = "(none)"

    /// The group a turn falls in.
    ///
    /// A side call is `"side"` under ``subagent`` even when a subagent made it: side calls are
    /// chores (titles, summaries, probes), and grouping them apart shows what they cost.
    package func value(of turn: TurnRecord) -> String {
        let value: String?
        switch self {
        case .user: value = turn.user
        case .tag: value = turn.tag
        case .client: value = turn.client
        case .rule: value = turn.rule
        case .model: value = turn.model
        case .shape: value = turn.shape
        case .subagent: value = turn.thread
        }
        guard let value, !value.isEmpty else { return Self.noValue }
        return value
    }
}
