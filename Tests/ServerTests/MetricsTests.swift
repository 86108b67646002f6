import Foundation
import LoopbackHTTP
import Logging
@testable import Market
@testable import Reporting
@testable import Scoring
@testable import Server
@testable import Storage
import StoreTestSupport
import Testing

/// `/metrics` parsed with a strict Prometheus 0.0.4 reader, and the rendering and file writing behind it.
@Suite("Prometheus metrics")
struct MetricsTests {
    @Test("/metrics is valid 0.0.4 text whose values are the report's", arguments: StoreBackendKind.available)
    func metricsEndpoint(_ backend: StoreBackendKind) async throws {
        let shared = try await SharedDemo.on(backend)
        _ = try await httpRequest(port: shared.port, "GET", "/v1/divergence/latest")
        let response = try await httpRequest(port: shared.port, "GET", "/metrics")
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
        let metrics = try PrometheusTextParser(response.text)

        let report = try ReportBuilder(config: shared.demo.config, store: shared.demo.store).build(asOf: demoNow)
        let divergence = try #require(report.snapshot.divergence)
        let regime = try #require(report.snapshot.regime)
        #expect(close(metrics.value("divergence_score"), divergence.value))
        #expect(close(metrics.value("bullishness_score"), report.snapshot.bullishness.score))
        #expect(close(metrics.value("regime_score"), regime.score))
        #expect(metrics.value("divergence_report_timestamp_seconds") == demoNow.timeIntervalSince1970)
        #expect(metrics.value("divergence_label", ["label": divergence.label.rawValue]) == 1)
        #expect(metrics.value("divergence_label", ["label": "strong"]) == 1, "D ≈ +45 on the demo (DemoScenarioTests works it by hand)")
        #expect(metrics.value("divergence_label", ["label": "aligned"]) == 0)
        #expect(metrics.value("regime_label", ["label": regime.label]) == 1)
        #expect(metrics.samples("regime_label").reduce(0) { $0 + $1.value } == 1)
        #expect(metrics.value("regime_signal_score", ["signal": "hash_ribbon"]) == -1)
        #expect(Set(metrics.samples("regime_signal_score").compactMap { $0.labels["signal"] }) == Set(regime.signals.map(\.id)))
        for component in report.snapshot.bullishness.components {
            #expect(close(metrics.value("bullishness_component_score", ["component": component.id]), component.value))
            #expect(close(metrics.value("bullishness_component_contribution", ["component": component.id]), component.contribution))
        }
        #expect(metrics.families["divergence_score"]?.type == "gauge")
        #expect(metrics.families["divergence_score"]?.help?.isEmpty == false)

        #expect(metrics.value("divergence_store_documents") == 11)
        #expect(metrics.value("divergence_store_survey_observations") == 25)
        #expect(metrics.value("divergence_store_series_points", ["series": "btc_usd"]) == 1_713)
        #expect(metrics.value("divergence_market_last_day_timestamp_seconds", ["series": "btc_usd"]) == demoNow.timeIntervalSince1970)

        // Thirteen demo sources (eight stated and market, five positioning), each with its fetch state; all local files succeeded at the ingest's "now".
        let sources = try shared.demo.store.sources()
        #expect(sources.count == 13)
        #expect(metrics.samples("divergence_source_consecutive_failures").count == 13)
        for source in sources {
            let labels = ["source_id": String(source.id), "source": source.name, "kind": source.kind.rawValue]
            #expect(metrics.value("divergence_source_consecutive_failures", labels) == 0)
            #expect(metrics.value("divergence_source_last_success_timestamp_seconds", labels) == source.lastSuccess?.timeIntervalSince1970)
        }
        #expect(metrics.families["divergence_http_requests_total"]?.type == "counter")
        #expect((metrics.value("divergence_http_requests_total", ["route": "/v1/divergence/latest", "code": "200"]) ?? 0) >= 1)
    }

    /// A report with B, R and D, built by hand.
    func sampleReport() -> DivergenceReport {
        let component = ScoreComponent(id: "surveys", name: "Surveys", weight: 0.5, value: 31.5, contribution: 31.5, explanation: "", evidence: [])
        let bullishness = BullishnessScore(asOf: demoNow, score: 31.5, components: [component], retail: [])
        let signal = RegimeSignal(id: "hash_ribbon", name: "Hash ribbon", value: nil, weight: 0.15, score: -1, contribution: -100, explanation: "")
        let regime = RegimeAssessment(asOf: demoNow, score: -100, label: "capitulation", signals: [signal], notes: [])
        let snapshot = ScoreSnapshot(asOf: demoNow, bullishness: bullishness, regime: regime, thresholds: DivergenceThresholds())
        let summary = StoreSummary(sources: 2, documents: 3, claims: 1, surveyObservations: 4, pricePoints: 5, hashratePoints: 6, snapshots: 0)
        return DivergenceReport(snapshot: snapshot, technicals: nil, precedents: [], store: summary, lastPriceDay: nil, lastHashrateDay: nil)
    }

    func source(id: Int64, name: String) -> StoredSource {
        StoredSource(id: id, location: "https://x.example/\(id)", name: name, kind: .news, publisherType: .media, intervalSeconds: 3_600, origin: "config",
                     options: [:], active: true, etag: nil, lastModified: nil, lastStatus: 200, lastError: nil, consecutiveFailures: 2, nextFetch: nil, lastSuccess: Date(timeIntervalSince1970: 1_770_422_400.5),
                     disabled: false)
    }

    @Test("label values with quotes, backslashes and line feeds survive escaping; sources with the same name stay distinct")
    func escaping() throws {
        let hostile = "Tricky \"quoted\" \\ back\\slash\nnew line {}=,"
        let text = PrometheusRendering.text(sampleReport(), sources: [source(id: 1, name: hostile), source(id: 2, name: hostile)])
        let metrics = try PrometheusTextParser(text)
        let samples = metrics.samples("divergence_source_consecutive_failures")
        #expect(samples.count == 2)
        #expect(samples.allSatisfy { $0.labels["source"] == hostile })
        #expect(metrics.value("divergence_source_last_success_timestamp_seconds", ["source_id": "1", "source": hostile, "kind": "news"]) == 1_770_422_400.5)
        #expect(metrics.value("divergence_score") == (31.5 + 100) / 2)
        #expect(metrics.value("regime_signal_score", ["signal": "hash_ribbon"]) == -1)
    }

    @Test("families without samples are left out: no R means no D, no regime and no signal families")
    func missingScores() throws {
        var report = sampleReport()
        report.snapshot = ScoreSnapshot(asOf: demoNow, bullishness: report.snapshot.bullishness, regime: nil, thresholds: DivergenceThresholds())
        let text = PrometheusRendering.text(report, sources: [])
        let metrics = try PrometheusTextParser(text)
        #expect(metrics.families["divergence_score"] == nil)
        #expect(metrics.families["regime_score"] == nil)
        #expect(metrics.families["regime_signal_score"] == nil)
        #expect(metrics.value("bullishness_score") == 31.5)
        #expect(!text.contains("# TYPE divergence_score"))
    }

    @Test("a repeated series and a repeated family are written once")
    func noDuplicates() throws {
        let family = PrometheusFamily(name: "x_total", help: "h", kind: .counter, samples: [
            .init(labels: [.init("a", "1")], value: 1), .init(labels: [.init("a", "1")], value: 2), .init(labels: [.init("a", "2")], value: 3),
        ])
        let text = PrometheusRendering.text([family, family])
        #expect(text == "# HELP x_total h\n# TYPE x_total counter\nx_total{a=\"1\"} 1\nx_total{a=\"2\"} 3\n")
        _ = try PrometheusTextParser(text)
    }

    @Test("values: integers without a fraction, decimals round-trip, NaN and infinities spelled as Prometheus reads them", arguments: [
        (64_478.0, "64478"), (-0.5, "-0.5"), (0.1, "0.1"), (1e-5, "1e-05"), (Double.nan, "NaN"), (Double.infinity, "+Inf"), (-Double.infinity, "-Inf"),
        (1_770_508_800, "1770508800"), (1e300, "1e+300"),
    ])
    func values(value: Double, text: String) throws {
        #expect(PrometheusRendering.format(value) == text)
        let parsed = try #require(PrometheusTextParser.parseValue(text))
        #expect(parsed == value || (parsed.isNaN && value.isNaN))
    }

    @Test("the strict parser refuses what the format forbids", arguments: [
        "metric 1",                                        // no final line feed
        "1metric 1\n",                                     // bad name
        "m{a=\"1\",a=\"2\"} 1\n",                          // repeated label
        "m{__a=\"1\"} 1\n",                                // reserved label name
        "m{a=\"\\t\"} 1\n",                                // bad escape
        "m 1\nm 2\n",                                      // duplicate series
        "m 0x1F\n",                                        // hex value
        "# TYPE m gauge\n# TYPE m gauge\nm 1\n",           // second TYPE
        "# TYPE m counter\nm -1\n",                        // negative counter
        "a 1\nb 1\na{x=\"1\"} 1\n",                        // family not contiguous
        "m 1\n\n",                                         // blank line
        "# a comment\nm 1\n",                              // stray comment
    ])
    func parserIsStrict(text: String) {
        #expect(throws: PrometheusTextParser.ParseError.self) { try PrometheusTextParser(text) }
    }

    @Test("writeAtomically replaces the file in one rename and leaves no temporary file")
    func atomicWrite() throws {
        let scratch = try ScratchDirectory()
        let path = scratch.path("divergence.prom")
        try "old\n".write(toFile: path, atomically: false, encoding: .utf8)
        let text = PrometheusRendering.text(sampleReport(), sources: [])
        try PrometheusRendering.writeAtomically(text, to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path) == ["divergence.prom"])
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o644)

        let missing = scratch.path("no-such-directory/divergence.prom")
        #expect(throws: PrometheusWriteError.self) { try PrometheusRendering.writeAtomically(text, to: missing) }
        #expect(!FileManager.default.fileExists(atPath: missing))
    }
}
