package import SluiceLedger

/// The experiment arm a turn's plan used.
package struct PlannedArm: Sendable, Hashable {
    /// The experiment and arm.
    package var assignment: ArmAssignment
    /// For a random control: the model the matched arm's rules chose for this turn, counted in the
    /// control's ``ExperimentTally`` when the turn goes upstream (``TurnPlan/tallyKey``).
    package var matchedModel: String?

    package init(assignment: ArmAssignment, matchedModel: String? = nil) {
        self.assignment = assignment
        self.matchedModel = matchedModel
    }
}
