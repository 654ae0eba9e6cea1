import Foundation
import SluiceLedger
import SluiceRouting
import SluiceWire

/// What is known about one turn while it runs; becomes its ledger record at the end.
struct TurnAccount: Sendable {
    let id = UUID().uuidString.lowercased()
    let startedAtMilliseconds = Int64(Date().timeIntervalSince1970 * 1000)
    let started = ContinuousClock.now
    let dialect: Dialect
    var session = "unknown"
    var tag: String?
    var agentID: String?
    var parentAgentID: String?
    var features: TurnFeatures?
    var decision: RoutingDecision?
    var upstream = ""
    var firstByte: Duration?

    init(dialect: Dialect, headers: TurnHeaders) {
        self.dialect = dialect
        tag = headers.tag
        agentID = headers.agentID
        parentAgentID = headers.parentAgentID
        session = SessionKey.resolve(headers: headers, body: .init(), dialect: dialect, requestedModel: "").key
    }

    mutating func noteFirstByte() {
        if firstByte == nil { firstByte = ContinuousClock.now - started }
    }

    /// The ledger record for this turn, priced with `policy`.
    ///
    /// - Parameters:
    ///   - usage: What the upstream reported; `nil` makes the record an estimate.
    ///   - outputBytes: Bytes of answer relayed, for the output estimate when usage is missing.
    func record(
        status: TurnStatus, httpStatus: Int, usage reported: Usage?, outputBytes: Int, policy: RoutingPolicy
    ) -> TurnRecord {
        let reachedModel = status == .ok || status == .streamInterrupted || status == .clientCancelled
        var usage = reported ?? .zero
        let estimated = reported == nil && reachedModel && decision != nil
        if estimated {
            usage = Usage(uncachedInput: features?.promptTokens ?? 0, output: outputBytes / 4)
        }
        var cost = USD.zero
        var baselineList = USD.zero
        var baselineCost = USD.zero
        if let decision, let model = policy.model(named: decision.model),
            let baseline = policy.model(named: decision.baseline) ?? policy.model(named: decision.model)
        {
            let priced = TurnPricing.price(
                usage: usage, actual: model.price, baseline: baseline.price,
                baselineIsActual: baseline.name == model.name)
            cost = priced.cost
            baselineList = priced.baselineList
            baselineCost = priced.baseline
        }
        let elapsed = ContinuousClock.now - started
        return TurnRecord(
            id: id, startedAtMilliseconds: startedAtMilliseconds, session: session, tag: tag, agentID: agentID,
            parentAgentID: parentAgentID, isSideCall: features?.shape == .sideCall, clientDialect: dialect,
            requestedModel: features?.requestedModel ?? "", model: decision?.model ?? "",
            modelID: decision?.modelID ?? "", upstream: decision?.upstream ?? "", rule: decision?.rule ?? "",
            arm: nil, reason: decision?.reason ?? "", shape: features?.shape.rawValue ?? "",
            toolCategories: features?.lastToolCategories.map(\.rawValue) ?? [],
            promptTokensEstimate: features?.promptTokens ?? 0, loopDepth: features?.loopDepth ?? 0,
            toolError: features?.lastToolError ?? false, stream: features?.stream ?? false, usage: usage,
            estimated: estimated, cost: cost, baselineModel: decision?.baseline ?? "", baselineListCost: baselineList,
            baselineCost: baselineCost, firstByteMilliseconds: firstByte.map(Self.milliseconds),
            totalMilliseconds: Self.milliseconds(elapsed), status: status, httpStatus: httpStatus)
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
    }
}
