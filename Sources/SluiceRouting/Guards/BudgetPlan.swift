package import SluiceLedger
package import SluiceWire

/// What the turn plan knows about a turn's budgets: the caps that apply, the turn's expected
/// cost inputs, and the cheaper models a soft limit could send it to. The gateway holds the
/// running spend and decides admission atomically with ``admit(_:chosen:)``, pure.
package struct BudgetPlan: Sendable, Hashable {
    /// The caps that apply, each with the spend it counts.
    package var claims: [CapClaim]
    /// The turn's plan tier; `nil` when no tier takes it.
    package var tier: String?
    /// The client's dialect: a soft limit names a model per dialect.
    package var dialect: Dialect
    /// Estimated prompt tokens of the request.
    package var promptTokens: Int
    /// The model whose cache the session warmed, and how much of the prompt it read last turn.
    package var warmModel: String?
    package var warmTokens: Int
    /// The output the session's recent turns gave (a default before the first).
    package var outputTokens: Int
    /// For each soft limit's model (by name) that can take the turn and costs less than the
    /// chosen one: the candidate to send it to.
    package var softCandidates: [String: PlannedCandidate]

    /// Output tokens assumed for a session's first turn: a typical agent reply, not `max_tokens`
    /// (a worst case reserved on every turn refuses sessions far below their caps).
    package static let firstTurnOutputTokens = 1_000

    package init(
        claims: [CapClaim], tier: String?, dialect: Dialect, promptTokens: Int, warmModel: String?, warmTokens: Int,
        outputTokens: Int, softCandidates: [String: PlannedCandidate] = [:]
    ) {
        self.claims = claims
        self.tier = tier
        self.dialect = dialect
        self.promptTokens = promptTokens
        self.warmModel = warmModel
        self.warmTokens = warmTokens
        self.outputTokens = outputTokens
        self.softCandidates = softCandidates
    }

    /// The usage the turn is expected to have on `model`: the prompt, read from the cache as far
    /// as the session's last turn on that model did, and the session's typical output.
    package func estimate(on model: String) -> Usage {
        let cached = model == warmModel ? min(warmTokens, promptTokens) : 0
        return Usage(uncachedInput: promptTokens - cached, cacheRead: cached, output: outputTokens)
    }

    /// What the turn is expected to cost on `candidate`: the reservation it holds while it runs.
    package func reservation(on candidate: PlannedCandidate) -> USD {
        candidate.priced.price.cost(of: estimate(on: candidate.model.name)).total
    }

    /// Decides one turn against the caps that apply, given each claim's standing (in `claims`' order).
    ///
    /// A soft limit that has been passed sends the turn to its cheaper model, if that model can
    /// take it. Then each hard cap must fit the turn's reservation: spend plus what running turns
    /// reserved plus this one stays within the cap, or, with nothing else running, spend is still
    /// below it (so the last turn under a cap runs, and concurrent turns overshoot by one at most).
    /// A cap whose limit is not known yet (`p90x3` before the ledger has enough sessions) passes.
    ///
    /// - Parameters:
    ///   - standings: Per claim: its spend, its reservations, and its limit in dollars.
    ///   - chosen: The candidate the plan would send the turn to.
    /// - Returns: The admission, with the reservation to hold, or the refusal.
    package func admit(_ standings: [CapStanding], chosen: PlannedCandidate) -> BudgetAdmission {
        var target = chosen
        var guards: [TurnGuard] = []
        for (claim, standing) in zip(claims, standings) {
            guard let soft = claim.cap.soft, let limit = standing.limit,
                standing.spent + standing.reserved >= soft.threshold.amount(of: limit),
                let model = soft.models[dialect], let candidate = softCandidates[model]
            else { continue }
            target = candidate
            guards.append(TurnGuard(.budgetSoft, claim.cap.name))
            break
        }
        let reservation = reservation(on: target)
        for (claim, standing) in zip(claims, standings) where claim.cap.hard {
            guard let limit = standing.limit else { continue }
            let committed = standing.spent + standing.reserved
            let fits = !(limit < committed + reservation) || (standing.reserved == .zero && standing.spent < limit)
            if !fits {
                return .refuse(claim, spent: standing.spent, limit: limit)
            }
        }
        return .admit(target, reservation: reservation, guards: guards)
    }
}

/// One claim's standing when a turn arrives.
package struct CapStanding: Sendable, Hashable {
    /// What the account's recorded turns cost.
    package var spent: USD
    /// What its running turns reserved.
    package var reserved: USD
    /// The cap in dollars; `nil` while a `p90x3` cap has no figure.
    package var limit: USD?

    package init(spent: USD, reserved: USD, limit: USD?) {
        self.spent = spent
        self.reserved = reserved
        self.limit = limit
    }
}

/// A turn's fate under its budgets.
package enum BudgetAdmission: Sendable, Hashable {
    /// Forward to `candidate` (the chosen one, or a soft limit's), holding `reservation` until the
    /// turn's outcome is recorded.
    case admit(PlannedCandidate, reservation: USD, guards: [TurnGuard])
    /// Refuse: `claim`'s hard cap is reached.
    case refuse(CapClaim, spent: USD, limit: USD)
}
