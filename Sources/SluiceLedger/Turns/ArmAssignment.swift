/// The experiment arm a session is in.
package struct ArmAssignment: Sendable, Hashable, Codable {
    /// The experiment's name.
    package var experiment: String
    /// The arm's name.
    package var arm: String

    package init(experiment: String, arm: String) {
        self.experiment = experiment
        self.arm = arm
    }
}
