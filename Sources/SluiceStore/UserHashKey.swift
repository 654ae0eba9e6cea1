/// The key that hashes client credentials into user identities (`TurnHeaders`): kept across
/// restarts, so a client keeps its identity, and never a credential itself.
package enum UserHashKey {
    /// A new key: 32 random bytes as 64 lowercase hex digits.
    package static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in
            let byte = UInt8.random(in: 0...255, using: &generator)
            return (byte < 16 ? "0" : "") + String(byte, radix: 16)
        }.joined()
    }

    /// The key every gateway of a PostgreSQL ledger shares (made by the first to start), so one
    /// client is one user whichever gateway serves it.
    package static func shared(in store: PostgresLedgerStore) async throws -> [UInt8] {
        Array(try await store.sharedSetting("user-hash-key", proposing: random()).utf8)
    }
}
