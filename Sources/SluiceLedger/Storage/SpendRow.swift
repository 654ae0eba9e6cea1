/// One slice of recorded spend: the turns of one session, user and tag on one UTC day.
///
/// What a starting gateway counts again so that budgets survive a restart: every account a cap
/// can count (a session's life, a user's or tag's day or month, the gateway's) is a sum of these.
package struct SpendRow: Sendable, Hashable {
    package var session: String
    package var user: String?
    package var tag: String?
    /// The UTC day number (days since 1970).
    package var day: Int64
    package var cost: USD

    package init(session: String, user: String?, tag: String?, day: Int64, cost: USD) {
        self.session = session
        self.user = user
        self.tag = tag
        self.day = day
        self.cost = cost
    }

    /// Sums `turns` by session, user, tag and day: what a store without SQL returns for ``LedgerStore/spend(since:)``.
    package static func summing(_ turns: some Sequence<TurnRecord>) -> [SpendRow] {
        var sums: [SpendKey: USD] = [:]
        var order: [SpendKey] = []
        for turn in turns {
            let key = SpendKey(
                session: turn.session, user: turn.user, tag: turn.tag,
                day: UTCDateTime.daysSinceEpoch(unixMilliseconds: turn.startedAtMilliseconds))
            if sums[key] == nil { order.append(key) }
            sums[key, default: .zero] += turn.cost
        }
        return order.map { SpendRow(session: $0.session, user: $0.user, tag: $0.tag, day: $0.day, cost: sums[$0]!) }
    }
}

extension LedgerStore {
    /// Spend by session, user, tag and day of the turns that started at or after `since`, summed
    /// from the turns themselves; SQL stores answer it with one aggregate.
    package func spend(since: Int64) async throws -> [SpendRow] {
        SpendRow.summing(try await turns(from: since, until: nil))
    }
}

/// What ``SpendRow/summing(_:)`` groups by.
private struct SpendKey: Hashable {
    var session: String
    var user: String?
    var tag: String?
    var day: Int64
}
