// libFuzzer target for the whole pure request path: headers, scan, features, session key, plan
// (under every shipped policy), body edits, and pricing the turn into a ledger record. Built by
// `scripts/fuzz` through SwiftPM (only when SLUICE_FUZZ is set) with -sanitize=fuzzer,address:
// a trap (an overflow, an out-of-bounds index), a leak or a failed invariant is a crash.
//
// An input is: one selector byte (the dialect, the policy, the session state), header lines
// (`name: value\n`) up to a NUL byte, then the body. libFuzzer's `main` is replaced by this file's
// top-level code, which loads the policies once and hands libFuzzer the callback.

import SluiceLedger
import SluiceRouting
import SluiceWire

#if canImport(Glibc)
    import Glibc
#endif

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

/// Stops the run with `message`; libFuzzer saves the input that caused it.
func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("RequestPathFuzz: \(message())") }
}

/// The shipped policies, resolved against an environment that sets every key they ask for.
let policies: [(policy: RoutingPolicy, scanner: RequestScanner)] = {
    let folder = getenv("SLUICE_FUZZ_POLICIES").map { String(cString: $0) } ?? "policies"
    var loaded: [(RoutingPolicy, RequestScanner)] = []
    /// A file of the policies' folder, as text.
    func read(_ name: String) -> String {
        guard let file = fopen(folder + "/" + name, "r") else { fatalError("RequestPathFuzz: cannot open \(name)") }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        fclose(file)
        return String(decoding: bytes, as: UTF8.self)
    }
    for name in ["default.yaml", "anthropic.yaml", "openai.yaml", "local.yaml", "examples/guarded.yaml"] {
        do {
            // The price book they include is read from the folder of the policy that names it.
            let directory = name.contains("/") ? String(name[..<name.lastIndex(of: "/")!]) + "/" : ""
            var policy = try RoutingPolicy(yaml: read(name), include: { try read(directory + $0) })
            let keys = policy.upstreams.values.compactMap(\.apiKeyEnvironment).map { ($0, "sk-fuzz") }
            policy = policy.resolvingEnvironment(Dictionary(keys, uniquingKeysWith: { first, _ in first }))
            loaded.append((policy, policy.makeScanner()))
        } catch {
            fatalError("RequestPathFuzz: \(name) does not load: \(error)")
        }
    }
    // The default policy again, with an experiment (a control without the grep-shaped rules, the
    // candidate, a cost-matched random control) and a shadow: the plan's experiment and shadow paths.
    var experimental = loaded[0].0
    experimental.experiments = [
        Experiment(
            name: "fuzz", arms: [
                ExperimentArm(name: "control", weight: 1, rules: experimental.rules.filter { !$0.name.hasPrefix("grep-shaped") }),
                ExperimentArm(name: "candidate", weight: 1, rules: experimental.rules),
                ExperimentArm(name: "random", weight: 1, rules: experimental.rules, matches: "candidate"),
            ])
    ]
    if let frontier = experimental.baselines[.anthropic] {
        experimental.shadows = [
            ShadowSpec(
                name: "frontier-on-grep", model: frontier, samplePercent: 50, rules: ["grep-shaped-anthropic"],
                dailyCap: USD(nanos: USD.nanosPerDollar))
        ]
    }
    loaded.append((experimental, loaded[0].1))
    return loaded
}()

/// Token counts a session's state may hold, the extremes included.
let promptSizes = [nil, 0, 1, 1_000, 150_000, 1 << 40, Int.max]

func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    guard let selector = input.first else { return 0 }
    let dialect = Dialect.allCases[Int(selector) % 3]
    let (policy, scanner) = policies[Int(selector / 3) % policies.count]
    let separator = input.dropFirst().firstIndex(of: 0) ?? size
    var fields: [String: String] = [:]
    for line in input[1..<separator].split(separator: 0x0A) {
        guard let colon = line.firstIndex(of: 0x3A) else { continue }
        let name = String(decoding: line[line.startIndex..<colon], as: UTF8.self).lowercased()
        fields[name] = String(decoding: line[(colon + 1)...], as: UTF8.self)
    }
    let headers = TurnHeaders { fields[$0] }
    let body = UnsafeRawBufferPointer(rebasing: input[min(separator + 1, size)...])

    let scanned: ScannedRequest
    do throws(ClientError) {
        scanned = try scanner.scan(body, dialect: dialect, headers: headers)
    } catch {
        check(!error.message.isEmpty, "a refusal without a message")
        _ = error.body(for: dialect)
        return 0
    }
    check(!scanned.session.isEmpty, "an empty session key")
    check(scanned.features.promptTokens >= 0, "negative prompt tokens")

    // A state for the session, as an earlier turn could have left it.
    let models = policy.models.keys.sorted()
    let state: SessionState? =
        selector & 0x80 == 0
        ? nil
        : SessionState(
            key: scanned.session, turns: Int(selector & 0x0F),
            promptTokens: promptSizes[Int(selector >> 4) % promptSizes.count],
            assistantMessages: Int(selector & 0x03), answeredModel: models[Int(selector) % models.count])
    let now = Int64(selector) * 1_000_003
    let tally = ExperimentTally(turns: Int(selector), byModel: [models[Int(selector) % models.count]: Int(selector) / 2])
    let remembered = selector & 0x20 == 0 ? nil : ArmAssignment(experiment: "fuzz", arm: selector & 0x10 == 0 ? "random" : "gone")
    let context = ExperimentContext(
        remembered: remembered, tallies: [ExperimentTally.key(experiment: "fuzz", arm: "random"): tally])
    let plan = policy.plan(
        scanned, session: state, at: now, experiments: context, headers: headers, tracing: selector & 0x40 != 0)
    if let budget = plan.budget, let chosen = plan.candidates.first {
        // Admission under a standing the selector picks: what it reserves is the candidate's
        // estimate, and a refusal names a cap with a limit.
        let spent = USD(nanos: Int64(selector) * 10_000_000)
        let standings = budget.claims.map { _ in CapStanding(spent: spent, reserved: .zero, limit: USD(nanos: 1_000_000_000)) }
        switch budget.admit(standings, chosen: chosen) {
        case .admit(let candidate, let reservation, _):
            check(reservation == budget.reservation(on: candidate), "a reservation that is not the estimate")
            check(!(reservation < .zero), "a negative reservation")
        case .refuse(_, let refusedSpent, _):
            check(refusedSpent == spent, "a refusal naming another spend")
        }
        check(plan.admitted(.refuse(budget.claims[0], spent: spent, limit: .zero)).verdict != .forward, "a refusal forwarded")
    }
    check(plan.session.scannedKey == scanned.session, "the plan lost the scanned key")
    if let arm = plan.arm {
        let experiment = policy.experiments.first { $0.name == arm.assignment.experiment }
        check(experiment?.arm(named: arm.assignment.arm) != nil, "an arm the policy does not have")
        check((arm.matchedModel != nil) == (arm.assignment.arm == "random"), "a tally outside the random control")
    } else {
        check(
            policy.experiments.isEmpty || state != nil || remembered != nil,
            "a new session of an experiment's policy with no arm")
    }
    if let shadow = plan.shadow {
        check(shadow.candidate.model.name != plan.candidates.first?.model.name, "a shadow of the chosen model")
        check(plan.decision.rule == "grep-shaped-anthropic", "a shadow outside its rules")
    }

    for candidate in plan.candidates {
        guard case .splice(let edits) = candidate.route.body else { continue }
        var previousEnd = 0
        for edit in edits {
            check(edit.range.lowerBound >= previousEnd && edit.range.upperBound <= body.count, "an edit out of order")
            previousEnd = edit.range.upperBound
        }
        var edited: [UInt8] = []
        var cursor = 0
        for edit in edits {
            edited += body[cursor..<edit.range.lowerBound]
            edited += edit.replacement
            cursor = edit.range.upperBound
        }
        edited += body[cursor...]
        check(edited.count == ByteEdit.editedCount(body.count, edits), "editedCount disagrees")
        // What goes upstream is still one JSON document, whose model is the candidate's.
        edited.withUnsafeBytes { raw in
            guard let document = try? JSONDocument(bytes: raw) else {
                fatalError("RequestPathFuzz: the edited body is not JSON")
            }
            check(document.root["model"]?.string == candidate.model.id, "the edited body names another model")
        }
    }

    // The turn as the ledger would record it, with usage as large as an upstream may report.
    let facts = plan.facts(id: "fuzz", startedAtMilliseconds: now, headers: headers)
    let huge = UsageReader.maximumTokens
    let usage = Usage(
        uncachedInput: Int(selector) * 997, cacheRead: selector & 1 == 0 ? huge : 0, cacheWrite5m: huge / 3,
        cacheWrite1h: Int(selector), output: selector & 2 == 0 ? huge : 17, reasoning: 3)
    for status in [TurnStatus.ok, .clientCancelled, .rateLimited] {
        let outcome = TurnOutcome(
            status: status, httpStatus: 200, model: plan.candidates.first?.priced, usage: usage,
            complete: status == .ok, outputEstimate: Int(selector))
        // Twice through the session's caches: the second turn reads what the first wrote.
        let (next, record) = SessionState.recording(state, facts: facts, outcome: outcome, plan: plan)
        let (_, again) = SessionState.recording(next, facts: facts, outcome: outcome, plan: plan)
        for priced in [record, again] {
            check(priced.cost.nanos >= 0 && priced.baselineCost.nanos >= 0, "a negative cost")
            check(priced.requested.cost.nanos >= 0, "a negative requested cost")
        }
        check(next.key == plan.session.key, "the state lost the session")
        // Replayed under the policy that recorded it, a session's first turn is decided the same
        // way. Not checked: a random control's draw (it needs its live tally, which a one-turn
        // replay lacks), and a session the gateway remembered in an arm the policy no longer has
        // (kept out live; the ledger row has no arm, so replay assigns it as a new session).
        if state == nil, remembered == nil, plan.arm?.matchedModel == nil, let turn = ReplayTurn(record: record) {
            let replay = PolicyReplay.run([turn], candidate: policy)
            check(replay.changedTurns == 0 && replay.turns == 1, "a replay that changed its own policy's decision")
        }
    }
    return 0
}

var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
_ = policies
exit(runFuzzerDriver(&argc, &argv) { data, size in fuzzOne(data, size) })
