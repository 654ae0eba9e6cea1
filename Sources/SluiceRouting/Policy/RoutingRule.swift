/// One rule of a policy: when a turn matches `conditions`, send it to the model named `route`.
///
/// Rules are tried in file order and the first that applies decides; see
/// ``RoutingPolicy/decide(for:)`` for when a matching rule is still passed over.
package struct RoutingRule: Sendable, Hashable {
    /// The rule's name, shown in decisions, headers (`x-sluice-rule`) and reports.
    package var name: String
    /// What a turn must look like for the rule to match.
    package var conditions: RuleConditions
    /// The name of the policy model the rule sends matching turns to.
    package var route: String

    package init(name: String, conditions: RuleConditions = RuleConditions(), route: String) {
        self.name = name
        self.conditions = conditions
        self.route = route
    }
}
