/// What the client asked an endpoint to do with its request.
package enum TurnOperation: Sendable, Hashable {
    /// Answer the turn: `/v1/messages`, `/v1/chat/completions`, `/v1/responses`.
    case answer
    /// Count the prompt's tokens (`/v1/messages/count_tokens`): forwarded like a turn, but no
    /// model works on it, so it is neither recorded nor remembered.
    case countTokens
}
