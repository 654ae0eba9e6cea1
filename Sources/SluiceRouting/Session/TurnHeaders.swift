/// The request headers that say which session, agent and tag a turn belongs to.
///
/// Read once from the HTTP request by the gateway; the credential is kept only as a hash.
package struct TurnHeaders: Sendable, Hashable {
    package var sluiceSession: String?
    package var claudeCodeSession: String?
    package var codexSession: String?
    package var codexTurnMetadata: String?
    package var agentID: String?
    package var parentAgentID: String?
    package var openAISubagent: String?
    package var tag: String?
    /// A hash of the client's API key or bearer token; never the credential itself.
    package var credentialHash: String?

    package init(
        sluiceSession: String? = nil, claudeCodeSession: String? = nil, codexSession: String? = nil,
        codexTurnMetadata: String? = nil, agentID: String? = nil, parentAgentID: String? = nil,
        openAISubagent: String? = nil, tag: String? = nil, credentialHash: String? = nil
    ) {
        self.sluiceSession = sluiceSession
        self.claudeCodeSession = claudeCodeSession
        self.codexSession = codexSession
        self.codexTurnMetadata = codexTurnMetadata
        self.agentID = agentID
        self.parentAgentID = parentAgentID
        self.openAISubagent = openAISubagent
        self.tag = tag
        self.credentialHash = credentialHash
    }

    /// Reads the headers through `lookup`, which takes a lowercase header name.
    package init(lookup: (String) -> String?) {
        func value(_ name: String) -> String? {
            guard let raw = lookup(name) else { return nil }
            let trimmed = raw.trimmingWhitespace()
            return trimmed.isEmpty ? nil : String(trimmed.prefix(256))
        }
        sluiceSession = value("x-sluice-session")
        claudeCodeSession = value("x-claude-code-session-id")
        codexSession = value("session_id") ?? value("session-id")
        codexTurnMetadata = lookup("x-codex-turn-metadata")
        agentID = value("x-claude-code-agent-id")
        parentAgentID = value("x-claude-code-parent-agent-id") ?? value("x-codex-parent-thread-id")
        openAISubagent = value("x-openai-subagent")
        tag = value("x-sluice-tag")
        let credential = lookup("x-api-key") ?? lookup("authorization")
        credentialHash = credential.map { Fingerprint.hex(Fingerprint.fnv1a(Array($0.utf8))) }
    }
}
