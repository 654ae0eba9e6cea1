import SluiceLedger
import SluiceWire

extension TurnRecord {
    /// A complete record with sensible defaults; tests override what they check.
    static func fixture(
        id: String,
        at startedAtMilliseconds: Int64 = 1_795_636_800_123,
        session: String = "k",
        tag: String? = nil,
        model: String = "opus",
        baselineModel: String = "opus",
        usage: Usage = Usage(uncachedInput: 10, output: 5),
        estimated: Bool = false,
        cost: Int64 = 1_000,
        baselineList: Int64 = 2_000,
        baseline: Int64 = 1_000,
        status: TurnStatus = .ok,
        httpStatus: Int = 200
    ) -> TurnRecord {
        TurnRecord(
            id: id, startedAtMilliseconds: startedAtMilliseconds, session: session, tag: tag,
            isSideCall: false, clientDialect: .anthropic, requestedModel: "claude-opus-5", model: model,
            modelID: "claude-\(model)-5", upstream: "anthropic", rule: "default", reason: "no rule matched",
            shape: "user_turn", toolCategories: [], promptTokensEstimate: usage.promptTokens, loopDepth: 0,
            toolError: false, stream: true, usage: usage, estimated: estimated, cost: USD(nanos: cost),
            baselineModel: baselineModel, baselineListCost: USD(nanos: baselineList),
            baselineCost: USD(nanos: baseline), firstByteMilliseconds: 12, totalMilliseconds: 80,
            status: status, httpStatus: httpStatus)
    }
}

/// Two turns of session "k": one routed to haiku, one answered by the baseline.
enum SmallLedger {
    static let routed = TurnRecord(
        id: "t1", startedAtMilliseconds: 1_795_636_800_123, session: "k", isSideCall: true,
        clientDialect: .anthropic, requestedModel: "claude-opus-5", model: "haiku", modelID: "claude-haiku-5-5",
        upstream: "anthropic", rule: "side-calls", reason: "side call \"title\"", shape: "side_call",
        toolCategories: ["search"], promptTokensEstimate: 60, loopDepth: 0, toolError: false, stream: true,
        usage: Usage(uncachedInput: 60, output: 30), estimated: false, cost: USD(nanos: 200_000),
        baselineModel: "opus", baselineListCost: USD(nanos: 3_000_000), baselineCost: USD(nanos: 3_500_000),
        firstByteMilliseconds: 12, totalMilliseconds: 80, status: .ok, httpStatus: 200)

    static let baseline = TurnRecord(
        id: "t2", startedAtMilliseconds: 1_795_637_130_000, session: "k", isSideCall: false,
        clientDialect: .anthropic, requestedModel: "claude-opus-5", model: "opus", modelID: "claude-opus-5",
        upstream: "anthropic", rule: "default", reason: "no rule matched", shape: "user_turn",
        toolCategories: [], promptTokensEstimate: 40, loopDepth: 0, toolError: false, stream: false,
        usage: Usage(uncachedInput: 40, output: 20), estimated: false, cost: USD(nanos: 1_000_000),
        baselineModel: "opus", baselineListCost: USD(nanos: 2_000_000), baselineCost: USD(nanos: 1_000_000),
        firstByteMilliseconds: nil, totalMilliseconds: 950, status: .ok, httpStatus: 200)

    static var turns: [TurnRecord] { [baseline, routed] }
}

extension String {
    /// The text split at line feeds, empty lines kept (no Foundation in this test target).
    var lines: [String] {
        split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }
}
