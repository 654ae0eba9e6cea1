/// Where session states are kept between turns: the port the turn pipeline reads and updates.
///
/// The gateway's bounded in-memory store is one adapter; a store that several gateways share
/// (PostgreSQL) will be another, with no change to the plan. States are stored under the key the
/// scan found (``SessionIdentity/scannedKey``), so every run of a fingerprinted conversation
/// finds the one before it.
package protocol SessionStateStore: Sendable {
    /// The state stored under `key`, if any.
    func state(of key: String) async -> SessionState?

    /// Replaces the state under `key` with the one `change` makes from the current one,
    /// atomically (two turns of one session that end together both count), and returns what
    /// else `change` made, such as the turn's ledger record.
    func update<Result: Sendable>(
        _ key: String, _ change: @Sendable (SessionState?) -> (SessionState, Result)
    ) async -> Result
}
