/// What kind of turn a request is; every turn gets exactly one.
package enum TurnShape: String, Sendable, Hashable, Codable, CaseIterable {
    /// Background work the agent does besides the task: titles, summaries, compaction, safety
    /// classifiers, probes with a tiny `max_tokens`.
    case sideCall = "side_call"
    /// The last message is new text from the user.
    case userTurn = "user_turn"
    /// The last message hands tool results back to the model.
    case toolFollowup = "tool_followup"
    /// Anything else (an empty conversation, a trailing assistant prefill).
    case other
}
