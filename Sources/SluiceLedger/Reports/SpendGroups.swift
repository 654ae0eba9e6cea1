/// Spend grouped by one field of the ledger (`sluice report --group-by tag`).
///
/// Shows where the money goes across sessions: which work item, user, agent program, rule,
/// model, turn shape or subagent. Each row carries the three prices (actual, requested,
/// all-frontier baseline) so a group's savings read the same way as a session's.
///
/// ```swift
/// let groups = SpendGroups(turns: turns, by: .tag)
/// groups.rows.first?.key   // the tag that spent most
/// ```
package struct SpendGroups: Sendable, Hashable {
    /// One group's figures.
    package struct Row: Sendable, Hashable {
        /// The group's value of the key; ``SpendGroupKey/noValue`` for turns without one.
        package var key: String
        /// Number of turns.
        package var turns: Int
        /// Number of distinct sessions with a turn in the group.
        package var sessions: Int
        /// Actual cost.
        package var cost: USD
        /// The requested counterfactual (a turn without one counts at its actual cost).
        package var requested: USD
        /// The all-frontier counterfactual.
        package var baseline: USD
        /// The group's share of the actual spend of all groups, in basis points rounded half up;
        /// `nil` when nothing was spent.
        package var shareBasisPoints: Int?

        package init(
            key: String, turns: Int, sessions: Int, cost: USD, requested: USD, baseline: USD, shareBasisPoints: Int?
        ) {
            self.key = key
            self.turns = turns
            self.sessions = sessions
            self.cost = cost
            self.requested = requested
            self.baseline = baseline
            self.shareBasisPoints = shareBasisPoints
        }

        /// Savings against the all-frontier counterfactual; negative when the group cost more.
        package var savings: USD { baseline - cost }

        /// Savings against the models the clients asked for; negative when routing cost more.
        package var routingSavings: USD { requested - cost }
    }

    /// What the turns are grouped by.
    package var key: SpendGroupKey
    /// The groups, most actual spend first, then by key ascending.
    package var rows: [Row]
    /// Actual spend of all turns, the whole that shares are of.
    package var total: USD

    /// Groups turns.
    ///
    /// - Parameters:
    ///   - turns: Turns of any sessions, in any order.
    ///   - key: What to group by.
    package init(turns: [TurnRecord], by key: SpendGroupKey) {
        var groups: [String: Accumulator] = [:]
        var total = USD.zero
        for turn in turns {
            let value = key.value(of: turn)
            // In place: a copy of the group would copy its set of sessions on every insert.
            groups[value, default: Accumulator(key: value)].add(turn)
            total += turn.cost
        }
        self.key = key
        self.total = total
        rows = groups.values
            .map { (group: Accumulator) -> Row in
                var row = group.row
                row.sessions = group.sessions.count
                row.shareBasisPoints = row.cost.basisPoints(of: total)
                return row
            }
            .sorted { lhs, rhs in
                lhs.cost != rhs.cost ? lhs.cost > rhs.cost : lhs.key < rhs.key
            }
    }

    /// One group's running sums while the turns are read.
    private struct Accumulator {
        var row: Row
        var sessions: Set<String> = []

        init(key: String) {
            row = Row(
                key: key, turns: 0, sessions: 0, cost: .zero, requested: .zero, baseline: .zero, shareBasisPoints: nil)
        }

        mutating func add(_ turn: TurnRecord) {
            row.turns += 1
            row.cost += turn.cost
            row.requested += turn.requested.cost
            row.baseline += turn.baselineCost
            sessions.insert(turn.session)
        }
    }
}
