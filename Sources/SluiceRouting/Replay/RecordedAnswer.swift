package import SluiceLedger
package import SluiceWire

/// What really answered a recorded turn.
package struct RecordedAnswer: Sendable, Hashable {
    /// The provider's id of the model that answered (`claude-opus-4-5-20251101`).
    package var modelID: String
    /// The policy's name for it, when the ledger kept one.
    package var modelName: String?
    /// The usage the provider reported.
    package var usage: Usage
    /// What it cost, when the ledger priced it; otherwise the turn is priced from `usage`.
    package var cost: USD?
    /// The rule that chose it, when the ledger kept one.
    package var rule: String?
    /// How the turn ended.
    package var status: TurnStatus
    /// Whether a fallback answered instead of the model the rule chose.
    package var fellBack: Bool
    /// The experiment arm its session was in.
    package var arm: ArmAssignment?
    /// Milliseconds to the first byte, and to the end.
    package var firstByteMilliseconds: Int?
    package var totalMilliseconds: Int

    package init(
        modelID: String, modelName: String? = nil, usage: Usage, cost: USD? = nil, rule: String? = nil,
        status: TurnStatus = .ok, fellBack: Bool = false, arm: ArmAssignment? = nil,
        firstByteMilliseconds: Int? = nil, totalMilliseconds: Int = 0
    ) {
        self.status = status
        self.fellBack = fellBack
        self.modelID = modelID
        self.modelName = modelName
        self.usage = usage
        self.cost = cost
        self.rule = rule
        self.arm = arm
        self.firstByteMilliseconds = firstByteMilliseconds
        self.totalMilliseconds = totalMilliseconds
    }
}
