import SluiceLedger

/// What one lane did with one turn.
struct ReplayedTurn: Sendable, Hashable {
    var session: String
    var shape: String
    var rule: String
    /// The policy's model name; `nil` when the policy refused the turn.
    var model: String?
    var modelID: String?
    /// The turn's cost on the lane's model: exact where it is what really answered, simulated
    /// elsewhere; `nil` for a turn that was refused or used nothing.
    var cost: Counterfactual?
    var requested: Counterfactual?
    var baseline: Counterfactual?
    /// What really happened, priced exactly; `nil` without a record.
    var recordedCost: USD?
    /// Whether no usage was recorded, so the prompt estimate stood in for it.
    var estimated = false
}
