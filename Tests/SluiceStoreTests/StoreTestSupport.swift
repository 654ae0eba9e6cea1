import Foundation
import InMemoryLogging
import Logging
import SluiceLedger
import SluiceWire

/// A fresh directory under the system temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "sluice-store-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { path + "/" + name }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

enum TestLogging {
    static let silent = Logger(label: "sluice.tests", factory: { _ in SwiftLogNoOpLogHandler() })

    static func capturing() -> (Logger, InMemoryLogHandler) {
        let handler = InMemoryLogHandler()
        return (Logger(label: "sluice.tests", factory: { _ in handler }), handler)
    }
}

extension TurnRecord {
    /// A record whose every field differs from the defaults, so a round trip checks them all.
    static func full(id: String, at milliseconds: Int64, session: String = "s-1", tag: String? = "PROJ-9") -> TurnRecord
    {
        TurnRecord(
            id: id, startedAtMilliseconds: milliseconds, session: session, tag: tag, agentID: "agent-\(id)",
            parentAgentID: "parent", isSideCall: true, clientDialect: .openAIResponses,
            requestedModel: "gpt-5.5-codex", model: "haiku", modelID: "claude-haiku-5-5", upstream: "anthropic",
            rule: "grep-shaped", arm: "B", reason: "tool results from search, read; no error \"quoted\", comma",
            shape: "tool_followup", toolCategories: ["search", "read"], promptTokensEstimate: 12_345, loopDepth: 3,
            toolError: true, stream: true,
            usage: Usage(
                uncachedInput: 11, cacheRead: 22, cacheWrite5m: 33, cacheWrite1h: 44, output: 55, reasoning: 6,
                webSearchRequests: 3),
            estimated: true, cost: USD(nanos: 1_234), baselineModel: "opus",
            baselineListCost: USD(nanos: 98_765), baselineCost: USD(nanos: 54_321), firstByteMilliseconds: 17,
            totalMilliseconds: 912, status: .streamInterrupted, httpStatus: 200, fallback: "rate_limited",
            requestBytes: 4_096, responseBytes: 512, baselineCoverage: .unknown("no baseline, \"quoted\""),
            requestedCost: USD(nanos: 777), requestedCoverage: .simulated, toolCallRepeats: 2, user: "key:00ff",
            client: "claude-code", experiment: "grep-to-cheap",
            features: RecordedFeatures(
                messageCount: 9, assistantMessages: 4, toolsOffered: 12, toolChoice: "auto", thinking: true,
                maxTokens: 32_000, images: 1, hasStopSequences: true, lastMessage: "tool_result",
                lastToolNames: ["Grep", "Read"], lastToolResultBytes: 2_048, newPromptTokens: 300,
                subagent: "Explore", cacheRequest: .lifetime(milliseconds: 3_600_000)))
    }

    /// A minimal record: optionals absent, flags false, no categories.
    static func plain(id: String, at milliseconds: Int64, session: String = "s-1") -> TurnRecord {
        TurnRecord(
            id: id, startedAtMilliseconds: milliseconds, session: session, isSideCall: false,
            clientDialect: .anthropic, requestedModel: "claude-opus-5", model: "opus", modelID: "claude-opus-5",
            upstream: "anthropic", rule: "default", reason: "no rule matched", shape: "user_turn",
            toolCategories: [], promptTokensEstimate: 0, loopDepth: 0, toolError: false, stream: false,
            usage: .zero, estimated: false, cost: .zero, baselineModel: "opus", baselineListCost: .zero,
            baselineCost: .zero, totalMilliseconds: 0, status: .ok, httpStatus: 200)
    }
}

/// A store that fails its first `failures` appends, then stores in memory.
actor FlakyStore: LedgerStore {
    struct Outage: Error {}

    private var failuresLeft: Int
    private(set) var attempts = 0
    private let stored = InMemoryLedgerStore()
    private let delay: Duration

    init(failures: Int, delay: Duration = .zero) {
        failuresLeft = failures
        self.delay = delay
    }

    func append(_ batch: [TurnRecord]) async throws {
        attempts += 1
        if delay > .zero { try? await Task.sleep(for: delay) }
        if failuresLeft > 0 {
            failuresLeft -= 1
            throw Outage()
        }
        await stored.append(batch)
    }

    func sessionSummaries() async throws -> [SessionSummary] { await stored.sessionSummaries() }
    func turns(inSession session: String) async throws -> [TurnRecord] { await stored.turns(inSession: session) }
    func turns(from: Int64?, until: Int64?, withFeatures: Bool) async throws -> [TurnRecord] {
        await stored.turns(from: from, until: until, withFeatures: withFeatures)
    }
    func record(_ outcome: SessionOutcome) async throws { await stored.record(outcome) }
    func outcomes() async throws -> [SessionOutcome] { await stored.outcomes() }
    func record(_ shadow: ShadowRecord) async throws { await stored.record(shadow) }
    func shadows(from: Int64?, until: Int64?) async throws -> [ShadowRecord] {
        await stored.shadows(from: from, until: until)
    }
    func armAssignments(since: Int64) async throws -> [String: ArmAssignment] {
        await stored.armAssignments(since: since)
    }
    func close() async throws {}
    var records: [TurnRecord] { get async { await stored.allRecords } }
}

extension String {
    /// Non-empty lines of a text file.
    static func lines(ofFile path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }
}
