import SluiceWire

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
    /// The user an `x-sluice-user` header names.
    package var user: String?
    /// The client's API key or bearer token hashed with the gateway's own key (`key:` and 16 hex
    /// digits): a stable user identity that keeps the key itself out of the ledger. FNV-1a seeded
    /// with the gateway's key is not a cryptographic MAC: it hides keys from readers of reports, not
    /// from someone who holds a key, its hash and time to invert the seed.
    package var keyedCredential: String?
    /// The agent program, from `user-agent` and `originator` (``ClientName``).
    package var client: String?
    /// The plan tier an `x-sluice-tier` header names (see ``PlanTier``).
    package var tier: String?

    package init(
        sluiceSession: String? = nil, claudeCodeSession: String? = nil, codexSession: String? = nil,
        codexTurnMetadata: String? = nil, agentID: String? = nil, parentAgentID: String? = nil,
        openAISubagent: String? = nil, tag: String? = nil, credentialHash: String? = nil, user: String? = nil,
        keyedCredential: String? = nil, client: String? = nil, tier: String? = nil
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
        self.user = user
        self.keyedCredential = keyedCredential
        self.client = client
        self.tier = tier
    }

    /// Reads the headers through `lookup`, which takes a lowercase header name; `userHashKey` keys
    /// the hash of the credential that identifies the user.
    package init(userHashKey: [UInt8] = [], lookup: (String) -> String?) {
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
        user = value("x-sluice-user").map { String($0.prefix(128)) }
        keyedCredential = credential.map {
            "key:" + Fingerprint.hex(Fingerprint.fnv1a(Array($0.utf8), hash: Fingerprint.fnv1a(userHashKey)))
        }
        tier = value("x-sluice-tier").map { String($0.prefix(64)) }
        client = ClientName.from(userAgent: lookup("user-agent"), originator: lookup("originator"))
    }
}
