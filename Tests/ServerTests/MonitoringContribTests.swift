import Foundation
@testable import Reporting
@testable import Server
import Testing

/// The Grafana dashboard and Prometheus rules in contrib/ against what `/metrics` really exports, and promtool.
@Suite("Grafana dashboard and Prometheus rules")
struct MonitoringContribTests {
    static let dashboard = packageRoot.appendingPathComponent("contrib/grafana/divergence.json")
    static let rules = packageRoot.appendingPathComponent("contrib/prometheus/divergence.rules.yml")
    static let ruleTests = packageRoot.appendingPathComponent("contrib/prometheus/divergence.rules.test.yml")

    /// Metric names in PromQL text: our prefixes, not part of a recording rule's `level:metric:operation` name.
    static func metricNames(in text: String) throws -> Set<String> {
        let pattern = try NSRegularExpression(pattern: #"(?<![A-Za-z0-9_:])(?:divergence|bullishness|regime|retail)_[a-z0-9_]+(?![A-Za-z0-9_:])"#)
        let range = NSRange(text.startIndex..., in: text)
        return Set(pattern.matches(in: text, range: range).compactMap { Range($0.range, in: text).map { String(text[$0]) } })
    }

    /// Every family name `/metrics` can export: those the running demo server printed, and those the renderer
    /// declares (families without samples, e.g. a last HTTP status for local files, are left out of the text).
    func exportedNames() async throws -> Set<String> {
        let shared = try await sharedDemo.value
        let response = try await httpRequest(port: shared.port, "GET", "/metrics")
        let printed = Set(try PrometheusTextParser(response.text).families.keys)
        let report = try ReportBuilder(config: shared.demo.config, store: shared.demo.store).build(asOf: demoNow)
        let declared = PrometheusRendering.families(report, sources: try shared.demo.store.sources(), ingest: try shared.demo.store.ingestMetrics())
            .map(\.name) + shared.server.serverFamilies().map(\.name)
        return printed.union(declared)
    }

    /// The PromQL expressions of every panel target and template variable of the dashboard.
    func dashboardExpressions() throws -> [String] {
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: Self.dashboard)) as? [String: Any])
        let panels = try #require(json["panels"] as? [[String: Any]])
        var expressions = panels.flatMap { ($0["targets"] as? [[String: Any]] ?? []).compactMap { $0["expr"] as? String } }
        let variables = (json["templating"] as? [String: Any])?["list"] as? [[String: Any]] ?? []
        expressions += variables.compactMap { $0["definition"] as? String }
        return expressions
    }

    @Test("every metric the Grafana dashboard queries is one /metrics exports")
    func dashboardMetricsExist() async throws {
        let exported = try await exportedNames()
        let expressions = try dashboardExpressions()
        #expect(expressions.count >= 10)
        let queried = try expressions.reduce(into: Set<String>()) { $0.formUnion(try Self.metricNames(in: $1)) }
        #expect(queried.isSuperset(of: ["divergence_score", "bullishness_score", "regime_score", "regime_signal_score",
                                        "bullishness_component_contribution", "divergence_series_age_days",
                                        "divergence_source_consecutive_failures", "divergence_stale_share"]))
        #expect(queried.subtracting(exported).isEmpty, "queried but not exported: \(queried.subtracting(exported).sorted())")
    }

    @Test("every metric the Prometheus rules read is one /metrics exports")
    func ruleMetricsExist() async throws {
        let exported = try await exportedNames()
        let read = try Self.metricNames(in: String(contentsOf: Self.rules, encoding: .utf8))
        #expect(read.isSuperset(of: ["divergence_score", "divergence_series_stale", "divergence_source_consecutive_failures",
                                     "divergence_source_last_success_timestamp_seconds", "divergence_source_interval_seconds"]))
        #expect(read.subtracting(exported).isEmpty, "read but not exported: \(read.subtracting(exported).sorted())")
    }

    @Test("promtool accepts the rules and their unit tests pass")
    func promtool() throws {
        let promtool = try #require(Self.executable("promtool"), "promtool is not installed: install Debian's prometheus package (.ci/run does)")
        let check = try Self.run(promtool, ["check", "rules", Self.rules.path])
        #expect(check.status == 0, "\(check.output)")
        #expect(check.output.contains("SUCCESS: 8 rules found"))
        let test = try Self.run(promtool, ["test", "rules", Self.ruleTests.lastPathComponent], in: Self.ruleTests.deletingLastPathComponent())
        #expect(test.status == 0, "\(test.output)")
        #expect(test.output.contains("SUCCESS"))
    }

    /// The first executable named `name` on PATH (or in /usr/bin).
    static func executable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return (path.split(separator: ":").map(String.init) + ["/usr/bin"]).map { "\($0)/\(name)" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs a program to its end; its exit status and combined output.
    static func run(_ program: String, _ arguments: [String], in directory: URL? = nil) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}
