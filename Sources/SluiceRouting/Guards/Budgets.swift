package import SluiceLedger

/// The `budgets:` section: plan tiers, spending caps, and where alerts are posted.
package struct Budgets: Sendable, Hashable {
    /// The tiers, in the order they are tried.
    package var tiers: [PlanTier]
    /// The caps, in the order written; every cap that applies to a turn is checked.
    package var caps: [BudgetCap]
    /// A URL every alert is POSTed to as JSON; `nil` for logs and metrics only.
    package var webhook: String?

    package init(tiers: [PlanTier] = [], caps: [BudgetCap] = [], webhook: String? = nil) {
        self.tiers = tiers
        self.caps = caps
        self.webhook = webhook
    }

    /// The tier of a turn: the first that takes it; `nil` when none does.
    package func tier(user: String?, tag: String?, headerValue: String?) -> String? {
        tiers.first { $0.takes(user: user, tag: tag, headerValue: headerValue) }?.name
    }

    /// The caps that apply to a turn on `tier`, each with the key of the spend it counts (the
    /// session, the user, the tag, or `*` for the whole gateway); a user or tag cap of a turn
    /// without one does not apply.
    package func claims(session: String, user: String?, tag: String?, tier: String?) -> [CapClaim] {
        caps.compactMap { cap in
            if let wanted = cap.tier, wanted != tier { return nil }
            let key: String?
            switch cap.scope {
            case .session: key = session
            case .user: key = user
            case .tag: key = tag
            case .all: key = "*"
            }
            return key.map { CapClaim(cap: cap, key: $0) }
        }
    }
}

/// A cap that applies to a turn, with the key whose spend it counts.
package struct CapClaim: Sendable, Hashable {
    package var cap: BudgetCap
    /// The session key, the user, the tag, or `*`.
    package var key: String

    package init(cap: BudgetCap, key: String) {
        self.cap = cap
        self.key = key
    }

    /// The spend this claim counts at `milliseconds`: its scope, its key, and its period's number.
    package func account(atMilliseconds milliseconds: Int64) -> SpendAccount {
        SpendAccount(scope: cap.scope, key: key, period: cap.period, index: cap.period.index(atMilliseconds: milliseconds))
    }
}

/// One running total of spend: a scope's key over one period.
///
/// Caps with the same scope and period share an account, so a cap added by a reload sees the
/// spend already counted.
package struct SpendAccount: Sendable, Hashable {
    package var scope: BudgetScope
    package var key: String
    package var period: BudgetPeriod
    /// The day or month number (0 for a session's whole life).
    package var index: Int64

    package init(scope: BudgetScope, key: String, period: BudgetPeriod, index: Int64) {
        self.scope = scope
        self.key = key
        self.period = period
        self.index = index
    }
}
