package import SluiceLedger

/// The shadow a turn's plan chose: which, and the route to its model.
package struct PlannedShadow: Sendable {
    package var name: String
    package var candidate: PlannedCandidate
    package var dailyCap: USD

    package init(name: String, candidate: PlannedCandidate, dailyCap: USD) {
        self.name = name
        self.candidate = candidate
        self.dailyCap = dailyCap
    }
}
