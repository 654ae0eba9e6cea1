import CoreMetrics
import Foundation
package import Hummingbird
package import Logging
import Prometheus
import ServiceLifecycle
import SluiceLedger
package import SluiceRouting
import SluiceStore
import UnixSignals

/// The composition root: builds the gateway's parts and runs them.
package enum Gateway {
    /// Reads and validates the policy file, with the environment's overrides and keys applied.
    ///
    /// - Throws: `PolicyError` listing every problem, or a file error.
    package static func loadPolicy(path: String, environment: [String: String]) throws -> RoutingPolicy {
        try readPolicy(path: path, environment: environment).policy
    }

    /// Reads and validates the policy file, and returns its text beside it.
    ///
    /// - Throws: `PolicyError` listing every problem, or a file error.
    package static func readPolicy(path: String, environment: [String: String]) throws -> (
        policy: RoutingPolicy, text: String
    ) {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let policy = try RoutingPolicy(yaml: text, include: includer(forPolicyAt: path)).resolvingEnvironment(environment)
        return (policy, text)
    }

    /// Reads the files a policy includes (`prices: prices.yaml`): a relative path is taken from the
    /// policy file's folder.
    package static func includer(forPolicyAt path: String) -> (String) throws -> String {
        let folder = (path as NSString).deletingLastPathComponent
        return { file in
            let resolved = file.hasPrefix("/") || folder.isEmpty ? file : folder + "/" + file
            do {
                return try String(contentsOfFile: resolved, encoding: .utf8)
            } catch {
                throw PolicyIncludeError(path: resolved)
            }
        }
    }
}

/// A file a policy includes could not be read.
struct PolicyIncludeError: Error, CustomStringConvertible {
    var path: String
    var description: String { "no readable file at \(path)" }
}

extension Gateway {

    /// The HTTP application serving agents, with its dependencies passed in (tests build it too).
    package static func application(
        configuration: GatewayConfiguration, policies: PolicyHolder, upstreams: UpstreamClient, recorder: TurnRecorder,
        shadows: ShadowRunner? = nil, metrics: MetricsEndpoint? = nil, logger: Logger, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = Router(context: GatewayRequestContext.self)
        let shadows = shadows ?? shadowRunner(configuration: configuration, upstreams: upstreams, recorder: recorder, logger: logger)
        let admin = AdminAccess(environment: configuration.environment)
        let turns = TurnHandler(
            policies: policies, upstreams: upstreams, recorder: recorder, shadows: shadows, configuration: configuration,
            admin: admin)
        let outcomes = OutcomeHandler(
            store: recorder.ledger.store, sessions: recorder.sessions, clock: configuration.clock, admin: admin)
        GatewayRoutes(turns: turns, policies: policies, outcomes: outcomes, admin: admin, metrics: metrics)
            .register(on: router)
        DashboardHandler(store: recorder.ledger.store, policies: policies, admin: admin, clock: configuration.clock)
            .register(on: router)
        return Application(
            router: router,
            server: .http1(configuration: .init(additionalChannelHandlers: [ClientDisconnectHandler()])),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "sluice"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
            logger: logger)
    }

    /// The runner of shadow turns, writing to the recorder's store.
    package static func shadowRunner(
        configuration: GatewayConfiguration, upstreams: UpstreamClient, recorder: TurnRecorder, logger: Logger
    ) -> ShadowRunner {
        ShadowRunner(
            upstreams: upstreams, store: recorder.ledger.store, logger: logger, clock: configuration.clock,
            maxResponseBytes: configuration.maxResponseBytes)
    }

    /// Where session states live: in a database ledger several gateways share, so a session's
    /// turns find the same state whichever gateway serves them; in this process otherwise.
    static func sessionStore(for store: any LedgerStore) -> any SessionStateStore {
        (store as? PostgresLedgerStore)?.sessionStore() ?? InMemorySessionStore()
    }

    /// Runs `sluice serve` until SIGINT or SIGTERM; drains the ledger before returning.
    package static func run(configuration: GatewayConfiguration, logger: Logger) async throws {
        var configuration = configuration
        let (policy, policyText) = try readPolicy(path: configuration.policyPath, environment: configuration.environment)
        for problem in policy.unsetKeyProblems(in: configuration.environment) {
            logger.warning("Upstream key not set", metadata: ["policy": "\(configuration.policyPath)", "problem": "\(problem)"])
        }
        let location = try LedgerLocation(parsing: configuration.ledger)
        let store = try await location.open(logger: logger)
        // Gateways sharing a database share the key that turns credentials into users.
        if configuration.userHashKey.isEmpty, let shared = store as? PostgresLedgerStore {
            configuration.userHashKey = try await UserHashKey.shared(in: shared)
        }
        // One Prometheus registry for the process; libraries that use swift-metrics write to it too.
        let registry = PrometheusCollectorRegistry()
        let factory = MetricsEndpoint.factory(registry: registry)
        MetricsSystem.bootstrap(factory)
        let spoolPath = location.spoolPath(in: LedgerLocation.defaultSpoolDirectory, instance: String(configuration.port))
        let ledger = LedgerWriter(store: store, spoolPath: spoolPath, logger: logger, metrics: factory)
        let metrics = MetricsEndpoint(registry: registry, ledger: ledger)
        let remembered =
            policy.experiments.isEmpty
            ? [:] : try await store.armAssignments(since: configuration.clock() - ExperimentMemory.window)
        // Budgets count the spend the ledger already holds, so a restart does not reset them.
        let guards = GuardBook()
        let now = configuration.clock()
        guards.seed(try await store.spend(since: GuardBook.seedStart(at: now)), at: now)
        // On a ledger other gateways share, caps count their turns too, a few seconds late.
        let refresher = GuardRefresher(
            guards: guards, store: store, clock: configuration.clock, logger: logger,
            spendInterval: location.isShared ? .seconds(5) : nil)
        await refresher.refresh()
        let recorder = TurnRecorder(
            ledger: ledger, sessions: sessionStore(for: store), experiments: ExperimentMemory(remembered: remembered),
            guards: guards, logger: logger, metrics: GatewayMetrics(factory: factory))
        let upstreams = UpstreamClient(
            connectTimeoutSeconds: policy.upstreams.values.map(\.connectTimeoutSeconds).max()
                ?? UpstreamSpec.defaultConnectTimeoutSeconds)
        let policies = PolicyHolder(
            policy,
            source: PolicySource(
                path: configuration.policyPath, text: policyText, loadedAtMilliseconds: configuration.clock()))
        let reloader = PolicyReloader(
            path: configuration.policyPath, environment: configuration.environment, policies: policies, logger: logger,
            clock: configuration.clock)
        let shadows = shadowRunner(configuration: configuration, upstreams: upstreams, recorder: recorder, logger: logger)
        await shadows.seed()
        let app = application(
            configuration: configuration, policies: policies, upstreams: upstreams, recorder: recorder,
            shadows: shadows, metrics: metrics, logger: logger,
            onServerRunning: { [host = configuration.host, policyPath = configuration.policyPath] port in
                logger.notice(
                    "Sluice is listening",
                    metadata: [
                        "address": "http://\(host):\(port)", "policy": "\(policyPath)",
                        "ledger": "\(location)",
                    ])
            })
        let group = ServiceGroup(
            configuration: .init(
                services: [ledger, app, reloader, refresher], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            await shadows.shutdown()
            try? await upstreams.shutdown()
            try? await store.close()
            throw error
        }
        await shadows.shutdown()
        try await upstreams.shutdown()
        try await store.close()
    }
}
