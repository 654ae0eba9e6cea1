import SluiceLedger

/// Turns in arrival order, labelled from the turns after them.
package struct NextMoveDataset: Sendable {
    /// The labelled turns, in arrival order.
    package var examples: [NextMoveExample] = []
    /// Turns read whose next reply no later turn shows (a session's last turn, a side call).
    package var unlabelled = 0

    /// How far ahead, in the same session, the turn that shows a reply is looked for: side calls
    /// and subagents may come between, but a reply is shown by the very next main turn.
    private static let lookahead = 32

    /// Labels each turn from the first later turn of its session that holds exactly one more
    /// reply and more messages: that turn's latest reply is this turn's answer, classified with
    /// the same tool categories as the features. A turn no later turn answers is left out.
    ///
    /// - Parameter turns: Every turn read, in arrival order: features, session, group.
    package init(turns: [(features: TurnFeatures, session: String, group: String)]) {
        var bySession: [String: [Int]] = [:]
        for (index, turn) in turns.enumerated() { bySession[turn.session, default: []].append(index) }
        var label = [Bool?](repeating: nil, count: turns.count)
        for indices in bySession.values {
            for (position, index) in indices.enumerated() {
                let history = turns[index].features.history
                let messages = turns[index].features.messageCount
                for later in indices[(position + 1)...].prefix(Self.lookahead) {
                    let next = turns[later].features
                    guard next.history.replies == history.replies + 1, next.messageCount > messages else { continue }
                    label[index] = next.history.readOnlyStreak > 0
                    break
                }
            }
        }
        for (index, turn) in turns.enumerated() {
            guard let answer = label[index] else {
                unlabelled += 1
                continue
            }
            examples.append(
                NextMoveExample(features: turn.features, session: turn.session, group: turn.group, label: answer))
        }
    }
}

extension NextMoveDataset {
    /// Plans recorded turns in order, as `policy explain --requests` does (sessions carried from
    /// turn to turn, new runs of a fingerprinted conversation told apart), and labels them.
    ///
    /// - Parameters:
    ///   - turns: Turns read from request lines or ledger rows, in arrival order.
    ///   - policy: The policy whose tool categories and session rules apply.
    package init(turns: [ReplayTurn], policy: RoutingPolicy) {
        var sessions: [String: SessionState] = [:]
        var read: [(features: TurnFeatures, session: String, group: String)] = []
        read.reserveCapacity(turns.count)
        for turn in turns {
            let key = turn.scanned.session
            let plan = policy.plan(turn.scanned, session: sessions[key], at: turn.startedAtMilliseconds)
            sessions[key] = SessionState.next(
                sessions[key], after: plan,
                record: RequestLogExplanation.assumedRecord(plan, at: turn.startedAtMilliseconds))
            read.append((plan.features, plan.session.key, plan.session.scannedKey))
        }
        self.init(turns: read)
    }
}
