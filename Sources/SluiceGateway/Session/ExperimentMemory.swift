package import SluiceLedger
package import SluiceRouting
import Synchronization

/// What the gateway keeps about experiments between turns, beyond each session's state.
///
/// - The arms the ledger remembers for sessions this process has not seen yet: read once at
///   start (``ExperimentMemory/window``), so a session keeps its arm across a restart even when the
///   weights were changed in between. Sessions seen since start carry their arm in their state.
/// - For each random control, what its matched arm's rules chose on the control's own turns
///   (``ExperimentTally``). Not persisted: after a restart a control re-learns the share from its
///   next turns, and routes to the baseline until it has seen one.
package final class ExperimentMemory: Sendable {
    private struct State {
        var remembered: [String: ArmAssignment]
        var tallies: [String: ExperimentTally] = [:]
    }

    private let state: Mutex<State>

    /// How far back a starting gateway reads arms from the ledger: sessions idle longer than this
    /// are new sessions to it.
    package static let window: Int64 = 30 * 24 * 3_600_000

    package init(remembered: [String: ArmAssignment] = [:]) {
        state = Mutex(State(remembered: remembered))
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
