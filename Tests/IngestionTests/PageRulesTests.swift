import Foundation
import LoopbackHTTP
@testable import Settings
import StoreTestSupport
import Testing
@testable import Ingestion
@testable import Storage

@Suite("Survey tables and site rules on web pages", .serialized)
struct PageRulesTests {
    static let surveyPage = """
        <html><body><h1>Pulse results</h1>
        <table id="layout"><tr><td>navigation</td></tr></table>
        <table class="results">
          <tr><th>Population</th><th>Metric</th><th>Share</th><th>Sample_size</th></tr>
          <tr><td>institutional</td><td>undervalued</td><td>71%</td><td>75</td></tr>
          <tr><td>institutional</td><td>overvalued</td><td>12%</td><td>75</td></tr>
          <tr><td>institutional</td><td>unknowable</td><td>3%</td><td>75</td></tr>
        </table></body></html>
        """

    @Test("an HTML survey table chosen by XPath is read through the long layout; bad rows are reported", arguments: StoreBackendKind.available)
    func surveyTable(_ backend: StoreBackendKind) async throws {
        let harness = try IngestHarness(backend, routes: ["/pulse.html": .respond(headers: [("Content-Type", "text/html")], body: Array(Self.surveyPage.utf8))])
        let config = try harness.config([("survey", "/pulse.html", """
            layout = "html-table"
            table_xpath = "//table[@class='results']"
            survey = "Pulse (web)"
            publisher = "North"
            published = "2026-01-27"
            """)])
        let results = try await harness.ingest(config, now: Date())
        let result = try #require(results.first)
        #expect(result.summaryLine.hasPrefix("ok       /pulse.html: 2 new survey row(s)"), "\(result.summaryLine)")
        #expect(result.warnings.contains { $0.contains(":4: unknown metric 'unknowable'") })
        let stored = try harness.store.surveyObservations()
        #expect(stored.map(\.share) == [0.12, 0.71])
        #expect(stored.allSatisfy { $0.survey == "Pulse (web)" && $0.sampleSize == 75 })
    }

    @Test("a per-site rule's body XPath overrides the heuristic for that host", arguments: StoreBackendKind.available)
    func siteRule(_ backend: StoreBackendKind) async throws {
        let page = """
            <html><head><title>Desk note</title><meta property="article:published_time" content="2026-02-05T10:00:00Z"></head><body>
            <div class="promo"><p>Subscribe today for unlimited access to every desk note, chart and survey we publish each week.</p>
            <p>Our premium tier adds real-time alerts on hash ribbons, Kumo twists and miner stress for professional desks.</p></div>
            <div id="note"><p>Fund managers said they would add to Bitcoin on weakness.</p></div>
            </body></html>
            """
        let harness = try IngestHarness(backend, routes: ["/note.html": .respond(headers: [("Content-Type", "text/html")], body: Array(page.utf8))])
        let text = """
            [[site_rule]]
            host = "127.0.0.1"
            body_xpath = "//div[@id='note']"

            [[source]]
            kind = "article"
            url = "\(harness.server.url("/note.html"))"
            allow_private_network = true
            """
        let config = try ConfigLoader.parse(text, file: "t.toml", baseDirectory: harness.directory)
        #expect(config.siteRule(for: harness.server.url("/x"))?.bodyXPath == "//div[@id='note']")
        _ = try await harness.ingest(config, now: Date())
        let stored = try harness.store.read { db in try String.fetchAll(db, sql: "SELECT text FROM document") }
        #expect(stored.count == 1)
        #expect(stored.first?.contains("Fund managers said they would add to Bitcoin on weakness.") == true)
        #expect(stored.first?.contains("Subscribe") == false, "the promo block is outside the rule's body")
    }

    @Test("site rules and html-table surveys are validated with file, line and key")
    func configErrors() {
        #expect(throws: ConfigError(file: "t.toml", line: 1, key: "site_rule.body_xpath", reason: "give body_xpath, drop, or both")) {
            try ConfigLoader.parse("[[site_rule]]\nhost = \"x.example\"\n", file: "t.toml", baseDirectory: URL(fileURLWithPath: "/"))
        }
        #expect(throws: ConfigError(file: "t.toml", line: 4, key: "source.layout", reason: "an html-table survey needs table_xpath =")) {
            try ConfigLoader.parse("[[source]]\nkind = \"survey\"\nurl = \"https://x.example/p\"\nlayout = \"html-table\"\n", file: "t.toml", baseDirectory: URL(fileURLWithPath: "/"))
        }
    }
}
