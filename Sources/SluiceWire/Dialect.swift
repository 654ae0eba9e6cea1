/// A wire protocol a client or an upstream speaks.
///
/// The raw values are the names users write in policies and see in reports.
package enum Dialect: String, Sendable, Hashable, Codable, CaseIterable {
    /// Anthropic Messages (`POST /v1/messages`).
    case anthropic
    /// OpenAI Chat Completions (`POST /v1/chat/completions`).
    case openAIChat = "openai-chat"
    /// OpenAI Responses (`POST /v1/responses`), what Codex speaks.
    case openAIResponses = "openai-responses"
}
