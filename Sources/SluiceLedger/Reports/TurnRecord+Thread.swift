extension TurnRecord {
    /// The subagent that made the turn, with an empty id read as none (the main agent).
    var subagentID: String? {
        agentID.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Whether the turn belongs to the main agent's own flow: no subagent id and not a side call.
    var isMainThread: Bool {
        subagentID == nil && !isSideCall
    }

    /// The thread the turn belongs to, as the cache simulation names it (``CacheTurn/thread(agentID:isSideCall:)``):
    /// `main`, a subagent's id, or `side`.
    var thread: String {
        CacheTurn.thread(agentID: subagentID, isSideCall: isSideCall)
    }
}
