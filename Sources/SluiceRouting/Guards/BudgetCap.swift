package import SluiceLedger
package import SluiceWire

/// One spending cap of the `budgets:` section: whose spend it counts, over what period, how high
/// it is, and what happens on the way up.
///
/// Three steps, each optional but the last: an alert (a log line, a metric and the webhook, once
/// per crossing), a soft limit (the rest of the scope's turns go to a cheaper model, and the
/// answer says so in `x-sluice-guard`) and the hard limit (new turns are refused in the client's
/// dialect until the cap is raised or the period ends; turns already running finish).
package struct BudgetCap: Sendable, Hashable {
    /// Named in `x-sluice-guard`, the ledger, the refusal and the alert.
    package var name: String
    package var scope: BudgetScope
    package var period: BudgetPeriod
    /// The tier the cap applies to; `nil` for every tier.
    package var tier: String?
    package var limit: BudgetLimit
    /// The share of the cap, in percent, at which the alert fires; `nil` for none.
    package var alertPercent: Int?
    /// Where the soft limit starts and the model each dialect goes to after it; `nil` for none.
    package var soft: SoftLimit?
    /// Whether turns are refused at the cap (`hard: false` keeps only the alert and the soft limit).
    package var hard: Bool

    package init(
        name: String, scope: BudgetScope, period: BudgetPeriod = .total, tier: String? = nil, limit: BudgetLimit,
        alertPercent: Int? = nil, soft: SoftLimit? = nil, hard: Bool = true
    ) {
        self.name = name
        self.scope = scope
        self.period = period
        self.tier = tier
        self.limit = limit
        self.alertPercent = alertPercent
        self.soft = soft
        self.hard = hard
    }

    /// How the cap reads in a message: `per-session ($1.00 per session)`.
    package func described(limit amount: USD) -> String {
        let per: String
        switch (scope, period) {
        case (.session, _): per = "per session"
        case (.all, .day): per = "per day for the whole gateway"
        case (.all, _): per = "per month for the whole gateway"
        case (_, .day): per = "per \(scope.rawValue) per day"
        case (_, _): per = "per \(scope.rawValue) per month"
        }
        return "\"\(name)\" (\(amount.display) \(per))"
    }
}

/// A cap's soft limit: past `threshold`, a turn that would go to a dearer model goes to the
/// cheaper one named for its client's dialect instead.
package struct SoftLimit: Sendable, Hashable {
    package var threshold: BudgetThreshold
    /// The model per client dialect.
    package var models: [Dialect: String]

    package init(threshold: BudgetThreshold, models: [Dialect: String]) {
        self.threshold = threshold
        self.models = models
    }
}

/// A plan tier: who is on it. Tiers are tried in order and the first that takes a turn is its
/// tier; one without conditions takes everyone left.
///
/// The `x-sluice-tier` header can choose a tier, so that a trusted proxy in front of Sluice can
/// say which plan a caller pays for. A client that sets the header itself can only choose among
/// the tiers the policy lets a header choose, and caps without a tier apply whatever it says.
package struct PlanTier: Sendable, Hashable {
    package var name: String
    /// Users on the tier (the identity reports group by).
    package var users: Set<String>
    /// Tags whose sessions are on the tier.
    package var tags: Set<String>
    /// The `x-sluice-tier` value that puts a turn on the tier; `nil` when no header can.
    package var header: String?

    package init(name: String, users: Set<String> = [], tags: Set<String> = [], header: String? = nil) {
        self.name = name
        self.users = users
        self.tags = tags
        self.header = header
    }

    /// Whether the tier has no conditions: it takes every turn that reaches it.
    package var takesEveryone: Bool { users.isEmpty && tags.isEmpty && header == nil }

    /// Whether a turn of `user`, tagged `tag`, whose `x-sluice-tier` header reads `headerValue`,
    /// is on the tier.
    package func takes(user: String?, tag: String?, headerValue: String?) -> Bool {
        if takesEveryone { return true }
        if let user, users.contains(user) { return true }
        if let tag, tags.contains(tag) { return true }
        if let header, headerValue == header { return true }
        return false
    }
}
