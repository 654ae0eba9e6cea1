import SluiceLedger
import SluiceWire

extension TurnRecord {
    /// A complete record for the spend reports' tests: every field those reports read can be set,
    /// the rest has defaults. `baseline` defaults to the cost; the requested price is absent
    /// (unknown coverage, counted at the cost) unless given.
    static func spend(
        id: String,
        at startedAtMilliseconds: Int64 = 0,
        session: String = "s",
        tag: String? = nil,
        user: String? = nil,
        client: String? = nil,
        agent agentID: String? = nil,
        parent parentAgentID: String? = nil,
        sideCall isSideCall: Bool = false,
        model: String = "opus",
        baselineModel: String = "opus",
        rule: String = "default",
        shape: String = "user_turn",
        promptEstimate: Int = 1_000,
        usage: Usage = Usage(uncachedInput: 1_000, output: 10),
        toolCallRepeats: Int? = nil,
        cost: Int64 = 1_000,
        requested: Int64? = nil,
        requestedCoverage: Coverage = .exact,
        baseline: Int64? = nil,
        baselineCoverage: Coverage? = nil,
        estimated: Bool = false,
        status: TurnStatus = .ok,
        requestBytes: Int? = nil
    ) -> TurnRecord {
        TurnRecord(
            id: id, startedAtMilliseconds: startedAtMilliseconds, session: session, tag: tag, agentID: agentID,
            parentAgentID: parentAgentID, isSideCall: isSideCall, clientDialect: .anthropic,
            requestedModel: "claude-opus-5", model: model, modelID: "claude-\(model)-5", upstream: "anthropic",
            rule: rule, reason: "test", shape: shape, toolCategories: [], promptTokensEstimate: promptEstimate,
            loopDepth: 0, toolError: false, stream: true, usage: usage, estimated: estimated, cost: USD(nanos: cost),
            baselineModel: baselineModel, baselineListCost: USD(nanos: baseline ?? cost),
            baselineCost: USD(nanos: baseline ?? cost), totalMilliseconds: 100, status: status,
            httpStatus: status == .ok ? 200 : 500, requestBytes: requestBytes, baselineCoverage: baselineCoverage,
            requestedCost: requested.map { USD(nanos: $0) }, requestedCoverage: requested == nil ? nil : requestedCoverage,
            toolCallRepeats: toolCallRepeats, user: user, client: client)
    }
}

extension USD {
    /// Whole cents, for readable test amounts: `.cents(25)` is $0.25.
    static func cents(_ cents: Int64) -> USD {
        USD(nanos: cents * 10_000_000)
    }
}
