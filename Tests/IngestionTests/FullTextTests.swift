import Foundation
import LoopbackHTTP
import Settings
import StoreTestSupport
import Testing
@testable import Ingestion
@testable import Storage

@Suite("Following feed entries to their article pages", .serialized)
struct FullTextTests {
    @Test("full_text = true stores each new entry's page text; a failing page keeps the summary with a warning; known entries are not refetched", arguments: StoreBackendKind.available)
    func followsNewEntries(_ backend: StoreBackendKind) async throws {
        let harness = try IngestHarness(backend, routes: [:])
        let feed = """
            <?xml version="1.0"?><rss version="2.0"><channel><title>Desk</title><link>\(harness.server.url("/"))</link>
            <item><title>Institutions stay long</title><link>\(harness.server.url("/a.html"))</link><guid>a</guid>
              <pubDate>Thu, 05 Feb 2026 10:00:00 GMT</pubDate><description>Short teaser.</description></item>
            <item><title>Page that is gone</title><link>\(harness.server.url("/gone.html"))</link><guid>b</guid>
              <pubDate>Thu, 05 Feb 2026 11:00:00 GMT</pubDate><description>Only the teaser survives.</description></item>
            </channel></rss>
            """
        let page = """
            <html><head><title>Institutions stay long</title></head><body><article>
            <p>Seven in ten institutional investors believe Bitcoin is undervalued, according to a survey published on Thursday.</p>
            <p>Fund managers said they plan to increase their allocation over the next six months, despite the drawdown.</p>
            </article><footer><p>Cookie settings and legal notices for this fictional desk.</p></footer></body></html>
            """
        harness.server.setRoute("/feed.xml", .respond(headers: [("Content-Type", "application/rss+xml")], body: Array(feed.utf8)))
        harness.server.setRoute("/a.html", .respond(headers: [("Content-Type", "text/html")], body: Array(page.utf8)))
        let config = try harness.config([("news", "/feed.xml", "full_text = true")])

        let results = try await harness.ingest(config, now: Date())
        let result = try #require(results.first)
        #expect(result.summaryLine.hasPrefix("ok       /feed.xml: 2 new document(s)"), "\(result.summaryLine)")
        #expect(result.warnings.contains { $0.contains("full text of \(harness.server.url("/gone.html")) not fetched") && $0.contains("404") })
        let texts = try harness.store.read { db in try String.fetchAll(db, sql: "SELECT text FROM document ORDER BY id") }
        #expect(texts[0].contains("Seven in ten institutional investors believe Bitcoin is undervalued"))
        #expect(!texts[0].contains("Cookie settings"))
        #expect(texts[1].contains("Only the teaser survives."))
        #expect(try harness.store.summary().claims >= 1, "the page's survey claim is extracted")

        _ = try await harness.ingest(config, now: Date())
        #expect(harness.server.requestCount(path: "/a.html") == 1, "an entry already stored is not fetched again")
    }
}
