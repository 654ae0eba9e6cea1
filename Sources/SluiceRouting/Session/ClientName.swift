/// The agent program behind a request, named from its `user-agent` (and Codex's `originator`), so
/// reports can group spend by client.
///
/// Known agents and SDKs get their usual names; anything else is the first product token of the
/// user agent, lowercased and cut to 32 characters of `a-z 0-9 . _ -`, so the set of names stays
/// small and safe to print.
package enum ClientName {
    private static let known: [(needle: String, name: String)] = [
        ("claude-cli", "claude-code"), ("claude-code", "claude-code"), ("codex", "codex"),
        ("opencode", "opencode"), ("aider", "aider"), ("openhands", "openhands"), ("cline", "cline"),
        ("litellm", "litellm"), ("anthropic/python", "anthropic-python"), ("anthropic/js", "anthropic-node"),
        ("openai/python", "openai-python"), ("openai/js", "openai-node"), ("openai-agents", "openai-agents"),
    ]

    /// The client's name, or `nil` when the request names none.
    package static func from(userAgent: String?, originator: String?) -> String? {
        for text in [originator, userAgent].compactMap({ $0?.lowercased() }) where !text.isEmpty {
            if let match = known.first(where: { text.contains($0.needle) }) { return match.name }
        }
        guard let agent = userAgent?.lowercased(), !agent.isEmpty else { return nil }
        let token = agent.prefix { $0 != "/" && $0 != " " }
        let cleaned = token.filter { $0.isLetter && $0.isASCII || $0.isNumber && $0.isASCII || "._-".contains($0) }
        return cleaned.isEmpty ? nil : String(cleaned.prefix(32))
    }
}
