/// What the arm a random control matches would have done with the control's own turns: how many
/// turns it would have sent to each model.
///
/// A cost-matched random control routes each turn to model *m* with the probability that the
/// matched arm sends a turn to *m*, at random instead of by its rules. Measuring that share on
/// the control's own traffic (the matched arm's rules are evaluated on every control turn, and
/// only counted) matches the traffic mix exactly and needs nothing from the other arm's sessions.
package struct ExperimentTally: Sendable, Hashable {
    /// Turns the matched arm's rules saw.
    package var turns: Int
    /// Of those, how many its rules sent to each model.
    package var byModel: [String: Int]

    package init(turns: Int = 0, byModel: [String: Int] = [:]) {
        self.turns = turns
        self.byModel = byModel
    }

    /// Counts one more turn that the matched arm's rules sent to `model`.
    package mutating func count(_ model: String) {
        turns += 1
        byModel[model, default: 0] += 1
    }

    /// The model a fraction in [0, 1) draws: each model other than `baseline` with its share of
    /// turns, in name order; `nil` (the baseline answers) for the rest, and before any turn.
    package func draw(_ fraction: Double, baseline: String) -> String? {
        guard turns > 0 else { return nil }
        var cumulative = 0.0
        for (model, count) in byModel.sorted(by: { $0.key < $1.key }) where model != baseline {
            cumulative += Double(count) / Double(turns)
            if fraction < cumulative { return model }
        }
        return nil
    }
}
