/// Which signal gave a turn its session key (DESIGN §4, first present wins).
package enum SessionSource: String, Sendable, Hashable, Codable {
    case sluiceHeader = "x-sluice-session"
    case claudeCodeHeader = "x-claude-code-session-id"
    case claudeCodeMetadata = "metadata.user_id"
    case codexHeader = "session_id"
    case codexTurnMetadata = "x-codex-turn-metadata"
    case promptCacheKey = "prompt_cache_key"
    case openHandsMetadata = "metadata.session_id"
    case fingerprint
}
