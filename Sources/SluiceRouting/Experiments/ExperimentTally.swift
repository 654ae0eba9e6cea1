/// What the arm a random control matches would have done with the control's own turns: how many
/// turns it would have sent to each model.
///
/// A cost-matched random control routes each turn to model *m* with the probability that the
/// matched arm sends a turn to *m*, at random instead of by its rules. The share is measured on
/// the control's own traffic (the matched arm's rules are evaluated on every control turn that
/// goes upstream, and only counted), so it needs nothing from the other arm's sessions. It is the
/// rules' share before stickiness, and each turn is drawn on its own, so the control switches
/// models more often than the arm it matches and pays more cold caches: a control that costs a
/// little more at the same share is expected. One tally per control arm (``key(experiment:arm:)``).
package struct ExperimentTally: Sendable, Hashable {
    /// Turns the matched arm's rules saw.
    package var turns: Int
    /// Of those, how many its rules sent to each model.
    package var byModel: [String: Int]

    package init(turns: Int = 0, byModel: [String: Int] = [:]) {
        self.turns = turns
        self.byModel = byModel
    }

    /// The key of a random control's tally: its experiment and its own arm's name.
    package static func key(experiment: String, arm: String) -> String {
        experiment + "/" + arm
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
