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

/// The experiment arm a turn's plan used.
package struct PlannedArm: Sendable, Hashable {
    /// The experiment and arm.
    package var assignment: ArmAssignment
    /// For a random control: the model the matched arm's rules chose for this turn, to be counted
    /// in the experiment's ``ExperimentTally`` once the turn is served.
    package var matchedModel: String?

    package init(assignment: ArmAssignment, matchedModel: String? = nil) {
        self.assignment = assignment
        self.matchedModel = matchedModel
    }
}
