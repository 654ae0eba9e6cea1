package import CoreMetrics
import SluiceLedger
import SluiceRouting
import SluiceWire

/// Everything the gateway counts, with bounded labels only: the client's dialect and program,
/// the policy's model, rule and arm, the turn's status, the guard's kind. Never a session key, a
/// user or a tag, whose values are as many as the traffic makes (the ledger has those).
///
/// Per turn, from its ledger record (so metrics and ledger never disagree):
/// - `sluice_requests_total{dialect,client,model,rule,arm,status}`
/// - `sluice_tokens_total{model,kind}`, kind one of `uncached_input`, `cache_read`,
///   `cache_write_5m`, `cache_write_1h`, `output`, `reasoning`
/// - `sluice_cost_usd_total`, `sluice_requested_cost_usd_total`, `sluice_baseline_cost_usd_total`
///   `{model,rule,arm}`: what turns cost, and both counterfactuals (the model the client asked for,
///   the policy's all-frontier baseline); a turn whose requested figure is unknown adds nothing there
/// - `sluice_savings_usd{model,rule,arm,against}`: a gauge, since savings can be negative; `against`
///   is `baseline` or `requested`
/// - `sluice_fallbacks_total{model}`: turns a fallback answered, by the model that did
/// - histograms `sluice_upstream_first_byte_seconds{model}`, `sluice_upstream_duration_seconds{model}`
///   and `sluice_overhead_seconds{dialect}` (Sluice's own time from the whole request to the
///   upstream call: scan, plan, guards)
/// - `sluice_guard_actions_total{guard}` and `sluice_budget_alerts_total{cap}`
/// - `sluice_active_streams`: streamed answers being relayed now
///
/// Written through swift-metrics, so whichever backend `sluice serve` bootstraps exports them
/// (Prometheus, ``MetricsEndpoint``); tests pass their own factory.
package struct GatewayMetrics: Sendable {
    private let factory: any MetricsFactory
    private let labels: BoundedLabels
    private let activeStreams: Meter

    package init(factory: any MetricsFactory = MetricsSystem.factory, labels: BoundedLabels = BoundedLabels()) {
        self.factory = factory
        self.labels = labels
        activeStreams = Meter(label: "sluice_active_streams", factory: factory)
    }

    /// Counts one recorded turn.
    func count(_ record: TurnRecord, timings: TurnTimings) {
        let model = labels.value(record.model, of: "model")
        let rule = labels.value(record.rule, of: "rule")
        let arm = record.arm.map { labels.value($0, of: "arm") } ?? "none"
        let dialect = record.clientDialect.rawValue
        Counter(
            label: "sluice_requests_total",
            dimensions: [
                ("dialect", dialect), ("client", labels.value(record.client, of: "client")), ("model", model),
                ("rule", rule), ("arm", arm), ("status", record.status.rawValue),
            ], factory: factory
        ).increment()

        let usage = record.usage
        for (kind, tokens) in [
            ("uncached_input", usage.uncachedInput), ("cache_read", usage.cacheRead), ("cache_write_5m", usage.cacheWrite5m),
            ("cache_write_1h", usage.cacheWrite1h), ("output", usage.output), ("reasoning", usage.reasoning),
        ] where tokens > 0 {
            Counter(label: "sluice_tokens_total", dimensions: [("model", model), ("kind", kind)], factory: factory)
                .increment(by: tokens)
        }

        let money = [("model", model), ("rule", rule), ("arm", arm)]
        add(record.cost, to: "sluice_cost_usd_total", money)
        add(record.baselineCost, to: "sluice_baseline_cost_usd_total", money)
        save(record.baselineCost - record.cost, money + [("against", "baseline")])
        if let requested = record.requestedCost {
            add(requested, to: "sluice_requested_cost_usd_total", money)
            save(requested - record.cost, money + [("against", "requested")])
        }
        if record.fallback != nil {
            Counter(label: "sluice_fallbacks_total", dimensions: [("model", model)], factory: factory).increment()
        }

        if let overhead = timings.overhead {
            Timer(label: "sluice_overhead_seconds", dimensions: [("dialect", dialect)], factory: factory)
                .recordNanoseconds(overhead.nanoseconds)
        }
        if let firstByte = timings.upstreamFirstByte {
            Timer(label: "sluice_upstream_first_byte_seconds", dimensions: [("model", model)], factory: factory)
                .recordNanoseconds(firstByte.nanoseconds)
        }
        if let total = timings.upstreamTotal {
            Timer(label: "sluice_upstream_duration_seconds", dimensions: [("model", model)], factory: factory)
                .recordNanoseconds(total.nanoseconds)
        }
    }

    func count(_ guards: [TurnGuard]) {
        for action in guards {
            Counter(label: "sluice_guard_actions_total", dimensions: [("guard", action.kind.rawValue)], factory: factory)
                .increment()
        }
    }

    func count(_ alerts: [BudgetAlert]) {
        for alert in alerts {
            Counter(
                label: "sluice_budget_alerts_total", dimensions: [("cap", labels.value(alert.cap.name, of: "cap"))],
                factory: factory
            ).increment()
        }
    }

    /// Notes a streamed answer starting (`true`) or ending (`false`).
    func streaming(_ started: Bool) {
        if started { activeStreams.increment() } else { activeStreams.decrement() }
    }

    private func add(_ amount: USD, to label: String, _ dimensions: [(String, String)]) {
        guard amount.nanos > 0 else { return }
        FloatingPointCounter(label: label, dimensions: dimensions, factory: factory).increment(by: Self.dollars(amount))
    }

    /// Moves the running savings by a signed amount.
    private func save(_ amount: USD, _ dimensions: [(String, String)]) {
        let savings = Meter(label: "sluice_savings_usd", dimensions: dimensions, factory: factory)
        if amount.nanos >= 0 {
            savings.increment(by: Self.dollars(amount))
        } else {
            savings.decrement(by: Self.dollars(USD(nanos: -amount.nanos)))
        }
    }

    /// Dollars as a `Double`: the ledger keeps exact nanodollars; a metric is a float by nature.
    private static func dollars(_ amount: USD) -> Double {
        Double(amount.nanos) / 1_000_000_000
    }
}
