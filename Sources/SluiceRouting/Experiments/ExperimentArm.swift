/// One arm of an experiment: its weight and the rule list its sessions are routed by.
package struct ExperimentArm: Sendable, Hashable {
    /// The arm's name: on every ledger row of its sessions and in `x-sluice-arm`.
    package var name: String
    /// Its relative share of new sessions; 0 closes it to new sessions.
    package var weight: Int
    /// The rules its sessions are routed by: the policy's own with the arm's changes applied
    /// (`without`, `rules`, `models`), or the arm's whole `rule_list`.
    package var rules: [RoutingRule]
    /// For a cost-matched random control: the arm whose share of turns per model it matches.
    package var matches: String?

    package init(name: String, weight: Int, rules: [RoutingRule], matches: String? = nil) {
        self.name = name
        self.weight = weight
        self.rules = rules
        self.matches = matches
    }
}
