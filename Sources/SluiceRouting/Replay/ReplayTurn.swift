package import SluiceLedger
package import SluiceWire

/// One recorded turn, as `sluice replay` re-decides it: the request's features and session, and
/// what really happened, when that is known.
package struct ReplayTurn: Sendable {
    /// The request as scanned (from its body), or rebuilt from a ledger row.
    package var scanned: ScannedRequest
    /// When it arrived, Unix milliseconds: cache lifetimes are measured against these.
    package var startedAtMilliseconds: Int64
    /// The subagent that sent it, for its cache thread.
    package var agentID: String?
    /// What really answered and what it used; `nil` for a request with nothing recorded.
    package var recorded: RecordedAnswer?

    package init(scanned: ScannedRequest, startedAtMilliseconds: Int64, agentID: String? = nil, recorded: RecordedAnswer?) {
        self.scanned = scanned
        self.startedAtMilliseconds = startedAtMilliseconds
        self.agentID = agentID
        self.recorded = recorded
    }
}

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
    /// The experiment arm its session was in.
    package var arm: ArmAssignment?
    /// Milliseconds to the first byte, and to the end.
    package var firstByteMilliseconds: Int?
    package var totalMilliseconds: Int

    package init(
        modelID: String, modelName: String? = nil, usage: Usage, cost: USD? = nil, rule: String? = nil,
        arm: ArmAssignment? = nil, firstByteMilliseconds: Int? = nil, totalMilliseconds: Int = 0
    ) {
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

extension ReplayTurn {
    /// A ledger row as a replay turn: its stored features (``TurnFeatures/init(record:)``), its
    /// session key as recorded, and its real usage and cost.
    package init(record: TurnRecord) {
        let features = TurnFeatures(record: record)
        let scanned = ScannedRequest(
            features: features, session: record.session, sessionSource: .sluiceHeader, modelRange: 0..<0,
            usageOptionEdit: nil)
        var arm: ArmAssignment?
        if let experiment = record.experiment, let name = record.arm {
            arm = ArmAssignment(experiment: experiment, arm: name)
        }
        let answered = !record.modelID.isEmpty
        self.init(
            scanned: scanned, startedAtMilliseconds: record.startedAtMilliseconds, agentID: record.agentID,
            recorded: answered
                ? RecordedAnswer(
                    modelID: record.modelID, modelName: record.model, usage: record.usage, cost: record.cost,
                    rule: record.rule, arm: arm, firstByteMilliseconds: record.firstByteMilliseconds,
                    totalMilliseconds: record.totalMilliseconds)
                : nil)
    }
}
