package import SluiceLedger
package import SluiceRouting
import Synchronization

/// What the gateway keeps about experiments between turns, beyond each session's state.
///
/// - The arm of every session in an experiment: read from the ledger at start (the sessions of the
///   last ``ExperimentMemory/window``), so a session keeps its arm across a restart even when the
///   weights were changed in between, and added to as sessions join, so it keeps it too when its
///   state is evicted from the session store. The most recent ``limit`` sessions are kept.
/// - For each random control, what its matched arm's rules chose on the control's own turns
///   (``ExperimentTally``). Not persisted: after a restart a control re-learns the share from its
///   next turns, and routes to the baseline until it has seen one.
package final class ExperimentMemory: Sendable {
    private struct State {
        var remembered: [String: ArmAssignment]
        /// The remembered keys, oldest first, for forgetting the oldest beyond ``limit``.
        var order: [String]
        var tallies: [String: ExperimentTally] = [:]
    }

    private let state: Mutex<State>

    /// How far back a starting gateway reads arms from the ledger: sessions idle longer than this
    /// are new sessions to it.
    package static let window: Int64 = 30 * 24 * 3_600_000

    /// Sessions remembered at most (about 100 bytes each).
    package static let limit = 200_000

    package init(remembered: [String: ArmAssignment] = [:]) {
        state = Mutex(State(remembered: remembered, order: remembered.keys.sorted()))
    }

    /// Remembers the arm a planned turn's session is in.
    package func remember(_ plan: TurnPlan) {
        guard let arm = plan.arm else { return }
        let key = plan.session.key
        state.withLock { state in
            guard state.remembered.updateValue(arm.assignment, forKey: key) == nil else { return }
            state.order.append(key)
            if state.order.count > Self.limit {
                // Forget the oldest half at once: amortized, no per-turn shifting.
                let forgotten = state.order.count - Self.limit / 2
                for old in state.order.prefix(forgotten) { state.remembered[old] = nil }
                state.order.removeFirst(forgotten)
            }
        }
    }

    /// The arm remembered for `session`, and the random controls' tallies, for one turn's plan.
    package func context(for session: String) -> ExperimentContext {
        state.withLock { ExperimentContext(remembered: $0.remembered[session], tallies: $0.tallies) }
    }

    /// Counts what a random control's matched arm chose for a planned turn that goes upstream.
    package func count(_ plan: TurnPlan) {
        guard let key = plan.tallyKey, let model = plan.arm?.matchedModel else { return }
        state.withLock { $0.tallies[key, default: ExperimentTally()].count(model) }
    }
}
