package import SluiceLedger

/// How fast one session spends: all it spent, and the turns of its latest minutes, so a session
/// that suddenly spends much faster than it did before can be flagged while it runs.
package struct SpendPace: Sendable, Hashable {
    /// One turn's cost and when it started.
    package struct Spend: Sendable, Hashable {
        package var atMilliseconds: Int64
        package var cost: USD
    }

    package var firstAtMilliseconds: Int64
    package var total = USD.zero
    /// Turns of the latest window, oldest first.
    package var recent: [Spend] = []

    package init(firstAtMilliseconds: Int64) {
        self.firstAtMilliseconds = firstAtMilliseconds
    }

    /// Counts a turn, and forgets turns older than `window` before it.
    package mutating func note(_ cost: USD, at now: Int64, window: Int64) {
        total += cost
        recent.append(Spend(atMilliseconds: now, cost: cost))
        recent.removeAll { now - $0.atMilliseconds > window }
    }

    /// Whether the latest `window` spent more than `multiple` times what the session's earlier
    /// life spent per `window`. The session must have lived a whole window before this one, and
    /// spent something then: a session's first minutes set its pace, they are not a runaway.
    package func isRunningAway(at now: Int64, window: Int64, multiple: Int) -> Bool {
        let start = now - window
        let latest = recent.reduce(USD.zero) { $1.atMilliseconds >= start ? $0 + $1.cost : $0 }
        let earlier = total - latest
        let earlierDuration = start - firstAtMilliseconds
        guard earlierDuration >= window, earlier > .zero, latest > .zero else { return false }
        // latest / window > multiple × earlier / earlierDuration, in integers.
        return Int128(latest.nanos) * Int128(earlierDuration) > Int128(multiple) * Int128(earlier.nanos) * Int128(window)
    }
}
