/// What the last message of a request carries.
package enum MessageKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// New text (or images) from the user.
    case userText = "user_text"
    /// Results of the tool calls the model made in its previous turn.
    case toolResult = "tool_result"
    /// An assistant message (a prefill).
    case assistant
    /// A system or developer message.
    case system
    /// No message at all.
    case none
}
