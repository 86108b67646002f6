import Foundation
import Logging
import LoopbackHTTP
import Market
import Reporting
import Scoring
import Settings
import Storage
import StoreTestSupport
import Surveys
import Testing
@testable import Alerting

@Suite("Alerts", .serialized)
struct AlertRunnerTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A store holding the demo scenario's market series and its institutional survey (no news).
    static func demoStore(_ backend: StoreBackendKind, in scratch: ScratchDirectory) throws -> Store {
        let store = try backend.freshStore("alerts", in: scratch)
        var batch = IngestBatch()
        batch.prices = try SeriesCSV.prices(Array(Data(contentsOf: root.appendingPathComponent("feeds/demo/market/btc-usd-daily.csv"))), source: "p").points
        batch.hashrate = try SeriesCSV.hashrate(Array(Data(contentsOf: root.appendingPathComponent("feeds/demo/market/hashrate-daily.csv"))), source: "h").points
        batch.surveyObservations = try SurveyJSON.read(Array(Data(contentsOf: root.appendingPathComponent("feeds/demo/surveys/northbridge-pulse-2026-01.json"))), source: "s").observations
        try store.commit(batch, sourceID: nil, fetchState: nil)
        return store
    }

    @Test("thresholds fire when they become true; change rules fire on a change after a baseline", arguments: [
        (AlertCondition.divergenceAbove(50), nil as String?, "true", true),
        (.divergenceAbove(50), "true", "true", false),
        (.divergenceAbove(50), "false", "true", true),
        (.divergenceAbove(50), "true", "false", false),
        (.labelChange, nil, "extreme", false),
        (.labelChange, "strong", "extreme", true),
        (.labelChange, "extreme", "extreme", false),
        (.supportBreak, "none", "75841–75841", true),
        (.supportBreak, "75841–75841", "none", false),
        (.priceCrossesCost, "above", "below", true),
        (.kumoTwist, "bullish 2024-03-10", "bearish 2025-12-21", true),
    ])
    func crossings(_ condition: AlertCondition, _ previous: String?, _ current: String, _ fires: Bool) {
        let rule = AlertRule(name: "r", condition: condition, command: ["/bin/true"], webhook: nil)
        #expect(rule.fires(previous: previous, current: current) == fires)
    }

    @Test("a crossing runs the command with the alert JSON on stdin and POSTs it to the webhook, once", arguments: StoreBackendKind.available)
    func delivery(_ backend: StoreBackendKind) async throws {
        let scratch = try ScratchDirectory()
        let directory = scratch.url
        let server = try LoopbackHTTPServer(routes: ["/hook": .respond(body: Array("ok".utf8))])
        defer { server.stop() }
        let output = directory.appendingPathComponent("alert.json").path
        // The demo's D is +36 at the end of 2026-01-27 and +45 at the end of 2026-02-07 (DemoScenarioTests works the
        // latter by hand); `extreme` at 42 puts a label change and a level of 33 puts one crossing between them.
        let config = try ConfigLoader.parse("""
            [divergence]
            extreme = 42

            [[alert]]
            name = "extreme divergence"
            rule = "divergence_above"
            level = 33
            command = ["/usr/bin/tee", "\(output)"]
            webhook = "\(server.url("/hook"))"
            allow_private_network = true

            [[alert]]
            name = "label"
            rule = "label_change"
            command = "/bin/true"

            [[alert]]
            name = "broken"
            rule = "hash_ribbon_change"
            command = ["/bin/false"]
            """, file: "a.toml", baseDirectory: directory)
        let store = try Self.demoStore(backend, in: scratch)
        let runner = AlertRunner(config: config, store: store, logger: Logger(label: "test"))
        let builder = ReportBuilder(config: config, store: store)

        let early = try builder.build(asOf: UTCDay(iso: "2025-12-31")!.end)
        let first = try await runner.evaluate(early)
        #expect(first.isEmpty, "before the survey there is no D; label and ribbon only record a baseline")

        // At the end of 2026-01-27 (the survey is out, the ribbon still in capitulation) D is "strong"; eleven days later
        // the regime has sunk further and D is "extreme" (≥ 42 here): the label alert fires then, the threshold alert only once.
        let earlier = try builder.build(asOf: UTCDay(iso: "2026-01-27")!.end)
        let report = try builder.build(asOf: UTCDay(iso: "2026-02-07")!.end)
        #expect(earlier.snapshot.divergence?.label == .strong)
        #expect(report.snapshot.divergence?.label == .extreme)
        let d = try #require(report.snapshot.divergence?.value)
        #expect((earlier.snapshot.divergence?.value ?? 0) > 33 && d > 33)
        let atSurvey = try await runner.evaluate(earlier)
        #expect(atSurvey.map(\.event.alert) == ["extreme divergence"], "D appears above 33; the label only records its baseline")
        let crossingBytes = try #require(FileManager.default.contents(atPath: output))
        let crossing = try #require(try JSONSerialization.jsonObject(with: crossingBytes) as? [String: Any])
        #expect(crossing["test"] as? Bool == false)
        #expect(crossing["current"] as? String == "true" && crossing["previous"] == nil)
        #expect(abs((crossing["divergence"] as? Double ?? 0) - (earlier.snapshot.divergence?.value ?? 0)) < 1e-9)
        try FileManager.default.removeItem(atPath: output)
        let fired = try await runner.evaluate(report)
        #expect(fired.map(\.event.alert) == ["label"], "the ribbon was already in capitulation at the baseline")
        _ = try await runner.test(report)
        #expect(fired[0].failures.isEmpty, "\(fired[0].failures)")
        let written = try #require(FileManager.default.contents(atPath: output))
        let payload = try #require(try JSONSerialization.jsonObject(with: written) as? [String: Any])
        #expect(payload["alert"] as? String == "extreme divergence")
        #expect(payload["rule"] as? String == "divergence_above")
        #expect(abs((payload["divergence"] as? Double ?? 0) - d) < 1e-9)
        #expect(payload["test"] as? Bool == true, "the file now holds the test delivery")
        let posted = try #require(server.requests(path: "/hook").last)
        #expect(posted.method == "POST")
        #expect(posted.header("Content-Type") == "application/json")
        #expect(posted.body == Array(written))

        let again = try await runner.evaluate(report)
        #expect(again.isEmpty, "each crossing fires once")
        #expect(server.requests(path: "/hook").count == 2, "one real crossing and one test delivery")

        let tests = await runner.test(report)
        #expect(tests.count == 3)
        #expect(tests[2].failures == ["broken: command /bin/false: exit status 1"])
        #expect(try store.alertStates()["extreme divergence"]?.value == "true")
    }

    @Test("alert rules are validated with file, line and key")
    func configErrors() {
        let base = URL(fileURLWithPath: "/")
        #expect(throws: ConfigError(file: "a.toml", line: 1, key: "alert.level", reason: "required key is missing")) {
            try ConfigLoader.parse("[[alert]]\nrule = \"divergence_above\"\ncommand = \"/bin/true\"\n", file: "a.toml", baseDirectory: base)
        }
        #expect(throws: ConfigError(file: "a.toml", line: 2, key: "alert.rule", reason: "give a command, a webhook, or both")) {
            try ConfigLoader.parse("[[alert]]\nrule = \"kumo_twist\"\n", file: "a.toml", baseDirectory: base)
        }
        #expect(throws: ConfigError(file: "a.toml", line: 3, key: "alert.webhook", reason: "'ftp://x' is not an http or https URL")) {
            try ConfigLoader.parse("[[alert]]\nrule = \"kumo_twist\"\nwebhook = \"ftp://x\"\n", file: "a.toml", baseDirectory: base)
        }
    }
}
