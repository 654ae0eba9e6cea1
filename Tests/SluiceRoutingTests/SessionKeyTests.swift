import Testing

@testable import SluiceRouting
@testable import SluiceWire

@Suite struct SessionKeyTests {
    static func body(userID: String? = nil, cacheKey: String? = nil, openHands: String? = nil) -> SessionKey.BodySignals {
        var signals = SessionKey.BodySignals()
        signals.metadataUserID = userID
        signals.promptCacheKey = cacheKey
        signals.metadataSessionID = openHands
        signals.firstUserText = "fix the bug"
        return signals
    }

    @Test(arguments: [
        (TurnHeaders(sluiceSession: "mine", claudeCodeSession: "cc1"), body(cacheKey: "k"), "mine", SessionSource.sluiceHeader),
        (TurnHeaders(claudeCodeSession: "cc1", codexSession: "cx"), body(), "cc:cc1", .claudeCodeHeader),
        (TurnHeaders(), body(userID: #"{"device_id":"d","account_uuid":"","session_id":"s-json"}"#), "cc:s-json", .claudeCodeMetadata),
        (TurnHeaders(), body(userID: "user_abc_account__session_5f9e-uuid"), "cc:5f9e-uuid", .claudeCodeMetadata),
        (TurnHeaders(codexSession: "cx1"), body(cacheKey: "k"), "codex:cx1", .codexHeader),
        (TurnHeaders(codexTurnMetadata: #"{"session_id":"cx2","turn_id":"t"}"#), body(cacheKey: "k"), "codex:cx2", .codexTurnMetadata),
        (TurnHeaders(), body(cacheKey: "thread-9", openHands: "oh"), "pck:thread-9", .promptCacheKey),
        (TurnHeaders(), body(openHands: "oh-1"), "oh:oh-1", .openHandsMetadata),
    ])
    func takesTheFirstSignalPresent(
        _ headers: TurnHeaders, _ body: SessionKey.BodySignals, _ key: String, _ source: SessionSource
    ) {
        let resolved = SessionKey.resolve(headers: headers, body: body, dialect: .anthropic, requestedModel: "claude-opus-5-5")
        #expect(resolved.key == key)
        #expect(resolved.source == source)
    }

    @Test func aUserIDWithoutASessionFallsThrough() {
        let resolved = SessionKey.resolve(
            headers: TurnHeaders(), body: Self.body(userID: "user_abc_account_"), dialect: .anthropic,
            requestedModel: "claude-opus-5-5")
        #expect(resolved.source == .fingerprint)
    }

    @Test func fingerprintsSurviveADatedModelID() {
        var a = Self.body()
        a.firstSystemText = "You are Claude Code."
        let first = SessionKey.resolve(headers: TurnHeaders(credentialHash: "h"), body: a, dialect: .anthropic, requestedModel: "claude-opus-4-5-20251101")
        let second = SessionKey.resolve(headers: TurnHeaders(credentialHash: "h"), body: a, dialect: .anthropic, requestedModel: "claude-opus-4-6")
        #expect(first.key == second.key)
        var b = a
        b.firstUserText = "another task"
        let other = SessionKey.resolve(headers: TurnHeaders(credentialHash: "h"), body: b, dialect: .anthropic, requestedModel: "claude-opus-4-6")
        #expect(other.key != first.key)
    }

    @Test func readsHeadersCaseInsensitivelyAndNeverKeepsTheCredential() {
        let raw = ["x-claude-code-session-id": " abc ", "authorization": "Bearer sk-secret", "x-sluice-tag": "PROJ-1"]
        let headers = TurnHeaders { raw[$0] }
        #expect(headers.claudeCodeSession == "abc")
        #expect(headers.tag == "PROJ-1")
        #expect(headers.credentialHash?.count == 16)
        #expect(headers.credentialHash?.contains("sk-secret") == false)
    }
}

/// Who sent a turn and with which program, as reports group spend.
@Suite struct TurnIdentityTests {
    @Test(arguments: [
        ("claude-cli/2.1.40 (external, cli)", nil, "claude-code"),
        ("codex_cli_rs/0.58.0 (Debian 12; x86_64) xterm", "codex_cli_rs", "codex"),
        ("OpenAI/Python 2.8.1", nil, "openai-python"),
        ("Anthropic/Python 0.75.0", nil, "anthropic-python"),
        ("curl/8.5.0", nil, "curl"),
        ("My Agent!!/1.0", nil, "my"),
    ] as [(String, String?, String)])
    func namesTheClientProgram(_ userAgent: String, _ originator: String?, _ name: String) {
        #expect(ClientName.from(userAgent: userAgent, originator: originator) == name)
    }

    @Test func noUserAgentNamesNoClient() {
        #expect(ClientName.from(userAgent: nil, originator: nil) == nil)
        #expect(ClientName.from(userAgent: "", originator: nil) == nil)
    }

    @Test func identifiesTheUserWithoutKeepingTheKey() {
        let key = "sk-ant-secret-123"
        let headers = TurnHeaders(userHashKey: Array("gateway-key".utf8)) { $0 == "x-api-key" ? key : nil }
        let other = TurnHeaders(userHashKey: Array("another-gateway".utf8)) { $0 == "x-api-key" ? key : nil }
        let user = headers.keyedCredential
        #expect(user?.hasPrefix("key:") == true && user?.contains("secret") == false && user?.count == 20)
        #expect(headers.keyedCredential != other.keyedCredential, "the gateway's key changes the hash")
        let named = TurnHeaders { $0 == "x-sluice-user" ? "alice" : nil }
        #expect(named.user == "alice")
    }

    @Test func readsClaudeCodesUserFromItsMetadata() throws {
        let json = #"{"device_id":"dev-1","account_uuid":"acct-9","session_id":"s-1"}"#
        #expect(SessionKey.claudeCodeUser(fromUserID: json) == "acct-9")
        #expect(SessionKey.claudeCodeUser(fromUserID: #"{"device_id":"dev-1","session_id":"s"}"#) == "dev-1")
        #expect(SessionKey.claudeCodeUser(fromUserID: "user_abc_account_123_session_456") == "user_abc_account_123")
        let body = #"{"model":"m","max_tokens":9,"metadata":{"user_id":"user_abc_account_123_session_456"},"messages":[{"role":"user","content":"hi"}]}"#
        let scanned = try Array(body.utf8).withUnsafeBytes { try RequestScanner().scan($0, dialect: .anthropic, headers: TurnHeaders()) }
        #expect(scanned.features.clientUser == "cc:user_abc_account_123")
    }
}
