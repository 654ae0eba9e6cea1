/// The session a turn belongs to, once the session's state is known.
///
/// Most agents name their session (a header, Claude Code's `metadata.user_id`, Codex's
/// `session_id`, a `prompt_cache_key`), and the scanned key is the session. Agents that send no
/// id (litellm-based ones, the OpenAI Agents SDK against another base URL) are known only by a
/// fingerprint of their first messages, which two runs of the same task share. For those, a
/// conversation that starts again (a request with no assistant message yet) after the
/// fingerprint's last run got past its start is a new run, and a new session: its key is the
/// fingerprint plus the run's start time, so runs stay apart across gateway restarts too.
package struct SessionIdentity: Sendable, Hashable {
    /// The key the turn is recorded under.
    package var key: String
    /// The key the scan found; the session's state is stored under it.
    package var scannedKey: String
    /// The signal the scanned key came from.
    package var source: SessionSource
    /// Whether this turn starts a session (its first turn, or a new run of a fingerprint).
    package var startsRun: Bool

    package init(key: String, scannedKey: String, source: SessionSource, startsRun: Bool) {
        self.key = key
        self.scannedKey = scannedKey
        self.source = source
        self.startsRun = startsRun
    }

    /// The identity of a scanned turn, given the state stored under its scanned key.
    ///
    /// - Parameters:
    ///   - scanned: The request as scanned.
    ///   - state: The state stored under `scanned.session`, if any.
    ///   - now: The turn's arrival, Unix milliseconds; names a new run.
    package static func resolve(_ scanned: ScannedRequest, state: SessionState?, at now: Int64) -> SessionIdentity {
        let base = scanned.session
        guard scanned.sessionSource == .fingerprint else {
            return SessionIdentity(key: base, scannedKey: base, source: scanned.sessionSource, startsRun: state == nil)
        }
        let features = scanned.features
        let atStart = features.assistantMessages == 0 && features.lastMessage == .userText && features.shape != .sideCall
        if let state, !(atStart && state.assistantMessages > 0) {
            return SessionIdentity(key: state.key, scannedKey: base, source: .fingerprint, startsRun: false)
        }
        guard atStart else {
            // Mid-conversation with nothing remembered (the gateway restarted): the fingerprint
            // itself is the best name left.
            return SessionIdentity(key: base, scannedKey: base, source: .fingerprint, startsRun: true)
        }
        return SessionIdentity(
            key: base + "." + String(UInt64(max(0, now)), radix: 36), scannedKey: base, source: .fingerprint,
            startsRun: true)
    }
}
