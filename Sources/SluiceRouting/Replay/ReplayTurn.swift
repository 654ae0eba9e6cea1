package import SluiceLedger
import SluiceWire

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

extension ReplayTurn {
    /// A ledger row as a replay turn: its stored features (``TurnFeatures/init(record:)``), its
    /// session key as recorded, and its real usage, cost and ending; `nil` for a request refused
    /// before it could be planned (unreadable, too large), which no policy would decide.
    package init?(record: TurnRecord) {
        guard !record.shape.isEmpty else { return nil }
        let features = TurnFeatures(record: record)
        let scanned = ScannedRequest(
            features: features, session: record.session, sessionSource: .sluiceHeader, modelRange: 0..<0,
            usageOptionEdit: nil)
        var arm: ArmAssignment?
        if let experiment = record.experiment, let name = record.arm {
            arm = ArmAssignment(experiment: experiment, arm: name)
        }
        self.init(
            scanned: scanned, startedAtMilliseconds: record.startedAtMilliseconds, agentID: record.agentID,
            recorded: RecordedAnswer(
                modelID: record.modelID, modelName: record.model.isEmpty ? nil : record.model, usage: record.usage,
                cost: record.cost, rule: record.rule, status: record.status, fellBack: record.fallback != nil,
                arm: arm, firstByteMilliseconds: record.firstByteMilliseconds, totalMilliseconds: record.totalMilliseconds))
    }
}
