package import CoreMetrics
package import Prometheus
package import SluiceStore

/// `GET /metrics`: the gateway's metrics in Prometheus text format.
///
/// The counters and histograms are written by ``GatewayMetrics`` as turns end; the ledger's
/// gauges (`sluice_ledger_queue_depth`, `sluice_ledger_spool_bytes`) are read at each scrape,
/// since only their current value matters. The text is swift-prometheus's own rendering.
package struct MetricsEndpoint: Sendable {
    package let registry: PrometheusCollectorRegistry
    package let factory: PrometheusMetricsFactory
    private let ledger: LedgerWriter

    /// - Parameters:
    ///   - registry: Where the gateway's metrics live (``GatewayMetrics`` writes through
    ///     ``factory``, made from it).
    ///   - ledger: The writer whose queue and spool the gauges read.
    package init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), ledger: LedgerWriter) {
        self.registry = registry
        self.factory = Self.factory(registry: registry)
        self.ledger = ledger
    }

    /// A Prometheus factory with buckets that fit what Sluice measures: its own overhead in tens
    /// of microseconds, upstream answers from milliseconds to minutes.
    package static func factory(registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets = [
            "sluice_overhead_seconds": [
                .microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1),
                .microseconds(2_500), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(100),
            ],
            "sluice_upstream_first_byte_seconds": Self.upstreamBuckets,
            "sluice_upstream_duration_seconds": Self.upstreamBuckets,
        ]
        return factory
    }

    private static let upstreamBuckets: [Duration] = [
        .milliseconds(10), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
        .seconds(2), .seconds(5), .seconds(10), .seconds(30), .seconds(60), .seconds(120), .seconds(300),
    ]

    /// The current metrics, as the body of a scrape.
    package func scrape() -> [UInt8] {
        Gauge(label: "sluice_ledger_queue_depth", factory: factory).record(ledger.queueDepth)
        Gauge(label: "sluice_ledger_spool_bytes", factory: factory).record(ledger.spoolBytes)
        var text: [UInt8] = []
        text.reserveCapacity(16 * 1024)
        registry.emit(into: &text)
        return text
    }
}
