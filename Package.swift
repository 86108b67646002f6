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
    ],
    targets: [
        // System libraries.
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),

        // Ingest layers: fetch, then parse.
        .target(name: "Fetching", dependencies: ["CCurl"]),
        .target(name: "DelimitedText"),
        .target(name: "Feeds", dependencies: ["CLibXML2"]),
        .target(name: "Surveys", dependencies: ["DelimitedText"]),
        .target(name: "Market", dependencies: ["DelimitedText"]),
        .target(name: "Sentiment"),

        // Scores, persistence, configuration.
        .target(name: "Scoring", dependencies: ["Market", "Surveys", "Sentiment"]),
        .target(name: "Storage", dependencies: [
            "Feeds", "Surveys", "Market", "Sentiment", "Scoring", "Fetching",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .target(name: "Configuration", dependencies: ["Market", "Scoring", "Fetching"]),

        // The pipeline from configured sources to the store, and from the store to a report.
        .target(name: "Ingestion", dependencies: [
            "Configuration", "Fetching", "Feeds", "Surveys", "Market", "Sentiment", "Storage",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "Reporting", dependencies: ["Configuration", "Scoring", "Storage", "Market"]),

        // Executables: the thin CLI, the demo-scenario generator, validation and benchmarks.
        .executableTarget(name: "divergence-cli", dependencies: [
            "Configuration", "Ingestion", "Reporting", "Storage", "Feeds", "Surveys", "Market", "Sentiment", "Scoring",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "divergence-demo-data"),
        .executableTarget(name: "divergence-validate", dependencies: ["Feeds", "Surveys", "Market", "Sentiment", "Scoring", "CLibXML2"]),
        .executableTarget(name: "divergence-bench", dependencies: [
            "Feeds", "Market", "Sentiment", "Fetching", "LoopbackHTTP", "Storage", "Reporting", "Scoring", "CLibXML2", "Configuration", "Ingestion",
            .product(name: "Logging", package: "swift-log"),
        ]),

        // Test support: a real HTTP server on 127.0.0.1.
        .target(name: "LoopbackHTTP", path: "Tests/Support/LoopbackHTTP"),

        .testTarget(name: "FetchingTests", dependencies: ["Fetching", "LoopbackHTTP"], resources: [.copy("Fixtures")]),
        .testTarget(name: "DelimitedTextTests", dependencies: ["DelimitedText"]),
        .testTarget(name: "FeedsTests", dependencies: ["Feeds"], resources: [.copy("Fixtures")]),
        .testTarget(name: "SurveysTests", dependencies: ["Surveys"]),
        .testTarget(name: "MarketTests", dependencies: ["Market"]),
        .testTarget(name: "SentimentTests", dependencies: ["Sentiment"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ScoringTests", dependencies: ["Scoring", "Market", "Surveys"]),
        .testTarget(name: "StorageTests", dependencies: ["Storage"]),
        .testTarget(name: "ConfigurationTests", dependencies: ["Configuration"]),
        .testTarget(name: "IngestionTests", dependencies: ["Ingestion", "Storage", "Configuration", "LoopbackHTTP"], resources: [.copy("Fixtures")]),
        .testTarget(name: "EndToEndTests", dependencies: ["Market"]),
    ],
    swiftLanguageModes: [.v6]
)
