import Foundation
import NIOHTTP1
import SluiceLedger
import SluiceRouting
import SluiceStore
import Synchronization
import Testing

/// An experiment end to end: sessions through the real server split between two arms, outcomes
/// posted to the gateway's own endpoint, and the ledger read back as a user would, with
/// `sluice ab` and `sluice replay` run as subprocesses.
///
/// The arms differ in one rule: `control` leaves out `grep-anthropic`, so its grep-shaped turns
/// stay on Sonnet while `candidate` sends them to Haiku. Every turn's usage is fixed, so each
/// session's cost is known to the nanodollar.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct ExperimentEndToEndTests {
    static let experiment = "grep-to-cheap"

    static func policy(upstreamPort: Int) -> (text: String, environment: [String: String]) {
        let text = """
            version: 1
            prices: prices.yaml
            upstreams:
              anthropic: {dialect: anthropic, base_url: "http://127.0.0.1:\(upstreamPort)"}
            models:
              sonnet: {upstream: anthropic, id: claude-sonnet-4-5, context_window: 1000000,
                       price: {input: 3, output: 15, cache_read: 0.30, cache_write_5m: 3.75, cache_write_1h: 6}}
              haiku: {upstream: anthropic, id: claude-haiku-4-5, context_window: 200000,
                      price: {input: 1, output: 5, cache_read: 0.10, cache_write_5m: 1.25, cache_write_1h: 2}}
            baseline: {anthropic: sonnet}
            rules:
              - {name: side-calls, when: {client: anthropic, shape: side_call}, route: haiku}
              - {name: grep-anthropic, when: {client: anthropic, shape: tool_followup, last_tool_categories: [search, read]},
                 route: haiku}
              - {name: default-anthropic, when: {client: anthropic}, route: sonnet}
            experiments:
              - {name: \(experiment), arms: {control: {weight: 50, without: [grep-anthropic]}, candidate: {weight: 50}}}
            """
        return (text, [:])
    }

    // MARK: - Sessions

    /// The assistant's answer to the grep, and the user's next request.
    static let answer = #"{"role":"assistant","content":[{"type":"text","text":"It is in src/price.swift."}]},{"role":"user","content":[{"type":"text","text":"Fix it.","cache_control":{"type":"ephemeral","ttl":"1h"}}]}"#

    /// A user turn, a grep-shaped tool follow-up, another user turn.
    static let bodies = [
        GoldenInvoiceTests.main(GoldenInvoiceTests.ask),
        GoldenInvoiceTests.main(GoldenInvoiceTests.ask + "," + GoldenInvoiceTests.grep),
        GoldenInvoiceTests.main(GoldenInvoiceTests.ask + "," + GoldenInvoiceTests.grep + "," + answer),
    ]

    /// The models a session's three turns should get in `arm`: only the grep turn differs.
    static func expectedModels(arm: String) -> [String] {
        arm == "candidate" ? ["sonnet", "haiku", "sonnet"] : ["sonnet", "sonnet", "sonnet"]
    }

    /// Every turn of session `index` reads 1,000 uncached tokens and writes `200 + index`, so
    /// sessions differ a little and each arm's costs have a spread.
    static func outputTokens(session index: Int) -> Int { 200 + index }

    /// One turn's cost in nanodollars: tokens × dollars per million × 1,000.
    static func turnCost(model: String, output: Int) -> Int64 {
        let (input, perOutput): (Int64, Int64) = model == "haiku" ? (1, 5) : (3, 15)
        return 1_000 * input * 1_000 + Int64(output) * perOutput * 1_000
    }

    /// What the headers said about one session.
    struct SessionRun {
        var key: String
        var index: Int
        /// `x-sluice-arm` of each turn, in order.
        var arms: [String?] = []
        /// `x-sluice-model` of each turn, in order.
        var models: [String?] = []
        /// `x-sluice-rule` of each turn, in order.
        var rules: [String?] = []

        var arm: String { (arms.first ?? nil) ?? "" }

        /// The session's cost as priced by hand from the models its arm should use.
        var expectedCost: Int64 {
            let output = ExperimentEndToEndTests.outputTokens(session: index)
            return ExperimentEndToEndTests.expectedModels(arm: arm).reduce(Int64(0)) {
                $0 + ExperimentEndToEndTests.turnCost(model: $1, output: output)
            }
        }
    }

    /// Runs sessions `ab-0` ... through the gateway, three turns each, one second apart on the
    /// gateway's clock, checks every answer's experiment headers, then hands over to `check`
    /// while the gateway still runs (its policy file and ledger live as long as it does).
    static func run(
        sessions count: Int, then check: (GatewayHarness, [SessionRun]) async throws -> Void
    ) async throws {
        let clock = Mutex<Int64>(GoldenInvoiceTests.start)
        try await GatewayHarness.run(clock: { clock.withLock { $0 } }, policy: Self.policy) { harness in
            var runs: [SessionRun] = []
            for index in 0..<count {
                var run = SessionRun(key: "ab-\(index)", index: index)
                let usage = GoldenInvoiceTests.usage(input: 1_000, output: Self.outputTokens(session: index))
                for (number, body) in Self.bodies.enumerated() {
                    clock.withLock { $0 += 1_000 }
                    let label = "\(run.key) turn \(number + 1)"
                    let reply = try await harness.post(
                        "/v1/messages", body: body,
                        headers: [("x-sluice-session", run.key), ("x-script", "usage"), ("x-usage", usage)])
                    #expect(reply.status == 200, "\(label): \(reply.body)")
                    #expect(reply.headers.first(name: "x-sluice-experiment") == Self.experiment, "\(label)")
                    let arm = reply.headers.first(name: "x-sluice-arm")
                    #expect(arm == "control" || arm == "candidate", "\(label): arm \(arm ?? "none")")
                    run.arms.append(arm)
                    run.models.append(reply.headers.first(name: "x-sluice-model"))
                    run.rules.append(reply.headers.first(name: "x-sluice-rule"))
                    _ = try await harness.waitForTurns(run.key, count: number + 1)
                }
                runs.append(run)
            }
            for run in runs {
                #expect(Set(run.arms).count == 1, "\(run.key) changed arms: \(run.arms)")
                // The arm is where the keyed hash of the experiment and the session key falls on
                // the cumulative weights, control's 50 first of 100.
                let point = ExperimentHash.fraction(key: Self.experiment, run.key) * 100
                let hashed = point < 50 ? "control" : "candidate"
                #expect(run.arm == hashed, "\(run.key)")
                let models = Self.expectedModels(arm: run.arm)
                #expect(run.models.map { $0 ?? "none" } == models, "\(run.key) in \(run.arm)")
                let grepRule = run.arm == "candidate" ? "grep-anthropic" : "default-anthropic"
                let rules = ["default-anthropic", grepRule, "default-anthropic"]
                #expect(run.rules.map { $0 ?? "none" } == rules, "\(run.key) in \(run.arm)")
            }
            #expect(runs.contains { $0.arm == "control" })
            #expect(runs.contains { $0.arm == "candidate" })
            try await check(harness, runs)
        }
    }

    // MARK: - Tests

    /// 18 sessions (54 turns, 20 outcome posts: within 80 requests), split by the hash between
    /// the arms, then read back with `sluice ab`: sessions per arm as the headers said, exact mean
    /// cost per session with the candidate cheaper, and the outcomes as posted.
    @Test func twoArmsThroughTheRealServerReadBackWithSluiceAb() async throws {
        try await Self.run(sessions: 18) { harness, runs in
            let control = runs.filter { $0.arm == "control" }
            let candidate = runs.filter { $0.arm == "candidate" }

            // Success for the candidate's even sessions, failure for every other session.
            func succeeded(_ run: SessionRun) -> Bool { run.arm == "candidate" && run.index.isMultiple(of: 2) }
            for run in runs {
                let verdict = succeeded(run) ? "success" : "failure"
                let body =
                    succeeded(run)
                    ? #"{"outcome":"success","score":0.9,"note":"tests pass"}"#
                    : #"{"outcome":"failure","note":"gave up"}"#
                let reply = try await harness.post("/v1/sessions/\(run.key)/outcome", body: body)
                #expect(reply.status == 201, "\(run.key): \(reply.body)")
                let echo = try #require(Self.object(reply.body), "\(run.key): \(reply.body)")
                #expect(echo["outcome"] as? String == verdict, "\(run.key)")
                #expect(echo["session"] as? String == run.key)
                #expect((echo["id"] as? String)?.isEmpty == false)
                if succeeded(run) {
                    #expect(Self.number(echo["score"]).map { abs($0 - 0.9) < 1e-12 } == true)
                    #expect(echo["note"] as? String == "tests pass")
                } else {
                    #expect(echo["score"] is NSNull)
                }
            }

            // Refused bodies go to a control session after its failure: had either been stored,
            // it would be that session's latest outcome and change the counts below.
            let target = try #require(control.last).key
            let maybe = try await harness.post("/v1/sessions/\(target)/outcome", body: #"{"outcome":"maybe"}"#)
            #expect(maybe.status == 400, "\(maybe.body)")
            let maybeError = try #require(Self.object(maybe.body)?["error"] as? [String: Any], "\(maybe.body)")
            let maybeMessage = try #require(maybeError["message"] as? String)
            #expect(maybeMessage.contains("success") && maybeMessage.contains("failure"), "\(maybeMessage)")
            #expect(maybeError["type"] as? String == "invalid_request_error")
            #expect(maybeError["code"] as? String == "invalid_request")
            let tooHigh = try await harness.post(
                "/v1/sessions/\(target)/outcome", body: #"{"outcome":"success","score":1.5}"#)
            #expect(tooHigh.status == 400, "\(tooHigh.body)")
            let tooHighError = try #require(Self.object(tooHigh.body)?["error"] as? [String: Any], "\(tooHigh.body)")
            #expect((tooHighError["message"] as? String)?.contains("score") == true, "\(tooHigh.body)")
            #expect(tooHighError["type"] as? String == "invalid_request_error")

            await harness.ledger.flush()
            let ab = try Self.sluice(["ab", Self.experiment, "--ledger", harness.ledgerPath, "--format", "json"])
            #expect(ab.status == 0, "\(ab.output)")
            let report = try #require(Self.object(ab.output), "\(ab.output)")
            #expect(report["experiment"] as? String == Self.experiment)
            #expect(report["reference"] as? String == "control")
            #expect(Self.number(report["mixed_sessions"]) == 0)
            let arms = try #require(report["arms"] as? [[String: Any]])
            #expect(arms.map { $0["arm"] as? String } == ["control", "candidate"])
            // The raw text of each arm's object, for money exactly as printed.
            let armTexts = Array(ab.output.components(separatedBy: #"{"arm":"#).dropFirst())
            try #require(arms.count == 2 && armTexts.count == 2)

            var means: [Double] = []
            for (index, sessions) in [control, candidate].enumerated() {
                let arm = arms[index]
                let name = arm["arm"] as? String ?? "?"
                #expect(Self.number(arm["sessions"]) == Double(sessions.count), "\(name)")
                #expect(Self.number(arm["turns"]) == Double(3 * sessions.count), "\(name)")
                let cost = try #require(arm["cost_per_session"] as? [String: Any], "\(name)")
                let meanNumber = try #require(Self.number(cost["mean"]), "\(name)")
                means.append(meanNumber)
                // The mean, rounded half up to a whole nanodollar.
                let total = sessions.reduce(Int64(0)) { $0 + $1.expectedCost }
                let count = Int64(sessions.count)
                let mean = USD(nanos: (2 * total + count) / (2 * count))
                #expect(GoldenInvoiceTests.field("mean", in: armTexts[index]) == mean.decimalString, "\(name) mean")
                let spent = USD(nanos: total).decimalString
                #expect(GoldenInvoiceTests.field("actual_usd", in: armTexts[index]) == spent, "\(name) total")

                let outcomes = try #require(arm["outcomes"] as? [String: Any], "\(name)")
                let successes = sessions.filter(succeeded).count
                let explicit = try #require(outcomes["explicit_success"] as? [String: Any], "\(name)")
                #expect(Self.number(explicit["successes"]) == Double(successes), "\(name)")
                #expect(Self.number(explicit["sessions"]) == Double(sessions.count), "\(name)")
                let verdicts = try #require(outcomes["verdicts"] as? [String: Any], "\(name)")
                #expect(Self.number(verdicts["success"]) == Double(successes), "\(name)")
                #expect(Self.number(verdicts["failure"]) == Double(sessions.count - successes), "\(name)")
            }
            #expect(means.count == 2 && means[1] < means[0], "candidate \(means) should cost less than control")

            let difference = try #require(report["difference"] as? [String: Any], "\(ab.output)")
            #expect(difference["reference"] as? String == "control")
            #expect(difference["arm"] as? String == "candidate")
            #expect(Self.number(difference["p_value"]) != nil, "\(ab.output)")
            #expect(Self.boolean(difference["conclusive"]) != nil, "\(ab.output)")
        }
    }

    /// Replaying the ledger under the very policy that wrote it changes nothing: every turn is
    /// decided as it was live (each session in its recorded arm) and priced exactly as recorded.
    @Test func replayingTheLedgerUnderTheSamePolicyReproducesIt() async throws {
        try await Self.run(sessions: 8) { harness, runs in
            await harness.ledger.flush()
            let replay = try Self.sluice([
                "replay", "--policy", harness.policyPath, "--ledger", harness.ledgerPath, "--format", "json",
            ])
            #expect(replay.status == 0, "\(replay.output)")
            let report = try #require(Self.object(replay.output), "\(replay.output)")
            #expect(Self.number(report["turns"]) == Double(3 * runs.count))
            #expect(Self.number(report["sessions"]) == Double(runs.count))
            #expect(Self.number(report["changed_turns"]) == 0, "\(replay.output)")

            let candidates = runs.filter { $0.arm == "candidate" }.count
            let byModel = try #require(report["by_model"] as? [String: Any])
            #expect(Self.number(byModel["haiku"]) == Double(candidates))
            #expect(Self.number(byModel["sonnet"]) == Double(3 * runs.count - candidates))
            let byRule = try #require(report["by_rule"] as? [String: Any])
            let grepRule = try #require(byRule["grep-anthropic"] as? [String: Any], "\(replay.output)")
            #expect(Self.number(grepRule["turns"]) == Double(candidates))
            let side = try #require(report["candidate"] as? [String: Any])
            #expect(Self.number(side["simulated_turns"]) == 0)

            // Money exactly as printed: the candidate's total, what was recorded, and the sum by hand.
            let total = USD(nanos: runs.reduce(Int64(0)) { $0 + $1.expectedCost }).decimalString
            let candidateText = replay.output.components(separatedBy: #""candidate":{"#).dropFirst().first ?? ""
            let recordedText = replay.output.components(separatedBy: #""recorded":{"#).dropFirst().first ?? ""
            let candidateActual = GoldenInvoiceTests.field("actual_usd", in: candidateText)
            let recordedActual = GoldenInvoiceTests.field("actual_usd", in: recordedText)
            #expect(candidateActual != nil && candidateActual == recordedActual, "\(replay.output)")
            #expect(recordedActual == total)
        }
    }

    /// Two separate `sluice` processes put the same sessions in the same arms, and in the arms this
    /// process computes: the assignment needs nothing shared but the policy file.
    @Test func twoProcessesAssignTheSameArms() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-arms-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let policy = folder.appendingPathComponent("policy.yaml")
        try Self.policy(upstreamPort: 1).text.replacingOccurrences(of: "prices: prices.yaml\n", with: "")
            .write(to: policy, atomically: true, encoding: .utf8)
        let body = folder.appendingPathComponent("body.json")
        try Self.bodies[0].write(to: body, atomically: true, encoding: .utf8)
        let keys = (0..<12).map { "process-\($0)" }
        func arms() throws -> [String] {
            try keys.map { key in
                let run = try Self.sluice([
                    "policy", "explain", policy.path, "--request", body.path, "--header", "x-sluice-session: \(key)",
                    "--format", "json",
                ])
                #expect(run.status == 0, "\(run.output)")
                return Self.object(run.output)?["arm"] as? String ?? "?"
            }
        }
        let first = try arms()
        let second = try arms()
        #expect(first == second)
        #expect(Set(first) == ["control", "candidate"])
        let here = keys.map { ExperimentHash.fraction(key: Self.experiment, $0) * 100 < 50 ? "control" : "candidate" }
        #expect(first == here)
    }

    // MARK: - Helpers

    /// Runs the built `sluice` with `arguments`, as a user would: `SLUICE_BIN`, or the debug build.
    static func sluice(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let binary = ProcessInfo.processInfo.environment["SLUICE_BIN"].map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/sluice")
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// `text` parsed as a JSON object; `nil` for anything else.
    static func object(_ text: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
    }

    /// A JSON number as `Double`, whatever class Foundation parsed it into; `nil` for a Boolean.
    static func number(_ value: Any?) -> Double? {
        guard let number = value as? NSNumber, !isBoolean(number) else { return nil }
        return number.doubleValue
    }

    /// A JSON `true` or `false`; `nil` for anything else.
    static func boolean(_ value: Any?) -> Bool? {
        guard let number = value as? NSNumber, isBoolean(number) else { return nil }
        return number.boolValue
    }

    static func isBoolean(_ number: NSNumber) -> Bool {
        String(cString: number.objCType) == "c"
    }
}
