package import SluiceLedger

/// What the turn plan needs about experiments beyond the policy and the session's state.
///
/// Both come from outside the pure core: the gateway remembers each session's arm (as sessions
/// join, and from the ledger at start, so an assigned session keeps its arm across evictions and
/// restarts even after the weights changed), and counts the matched arms' choices for the random
/// controls. Replay keeps its own.
package struct ExperimentContext: Sendable, Hashable {
    /// The arm the gateway remembers for the session, for a session with no state in memory.
    package var remembered: ArmAssignment?
    /// Per random control (``ExperimentTally/key(experiment:arm:)``), what the arm it matches did
    /// with the control's turns.
    package var tallies: [String: ExperimentTally]

    package init(remembered: ArmAssignment? = nil, tallies: [String: ExperimentTally] = [:]) {
        self.remembered = remembered
        self.tallies = tallies
    }
}
