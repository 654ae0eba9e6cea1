/// A named experiment: sessions split between arms that route differently, so cost and outcomes
/// can be compared on the same live traffic (`experiments:` in a policy).
///
/// A session's arm comes from a keyed hash of its key and the experiment's name
/// (``ExperimentHash``), so every instance and every restart puts it in the same arm with no
/// shared state; once a session has an arm it keeps it for life, even when the weights change
/// (see ``RoutingPolicy/assignment(for:state:remembered:)``). A session is in at most one experiment:
/// the first in the policy's list that enrolls it, so arms never compose.
package struct Experiment: Sendable, Hashable {
    /// The experiment's name: the key of its hash, shown in `x-sluice-experiment` and `sluice ab`.
    package var name: String
    /// Percent of sessions enrolled (1...100); the rest follow the policy's own rules.
    package var share: Int
    /// The arms, in the policy's order; the first is the reference `sluice ab` compares against.
    package var arms: [ExperimentArm]

    package init(name: String, share: Int = 100, arms: [ExperimentArm]) {
        self.name = name
        self.share = share
        self.arms = arms
    }

    /// The arm called `name`, if the experiment still has it.
    package func arm(named name: String) -> ExperimentArm? {
        arms.first { $0.name == name }
    }

    /// The arm a fraction in [0, 1) falls in, by cumulative weight; `nil` when every weight is 0
    /// (the experiment is closed to new sessions; assigned ones keep their arms).
    package func arm(at fraction: Double) -> ExperimentArm? {
        let total = arms.reduce(0) { $0 + $1.weight }
        guard total > 0 else { return nil }
        let point = fraction * Double(total)
        var cumulative = 0
        for arm in arms where arm.weight > 0 {
            cumulative += arm.weight
            if point < Double(cumulative) { return arm }
        }
        return arms.last { $0.weight > 0 }
    }
}
