import SluiceLedger
import SluiceWire

extension TurnRecord {
    /// A turn for the outcome and experiment tests: the arm, the rule, the prices and every field
    /// the session signals read can be set; the rest has defaults. `baseline` defaults to the
    /// cost; the requested price is absent (counted at the cost) unless given.
    static func armTurn(
        id: String,
        at startedAtMilliseconds: Int64 = 0,
        session: String,
        arm: String? = nil,
        rule: String = "default",
        cost: Int64 = 1_000,
        baseline: Int64? = nil,
        requested: Int64? = nil,
        toolCategories: [String] = [],
        toolError: Bool = false,
        toolCallRepeats: Int? = nil,
        status: TurnStatus = .ok,
        fallback: String? = nil
    ) -> TurnRecord {
        TurnRecord(
            id: id, startedAtMilliseconds: startedAtMilliseconds, session: session, isSideCall: false,
            clientDialect: .anthropic, requestedModel: "claude-opus-5", model: "opus", modelID: "claude-opus-5",
            upstream: "anthropic", rule: rule, arm: arm, reason: "test", shape: "user_turn",
            toolCategories: toolCategories, promptTokensEstimate: 1_000, loopDepth: 0, toolError: toolError,
            stream: true, usage: Usage(uncachedInput: 1_000, output: 10), estimated: false, cost: USD(nanos: cost),
            baselineModel: "opus", baselineListCost: USD(nanos: baseline ?? cost),
            baselineCost: USD(nanos: baseline ?? cost), totalMilliseconds: 100, status: status,
            httpStatus: status == .ok ? 200 : 500, fallback: fallback, requestedCost: requested.map { USD(nanos: $0) },
            requestedCoverage: requested == nil ? nil : .exact, toolCallRepeats: toolCallRepeats)
    }
}
