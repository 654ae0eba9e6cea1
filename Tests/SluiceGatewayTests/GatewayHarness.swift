import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import Metrics
import NIOCore
import NIOHTTP1
import SluiceGateway
import SluiceLedger
import SluiceRouting
import ServiceLifecycle
import SluiceStore

/// The real gateway on loopback in front of a `ScriptedUpstream`, with a real SQLite ledger.
struct GatewayHarness {
    let gatewayURL: String
    let upstream: ScriptedUpstream
    let store: SQLiteLedgerStore
    let ledger: LedgerWriter
    /// Counts the turns handed to the ledger, so a test can tell a turn recorded twice (the store
    /// would keep one row of two records with the same id) from one recorded once.
    let recorder: TurnRecorder
    let client: HTTPClient
    let policyPath: String
    let policies: PolicyHolder
    /// The SQLite ledger file, for `sluice report --ledger`.
    let ledgerPath: String

    /// Prices: frontier $4/$20 (read 0.20, write 5.00), cheap $0.10/$0.50 (read 0.01, write 0.125).
    static func policy(upstreamPort: Int) -> String {
        """
        version: 1
        upstreams:
          anthropic: {dialect: anthropic, base_url: "http://127.0.0.1:\(upstreamPort)", timeout: {first_byte: 1}}
          openai: {dialect: openai, base_url: "http://127.0.0.1:\(upstreamPort)/v1", timeout: {first_byte: 1}}
          nowhere: {dialect: anthropic, base_url: "http://127.0.0.1:9"}
          keyed: {dialect: anthropic, base_url: "http://127.0.0.1:\(upstreamPort)", api_key_env: SLUICE_TEST_UPSTREAM_KEY}
          unkeyed: {dialect: anthropic, base_url: "http://127.0.0.1:\(upstreamPort)", api_key_env: SLUICE_TEST_UNSET_KEY}
          local: {dialect: anthropic, base_url: "http://127.0.0.1:\(upstreamPort)", auth: none}
        models:
          frontier: {upstream: anthropic, id: claude-opus-5-5, context_window: 1000000,
                     price: {input: 4.00, output: 20.00, cache_read: 0.20, cache_write_5m: 5.00, cache_write_1h: 8.00}}
          cheap: {upstream: anthropic, id: claude-haiku-5-5, context_window: 1000000,
                  price: {input: 0.10, output: 0.50, cache_read: 0.01, cache_write_5m: 0.125, cache_write_1h: 0.20}}
          gone: {upstream: nowhere, id: claude-gone, context_window: 1000000, price: {input: 1, output: 1}}
          flaky: {upstream: nowhere, id: claude-flaky, context_window: 1000000, price: {input: 1, output: 1},
                  fallback: [frontier]}
          busy: {upstream: anthropic, id: claude-busy, context_window: 1000000, price: {input: 1, output: 1},
                 fallback: [cheap]}
          keyed: {upstream: keyed, id: claude-keyed, context_window: 1000000, price: {input: 1, output: 1}}
          unkeyed: {upstream: unkeyed, id: claude-unkeyed, context_window: 1000000, price: {input: 1, output: 1},
                    fallback: [frontier]}
          local: {upstream: local, id: qwen-local, context_window: 131072, price: {input: 0, output: 0}}
          gpt: {upstream: openai, id: gpt-5.6-sol, context_window: 1050000, price: {input: 4.00, output: 20.00, cache_read: 0.40}}
          mini: {upstream: openai, id: gpt-5.4-mini, context_window: 272000, price: {input: 0.75, output: 4.50, cache_read: 0.075}}
        baseline: {anthropic: frontier, openai-chat: gpt, openai-responses: gpt}
        stickiness: {tool_loop: true}
        rules:
          - {name: unreachable, when: {client: anthropic, requested_model: "*gone*"}, route: gone}
          - {name: flaky, when: {client: anthropic, requested_model: "*flaky*"}, route: flaky}
          - {name: busy, when: {client: anthropic, requested_model: "*busy*"}, route: busy}
          - {name: missing-key, when: {client: anthropic, requested_model: "*unkeyed*"}, route: unkeyed}
          - {name: own-key, when: {client: anthropic, requested_model: "*keyed*"}, route: keyed}
          - {name: local, when: {client: anthropic, requested_model: "*local*"}, route: local}
          - {name: side-calls, when: {client: anthropic, shape: side_call}, route: cheap}
          - {name: grep-shaped, when: {client: anthropic, shape: tool_followup, last_tool_categories: [search]}, route: cheap}
          - {name: cheap-openai, when: {client: [openai-chat, openai-responses], requested_model: "*mini*"}, route: mini}
          - {name: default-anthropic, when: {client: anthropic}, route: frontier}
          - {name: default-openai, when: {client: [openai-chat, openai-responses]}, route: gpt}
        """
    }

    /// The shipped `policies/default.yaml`, its upstreams pointed at the scripted one through the
    /// environment as a user would (`SLUICE_ANTHROPIC_BASE_URL`, `SLUICE_OPENAI_BASE_URL`).
    static let shippedPolicies = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("policies")

    static func shippedDefaultPolicy(upstreamPort: Int) -> (text: String, environment: [String: String]) {
        let file = shippedPolicies.appendingPathComponent("default.yaml")
        let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        return (
            text,
            [
                "SLUICE_ANTHROPIC_BASE_URL": "http://127.0.0.1:\(upstreamPort)",
                "SLUICE_OPENAI_BASE_URL": "http://127.0.0.1:\(upstreamPort)/v1",
            ]
        )
    }

    /// Starts everything, runs `body`, then stops everything.
    ///
    /// - Parameter policy: The policy text and environment for an upstream port; the harness's own
    ///   test policy by default.
    static func run(
        maxBodyBytes: Int = 1024 * 1024,
        clock: (@Sendable () -> Int64)? = nil,
        metrics: (any MetricsFactory)? = nil,
        policy makePolicy: @Sendable (Int) -> (text: String, environment: [String: String]) = {
            (GatewayHarness.policy(upstreamPort: $0), ["SLUICE_TEST_UPSTREAM_KEY": "sk-upstream-own"])
        },
        _ body: (GatewayHarness) async throws -> Void
    ) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var logger = Logger(label: "sluice-test")
        logger.logLevel = .warning

        let upstream = ScriptedUpstream()
        let (upstreamPorts, upstreamPort) = AsyncStream.makeStream(of: Int.self)
        let (gatewayPorts, gatewayPort) = AsyncStream.makeStream(of: Int.self)
        let upstreamApp = upstream.application { upstreamPort.yield($0) }

        let upstreamGroup = ServiceGroup(services: [upstreamApp], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await upstreamGroup.run() }
            defer { Task { await upstreamGroup.triggerGracefulShutdown() } }
            var ports = upstreamPorts.makeAsyncIterator()
            guard let port = await ports.next() else { throw CancellationError() }

            let policyPath = directory.appendingPathComponent("policy.yaml").path
            let (text, environment) = makePolicy(port)
            try text.write(toFile: policyPath, atomically: true, encoding: .utf8)
            // The shipped price book and next-move model, beside the policy, for a policy that
            // names them.
            try? FileManager.default.copyItem(
                at: shippedPolicies.appendingPathComponent("prices.yaml"),
                to: directory.appendingPathComponent("prices.yaml"))
            try? FileManager.default.copyItem(
                at: shippedPolicies.appendingPathComponent("models"), to: directory.appendingPathComponent("models"))
            let (policy, policyText) = try Gateway.readPolicy(path: policyPath, environment: environment)
            let ledgerPath = directory.appendingPathComponent("ledger.sqlite").path
            let store = try await SQLiteLedgerStore.open(path: ledgerPath, logger: logger)
            let ledger = LedgerWriter(store: store, spoolPath: ledgerPath + ".spool.jsonl", logger: logger)
            // A registry of the test's own, scraped at /metrics; a test that reads counters
            // directly passes its own factory instead.
            let endpoint = MetricsEndpoint(ledger: ledger)
            let upstreams = UpstreamClient()
            var configuration = GatewayConfiguration()
            configuration.port = 0
            configuration.maxBodyBytes = maxBodyBytes
            configuration.environment = environment
            if let clock { configuration.clock = clock }
            let policies = PolicyHolder(
                policy,
                source: PolicySource(
                    path: policyPath, text: policyText, loadedAtMilliseconds: configuration.clock()))
            let recorder = TurnRecorder(
                ledger: ledger, sessions: InMemorySessionStore(),
                metrics: GatewayMetrics(factory: metrics ?? endpoint.factory))
            let app = Gateway.application(
                configuration: configuration, policies: policies, upstreams: upstreams, recorder: recorder,
                metrics: endpoint, logger: logger, onServerRunning: { gatewayPort.yield($0) })
            // The same order as `sluice serve`: the server stops first, then the ledger drains.
            let gatewayGroup = ServiceGroup(services: [ledger, app], logger: logger)
            group.addTask { try await gatewayGroup.run() }
            var gatewayIterator = gatewayPorts.makeAsyncIterator()
            guard let gatewayPortNumber = await gatewayIterator.next() else { throw CancellationError() }

            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            let harness = GatewayHarness(
                gatewayURL: "http://127.0.0.1:\(gatewayPortNumber)", upstream: upstream, store: store, ledger: ledger,
                recorder: recorder, client: client, policyPath: policyPath, policies: policies, ledgerPath: ledgerPath)
            var failure: (any Error)?
            do {
                try await body(harness)
            } catch {
                failure = error
            }
            try? await client.shutdown()
            await gatewayGroup.triggerGracefulShutdown()
            await upstreamGroup.triggerGracefulShutdown()
            try await group.waitForAll()
            try? await upstreams.shutdown()
            try? await store.close()
            if let failure { throw failure }
        }
    }

    /// Sends a POST and returns status, headers and the whole body.
    func post(_ path: String, body: String, headers: [(String, String)] = []) async throws -> (
        status: Int, headers: HTTPHeaders, body: String
    ) {
        var request = HTTPClientRequest(url: gatewayURL + path)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "x-api-key", value: "sk-test-client")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await client.execute(request, timeout: .seconds(20))
        let collected = try await response.body.collect(upTo: 64 * 1024 * 1024)
        return (Int(response.status.code), response.headers, String(buffer: collected))
    }

    /// Sends a GET and returns status, headers and the whole body.
    func get(_ path: String, headers: [(String, String)] = []) async throws -> (
        status: Int, headers: HTTPHeaders, body: String
    ) {
        var request = HTTPClientRequest(url: gatewayURL + path)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await client.execute(request, timeout: .seconds(20))
        let collected = try await response.body.collect(upTo: 64 * 1024 * 1024)
        return (Int(response.status.code), response.headers, String(buffer: collected))
    }

    /// The turns of `session`, once the ledger has written everything queued.
    func turns(_ session: String) async throws -> [TurnRecord] {
        await ledger.flush()
        return try await store.turns(inSession: session)
    }

    /// Waits until `session` has `count` turns (records are written after the last byte).
    func waitForTurns(_ session: String, count: Int) async throws -> [TurnRecord] {
        for _ in 0..<100 {
            let turns = try await turns(session)
            if turns.count >= count { return turns }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try await turns(session)
    }
}
