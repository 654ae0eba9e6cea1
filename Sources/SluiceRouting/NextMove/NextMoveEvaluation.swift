package import SluiceLedger

/// How well the next-move model and a policy's rules pick the turns whose next reply was
/// read-only, on the same turns: `sluice train`'s report.
///
/// Precision is the share of picked turns whose next reply was read-only (how often a cheap
/// route was a good bet); recall the share of read-only next replies that were picked (how much
/// of the saving a policy takes). The model is scored out of fold, and a policy's rules that test
/// `p_cheap` see that out-of-fold probability, so neither is scored on turns it learned from.
/// Intervals resample whole session groups (2,000 times, seeded), because turns of one session
/// are not independent.
package struct NextMoveEvaluation: Sendable {
    /// The recalls the model's precision is reported at.
    package static let recalls = [0.2, 0.3, 0.4, 0.5]

    /// A precision (and where it applies, a recall) with its interval.
    package struct Score: Sendable {
        package var precision: Double
        package var precisionInterval: ConfidenceInterval?
        package var recall: Double
        package var recallInterval: ConfidenceInterval?
        /// For the model: the lowest `p_cheap` picked to reach the recall.
        package var threshold: Double?
        /// Turns picked.
        package var picked: Int
    }

    /// A set of turns a policy routes cheap: all its cheap routes, or one rule's.
    package struct RuleScore: Sendable {
        package var policy: String
        /// The rule's name, or `nil` for all of the policy's cheap routes together.
        package var rule: String?
        package var score: Score
        /// The model's precision at the same recall, for comparison.
        package var model: Score?
    }

    /// One decile of out-of-fold predictions.
    package struct Decile: Sendable {
        package var predicted: Double
        package var observed: Double
        package var turns: Int
    }

    package var turns: Int
    package var positives: Int
    package var sessions: Int
    package var atRecall: [Score] = []
    package var rules: [RuleScore] = []
    package var calibration: [Decile] = []

    /// Scores the out-of-fold predictions and each policy's cheap routes.
    ///
    /// - Parameters:
    ///   - examples: The labelled turns.
    ///   - outOfFold: Each turn's out-of-fold probability.
    ///   - policies: Policies by the name the report gives them. A turn is routed cheap when the
    ///     policy's rules (stickiness aside) pick a model other than its dialect's baseline.
    package init(
        examples: [NextMoveExample], outOfFold: [Double], policies: [(name: String, policy: RoutingPolicy)],
        resamples: Int = 2_000
    ) {
        turns = examples.count
        let labels = examples.map(\.label)
        positives = labels.count(where: { $0 })
        var groupIndex: [String: Int] = [:]
        let groups = examples.map { example in
            if let index = groupIndex[example.group] { return index }
            groupIndex[example.group] = groupIndex.count
            return groupIndex.count - 1
        }
        sessions = Set(examples.map(\.session)).count
        // Highest probability first; ties in arrival order, so the report is stable.
        let order = examples.indices.sorted { outOfFold[$0] != outOfFold[$1] ? outOfFold[$0] > outOfFold[$1] : $0 < $1 }
        let ones = [Double](repeating: 1, count: examples.count)
        // The turns each policy routes cheap, all together and rule by rule.
        var sets: [(policy: String, rule: String?, picked: [Bool])] = []
        for (name, policy) in policies {
            var byRule: [String: [Bool]] = [:]
            var all = [Bool](repeating: false, count: examples.count)
            var ruleOrder: [String] = []
            for (index, example) in examples.enumerated() {
                var features = example.features
                features.nextMove = NextMovePrediction(cheap: outOfFold[index])
                let decision = policy.decide(for: features, tracing: false)
                guard decision.hasModel, decision.model != decision.baseline else { continue }
                all[index] = true
                if byRule[decision.rule] == nil {
                    byRule[decision.rule] = [Bool](repeating: false, count: examples.count)
                    ruleOrder.append(decision.rule)
                }
                byRule[decision.rule]![index] = true
            }
            sets.append((name, nil, all))
            sets += ruleOrder.map { (name, $0, byRule[$0]!) }
        }
        let setPoints = sets.map { Self.score($0.picked, labels: labels, weights: ones) }
        // The model is compared at its fixed recalls and at each policy's overall recall.
        let targets = Self.recalls + sets.indices.compactMap { sets[$0].rule == nil ? setPoints[$0].recall : nil }
            .filter { $0.isFinite && $0 > 0 }
        // Each resample draws session groups with replacement; a turn counts as often as its
        // group was drawn.
        var generator = SeededGenerator(name: "sluice-train")
        var targetReplicates = [[Double]](repeating: [], count: targets.count)
        var setReplicates = [[(precision: Double, recall: Double)]](repeating: [], count: sets.count)
        var counts = [Double](repeating: 0, count: groupIndex.count)
        var weights = [Double](repeating: 0, count: examples.count)
        for _ in 0..<resamples {
            for group in counts.indices { counts[group] = 0 }
            for _ in 0..<groupIndex.count { counts[generator.index(below: groupIndex.count)] += 1 }
            for index in weights.indices { weights[index] = counts[groups[index]] }
            for (slot, recall) in targets.enumerated() {
                targetReplicates[slot].append(
                    Self.precision(atRecall: recall, order: order, labels: labels, weights: weights).precision)
            }
            for slot in sets.indices {
                setReplicates[slot].append(Self.score(sets[slot].picked, labels: labels, weights: weights))
            }
        }
        // Replicates where a statistic is undefined (a resample without a read-only turn) are left out.
        func interval(_ values: [Double]) -> ConfidenceInterval? {
            var finite = values.filter(\.isFinite)
            guard finite.count >= 2 else { return nil }
            return Bootstrap(resamples: resamples).percentileInterval(of: &finite)
        }
        let modelScores = targets.enumerated().map { slot, recall in
            let point = Self.precision(atRecall: recall, order: order, labels: labels, weights: ones)
            return Score(
                precision: point.precision, precisionInterval: interval(targetReplicates[slot]), recall: recall,
                recallInterval: nil, threshold: point.picked > 0 ? outOfFold[order[point.picked - 1]] : nil,
                picked: point.picked)
        }
        atRecall = Array(modelScores.prefix(Self.recalls.count))
        var comparison = modelScores.dropFirst(Self.recalls.count).makeIterator()
        for slot in sets.indices {
            let point = setPoints[slot]
            let picked = sets[slot].picked.count(where: { $0 })
            let score = Score(
                precision: point.precision,
                precisionInterval: picked > 0 ? interval(setReplicates[slot].map(\.precision)) : nil,
                recall: point.recall, recallInterval: interval(setReplicates[slot].map(\.recall)), threshold: nil,
                picked: picked)
            let isOverall = sets[slot].rule == nil && point.recall.isFinite && point.recall > 0
            rules.append(
                RuleScore(
                    policy: sets[slot].policy, rule: sets[slot].rule, score: score,
                    model: isOverall ? comparison.next() : nil))
        }
        // Deciles by predicted probability, equal numbers of turns.
        let ascending = Array(order.reversed())
        for decile in 0..<10 {
            let slice = ascending[(decile * ascending.count / 10)..<((decile + 1) * ascending.count / 10)]
            guard !slice.isEmpty else { continue }
            let predicted = slice.reduce(0) { $0 + outOfFold[$1] } / Double(slice.count)
            let observed = Double(slice.count(where: { labels[$0] })) / Double(slice.count)
            calibration.append(Decile(predicted: predicted, observed: observed, turns: slice.count))
        }
    }

    /// Precision of the fewest top-ranked turns whose read-only share of all read-only turns
    /// reaches `recall`, with each turn counted `weights` times.
    static func precision(atRecall recall: Double, order: [Int], labels: [Bool], weights: [Double])
        -> (precision: Double, picked: Int)
    {
        var total = 0.0
        for index in order where labels[index] { total += weights[index] }
        guard total > 0 else { return (.nan, 0) }
        var truePositives = 0.0
        var chosen = 0.0
        for (rank, index) in order.enumerated() {
            let weight = weights[index]
            chosen += weight
            if labels[index] { truePositives += weight }
            if truePositives >= recall * total - 1e-9 && chosen > 0 {
                return (truePositives / chosen, rank + 1)
            }
        }
        return (truePositives / Swift.max(chosen, 1), order.count)
    }

    /// Precision and recall of a set of picked turns, each counted `weights` times.
    static func score(_ picked: [Bool], labels: [Bool], weights: [Double]) -> (precision: Double, recall: Double) {
        var chosen = 0.0
        var hits = 0.0
        var total = 0.0
        for index in picked.indices {
            let weight = weights[index]
            if labels[index] { total += weight }
            guard picked[index] else { continue }
            chosen += weight
            if labels[index] { hits += weight }
        }
        return (chosen > 0 ? hits / chosen : .nan, total > 0 ? hits / total : .nan)
    }
}
