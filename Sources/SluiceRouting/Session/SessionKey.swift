package import SluiceWire

/// Derives a turn's session key from the first signal present (DESIGN §4).
///
/// Keys carry a prefix naming their origin (`cc:`, `codex:`, `pck:`, `oh:`, `fp:`); an explicit
/// `x-sluice-session` is used as given, so a user can name sessions.
package enum SessionKey {
    /// Body fields that can name a session, read by the scanner.
    package struct BodySignals: Sendable, Hashable {
        package var metadataUserID: String?
        package var promptCacheKey: String?
        package var metadataSessionID: String?
        /// First system text, without Claude Code's rotating billing line.
        package var firstSystemText: String = ""
        /// First user text.
        package var firstUserText: String = ""

        package init() {}
    }

    /// The key and the signal it came from.
    package static func resolve(headers: TurnHeaders, body: BodySignals, dialect: Dialect, requestedModel: String)
        -> (key: String, source: SessionSource)
    {
        if let value = headers.sluiceSession { return (value, .sluiceHeader) }
        if let value = headers.claudeCodeSession { return ("cc:" + value, .claudeCodeHeader) }
        if let userID = body.metadataUserID, let value = claudeCodeSession(fromUserID: userID) {
            return ("cc:" + value, .claudeCodeMetadata)
        }
        if let value = headers.codexSession { return ("codex:" + value, .codexHeader) }
        if let metadata = headers.codexTurnMetadata, let value = codexSession(fromTurnMetadata: metadata) {
            return ("codex:" + value, .codexTurnMetadata)
        }
        if let value = body.promptCacheKey, !value.isEmpty { return ("pck:" + String(value.prefix(200)), .promptCacheKey) }
        if let value = body.metadataSessionID, !value.isEmpty { return ("oh:" + String(value.prefix(200)), .openHandsMetadata) }
        var hash = Fingerprint.fnv1a(Array((headers.credentialHash ?? "").utf8))
        hash = Fingerprint.fnv1a(Array(dialect.rawValue.utf8), hash: hash)
        hash = Fingerprint.fnv1a(Array(modelFamily(requestedModel).utf8), hash: hash)
        hash = Fingerprint.fnv1a(body.firstSystemText.utf8.prefix(4096), hash: hash)
        hash = Fingerprint.fnv1a(body.firstUserText.utf8.prefix(4096), hash: hash)
        return ("fp:" + Fingerprint.hex(hash), .fingerprint)
    }

    /// Claude Code's session id inside `metadata.user_id`: a JSON string with `session_id`
    /// (2.1.78 and later) or the older `user_<hash>_account_<uuid>_session_<uuid>` form.
    static func claudeCodeSession(fromUserID userID: String) -> String? {
        if userID.hasPrefix("{") {
            var bytes = Array(userID.utf8)
            return bytes.withUnsafeMutableBytes { raw in
                guard let document = try? JSONDocument(bytes: UnsafeRawBufferPointer(raw)) else { return nil }
                return document.root["session_id"]?.string.flatMap { $0.isEmpty ? nil : $0 }
            }
        }
        guard let range = userID.firstRange(of: "_session_") else { return nil }
        let value = userID[range.upperBound...]
        return value.isEmpty ? nil : String(value)
    }

    /// The user inside Claude Code's `metadata.user_id`: the account (or, without one, the device)
    /// of the JSON form, or what precedes `_session_` in the older form.
    static func claudeCodeUser(fromUserID userID: String) -> String? {
        if userID.hasPrefix("{") {
            var bytes = Array(userID.utf8)
            return bytes.withUnsafeMutableBytes { raw in
                guard let document = try? JSONDocument(bytes: UnsafeRawBufferPointer(raw)) else { return nil }
                let account = document.root["account_uuid"]?.string ?? ""
                let device = document.root["device_id"]?.string ?? ""
                let user = account.isEmpty ? device : account
                return user.isEmpty ? nil : String(user.prefix(128))
            }
        }
        let user = userID.firstRange(of: "_session_").map { userID[..<$0.lowerBound] } ?? Substring(userID)
        return user.isEmpty ? nil : String(user.prefix(128))
    }

    static func codexSession(fromTurnMetadata metadata: String) -> String? {
        var bytes = Array(metadata.utf8)
        return bytes.withUnsafeMutableBytes { raw in
            guard let document = try? JSONDocument(bytes: UnsafeRawBufferPointer(raw)) else { return nil }
            return document.root["session_id"]?.string.flatMap { $0.isEmpty ? nil : $0 }
        }
    }

    /// The model's family, so a fingerprint survives a dated model id changing (`claude-opus-4-5-20251101`).
    ///
    /// Compared as ASCII bytes: this runs on every turn that has no session signal.
    static func modelFamily(_ model: String) -> String {
        let lower = model.utf8.prefix(128).map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        for family in families where lower.firstRange(of: family.bytes) != nil {
            return family.name
        }
        return String(decoding: lower, as: UTF8.self)
    }

    private static let families: [(name: String, bytes: [UInt8])] =
        ["opus", "sonnet", "haiku", "fable", "gpt", "o1", "o3", "o4", "gemini", "qwen", "deepseek", "llama"]
        .map { ($0, Array($0.utf8)) }
}
