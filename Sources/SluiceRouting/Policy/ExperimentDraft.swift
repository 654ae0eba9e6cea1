/// An experiment as the document wrote it, before its arms' rule lists are built from the
/// policy's rules (which the checks across sections need to have read first).
struct ExperimentDraft {
    /// One arm's changes to the policy's rules.
    struct Arm {
        var name: String
        var weight: Int
        /// The path the arm was written at, for the checks across sections.
        var path: String
        /// Names of the policy's rules the arm drops (`without:`).
        var without: [(name: String, path: String)] = []
        /// Changes to the policy's rules by name (`rules:`): a new route, new conditions, or both.
        var changes: [(name: String, conditions: RuleConditions?, route: String?, path: String)] = []
        /// Models swapped for others in every route (`models: {haiku: sonnet}`).
        var modelSwaps: [(from: String, to: String, path: String)] = []
        /// A rule list of its own (`rule_list:`), in place of the policy's.
        var ruleList: [RoutingRule]?
        /// The arm a cost-matched random control matches (`cost_matched_random:`).
        var matches: String?

        /// The arm's rule list, from the policy's own rules.
        func rules(from policyRules: [RoutingRule]) -> [RoutingRule] {
            var rules = ruleList ?? policyRules
            let dropped = Set(without.map(\.name))
            rules.removeAll { dropped.contains($0.name) }
            for change in changes {
                guard let index = rules.firstIndex(where: { $0.name == change.name }) else { continue }
                if let conditions = change.conditions { rules[index].conditions = conditions }
                if let route = change.route { rules[index].route = route }
            }
            for swap in modelSwaps {
                for index in rules.indices where rules[index].route == swap.from {
                    rules[index].route = swap.to
                }
            }
            return rules
        }
    }

    var name: String
    var share: Int
    var path: String
    var arms: [Arm]
}

extension PolicyDraft {
    /// The experiments with each arm's rule list built.
    var resolvedExperiments: [Experiment] {
        experiments.map { experiment in
            Experiment(
                name: experiment.name, share: experiment.share,
                arms: experiment.arms.map {
                    ExperimentArm(name: $0.name, weight: $0.weight, rules: $0.rules(from: rules), matches: $0.matches)
                })
        }
    }
}
