package import SluiceLedger
package import SluiceRouting
import Synchronization

/// The running spend behind budgets: what each session, user, tag and the gateway has spent per
/// period, what running turns reserved, and which alerts have fired.
///
/// Admission is atomic: a turn's caps are read and its reservation is taken under one lock
/// (``admit(_:tag:anomalies:at:)``, which runs the pure ``BudgetPlan/admit(_:chosen:)``), so
/// concurrent turns cannot all see the same room under a cap. The one recorded outcome of each
/// turn settles it (``settle(_:record:budgets:)``): its reservation is released and its real
/// cost added, whichever way it ended. Spend is counted for every account a cap could name,
/// whatever the policy says now, so a cap a reload adds sees the spend already made. A starting
/// gateway counts the ledger's recent spend again (``seed(_:at:)``).
package final class GuardBook: Sendable {
    private let state = Mutex(State())

    private struct State {
        var accounts: [SpendAccount: Account] = [:]
        /// Each recent session's pace, for the growth anomaly.
        var paces: [String: SpendPace] = [:]
        var percentiles = SessionPercentiles()
        var settled = 0
    }

    private struct Account {
        var spent = USD.zero
        var reserved = USD.zero
        /// Caps whose alert fired for this account and has not been re-armed.
        var alerted: Set<String> = []
        var touchedAtMilliseconds: Int64 = 0
    }

    /// The longest growth window a policy may set, kept for every session's pace.
    static let paceWindowMilliseconds: Int64 = 60 * 60_000

    /// A session's spend is forgotten this long after its latest turn.
    static let sessionLifetimeMilliseconds: Int64 = 30 * UTCDateTime.millisecondsPerDay

    package init() {}

    // MARK: - Admission

    /// Admits a planned turn under its budgets, taking its reservation, and flags a session whose
    /// cost has run past its tag's p90 multiple.
    ///
    /// - Returns: The plan as admitted (sent to a soft limit's model, or refused at a hard limit),
    ///   and the reservation the turn's outcome must release; `nil` when nothing was reserved.
    package func admit(_ plan: TurnPlan, tag: String?, anomalies: AnomalyWatch?, at now: Int64) -> (
        TurnPlan, BudgetReservation?
    ) {
        var plan = plan
        var reservation: BudgetReservation?
        state.withLock { state in
            if let multiple = anomalies?.p90Multiple, let line = state.percentiles.p90(tag: tag, times: multiple),
                let spent = state.accounts[Self.sessionAccount(plan.session.key)]?.spent, line < spent
            {
                plan.guards.append(TurnGuard(.anomaly, "p90x\(multiple)"))
            }
            if let anomalies, let multiple = anomalies.growthMultiple,
                state.paces[plan.session.key]?.isRunningAway(
                    at: now, window: anomalies.growthWindowMilliseconds, multiple: multiple) == true
            {
                plan.guards.append(TurnGuard(.anomaly, "growth"))
            }
            guard let budget = plan.budget, let chosen = plan.candidates.first, case .forward = plan.verdict else {
                return
            }
            let accounts = budget.claims.map { $0.account(atMilliseconds: now) }
            let standings = zip(budget.claims, accounts).map { claim, account in
                let held = state.accounts[account]
                return CapStanding(
                    spent: held?.spent ?? .zero, reserved: held?.reserved ?? .zero,
                    limit: Self.limit(of: claim.cap, tag: tag, percentiles: state.percentiles))
            }
            let admission = budget.admit(standings, chosen: chosen)
            if case .admit(_, let amount, _) = admission {
                let unique = Array(Set(accounts))
                for account in unique { state.accounts[account, default: Account()].reserved += amount }
                reservation = BudgetReservation(accounts: unique, amount: amount, tier: budget.tier)
            }
            plan = plan.admitted(admission)
        }
        return (plan, reservation)
    }

    /// The cap's ceiling in dollars for a session tagged `tag`; `nil` while a p90 cap has no figure.
    private static func limit(of cap: BudgetCap, tag: String?, percentiles: SessionPercentiles) -> USD? {
        switch cap.limit {
        case .dollars(let amount): amount
        case .p90Times(let multiple): percentiles.p90(tag: tag, times: multiple)
        }
    }

    // MARK: - Settling

    /// Releases a finished turn's reservation, counts its real cost, and returns the alerts its
    /// spend crossed (each cap's alert fires once per crossing: it re-arms when the account's
    /// spend is below the threshold again, after a raise or in a new period).
    package func settle(_ reservation: BudgetReservation?, record: TurnRecord, budgets: Budgets?) -> [BudgetAlert] {
        state.withLock { state in
            if let reservation {
                for account in reservation.accounts {
                    guard var held = state.accounts[account] else { continue }
                    held.reserved = held.reserved - reservation.amount < .zero ? .zero : held.reserved - reservation.amount
                    state.accounts[account] = held
                }
            }
            let at = record.startedAtMilliseconds
            for account in Self.accounts(session: record.session, user: record.user, tag: record.tag, at: at) {
                state.accounts[account, default: Account()].spent += record.cost
                state.accounts[account]?.touchedAtMilliseconds = at
            }
            var pace = state.paces[record.session] ?? SpendPace(firstAtMilliseconds: at)
            pace.note(record.cost, at: at, window: Self.paceWindowMilliseconds)
            state.paces[record.session] = pace
            state.settled += 1
            if state.settled % 4_096 == 0 { Self.prune(&state, now: at) }
            guard let budgets else { return [] }
            var alerts: [BudgetAlert] = []
            let tier = reservation?.tier
            for claim in budgets.claims(session: record.session, user: record.user, tag: record.tag, tier: tier) {
                guard let percent = claim.cap.alertPercent,
                    let limit = Self.limit(of: claim.cap, tag: record.tag, percentiles: state.percentiles)
                else { continue }
                let account = claim.account(atMilliseconds: at)
                guard var held = state.accounts[account] else { continue }
                let threshold = BudgetThreshold.percent(percent).amount(of: limit)
                if held.spent < threshold {
                    held.alerted.remove(claim.cap.name)
                } else if held.alerted.insert(claim.cap.name).inserted {
                    alerts.append(
                        BudgetAlert(
                            cap: claim.cap, key: claim.key, session: record.session, user: record.user, tag: record.tag,
                            spent: held.spent, limit: limit, percent: percent, atMilliseconds: at))
                }
                state.accounts[account] = held
            }
            return alerts
        }
    }

    /// Every account a turn's cost counts in: its session's life, its user's, its tag's and the
    /// gateway's day and month.
    static func accounts(session: String, user: String?, tag: String?, at now: Int64) -> [SpendAccount] {
        var accounts = [sessionAccount(session)]
        for period in [BudgetPeriod.day, .month] {
            let index = period.index(atMilliseconds: now)
            if let user { accounts.append(SpendAccount(scope: .user, key: user, period: period, index: index)) }
            if let tag { accounts.append(SpendAccount(scope: .tag, key: tag, period: period, index: index)) }
            accounts.append(SpendAccount(scope: .all, key: "*", period: period, index: index))
        }
        return accounts
    }

    private static func sessionAccount(_ session: String) -> SpendAccount {
        SpendAccount(scope: .session, key: session, period: .total, index: 0)
    }

    /// Drops the accounts of past days and months, and sessions idle past their lifetime.
    private static func prune(_ state: inout State, now: Int64) {
        let day = BudgetPeriod.day.index(atMilliseconds: now)
        let month = BudgetPeriod.month.index(atMilliseconds: now)
        state.paces = state.paces.filter { now - ($0.value.recent.last?.atMilliseconds ?? 0) < sessionLifetimeMilliseconds }
        state.accounts = state.accounts.filter { account, held in
            switch account.period {
            case .total: now - held.touchedAtMilliseconds < sessionLifetimeMilliseconds || held.reserved > .zero
            case .day: account.index >= day
            case .month: account.index >= month
            }
        }
    }

    // MARK: - The ledger

    /// How far back a starting gateway reads spend: the current month, and a session's lifetime.
    package static func seedStart(at now: Int64) -> Int64 {
        min(BudgetPeriod.month.start(ofIndex: BudgetPeriod.month.index(atMilliseconds: now)) ?? now,
            now - sessionLifetimeMilliseconds)
    }

    /// Counts the ledger's recent spend (rows since ``seedStart(at:)``) into the accounts, so a
    /// restarted gateway enforces the caps the spend already reached.
    package func seed(_ rows: [SpendRow], at now: Int64) {
        let totals = Self.totals(rows, at: now)
        state.withLock { state in
            for (account, total) in totals {
                var held = state.accounts[account] ?? Account()
                held.spent += total.spent
                held.touchedAtMilliseconds = max(held.touchedAtMilliseconds, total.touchedAtMilliseconds)
                state.accounts[account] = held
            }
        }
    }

    /// Takes in the spend other gateways wrote to a ledger this one shares: each account's spend
    /// becomes the larger of its own count and the ledger's.
    ///
    /// Its own count holds every turn this gateway settled, written or not; the ledger's holds
    /// every gateway's written turns. The larger is never above the truth, and falls short of it
    /// only by what was spent since the last writes, so caps hold across gateways within one
    /// refresh (decision 0011).
    package func reconcile(_ rows: [SpendRow], at now: Int64) {
        let totals = Self.totals(rows, at: now)
        state.withLock { state in
            for (account, total) in totals {
                var held = state.accounts[account] ?? Account()
                held.spent = max(held.spent, total.spent)
                held.touchedAtMilliseconds = max(held.touchedAtMilliseconds, total.touchedAtMilliseconds)
                state.accounts[account] = held
            }
        }
    }

    /// The ledger's spend per account, for the periods in force at `now`.
    private static func totals(_ rows: [SpendRow], at now: Int64) -> [SpendAccount: Account] {
        let today = BudgetPeriod.day.index(atMilliseconds: now)
        let month = BudgetPeriod.month.index(atMilliseconds: now)
        var totals: [SpendAccount: Account] = [:]
        for row in rows {
            let at = row.day * UTCDateTime.millisecondsPerDay
            for account in accounts(session: row.session, user: row.user, tag: row.tag, at: at) {
                switch account.period {
                case .total: break
                case .day: guard account.index == today else { continue }
                case .month: guard account.index == month else { continue }
                }
                totals[account, default: Account()].spent += row.cost
                totals[account]!.touchedAtMilliseconds = max(totals[account]!.touchedAtMilliseconds, at)
            }
        }
        return totals
    }

    /// Replaces the p90 figures `p90x3` caps and the anomaly flag multiply.
    package func update(_ percentiles: SessionPercentiles) {
        state.withLock { $0.percentiles = percentiles }
    }

    /// An account's spend and reservations now (for tests and reports).
    package func standing(of account: SpendAccount) -> (spent: USD, reserved: USD) {
        state.withLock { state in
            let held = state.accounts[account]
            return (held?.spent ?? .zero, held?.reserved ?? .zero)
        }
    }
}

/// What a running turn reserved, and where: released when its outcome is recorded.
package struct BudgetReservation: Sendable, Hashable {
    package var accounts: [SpendAccount]
    package var amount: USD
    /// The turn's tier, for the alerts its spend may cross.
    package var tier: String?
}

/// An alert threshold one account's spend crossed.
package struct BudgetAlert: Sendable, Hashable {
    package var cap: BudgetCap
    package var key: String
    package var session: String
    package var user: String?
    package var tag: String?
    package var spent: USD
    package var limit: USD
    package var percent: Int
    package var atMilliseconds: Int64
}
