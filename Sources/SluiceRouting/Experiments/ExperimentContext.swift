package import SluiceLedger

/// What the turn plan needs about experiments beyond the policy and the session's state.
///
/// Both come from outside the pure core: the gateway remembers the arms of sessions it has not
/// seen since it started (read from the ledger at start, so an assigned session keeps its arm
/// across restarts even after the weights changed), and counts the matched arms' choices for the
/// random controls. Replay and explain keep their own.
package struct ExperimentContext: Sendable, Hashable {
    /// The arm the ledger says the session had, for a session with no state in memory.
    package var remembered: ArmAssignment?
    /// Per experiment, what the arm a random control matches did with the control's turns.
    package var tallies: [String: ExperimentTally]

    package init(remembered: ArmAssignment? = nil, tallies: [String: ExperimentTally] = [:]) {
        self.remembered = remembered
        self.tallies = tallies
    }
}
