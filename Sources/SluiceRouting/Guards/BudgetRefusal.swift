package import SluiceLedger
package import SluiceWire

/// The error a turn gets at a budget's hard limit: it names the cap, the spend and how to go on.
package enum BudgetRefusal {
    /// The refusal of a turn under `claim`, whose account has spent `spent` of `limit`.
    package static func error(_ claim: CapClaim, spent: USD, limit: USD) -> ClientError {
        let cap = claim.cap
        let whose: String
        let until: String
        switch cap.scope {
        case .session:
            whose = "this session has spent \(spent.display)"
            until = "The session is paused, not lost: raise the cap"
        case .user:
            whose = "user \"\(claim.key)\" has spent \(spent.display) \(cap.period == .day ? "today" : "this month")"
            until = "Turns resume when the \(cap.period == .day ? "UTC day" : "month") ends, or when you raise the cap"
        case .tag:
            whose = "tag \"\(claim.key)\" has spent \(spent.display) \(cap.period == .day ? "today" : "this month")"
            until = "Turns resume when the \(cap.period == .day ? "UTC day" : "month") ends, or when you raise the cap"
        case .all:
            whose = "the gateway has spent \(spent.display) \(cap.period == .day ? "today" : "this month")"
            until = "Turns resume when the \(cap.period == .day ? "UTC day" : "month") ends, or when you raise the cap"
        }
        return ClientError(
            .budgetExceeded,
            "Sluice budget reached: cap \(cap.described(limit: limit)); \(whose). \(until) "
                + "(budgets.caps \"\(cap.name)\" in the gateway's policy; a running gateway reloads it on save or SIGHUP)"
                + (cap.scope == .session ? " and send the next request of this session again." : "."))
    }
}
