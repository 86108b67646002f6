// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "divergence",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "divergence", targets: ["divergence-cli"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        // System libraries.
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),

        // The one JSON writer (bulk-escaped byte buffer) and configured encoder every layer that emits JSON shares.
        .target(name: "JSONOutput"),

        // The words the layers share about a source: its kind and its publisher's type.
        .target(name: "Vocabulary"),

        // Ingest layers: fetch, then parse.
        .target(name: "Fetching", dependencies: ["CCurl"]),
        .target(name: "DelimitedText"),
        .target(name: "Feeds", dependencies: ["CLibXML2", "JSONOutput"]),
        .target(name: "Surveys", dependencies: ["DelimitedText"]),
        .target(name: "Market", dependencies: ["DelimitedText"]),
        .target(name: "Sentiment", dependencies: ["JSONOutput"]),
        .target(name: "Positioning", dependencies: ["DelimitedText", "Feeds", "Market"]),

        // Scores, persistence, configuration.
        .target(name: "Scoring", dependencies: ["Market", "Surveys", "Sentiment", "JSONOutput", "Positioning"]),
        .target(name: "Storage", dependencies: [
            "Feeds", "Surveys", "Market", "Sentiment", "Scoring", "JSONOutput", "Positioning", "Vocabulary",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "Settings", dependencies: ["Market", "Scoring", "Fetching", "Sentiment", "Vocabulary"]),

        // The pipeline from configured sources to the store, and from the store to a report.
        .target(name: "Ingestion", dependencies: [
            "Settings", "Fetching", "Feeds", "Surveys", "Market", "Sentiment", "Storage", "JSONOutput", "Positioning", "Vocabulary",
            "Reporting", "Alerting",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .target(name: "Reporting", dependencies: ["Settings", "Scoring", "Storage", "Market", "Surveys", "JSONOutput"]),

        // Alert rules evaluated after each ingest, delivered to a command and/or a webhook.
        .target(name: "Alerting", dependencies: [
            "Settings", "Scoring", "Storage", "Reporting", "Fetching",
            .product(name: "Logging", package: "swift-log"),
        ]),

        // The read-only HTTP API and /metrics.
        .target(name: "Server", dependencies: [
            "Settings", "Reporting", "Scoring", "Storage", "Market", "JSONOutput",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ], resources: [.copy("openapi.json")]),

        // Executables: the thin CLI, the demo-scenario generator, validation and benchmarks.
        .executableTarget(name: "divergence-cli", dependencies: [
            "Settings", "Ingestion", "Reporting", "Alerting", "Server", "Storage", "Feeds", "Fetching", "Surveys", "Market", "Sentiment", "Scoring", "JSONOutput", "Vocabulary",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
        ], linkerSettings: [
            // Start-up is part of every command a pipeline runs (a `parse` of a few hundred files takes ~55 ms, ~15 of
            // them before `main`). In release builds on Linux, the toolchain's lld packs the ~140k relative relocations
            // (RELR: the binary needs glibc ≥ 2.36, Debian 12 or later), and exporting no symbols spares the loader a
            // 51k-entry dynamic symbol table: ~2 ms per run (`perf stat -r 40 divergence --version`, interleaved).
            .unsafeFlags(["-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs", "-Xlinker", "--no-export-dynamic"],
                         .when(platforms: [.linux], configuration: .release)),
        ]),
        .executableTarget(name: "divergence-demo-data"),
        .executableTarget(name: "divergence-validate", dependencies: [
            "Feeds", "Surveys", "Market", "Sentiment", "Scoring", "CLibXML2", "Positioning", "Settings", "Storage", "Ingestion", "Reporting",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "divergence-bench", dependencies: [
            "Feeds", "Market", "Sentiment", "Fetching", "LoopbackHTTP", "Storage", "Reporting", "Scoring", "CLibXML2", "Settings", "Ingestion", "Server", "Positioning", "StoreTestSupport",
            .product(name: "Logging", package: "swift-log"),
        ]),

        // Test support: a real HTTP server on 127.0.0.1, and wall-clock bounds that sanitizer runs stretch (TestTime).
        .target(name: "LoopbackHTTP", path: "Tests/Support/LoopbackHTTP"),
        // Test support: a private PostgreSQL cluster (initdb + pg_ctl in a temporary folder) and fresh stores of either backend.
        .target(name: "StoreTestSupport", dependencies: ["Storage"], path: "Tests/Support/StoreTestSupport"),

        // Fuzzing (`make fuzz`): each parser's entry point, and the libFuzzer harness, which replays files when built
        // without -DDIVERGENCE_FUZZ.
        .target(name: "FuzzEntryPoints", dependencies: ["Feeds", "DelimitedText", "Surveys", "Market", "Settings"], path: "Tests/Fuzz/EntryPoints"),
        .executableTarget(name: "divergence-fuzz", dependencies: ["FuzzEntryPoints"], path: "Tests/Fuzz/Harness"),

        .testTarget(name: "FetchingTests", dependencies: ["Fetching", "LoopbackHTTP"], resources: [.copy("Fixtures")]),
        .testTarget(name: "DelimitedTextTests", dependencies: ["DelimitedText"]),
        .testTarget(name: "JSONOutputTests", dependencies: ["JSONOutput"]),
        .testTarget(name: "FeedsTests", dependencies: ["Feeds", "LoopbackHTTP"], resources: [.copy("Fixtures")]),
        .testTarget(name: "SurveysTests", dependencies: ["Surveys"]),
        .testTarget(name: "MarketTests", dependencies: ["Market"]),
        .testTarget(name: "PositioningTests", dependencies: ["Positioning", "Market"]),
        .testTarget(name: "SentimentTests", dependencies: ["Sentiment"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ScoringTests", dependencies: ["Scoring", "Market", "Surveys", "Sentiment", "Positioning"]),
        .testTarget(name: "ReportingTests", dependencies: ["Reporting", "Market"]),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "StoreTestSupport", "Feeds", "Scoring", "Sentiment", "Market", "Surveys", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "SettingsTests", dependencies: ["Settings", "Market", "Scoring", "Sentiment"]),
        .testTarget(name: "IngestionTests", dependencies: [
            "Ingestion", "Storage", "StoreTestSupport", "Settings", "Positioning", "LoopbackHTTP", "Reporting", "Market", "Scoring", "Sentiment", "Surveys",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "AlertingTests", dependencies: [
            "Alerting", "Scoring", "Settings", "Storage", "StoreTestSupport", "Reporting", "Market", "Surveys", "LoopbackHTTP",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "ServerTests", dependencies: [
            "Server", "Storage", "StoreTestSupport", "Settings", "Reporting", "Market", "Scoring", "Ingestion", "LoopbackHTTP",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "EndToEndTests", dependencies: ["Market", "Storage", "StoreTestSupport", "Surveys", "LoopbackHTTP", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "FuzzRegressionTests", dependencies: ["FuzzEntryPoints"]),
        .testTarget(name: "SchedulingTests", dependencies: [
            "Ingestion", "Storage", "StoreTestSupport", "Settings", "Sentiment", "LoopbackHTTP",
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
