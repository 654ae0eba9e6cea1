package import SluiceLedger
package import SluiceWire

/// The error a turn gets at a budget's hard limit: it names the cap, the spend, and how to go on.
package enum BudgetRefusal {
    /// The refusal of a turn under `claim`, whose account has spent `spent` of `limit`.
    package static func error(_ claim: CapClaim, spent: USD, limit: USD) -> ClientError {
        let cap = claim.cap
        let period = cap.period == .day ? "today" : "this month"
        let whose: String
        switch cap.scope {
        case .session: whose = "this session has spent \(spent.display)"
        case .user: whose = "user \"\(claim.key)\" has spent \(spent.display) \(period)"
        case .tag: whose = "tag \"\(claim.key)\" has spent \(spent.display) \(period)"
        case .all: whose = "the gateway has spent \(spent.display) \(period)"
        }
        let raise =
            "raise the cap of \"\(cap.name)\" in the gateway's policy (budgets.caps; a running gateway reloads the "
            + "file when it is saved)"
        let next: String
        if cap.scope == .session {
            next = "The session is paused, not lost: \(raise) and send again to continue."
        } else {
            next = "Turns resume when the \(cap.period == .day ? "UTC day" : "UTC month") ends, or \(raise)."
        }
        return ClientError(.budgetExceeded, "Sluice budget reached: cap \(cap.described(limit: limit)), and \(whose). \(next)")
    }
}
