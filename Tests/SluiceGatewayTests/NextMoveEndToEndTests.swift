import Foundation
import SluiceLedger
import SluiceRouting
import SluiceStore
import Testing

/// The next-move model through the real server and the real `sluice train`: the ledger keeps each
/// turn's history, and a model trained from the ledger and from the same requests as a file
/// labels the same turns.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct NextMoveEndToEndTests {
    static let dialects = [
        ("anthropic", "/v1/messages", "claude-opus-5-5"), ("openai-chat", "/v1/chat/completions", "gpt-5.6-sol"),
        ("openai-responses", "/v1/responses", "gpt-5.6-sol"),
    ]

    @Test func trainsFromTheLedgerAndFromRequestsAlike() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-train-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let story = AgentSession.fixTheTest
        let sessions = 4
        var lines: [String] = []
        try await GatewayHarness.run(policy: GatewayHarness.shippedDefaultPolicy) { harness in
            for (dialect, path, model) in Self.dialects {
                for index in 0..<sessions {
                    let session = "train-\(dialect)-\(index)"
                    for turn in 0...story.steps.count {
                        let body = story.body(turn: turn, dialect: dialect, model: model)
                        let reply = try await harness.post(path, body: body, headers: [("x-sluice-session", session)])
                        #expect(reply.status == 200)
                        // Every answer under the shipped policy was decided with a p_cheap.
                        lines.append(
                            #"{"protocol":"\#(dialect)","headers":{"x-sluice-session":"\#(session)"},"body":\#(body)}"#)
                    }
                    _ = try await harness.waitForTurns(session, count: story.steps.count + 1)
                }
            }
            await harness.ledger.flush()
            // The ledger keeps what each turn's conversation showed.
            let records = try await harness.ledger.store.turns(from: nil, until: nil)
                .filter { $0.session == "train-anthropic-0" }
                .sorted { $0.startedAtMilliseconds < $1.startedAtMilliseconds }
            #expect(records.map { $0.features?.history?.replies ?? -1 } == Array(0...story.steps.count))
            // Step 1 read a file, step 5 grepped: a read-only streak of 1 after each.
            #expect(records.map { $0.features?.history?.readOnlyStreak ?? -1 } == [0, 1, 0, 0, 0, 1])
            #expect(records.last?.features?.history?.edited == true)

            let requests = folder.appendingPathComponent("requests.jsonl")
            try lines.joined(separator: "\n").write(to: requests, atomically: true, encoding: .utf8)
            let fromLedger = try ExperimentEndToEndTests.sluice([
                "train", "--ledger", harness.ledgerPath, "--policy", harness.policyPath,
                "--out", folder.appendingPathComponent("ledger-model.json").path,
            ])
            let fromRequests = try ExperimentEndToEndTests.sluice([
                "train", "--requests", requests.path, "--policy", harness.policyPath,
                "--out", folder.appendingPathComponent("requests-model.json").path,
            ])
            let labelled = 3 * sessions * story.steps.count  // every turn but each session's last
            for run in [fromLedger, fromRequests] {
                #expect(run.status == 0, "\(run.output)")
                #expect(run.output.contains("Turns: \(labelled) labelled"), "\(run.output)")
                #expect(run.output.contains("Calibration (out of fold, deciles of p_cheap)"))
                #expect(run.output.contains("Cheap routes of \(harness.policyPath)"))
            }
            // Both sources give the same turns, labels and so the same model.
            let ledgerModel = try String(contentsOf: folder.appendingPathComponent("ledger-model.json"), encoding: .utf8)
            let requestsModel = try String(
                contentsOf: folder.appendingPathComponent("requests-model.json"), encoding: .utf8)
            #expect(ledgerModel == requestsModel)
            let model = try NextMoveModel(json: ledgerModel)
            #expect(model.segments.count == 2)
        }
    }

    @Test func refusesToTrainOnNothing() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-empty-\(UUID().uuidString).jsonl")
        try "".write(to: empty, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: empty) }
        let run = try ExperimentEndToEndTests.sluice([
            "train", "--requests", empty.path, "--policy", GatewayHarness.shippedPolicies.appendingPathComponent("default.yaml").path,
        ])
        #expect(run.status != 0)
    }
}

/// `sluice train` on the development traces writes the shipped model, byte for byte: the
/// README's command reproduces it. Runs where the team's shared traces sit beside the checkout.
@Suite(.serialized, .timeLimit(.minutes(10)))
struct ShippedNextMoveModelTests {
    static let traces = GatewayHarness.shippedPolicies
        .deletingLastPathComponent()  // the package
        .deletingLastPathComponent()
        .appendingPathComponent("shared/data/traces")

    static var tracesArePresent: Bool {
        FileManager.default.fileExists(atPath: traces.appendingPathComponent("claude_code.jsonl.xz").path)
    }

    @Test(.enabled(if: tracesArePresent, "the development traces are not beside this checkout"))
    func trainingOnTheDevelopmentTracesReproducesTheShippedModel() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-model-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: out) }
        let binary = ProcessInfo.processInfo.environment["SLUICE_BIN"]
            ?? GatewayHarness.shippedPolicies.deletingLastPathComponent().appendingPathComponent(".build/debug/sluice").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.currentDirectoryURL = GatewayHarness.shippedPolicies.deletingLastPathComponent()
        process.arguments = [
            "-c", #"xz -dc "$1"/*.jsonl.xz | "$2" train --requests - --out "$3" > /dev/null"#, "sh", Self.traces.path,
            binary, out.path,
        ]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let trained = try String(contentsOf: out, encoding: .utf8)
        let shipped = try String(
            contentsOf: GatewayHarness.shippedPolicies.appendingPathComponent("models/next-move.json"), encoding: .utf8)
        #expect(trained == shipped)
    }
}
