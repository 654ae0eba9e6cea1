package import SluiceLedger

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
