import SluiceLedger
package import SluiceWire

/// Fits a ``NextMoveModel`` and scores every turn with a model that never saw its session.
///
/// Turns are split into folds by session group (every run of one task in the same fold), so a
/// session's turns never help score each other: the turns of one session are alike, and a split
/// by turn would report the model's memory of a session as skill. Each fold is scored by weights
/// fitted on the others (out of fold); the model written is fitted on every turn.
package struct NextMoveTrainer: Sendable {
    /// The families of clients that get a weight set each.
    package static let families: [Set<Dialect>] = [[.anthropic], [.openAIChat, .openAIResponses]]
    /// Below this many turns, or this many of either label, a family borrows the weights fitted
    /// on every family's turns instead of fitting its own.
    static let minimumTurns = 100
    static let minimumPerLabel = 15

    /// Session-level folds of the evaluation (at least 2).
    package var folds: Int
    /// The L2 penalty on standardized weights.
    package var penalty: Double

    /// The penalty unless told otherwise.
    package static let defaultPenalty = 10.0

    package init(folds: Int = 5, penalty: Double = NextMoveTrainer.defaultPenalty) {
        self.folds = Swift.max(2, folds)
        self.penalty = penalty
    }

    /// What training gave.
    package struct Result: Sendable {
        /// The model fitted on every turn.
        package var model: NextMoveModel
        /// Each example's out-of-fold probability, in the dataset's order.
        package var outOfFold: [Double]
        /// Each example's fold.
        package var fold: [Int]
        /// The clients of the segments that had too few turns to fit alone and borrowed the
        /// weights fitted on every client's turns.
        package var pooled: Set<Dialect>
    }

    /// Trains on `dataset`; `nil` when it has no labelled turn.
    package func train(_ dataset: NextMoveDataset) -> Result? {
        let examples = dataset.examples
        guard !examples.isEmpty else { return nil }
        let rows = examples.map { example in NextMoveSegment.inputs.map { $0.value(in: example.features) } }
        let fold = examples.map { Int(Fingerprint.mix(Fingerprint.fnv1a($0.group.utf8)) % UInt64(folds)) }
        var outOfFold = [Double](repeating: 0, count: examples.count)
        for held in 0..<folds {
            let training = examples.indices.filter { fold[$0] != held }
            let model = NextMoveModel(segments: fit(examples, rows, training).segments)
            for index in examples.indices where fold[index] == held {
                outOfFold[index] = model.predict(examples[index].features)?.cheap ?? 0
            }
        }
        let fitted = fit(examples, rows, Array(examples.indices))
        return Result(
            model: NextMoveModel(segments: fitted.segments), outOfFold: outOfFold, fold: fold, pooled: fitted.pooled)
    }

    /// One segment per family that has turns among `indices`, weights rounded as the file keeps them.
    private func fit(_ examples: [NextMoveExample], _ rows: [[Double]], _ indices: [Int])
        -> (segments: [NextMoveSegment], pooled: Set<Dialect>)
    {
        var pooledFit: LogisticFit?
        var segments: [NextMoveSegment] = []
        var pooled: Set<Dialect> = []
        for clients in Self.families {
            let members = indices.filter { clients.contains(examples[$0].features.dialect) }
            guard !members.isEmpty else { continue }
            let positives = members.count(where: { examples[$0].label })
            let enough =
                members.count >= Self.minimumTurns && positives >= Self.minimumPerLabel
                && members.count - positives >= Self.minimumPerLabel
            let fitted: LogisticFit
            if enough {
                fitted = LogisticFit(
                    rows: members.map { rows[$0] }, labels: members.map { examples[$0].label }, penalty: penalty)
            } else {
                if pooledFit == nil {
                    pooledFit = LogisticFit(
                        rows: indices.map { rows[$0] }, labels: indices.map { examples[$0].label }, penalty: penalty)
                }
                fitted = pooledFit!
            }
            let sessions = Set(members.map { examples[$0].session }).count
            let training = NextMoveTraining(
                turns: members.count, sessions: sessions, positives: positives, penalty: penalty)
            segments.append(
                NextMoveSegment(
                    clients: clients, intercept: NextMoveModel.rounded(fitted.intercept),
                    weights: fitted.weights.map(NextMoveModel.rounded), training: training))
            if !enough { pooled.formUnion(clients) }
        }
        return (segments, pooled)
    }
}
