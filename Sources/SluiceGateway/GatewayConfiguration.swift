import Foundation

/// How a gateway process is set up: where it listens, which policy and ledger it uses.
package struct GatewayConfiguration: Sendable {
    package var host: String = "127.0.0.1"
    package var port: Int = 8787
    package var policyPath: String = "policies/default.yaml"
    /// Where the ledger lives, as `--ledger` gives it (``LedgerLocation``).
    package var ledger: String = ".sluice/ledger.sqlite"
    /// Largest request body accepted; agents send whole repositories, so the default is generous.
    package var maxBodyBytes: Int = 32 * 1024 * 1024
    /// Largest non-streamed upstream answer relayed (it is read whole to find its usage).
    package var maxResponseBytes: Int = 64 * 1024 * 1024
    /// The process environment, for `base_url_env` and `api_key_env` in the policy.
    package var environment: [String: String] = [:]
    /// The gateway's own key for hashing client credentials into user identities: the same key
    /// gives the same user across restarts, and another gateway's hash of the same key differs.
    package var userHashKey: [UInt8] = []
    /// The wall clock turns are dated by, in Unix milliseconds: prices in force, cache lifetimes and
    /// reports all read it. Tests that need an hour to pass set their own.
    package var clock: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1_000) }

    package init() {}
}
