// swift-tools-version:6.2
import PackageDescription

/// Strict settings for every target (STYLE.md §4.3): the compiler enforces the module rules.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "sluice",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "sluice", targets: ["sluice"])
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        // Pure ring: no I/O, no NIO, no server, client or database module.
        .target(name: "SluiceWire"),
        .target(name: "SluiceLedger", dependencies: ["SluiceWire"]),
        .target(
            name: "SluiceRouting",
            dependencies: ["SluiceWire", "SluiceLedger", .product(name: "Yams", package: "Yams")]
        ),

        // Adapters.
        .target(
            name: "SluiceStore",
            dependencies: [
                "SluiceLedger", "SluiceWire", "SluiceRouting",
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "SluiceGateway",
            dependencies: [
                "SluiceWire", "SluiceRouting", "SluiceLedger", "SluiceStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "sluice",
            dependencies: [
                "SluiceGateway", "SluiceRouting", "SluiceLedger", "SluiceStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        .testTarget(name: "SluiceWireTests", dependencies: ["SluiceWire"]),
        .testTarget(name: "SluiceRoutingTests", dependencies: ["SluiceRouting", "SluiceWire"], resources: [.copy("Fixtures")]),
        .testTarget(name: "SluiceLedgerTests", dependencies: ["SluiceLedger", "SluiceWire"], resources: [.copy("Fixtures")]),
        .testTarget(
            name: "SluiceStoreTests",
            dependencies: [
                "SluiceStore", "SluiceLedger", "SluiceWire", "SluiceRouting",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "SluiceGatewayTests",
            dependencies: [
                "SluiceGateway", "SluiceStore", "SluiceLedger", "SluiceRouting",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ]
        ),
    ]
)

for target in package.targets {
    target.swiftSettings = (target.swiftSettings ?? []) + strictSettings
}

// The JSON scanner's throughput benchmark (STYLE.md §4.19, without package-benchmark: it reports
// wall-clock MB/s next to Foundation's parser, for local runs). Only when SLUICE_BENCHMARKS is set,
// so ordinary builds and CI never compile it. Run: scripts/bench-scanner
if Context.environment["SLUICE_BENCHMARKS"] != nil {
    package.targets.append(
        .executableTarget(
            name: "ScannerBenchmark", dependencies: ["SluiceWire", "SluiceRouting"], path: "Benchmarks/ScannerBenchmark",
            swiftSettings: strictSettings))
}

// The libFuzzer target over the whole pure request path (scan, features, session key, plan, body
// edits, pricing). Only when SLUICE_FUZZ is set: it must be built with -sanitize=fuzzer, which
// ordinary builds never use. Run: scripts/fuzz
if Context.environment["SLUICE_FUZZ"] != nil {
    package.targets.append(
        .executableTarget(
            name: "RequestPathFuzz", dependencies: ["SluiceWire", "SluiceLedger", "SluiceRouting"],
            path: "Fuzz/RequestPathFuzz", swiftSettings: strictSettings))
}
