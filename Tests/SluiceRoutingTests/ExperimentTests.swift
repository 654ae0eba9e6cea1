import Foundation
import SluiceLedger
import Testing

@testable import SluiceRouting
@testable import SluiceWire

@Suite struct ExperimentTests {
    static func policy(experiments: String) throws -> RoutingPolicy {
        try RoutingPolicy(yaml: TurnPlanTests.policyText + "\nexperiments:\n" + experiments)
            .resolvingEnvironment(["TEST_KEY": "sk"])
    }

    static let grepToCheap = """
          - name: grep-to-cheap
            arms:
              control: {weight: 50, without: [grep-anthropic]}
              candidate: {weight: 50}
        """

    static func plan(
        _ policy: RoutingPolicy, session: String, body: String = TurnPlanTests.grep, state: SessionState? = nil,
        context: ExperimentContext = ExperimentContext()
    ) throws -> TurnPlan {
        let headers = TurnHeaders(sluiceSession: session)
        var state = state
        if state == nil && body != TurnPlanTests.hello {
            // Sessions join at their start: plan the first turn, then this one as its second.
            let first = policy.plan(
                try TurnPlanTests.scan(TurnPlanTests.hello, .anthropic, headers: headers), session: nil, at: 1_000,
                experiments: context)
            state = SessionState(key: session, turns: 1, arm: first.arm?.assignment)
        }
        let scanned = try TurnPlanTests.scan(body, .anthropic, headers: headers)
        return policy.plan(scanned, session: state, at: 1_000, experiments: context)
    }

    @Test func armsChangeThePolicysRules() throws {
        let policy = try Self.policy(
            experiments: """
                  - name: e
                    arms:
                      control: {weight: 1, without: [grep-anthropic]}
                      candidate: {weight: 1}
                      swapped: {weight: 1, models: {haiku: keyed}}
                      changed: {weight: 1, rules: [{name: grep-anthropic, route: sol}]}
                      own: {weight: 1, rule_list: [{name: only, route: opus}]}
                      random: {weight: 1, cost_matched_random: candidate}
                """)
        let arms = Dictionary(uniqueKeysWithValues: policy.experiments[0].arms.map { ($0.name, $0) })
        let names = policy.rules.map(\.name)
        #expect(arms["control"]?.rules.map(\.name) == names.filter { $0 != "grep-anthropic" })
        #expect(arms["candidate"]?.rules == policy.rules)
        #expect(arms["swapped"]?.rules.first { $0.name == "grep-anthropic" }?.route == "keyed")
        #expect(arms["changed"]?.rules.first { $0.name == "grep-anthropic" }?.route == "sol")
        #expect(arms["changed"]?.rules.first { $0.name == "grep-anthropic" }?.conditions
            == policy.rules.first { $0.name == "grep-anthropic" }?.conditions)
        #expect(arms["own"]?.rules.map(\.name) == ["only"])
        #expect(arms["random"]?.matches == "candidate")
    }

    @Test func mistakesInExperimentsAreReportedWithTheirPaths() throws {
        let error = try #require(
            throws: PolicyError.self,
            performing: {
                try Self.policy(
                    experiments: """
                          - name: e
                            share: 120
                            arms:
                              a: {weight: 1, without: [grep-anthropc]}
                              b: {weight: 1, models: {haiku: nope}}
                              c: {weight: 1, cost_matched_random: zz}
                              d: {rules: [{name: keyed}]}
                          - name: e
                            arms:
                              only: {weight: 1}
                        """)
            })
        let text = error.problems.map { "\($0.path): \($0.message)" }
        #expect(text.contains { $0.hasPrefix("experiments[0].share:") && $0.contains("at most 100") })
        #expect(text.contains { $0.hasPrefix("experiments[0].arms.a.without") && $0.contains("grep-anthropic") })
        #expect(text.contains { $0.hasPrefix("experiments[0].arms.b.models.haiku") && $0.contains("unknown model \"nope\"") })
        #expect(text.contains { $0.hasPrefix("experiments[0].arms.c.cost_matched_random") && $0.contains("no arm \"zz\"") })
        #expect(text.contains { $0 == "experiments[0].arms.d.weight: missing" })
        #expect(text.contains { $0.hasPrefix("experiments[1].name") && $0.contains("duplicate") })
        #expect(text.contains { $0.hasPrefix("experiments[1].arms") && $0.contains("at least two arms") })
    }

    @Test func theAssignmentIsAFixedFunctionOfKeyAndName() throws {
        // Golden values: any change to the hash moves live sessions between arms, across
        // instances and restarts. Changing them is a breaking change of the ledger's meaning.
        let policy = try Self.policy(experiments: Self.grepToCheap)
        let arms = try (1...8).map { try Self.plan(policy, session: "session-\($0)").arm?.assignment.arm ?? "-" }
        #expect(arms == Self.goldenArms)
        // Another experiment name splits the same keys independently.
        let renamed = try Self.policy(experiments: Self.grepToCheap.replacingOccurrences("grep-to-cheap", "other"))
        let other = try (1...8).map { try Self.plan(renamed, session: "session-\($0)").arm?.assignment.arm ?? "-" }
        #expect(other != arms)
    }

    static let goldenArms = [
        "candidate", "control", "control", "control", "candidate", "control", "control", "candidate",
    ]

    @Test(arguments: [[50, 50], [70, 20, 10], [1, 3]])
    func assignmentIsBalancedByWeight(weights: [Int]) throws {
        let arms = weights.enumerated().map { "a\($0.offset): {weight: \($0.element)}" }
        let policy = try Self.policy(
            experiments: "  - name: balance\n    arms:\n" + arms.map { "      " + $0 }.joined(separator: "\n"))
        let sessions = 20_000
        var counts = [String: Int]()
        for index in 0..<sessions {
            let key = "k\(index)"
            let assigned = try #require(policy.assignment(for: key, state: nil, remembered: nil))
            counts[assigned.arm.name, default: 0] += 1
        }
        let total = Double(weights.reduce(0, +))
        var chiSquare = 0.0
        for (index, weight) in weights.enumerated() {
            let expected = Double(sessions) * Double(weight) / total
            let observed = Double(counts["a\(index)"] ?? 0)
            chiSquare += (observed - expected) * (observed - expected) / expected
        }
        // 99.9th percentile of chi-square with 1 and 2 degrees of freedom.
        let critical = weights.count == 2 ? 10.83 : 13.82
        #expect(chiSquare < critical, "counts \(counts)")
    }

    @Test func anAssignedSessionKeepsItsArmWhenTheWeightsChange() throws {
        let before = try Self.policy(experiments: Self.grepToCheap)
        let first = try Self.plan(before, session: "s-keep")
        let assignment = try #require(first.arm?.assignment)
        let state = SessionState(key: "s-keep", turns: 3, arm: assignment)
        // Every new session now goes to the other arm; this one stays.
        let other = assignment.arm == "control" ? "candidate" : "control"
        let reweighted = try Self.policy(
            experiments: Self.grepToCheap.replacingOccurrences("\(assignment.arm): {weight: 50", "\(assignment.arm): {weight: 0"))
        #expect(try Self.plan(reweighted, session: "s-keep", state: state).arm?.assignment == assignment)
        #expect(try Self.plan(reweighted, session: "s-fresh").arm?.assignment.arm == other)
        // After a restart the ledger's memory does the same.
        #expect(
            try Self.plan(reweighted, session: "s-keep", context: ExperimentContext(remembered: assignment)).arm?
                .assignment == assignment)
        // A stopped experiment leaves every session on the policy's own rules.
        #expect(try Self.plan(try TurnPlanTests.policy(), session: "s-keep", state: state).arm == nil)
    }

    @Test func aSessionSeenBeforeTheExperimentStartedStaysOut() throws {
        let policy = try Self.policy(experiments: Self.grepToCheap)
        let known = SessionState(key: "s-old", turns: 5)
        #expect(try Self.plan(policy, session: "s-old", state: known).arm == nil)
    }

    /// A session met in the middle of its conversation with nothing remembered (another instance
    /// served its start, or it predates a restart) gets the arm every instance computes for it,
    /// and a remembered arm wins over the hash.
    @Test func aSessionMetMidConversationGetsTheArmEveryInstanceComputes() throws {
        let policy = try Self.policy(experiments: Self.grepToCheap)
        for index in 0..<20 {
            let headers = TurnHeaders(sluiceSession: "mid-\(index)")
            let start = policy.plan(try TurnPlanTests.scan(TurnPlanTests.hello, .anthropic, headers: headers), session: nil, at: 1)
            let middle = policy.plan(try TurnPlanTests.scan(TurnPlanTests.grep, .anthropic, headers: headers), session: nil, at: 1)
            #expect(middle.arm?.assignment != nil && middle.arm?.assignment == start.arm?.assignment)
            let other = ArmAssignment(
                experiment: "grep-to-cheap", arm: start.arm?.assignment.arm == "control" ? "candidate" : "control")
            let remembered = policy.plan(
                try TurnPlanTests.scan(TurnPlanTests.grep, .anthropic, headers: headers), session: nil, at: 1,
                experiments: ExperimentContext(remembered: other))
            #expect(remembered.arm?.assignment == other)
        }
    }

    @Test func armsRouteByTheirOwnRules() throws {
        let policy = try Self.policy(experiments: Self.grepToCheap)
        var seen: [String: String] = [:]
        for index in 0..<40 {
            let plan = try Self.plan(policy, session: "route-\(index)")
            let arm = try #require(plan.arm?.assignment.arm)
            seen[arm] = plan.decision.model
            let facts = plan.facts(id: "t\(index)", startedAtMilliseconds: 1_000, headers: TurnHeaders())
            #expect(facts.experiment == "grep-to-cheap")
            #expect(facts.arm == arm)
        }
        // The candidate keeps the grep rule (haiku); the control has none (opus answers).
        #expect(seen == ["candidate": "haiku", "control": "opus"])
    }

    @Test func theRandomControlMatchesTheCandidatesShareAtRandom() throws {
        let policy = try Self.policy(
            experiments: """
                  - name: r
                    arms:
                      candidate: {weight: 0}
                      random: {weight: 1, cost_matched_random: candidate}
                """)
        // Before the tally has seen a turn, the baseline answers.
        let cold = try Self.plan(policy, session: "cold")
        #expect(cold.decision.model == "opus")
        #expect(cold.arm?.matchedModel == "haiku")

        let tally = ExperimentTally(turns: 10, byModel: ["haiku": 3, "opus": 7])
        var toHaiku = 0
        let turns = 4_000
        for index in 0..<turns {
            // Grep-shaped and plain turns alike: the draw ignores what the rules would say.
            let body = index.isMultiple(of: 2) ? TurnPlanTests.grep : TurnPlanTests.hello
            let plan = try Self.plan(
                policy, session: "r-\(index)", body: body, context: ExperimentContext(tallies: [ExperimentTally.key(experiment: "r", arm: "random"): tally]))
            #expect(plan.arm?.assignment.arm == "random")
            if plan.decision.model == "haiku" {
                toHaiku += 1
                #expect(plan.decision.rule == RoutingPolicy.randomControlRuleName)
            }
        }
        // 30% of 4,000 turns: the binomial's standard deviation is 29, so ±120 is over 4 of them.
        #expect(abs(toHaiku - 1_200) < 120, "\(toHaiku) of \(turns)")
        // The same turn of the same session draws the same model: replay reproduces it.
        let again = try (0..<2).map { _ in
            try Self.plan(policy, session: "r-7", context: ExperimentContext(tallies: [ExperimentTally.key(experiment: "r", arm: "random"): tally])).decision.model
        }
        #expect(again[0] == again[1])
    }

    /// `policies/examples/ab.yaml` is the shipped default policy with the experiment:
    /// nothing else differs, so its results speak for the default policy.
    @Test func theShippedExampleSplitsTheDefaultPolicyOnItsLikelyReadRules() throws {
        let folder = PolicyFixtures.policiesFolder.appendingPathComponent("examples")
        let text = try String(contentsOf: folder.appendingPathComponent("ab.yaml"), encoding: .utf8)
        let example = try RoutingPolicy(yaml: text) { try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8) }
        let base = try PolicyFixtures.shippedPolicy("default.yaml")
        #expect(example.rules == base.rules)
        #expect(example.models == base.models)
        #expect(example.baselines == base.baselines)
        let experiment = try #require(example.experiments.first)
        #expect(example.experiments.count == 1)
        #expect(example.nextMoveModel == base.nextMoveModel)
        #expect(experiment.name == "reads-to-cheap")
        #expect(experiment.arms.map(\.name) == ["control", "grep-rules", "candidate"])
        #expect(experiment.arms.map(\.weight) == [34, 33, 33])
        #expect(experiment.arms[0].rules == base.rules.filter { !$0.name.hasPrefix("likely-read") })
        #expect(experiment.arms[0].rules.count == base.rules.count - 2)
        #expect(experiment.arms[2].rules == base.rules)
        // The grep-rules arm: the same rules, the likely-read ones tested by the old rule instead.
        let grep = experiment.arms[1].rules
        #expect(grep.map(\.name) == base.rules.map(\.name))
        for (old, new) in zip(base.rules, grep) where old.name.hasPrefix("likely-read") {
            #expect(new.route == old.route)
            #expect(new.conditions.pCheap == nil && new.conditions.lastToolCategories == [.search, .read, .list])
        }
    }

    /// Two random controls in one experiment, each matching another arm, keep tallies apart.
    @Test func eachRandomControlHasItsOwnTally() throws {
        let policy = try Self.policy(
            experiments: """
                  - name: two
                    arms:
                      control: {weight: 0, without: [grep-anthropic]}
                      candidate: {weight: 0}
                      random-control: {weight: 1, cost_matched_random: control}
                      random-candidate: {weight: 1, cost_matched_random: candidate}
                """)
        var keys: [String: String] = [:]
        for index in 0..<40 {
            let plan = try Self.plan(policy, session: "two-\(index)")
            let arm = try #require(plan.arm)
            keys[arm.assignment.arm] = plan.tallyKey
            // Each control counts what its own matched arm's rules chose.
            #expect(arm.matchedModel == (arm.assignment.arm == "random-control" ? "opus" : "haiku"))
        }
        #expect(keys == ["random-control": "two/random-control", "random-candidate": "two/random-candidate"])
    }

    @Test func anArmsShareOfSessions() throws {
        let policy = try Self.policy(
            experiments: """
                  - name: small
                    share: 10
                    arms:
                      a: {weight: 1}
                      b: {weight: 1}
                """)
        let enrolled = (0..<5_000).filter { policy.assignment(for: "x\($0)", state: nil, remembered: nil) != nil }.count
        #expect(abs(enrolled - 500) < 80, "\(enrolled)")
    }
}

extension String {
    fileprivate func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
