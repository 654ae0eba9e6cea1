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
    let headers: TurnHeaders
    /// The session key from the scan; `nil` until the body has been scanned.
    var scannedSession: String?
    var features: TurnFeatures?
    var decision: RoutingDecision?
    var firstByte: Duration?

    init(dialect: Dialect, headers: TurnHeaders) {
        self.dialect = dialect
        self.headers = headers
    }

    /// The session key: the scan's, or (for a body that could not be scanned) one from headers alone.
    var session: String {
        scannedSession
            ?? SessionKey.resolve(headers: headers, body: .init(), dialect: dialect, requestedModel: "").key
    }

    mutating func noteFirstByte() {
        if firstByte == nil { firstByte = ContinuousClock.now - started }
    }

    /// The ledger record for this turn, priced with `policy`.
    ///
    /// - Parameters:
    ///   - usage: What the upstream reported.
    ///   - complete: Whether the answer ended as it should; usage of a cut answer is an estimate.
    ///   - outputEstimate: Output tokens to assume when the upstream reported none.
    func record(
        status: TurnStatus, httpStatus: Int, usage reported: Usage?, complete: Bool, outputEstimate: Int,
        policy: RoutingPolicy
    ) -> TurnRecord {
        let reachedModel = status == .ok || status == .streamInterrupted || status == .clientCancelled
        var usage = reported ?? .zero
        var estimated = false
        if reachedModel && decision != nil {
            if reported == nil {
                usage = Usage(uncachedInput: features?.promptTokens ?? 0, output: outputEstimate)
                estimated = true
            } else if !complete {
                // A cut stream may carry only `message_start`'s counts: the output so far is a guess.
                usage.output = Swift.max(usage.output, outputEstimate)
                estimated = true
            }
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
            id: id, startedAtMilliseconds: startedAtMilliseconds, session: session, tag: headers.tag,
            agentID: headers.agentID ?? headers.openAISubagent.map { "subagent:" + $0 },
            parentAgentID: headers.parentAgentID, isSideCall: features?.shape == .sideCall, clientDialect: dialect,
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
