package import SluiceWire

/// One turn as the cache simulation sees it: which thread, when, how many tokens of each kind,
/// and the lifetime the request asked for.
package struct CacheTurn: Sendable, Hashable {
    /// `main`, a subagent's id, or `side` (see ``CacheTurn/thread(agentID:isSideCall:)``).
    package var thread: String
    /// When the request arrived, Unix milliseconds.
    package var startedAtMilliseconds: Int64
    /// When the answer began: from then on, what the turn wrote can be read.
    package var readyAtMilliseconds: Int64
    /// The turn's real usage (or Sluice's estimate, when the upstream gave none).
    package var usage: Usage
    /// What the request asked of the cache.
    package var request: CacheRequest
    /// How long the answering model worked, for time-priced models.
    package var generationMilliseconds: Int

    package init(
        thread: String, startedAtMilliseconds: Int64, readyAtMilliseconds: Int64, usage: Usage,
        request: CacheRequest, generationMilliseconds: Int = 0
    ) {
        self.thread = thread
        self.startedAtMilliseconds = startedAtMilliseconds
        self.readyAtMilliseconds = max(startedAtMilliseconds, readyAtMilliseconds)
        self.usage = usage
        self.request = request
        self.generationMilliseconds = generationMilliseconds
    }

    /// The thread a turn belongs to: side calls share one, a subagent has its own, the rest is
    /// the main conversation.
    package static func thread(agentID: String?, isSideCall: Bool) -> String {
        if isSideCall { return "side" }
        return agentID ?? "main"
    }
}
