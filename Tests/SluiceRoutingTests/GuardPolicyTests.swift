import Foundation
import SluiceLedger
import Testing

@testable import SluiceRouting
@testable import SluiceWire

/// The `budgets:` and `loop_breaker:` sections as the policy reader reads them: the shipped
/// example, plan tiers and the caps a turn claims, and every mistake reported at its path.
@Suite struct GuardPolicyTests {
    /// The small valid policy with `sections` appended.
    static func policy(_ sections: String) throws -> RoutingPolicy {
        try RoutingPolicy(yaml: PolicyFixtures.small + "\n" + sections + "\n")
    }

    static func dollars(_ text: String) throws -> USD {
        try #require(USD(dollars: text))
    }

    // MARK: - The shipped example

    @Test func theGuardedExampleCapsEverySessionAtADollarAndStopsLoops() throws {
        let folder = PolicyFixtures.policiesFolder.appendingPathComponent("examples")
        let text = try String(contentsOf: folder.appendingPathComponent("guarded.yaml"), encoding: .utf8)
        let policy = try RoutingPolicy(yaml: text) {
            try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8)
        }
        let budgets = try #require(policy.budgets)
        #expect(budgets.tiers.isEmpty)
        #expect(budgets.webhook == nil)
        #expect(budgets.caps.count == 1)
        let cap = try #require(budgets.caps.first)
        #expect(cap.name == "per-session")
        #expect(cap.scope == .session)
        #expect(cap.period == .total)
        #expect(cap.tier == nil)
        let dollar = try Self.dollars("1.00")
        let half = try Self.dollars("0.50")
        #expect(cap.limit == .dollars(dollar))
        #expect(cap.alertPercent == 75)
        #expect(cap.hard)
        let soft = try #require(cap.soft)
        #expect(soft.threshold == .dollars(half))
        #expect(soft.models == [.anthropic: "haiku", .openAIChat: "luna", .openAIResponses: "luna"])

        #expect(policy.loopBreaker == LoopBreaker(identical: 5, window: 10, action: .stop, wide: nil))
        #expect(policy.makeScanner().loopWindow == 10)
        #expect(policy.anomalies == nil)

        // "Everything above `budgets:` is policies/default.yaml as shipped."
        let base = try PolicyFixtures.shippedPolicy("default.yaml")
        #expect(policy.rules == base.rules)
        #expect(policy.models == base.models)
        #expect(policy.baselines == base.baselines)
        #expect(policy.nextMoveModel == base.nextMoveModel)
        #expect(base.budgets == nil && base.loopBreaker == nil)
    }

    @Test func aLoopBreakerReadsItsDefaultsAndItsWidePattern() throws {
        let plain = try Self.policy("loop_breaker: {action: warn}")
        #expect(plain.loopBreaker == LoopBreaker(identical: 5, window: 10, action: .warn))
        let wide = try Self.policy(
            "loop_breaker: {identical: 4, window: 8, action: escalate, wide: {calls: 12, distinct: 3, action: stop}}")
        #expect(
            wide.loopBreaker
                == LoopBreaker(
                    identical: 4, window: 8, action: .escalate, wide: WideLoop(calls: 12, distinct: 3, action: .stop)))
        // The scanner's window is the breaker's.
        #expect(wide.makeScanner().loopWindow == 8)
        #expect(try Self.policy("").loopBreaker == nil)
        #expect(try Self.policy("").budgets == nil)
    }

    // MARK: - Tiers and claims

    static let tiered = """
        budgets:
          tiers:
            - {name: paid, users: [alice@example.com], tags: [release], header: paid}
            - {name: trial, header: trial}
            - {name: free}
          caps:
            - {name: free-session, per: session, tier: free, cap: 1.00, alert: 80%}
            - {name: paid-session, per: session, tier: paid, cap: 20.00, soft: {at: 50%, route: haiku}}
            - {name: user-day, per: user, period: day, cap: 50.00, hard: false}
            - {name: tag-month, per: tag, cap: 500.00}
            - {name: gateway-day, per: all, period: day, cap: 1000.00}
        """

    @Test func readsTiersAndCapsInTheOrderWritten() throws {
        let budgets = try #require(try Self.policy(Self.tiered).budgets)
        #expect(budgets.tiers.map(\.name) == ["paid", "trial", "free"])
        #expect(budgets.tiers[0] == PlanTier(name: "paid", users: ["alice@example.com"], tags: ["release"], header: "paid"))
        #expect(budgets.tiers[2].takesEveryone && !budgets.tiers[1].takesEveryone)
        #expect(budgets.caps.map(\.name) == ["free-session", "paid-session", "user-day", "tag-month", "gateway-day"])
        #expect(budgets.caps.map(\.scope) == [.session, .session, .user, .tag, .all])
        // A session cap counts the whole session; the others a month unless they say a day.
        #expect(budgets.caps.map(\.period) == [.total, .total, .day, .month, .day])
        #expect(budgets.caps.map(\.tier) == ["free", "paid", nil, nil, nil])
        #expect(budgets.caps.map(\.hard) == [true, true, false, true, true])
        #expect(budgets.caps[0].alertPercent == 80)
        #expect(budgets.caps[1].soft?.threshold == .percent(50))
        // A single soft route names the model for every dialect.
        #expect(budgets.caps[1].soft?.models == [.anthropic: "haiku", .openAIChat: "haiku", .openAIResponses: "haiku"])
        let fifty = try Self.dollars("50")
        #expect(budgets.caps[2].limit == .dollars(fifty))
    }

    @Test(arguments: [
        (user: "alice@example.com", tag: nil, header: nil, tier: "paid"),
        (user: "bob", tag: "release", header: nil, tier: "paid"),
        (user: nil, tag: nil, header: "paid", tier: "paid"),
        (user: "bob", tag: nil, header: "trial", tier: "trial"),
        // The first tier that takes the turn wins, whatever a later one would say.
        (user: "alice@example.com", tag: nil, header: "trial", tier: "paid"),
        (user: "bob", tag: "nightly", header: "gold", tier: "free"),
        (user: nil, tag: nil, header: nil, tier: "free"),
    ] as [(user: String?, tag: String?, header: String?, tier: String)])
    func resolvesTiersInOrder(user: String?, tag: String?, header: String?, tier: String) throws {
        let budgets = try #require(try Self.policy(Self.tiered).budgets)
        #expect(budgets.tier(user: user, tag: tag, headerValue: header) == tier)
    }

    @Test func withoutATierForEveryoneATurnCanHaveNone() throws {
        let budgets = Budgets(tiers: [PlanTier(name: "paid", users: ["alice"])], caps: [])
        #expect(budgets.tier(user: "alice", tag: nil, headerValue: nil) == "paid")
        #expect(budgets.tier(user: "bob", tag: nil, headerValue: "paid") == nil)
        #expect(Budgets().tier(user: "alice", tag: "x", headerValue: "y") == nil)
    }

    @Test func aTurnClaimsTheCapsOfItsTierAndOfTheScopesItHas() throws {
        let budgets = try #require(try Self.policy(Self.tiered).budgets)
        // No user, no tag: the free tier's session cap and the gateway's cap only.
        let anonymous = budgets.claims(session: "s1", user: nil, tag: nil, tier: "free")
        #expect(anonymous.map(\.cap.name) == ["free-session", "gateway-day"])
        #expect(anonymous.map(\.key) == ["s1", "*"])
        // A paid user's tagged turn: the paid session cap, not the free one, and every scope.
        let paid = budgets.claims(session: "s2", user: "alice@example.com", tag: "release", tier: "paid")
        #expect(paid.map(\.cap.name) == ["paid-session", "user-day", "tag-month", "gateway-day"])
        #expect(paid.map(\.key) == ["s2", "alice@example.com", "release", "*"])
        // A tier no session cap names: only the caps without a tier.
        let trial = budgets.claims(session: "s3", user: "bob", tag: nil, tier: "trial")
        #expect(trial.map(\.cap.name) == ["user-day", "gateway-day"])
        // Without a tier, caps for a tier do not apply.
        #expect(budgets.claims(session: "s4", user: nil, tag: "t", tier: nil).map(\.cap.name) == ["tag-month", "gateway-day"])
    }

    @Test func aClaimCountsItsScopesSpendOverItsPeriod() throws {
        let budgets = try #require(try Self.policy(Self.tiered).budgets)
        let day: Int64 = 86_400_000
        let at = 20_000 * day + 5 * 3_600_000
        let claims = budgets.claims(session: "s", user: "bob", tag: "t", tier: "free")
        let accounts = claims.map { $0.account(atMilliseconds: at) }
        #expect(accounts[0] == SpendAccount(scope: .session, key: "s", period: .total, index: 0))
        #expect(accounts[1] == SpendAccount(scope: .user, key: "bob", period: .day, index: 20_000))
        #expect(accounts[2].scope == .tag && accounts[2].period == .month)
        #expect(accounts[2].index == BudgetPeriod.month.index(atMilliseconds: at))
        #expect(accounts[3] == SpendAccount(scope: .all, key: "*", period: .day, index: 20_000))
        // The next UTC day is another account.
        #expect(claims[1].account(atMilliseconds: at + day).index == 20_001)
    }

    @Test func thePlansBudgetNamesTheTierItsHeadersChoose() throws {
        let policy = try Self.policy(Self.tiered)
        let scanned = try Array(TurnPlanTests.hello.utf8).withUnsafeBytes { raw in
            try policy.makeScanner().scan(raw, dialect: .anthropic, headers: TurnHeaders(sluiceSession: "s1"))
        }
        let tagged = TurnHeaders(sluiceSession: "s1", tag: "release", user: "bob")
        let paid = try #require(policy.plan(scanned, session: nil, at: 0, headers: tagged).budget)
        #expect(paid.tier == "paid")
        #expect(paid.claims.map(\.cap.name) == ["paid-session", "user-day", "tag-month", "gateway-day"])
        #expect(paid.claims.map(\.key) == ["s1", "bob", "release", "*"])
        let anonymous = try #require(policy.plan(scanned, session: nil, at: 0).budget)
        #expect(anonymous.tier == "free")
        #expect(anonymous.claims.map(\.cap.name) == ["free-session", "gateway-day"])
    }

    // MARK: - Problems

    /// One mistake in the guard sections, the path it must be reported at, and what its message
    /// must name.
    struct Problem: CustomTestStringConvertible, Sendable {
        var label: String
        var sections: String
        var path: String
        var mentions: [String]

        init(_ label: String, _ sections: String, _ path: String, _ mentions: [String]) {
            self.label = label
            self.sections = sections
            self.path = path
            self.mentions = mentions
        }

        var testDescription: String { label }
    }

    static let problems: [Problem] = [
        Problem(
            "unknown scope", "budgets: {caps: [{name: a, per: team, cap: 1.00}]}", "budgets.caps[0].per",
            ["unknown scope \"team\"", "session, user, tag, all"]),
        Problem(
            "p90 cap on a user", "budgets: {caps: [{name: a, per: user, period: day, cap: p90x3}]}",
            "budgets.caps[0].cap", ["p90x3", "only a session cap"]),
        Problem(
            "soft limit at the cap", "budgets: {caps: [{name: a, per: session, cap: 1.00, soft: {at: 1.00, route: haiku}}]}",
            "budgets.caps[0].soft.at", ["soft limit must be below the cap (1.00)"]),
        Problem(
            "soft limit in dollars on a p90 cap",
            "budgets: {caps: [{name: a, per: session, cap: p90x3, soft: {at: 0.50, route: haiku}}]}",
            "budgets.caps[0].soft.at", ["p90 cap", "as a percent"]),
        Problem(
            "soft route to an unknown model",
            "budgets: {caps: [{name: a, per: session, cap: 1.00, soft: {at: 0.50, route: {anthropic: haiku, openai: luna}}}]}",
            "budgets.caps[0].soft.route", ["unknown model \"luna\""]),
        Problem(
            "cap naming an unknown tier",
            "budgets: {tiers: [{name: free}], caps: [{name: a, per: session, tier: gold, cap: 1.00}]}",
            "budgets.caps[0].tier", ["no tier \"gold\""]),
        Problem(
            "cap naming a tier when there are none", "budgets: {caps: [{name: a, per: session, tier: gold, cap: 1.00}]}",
            "budgets.caps[0].tier", ["no tier \"gold\"", "budgets.tiers names none"]),
        Problem(
            "a period on a session cap", "budgets: {caps: [{name: a, per: session, period: day, cap: 1.00}]}",
            "budgets.caps[0].period", ["session cap counts the whole session", "leave period out"]),
        Problem(
            "a user cap over all time", "budgets: {caps: [{name: a, per: user, period: total, cap: 5.00}]}",
            "budgets.caps[0].period", ["user cap counts a day or a month"]),
        Problem(
            "a tier after one that takes everyone",
            "budgets: {tiers: [{name: free}, {name: paid, users: [alice]}], caps: [{name: a, per: session, cap: 1.00}]}",
            "budgets.tiers[1]", ["tier \"free\" before it has no conditions", "never applies"]),
        Problem(
            "wide distinct not below calls", "loop_breaker: {action: warn, wide: {calls: 4, distinct: 4, action: escalate}}",
            "loop_breaker.wide.distinct", ["fewer than calls (4)"]),
        Problem(
            "one identical call is no loop", "loop_breaker: {identical: 1, action: stop}", "loop_breaker.identical",
            ["at least 2", "found 1"]),
        Problem(
            "unknown loop action", "loop_breaker: {action: halt}", "loop_breaker.action",
            ["unknown action \"halt\"", "warn, escalate, stop"]),
    ]

    @Test(arguments: problems)
    func aMistakeIsReportedAtItsPath(_ problem: Problem) throws {
        let error = try #require(throws: PolicyError.self, performing: { try Self.policy(problem.sections) })
        #expect(error.problems.map(\.path) == [problem.path], "\(error)")
        let message = error.problems.first?.message ?? ""
        for word in problem.mentions {
            #expect(message.contains(word), "\(problem.path): \(message)")
        }
    }
}
