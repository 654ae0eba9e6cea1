import SluiceGateway
import SluiceLedger
import SluiceRouting
import SluiceWire
import Testing

/// ``GuardBook``: the running spend behind budgets, `p90x3` caps against the ledger's figures,
/// the anomaly flags, reservations released by settling, and spend counted again from the ledger.
@Suite struct GuardBookTests {
    static let policyText = """
        version: 1
        upstreams:
          anthropic: {dialect: anthropic, base_url: https://api.anthropic.com}
        models:
          opus: {upstream: anthropic, id: claude-opus-5-5, context_window: 1000000, price: {input: 4, output: 20}}
        baseline: {anthropic: opus}
        rules:
          - {name: frontier, route: opus}
        budgets:
          caps:
            - {name: runaway, per: session, cap: p90x3}
            - {name: user-day, per: user, period: day, cap: 5.00, alert: 50%}
        anomalies: {p90_multiple: 2, growth_multiple: 3, growth_minutes: 10}
        """

    static let day: Int64 = 20_000 * UTCDateTime.millisecondsPerDay

    static func plan(_ policy: RoutingPolicy, session: String, at now: Int64) throws -> TurnPlan {
        let headers = TurnHeaders(sluiceSession: session, user: "alice")
        let body = #"{"model":"claude-opus-5-5","max_tokens":1000,"messages":[{"role":"user","content":"Fix it."}]}"#
        let scanned = try Array(body.utf8).withUnsafeBytes { try policy.makeScanner().scan($0, dialect: .anthropic, headers: headers) }
        return policy.plan(scanned, session: nil, at: now, headers: headers)
    }

    static func record(session: String, cost: USD, at now: Int64) -> TurnRecord {
        var record = TurnRecord(
            facts: TurnFacts(id: "t\(now)", startedAtMilliseconds: now, session: session, user: "alice", clientDialect: .anthropic),
            outcome: TurnOutcome(status: .ok, httpStatus: 200))
        record.cost = cost
        return record
    }

    @Test func aP90CapAppliesOnceTheLedgerHasAFigureAndFlagsTheSessionPastItsMultiple() throws {
        let policy = try RoutingPolicy(yaml: Self.policyText)
        let book = GuardBook()
        let now = Self.day + 1_000
        _ = book.settle(nil, record: Self.record(session: "s", cost: USD(nanos: 700_000_000), at: now), budgets: policy.budgets)

        // No figure yet: the p90 cap does not apply and nothing is flagged.
        let (open, held) = book.admit(try Self.plan(policy, session: "s", at: now), tag: nil, anomalies: policy.anomalies, at: now)
        #expect(open.verdict == .forward && open.guards.isEmpty)
        let reservation = try #require(held)
        _ = book.settle(reservation, record: Self.record(session: "s", cost: .zero, at: now), budgets: policy.budgets)

        // p90 $0.20: the cap is $0.60, below the $0.70 spent; and 2 × p90 = $0.40 is passed too.
        book.update(SessionPercentiles(overall: USD(nanos: 200_000_000)))
        let (refused, none) = book.admit(try Self.plan(policy, session: "s", at: now), tag: nil, anomalies: policy.anomalies, at: now)
        #expect(none == nil)
        guard case .refuse(let error, let status) = refused.verdict else {
            Issue.record("not refused: \(refused.verdict)")
            return
        }
        #expect(status == .refused && error.kind == .budgetExceeded)
        #expect(error.message.contains(#"cap "runaway" ($0.6000 per session)"#))
        #expect(refused.guards.map(\.written) == ["anomaly:p90x2", "budget-hard:runaway"])
        // Another session is below both.
        let (fresh, _) = book.admit(try Self.plan(policy, session: "t", at: now), tag: nil, anomalies: policy.anomalies, at: now)
        #expect(fresh.verdict == .forward && fresh.guards.isEmpty)
    }

    @Test func reservationsAreHeldUntilSettledAndAlertsFireOncePerCrossing() throws {
        let policy = try RoutingPolicy(yaml: Self.policyText)
        let book = GuardBook()
        let now = Self.day + 5_000
        let user = SpendAccount(scope: .user, key: "alice", period: .day, index: BudgetPeriod.day.index(atMilliseconds: now))
        let (_, held) = book.admit(try Self.plan(policy, session: "a", at: now), tag: nil, anomalies: nil, at: now)
        let reservation = try #require(held)
        #expect(reservation.amount > .zero)
        #expect(book.standing(of: user).reserved == reservation.amount)

        let crossed = book.settle(reservation, record: Self.record(session: "a", cost: USD(nanos: 2_600_000_000), at: now), budgets: policy.budgets)
        #expect(book.standing(of: user) == (USD(nanos: 2_600_000_000), .zero))
        #expect(crossed.map(\.cap.name) == ["user-day"])
        #expect(crossed.first?.percent == 50 && crossed.first?.limit == USD(nanos: 5_000_000_000))
        // Above the threshold already: no second alert.
        #expect(book.settle(nil, record: Self.record(session: "a", cost: USD(nanos: 100_000_000), at: now), budgets: policy.budgets).isEmpty)
        // A new day starts below it: the next crossing alerts again.
        let tomorrow = now + UTCDateTime.millisecondsPerDay
        #expect(book.settle(nil, record: Self.record(session: "b", cost: USD(nanos: 100_000_000), at: tomorrow), budgets: policy.budgets).isEmpty)
        let again = book.settle(nil, record: Self.record(session: "b", cost: USD(nanos: 2_500_000_000), at: tomorrow), budgets: policy.budgets)
        #expect(again.map(\.cap.name) == ["user-day"])
    }

    @Test func spendComesBackFromTheLedgerForTheCurrentDayMonthAndSessions() {
        let book = GuardBook()
        let now = Self.day + 3_600_000
        let today = Self.day / UTCDateTime.millisecondsPerDay
        book.seed(
            [
                SpendRow(session: "s", user: "alice", tag: "PROJ-1", day: today, cost: USD(nanos: 300)),
                SpendRow(session: "s", user: "alice", tag: "PROJ-1", day: today - 1, cost: USD(nanos: 200)),
                SpendRow(session: "t", user: "bob", tag: nil, day: today - 40, cost: USD(nanos: 50)),
            ], at: now)
        #expect(book.standing(of: SpendAccount(scope: .session, key: "s", period: .total, index: 0)).spent == USD(nanos: 500))
        let day = BudgetPeriod.day.index(atMilliseconds: now)
        let month = BudgetPeriod.month.index(atMilliseconds: now)
        #expect(book.standing(of: SpendAccount(scope: .user, key: "alice", period: .day, index: day)).spent == USD(nanos: 300))
        let sameMonth = BudgetPeriod.month.index(atMilliseconds: now - UTCDateTime.millisecondsPerDay) == month
        #expect(
            book.standing(of: SpendAccount(scope: .tag, key: "PROJ-1", period: .month, index: month)).spent
                == USD(nanos: sameMonth ? 500 : 300))
        #expect(book.standing(of: SpendAccount(scope: .user, key: "bob", period: .month, index: month)).spent == .zero)
    }

    @Test func reconcilingWithASharedLedgerTakesTheLargerOfOwnAndLedgerSpend() {
        let book = GuardBook()
        let now = Self.day + 3_600_000
        let today = now / UTCDateTime.millisecondsPerDay
        // This gateway settled 700 n$ for "s" (not all written yet) and nothing for "t".
        _ = book.settle(nil, record: Self.record(session: "s", cost: USD(nanos: 700), at: now), budgets: nil)
        // The ledger, written by this gateway and another: 500 for "s", 900 for "t".
        let rows = [
            SpendRow(session: "s", user: nil, tag: nil, day: today, cost: USD(nanos: 500)),
            SpendRow(session: "t", user: nil, tag: nil, day: today, cost: USD(nanos: 900)),
        ]
        book.reconcile(rows, at: now)
        book.reconcile(rows, at: now)  // a second read of the same rows counts nothing twice
        let s = SpendAccount(scope: .session, key: "s", period: .total, index: 0)
        let t = SpendAccount(scope: .session, key: "t", period: .total, index: 0)
        #expect(book.standing(of: s).spent == USD(nanos: 700))
        #expect(book.standing(of: t).spent == USD(nanos: 900))
        let all = SpendAccount(scope: .all, key: "*", period: .day, index: BudgetPeriod.day.index(atMilliseconds: now))
        #expect(book.standing(of: all).spent == USD(nanos: 1_400))
    }

    @Test func aSessionSpendingFasterThanItsOwnPaceIsFlagged() throws {
        let policy = try RoutingPolicy(yaml: Self.policyText)
        let book = GuardBook()
        let start = Self.day
        let minute: Int64 = 60_000
        // An hour at a steady pace: a cent a minute, every 5 minutes.
        for step in stride(from: Int64(0), through: 60, by: 5) {
            _ = book.settle(nil, record: Self.record(session: "p", cost: USD(nanos: 50_000_000), at: start + step * minute), budgets: nil)
        }
        let steady = start + 61 * minute
        let (calm, _) = book.admit(try Self.plan(policy, session: "p", at: steady), tag: nil, anomalies: policy.anomalies, at: steady)
        #expect(!calm.guards.contains { $0.kind == .anomaly })
        // Then a dollar in two minutes: far more than three times its pace.
        _ = book.settle(nil, record: Self.record(session: "p", cost: USD(nanos: 1_000_000_000), at: steady + minute), budgets: nil)
        let later = steady + 2 * minute
        let (fast, _) = book.admit(try Self.plan(policy, session: "p", at: later), tag: nil, anomalies: policy.anomalies, at: later)
        #expect(fast.guards.map(\.written).contains("anomaly:growth"))
    }
}
