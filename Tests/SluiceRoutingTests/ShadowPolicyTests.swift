import SluiceLedger
import Testing

@testable import SluiceRouting
@testable import SluiceWire

@Suite struct ShadowPolicyTests {
    static func policy(_ shadows: String, experiments: String = "") throws -> RoutingPolicy {
        try RoutingPolicy(yaml: TurnPlanTests.policyText + experiments + "\nshadows:\n" + shadows)
            .resolvingEnvironment(["TEST_KEY": "sk"])
    }

    static func plan(_ policy: RoutingPolicy, _ body: String = TurnPlanTests.grep, session: String = "s") throws -> TurnPlan {
        let scanned = try TurnPlanTests.scan(body, .anthropic, headers: TurnHeaders(sluiceSession: session))
        return policy.plan(scanned, session: nil, at: 1_000)
    }

    @Test func aShadowMirrorsOnlyTheTurnsItsFiltersTake() throws {
        let policy = try Self.policy("  - {name: opus-on-grep, model: opus, sample: 100, rules: [grep-anthropic], daily_cap: 2}")
        let grep = try Self.plan(policy)
        #expect(grep.decision.model == "haiku")
        #expect(grep.shadow?.name == "opus-on-grep")
        #expect(grep.shadow?.candidate.model.name == "opus")
        #expect(grep.shadow?.dailyCap == USD(nanos: 2 * USD.nanosPerDollar))
        // The route splices the shadow's model id into the same body.
        #expect(grep.shadow?.candidate.route.dialect == .anthropic)
        // A user turn is decided by another rule: no shadow.
        #expect(try Self.plan(policy, TurnPlanTests.hello).shadow == nil)
        // Counting tokens is not an answer.
        let scanned = try TurnPlanTests.scan(TurnPlanTests.grep, .anthropic, headers: TurnHeaders(sluiceSession: "s"))
        #expect(policy.plan(scanned, session: nil, operation: .countTokens, at: 1_000).shadow == nil)
    }

    @Test func aShadowOfTheChosenModelIsNoShadow() throws {
        let policy = try Self.policy("  - {name: same, model: haiku, sample: 100, daily_cap: 1}")
        #expect(try Self.plan(policy).shadow == nil)
    }

    @Test func theSampleIsAShareOfTurns() throws {
        let policy = try Self.policy("  - {name: fifth, model: opus, sample: 20, shapes: [tool_followup], daily_cap: 1}")
        let mirrored = try (0..<2_000).filter { try Self.plan(policy, session: "k\($0)").shadow != nil }.count
        #expect(abs(mirrored - 400) < 60, "\(mirrored) of 2,000")
    }

    @Test func armsFilterSessions() throws {
        let experiments = "\nexperiments:\n  - {name: e, arms: {a: {weight: 1}, b: {weight: 1}}}\n"
        let policy = try Self.policy(
            "  - {name: only-b, model: opus, sample: 100, arms: [b], daily_cap: 1}", experiments: experiments)
        for index in 0..<40 {
            let plan = try Self.plan(policy, session: "arm-\(index)")
            #expect((plan.shadow != nil) == (plan.arm?.assignment.arm == "b"))
        }
    }

    @Test func mistakesAreReportedWithTheirPaths() throws {
        let error = try #require(
            throws: PolicyError.self,
            performing: {
                try Self.policy(
                    """
                      - {name: a, model: opuss, sample: 101, rules: [grep-anthropc], arms: [zz], daily_cap: 0}
                      - {name: a, model: opus, sample: 5}
                    """)
            })
        let text = error.problems.map { "\($0.path): \($0.message)" }
        #expect(text.contains { $0.hasPrefix("shadows[0].sample") && $0.contains("at most 100") })
        #expect(text.contains { $0.hasPrefix("shadows[0].daily_cap") && $0.contains("positive") })
        #expect(text.contains { $0 == "shadows[1].daily_cap: missing" })
        #expect(text.contains { $0.hasPrefix("shadows[1].name") && $0.contains("duplicate") })
    }

    @Test func namesMustResolve() throws {
        let error = try #require(
            throws: PolicyError.self,
            performing: {
                try Self.policy("  - {name: a, model: opuss, sample: 5, rules: [grep-anthropc], arms: [zz], daily_cap: 1}")
            })
        let text = error.problems.map { "\($0.path): \($0.message)" }
        #expect(text.contains { $0.hasPrefix("shadows[0].model") && $0.contains("unknown model \"opuss\"") })
        #expect(text.contains { $0.hasPrefix("shadows[0].rules") && $0.contains("grep-anthropic") })
        #expect(text.contains { $0.hasPrefix("shadows[0].arms") && $0.contains("no experiment arm \"zz\"") })
    }
}
