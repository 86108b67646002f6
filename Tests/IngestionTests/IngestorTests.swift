import Foundation
import Logging
import LoopbackHTTP
import Market
import Settings
@testable import Storage
import StoreTestSupport
import Testing
@testable import Ingestion

/// A loopback server, a fresh store of one backend and a config pointing at the server.
final class IngestHarness {
    let server: LoopbackHTTPServer
    let scratch: ScratchDirectory
    let store: Store
    var directory: URL { scratch.url }

    init(_ backend: StoreBackendKind = .sqlite, routes: [String: LoopbackRoute]) throws {
        server = try LoopbackHTTPServer(routes: routes)
        scratch = try ScratchDirectory()
        store = try backend.freshStore(in: scratch)
    }

    /// A config whose `[[source]]` tables are given as (kind, path on the server, extra lines).
    func config(_ sources: [(kind: String, path: String, extra: String)]) throws -> DivergenceConfig {
        let text = sources.map { source in
            "[[source]]\nname = \"\(source.path)\"\nkind = \"\(source.kind)\"\nurl = \"\(server.url(source.path))\"\nallow_private_network = true\n\(source.extra)\n"
        }.joined(separator: "\n")
        return try ConfigLoader.parse(text, file: "test.toml", baseDirectory: directory)
    }

    func ingest(_ config: DivergenceConfig, now: Date) async throws -> [SourceIngestResult] {
        try await Ingestor(config: config, store: store, logger: Logger(label: "test")).ingestAll(now: now)
    }

    deinit { server.stop() }
}

@Suite("Ingest from a loopback server into a store of either backend", .serialized)
struct IngestorTests {
    // 2026-02-07T12:00Z: the Kraken candle of 2026-02-07 is still in progress and must be dropped.
    let now = Date(timeIntervalSince1970: 1_770_465_600)

    /// Kraken's documented OHLC shape: [time, open, high, low, close, vwap, volume (BTC), count].
    static let kraken = """
        {"error":[],"result":{"XXBTZUSD":[
          [1770249600,"73000.0","74000.0","62000.0","63200.0","68000.0","1000.0",5000],
          [1770336000,"63200.0","65500.0","62800.0","64100.0","64000.0","800.0",4000],
          [1770422400,"64100.0","64900.0","63900.0","64478.0","64400.0","10.0",90]
        ],"last":1770422400}}
        """
    /// blockchain.com charts' documented shape (TH/s).
    static let charts = """
        {"status":"ok","name":"Hash Rate","unit":"Hash Rate TH/s","period":"day","description":"","values":[
          {"x":1770249600,"y":920000000.0},{"x":1770336000,"y":913000000.0}]}
        """
    /// mempool.space's documented shape (H/s).
    static let mempool = """
        {"hashrates":[{"timestamp":1770249600,"avgHashrate":9.2e20},{"timestamp":1770336000,"avgHashrate":9.13e20}],
         "difficulty":[],"currentHashrate":9.1e20,"currentDifficulty":1.2e14}
        """

    @Test("price and hashrate adapters read their APIs' documented shapes, then ask only for what is new", arguments: StoreBackendKind.available)
    func marketAdapters(_ backend: StoreBackendKind) async throws {
        let harness = try IngestHarness(backend, routes: [:])
        harness.server.setFallback(.respond(body: Array(Self.kraken.utf8)))
        harness.server.setRoute("/charts/hash-rate?timespan=1year&format=json", .respond(body: Array(Self.charts.utf8)))
        let config = try harness.config([
            ("prices", "/0/public/OHLC?pair=XBTUSD&interval=1440", "format = \"kraken-ohlc\""),
            ("hashrate", "/charts/hash-rate?timespan=1year&format=json", "format = \"blockchain-charts\""),
        ])
        let results = try await harness.ingest(config, now: now)
        #expect(results.allSatisfy { if case .stored = $0.outcome { true } else { false } }, "\(results.map(\.summaryLine))")

        let prices = try harness.store.prices()
        #expect(prices.map(\.day.iso) == ["2026-02-05", "2026-02-06"], "the in-progress candle of 2026-02-07 is dropped")
        #expect(prices[0].close == 63_200 && prices[0].low == 62_000)
        let volume = try #require(prices[0].volume, "Kraken gives a volume")
        #expect(abs(volume - 1000 * 68_000) < 1e-6, "volume in BTC × VWAP = USD")
        let hashrate = try harness.store.hashrate()
        #expect(hashrate.map(\.exahashesPerSecond) == [920, 913], "TH/s ÷ 10^6 = EH/s")

        // The next run asks Kraken for candles since the day before the last stored one, and blockchain.com for a short span.
        harness.server.setRoute("/charts/hash-rate?format=json&timespan=3days", .respond(body: Array(Self.charts.utf8)))
        _ = try await harness.ingest(config, now: now)
        let paths = harness.server.receivedRequests.map(\.path)
        #expect(paths.contains("/0/public/OHLC?pair=XBTUSD&interval=1440&since=1770249600"), "\(paths)")
        // Last stored day 2026-02-06, today 2026-02-07: 1 day missing + 2 (re-fetching the last stored day) = 3 days.
        #expect(paths.contains("/charts/hash-rate?format=json&timespan=3days"), "\(paths)")
    }

    @Test("mempool.space hashrate in H/s is stored in EH/s and later narrowed to a one-month period", arguments: StoreBackendKind.available)
    func mempoolAdapter(_ backend: StoreBackendKind) async throws {
        let harness = try IngestHarness(backend, routes: [
            "/api/v1/mining/hashrate/3y": .respond(body: Array(Self.mempool.utf8)),
            "/api/v1/mining/hashrate/1m": .respond(body: Array(Self.mempool.utf8)),
        ])
        let config = try harness.config([("hashrate", "/api/v1/mining/hashrate/3y", "format = \"mempool\"")])
        _ = try await harness.ingest(config, now: now)
        #expect(try harness.store.hashrate().map(\.exahashesPerSecond) == [920, 913])
        _ = try await harness.ingest(config, now: now)
        #expect(harness.server.requestCount(path: "/api/v1/mining/hashrate/1m") == 1)
    }

    @Test("one failing source is recorded with its reason while the others are committed", arguments: StoreBackendKind.available)
    func isolationOfFailures(_ backend: StoreBackendKind) async throws {
        let rss = """
            <?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>https://t.example/</link>
            <item><title>Bitcoin ETF inflows rise</title><link>https://t.example/a</link><guid>a</guid><pubDate>Fri, 06 Feb 2026 10:00:00 GMT</pubDate></item>
            <item><title>Miners sell reserves</title><link>https://t.example/b</link><guid>b</guid><pubDate>Fri, 06 Feb 2026 11:00:00 GMT</pubDate></item>
            </channel></rss>
            """
        let harness = try IngestHarness(backend, routes: [
            "/good.xml": .conditional(etag: "\"v1\"", lastModified: "Fri, 06 Feb 2026 12:00:00 GMT", body: Array(rss.utf8)),
            "/broken.xml": .respond(status: 500, body: Array("oops".utf8)),
            "/page.html": .respond(headers: [("Content-Type", "text/html")], body: Array("<html><body><p>Not a feed</p></body></html>".utf8)),
        ])
        let config = try harness.config([("news", "/good.xml", ""), ("news", "/broken.xml", ""), ("news", "/page.html", "")])
        let first = try await harness.ingest(config, now: now)
        #expect(first.map(\.summaryLine)[0].hasPrefix("ok       /good.xml: 2 new document(s)"))
        guard case .failed(let reason) = first[1].outcome else { Issue.record("expected a failure"); return }
        #expect(reason.contains("500"))
        guard case .failed(let htmlReason) = first[2].outcome else { Issue.record("expected a failure"); return }
        #expect(htmlReason.contains(harness.server.url("/page.html")), "the error names the source")
        #expect(try harness.store.summary().documents == 2)

        let sources = try harness.store.sources()
        #expect(sources[0].etag == "\"v1\"" && sources[0].lastStatus == 200 && sources[0].lastError == nil)
        #expect(sources[1].consecutiveFailures == 1 && sources[1].lastStatus == 500)
        #expect(sources[1].nextFetch.map { $0 > now } == true, "a failing source backs off")

        // Second run: the good feed answers 304 (conditional GET) and the failing one is skipped while backing off.
        let second = try await harness.ingest(config, now: now.addingTimeInterval(60))
        #expect(second.first { $0.name == "/good.xml" }?.outcome == .notModified)
        // Still broken: listed as failing (so `ingest` keeps exiting 3), not as a quiet skip.
        #expect(second.contains { $0.name == "/broken.xml" && $0.stillFailing
                    && $0.summaryLine.hasPrefix("FAILED   /broken.xml: still failing, backing off after 1 failure(s)") })
        #expect(harness.server.requests(path: "/good.xml").last?.header("If-None-Match") == "\"v1\"")
        #expect(try harness.store.summary().documents == 2)
        #expect(try harness.store.integrityCheck() == "ok")
    }

    @Test("a source listed without allow_private_network is refused before any connection to a loopback address")
    func privateAddressGuard() async throws {
        let harness = try IngestHarness(routes: ["/feed.xml": .respond(body: Array("<rss/>".utf8))])
        let text = "[[source]]\nkind = \"news\"\nurl = \"\(harness.server.url("/feed.xml"))\"\n"
        let config = try ConfigLoader.parse(text, file: "t.toml", baseDirectory: harness.directory)
        let results = try await harness.ingest(config, now: now)
        guard case .failed(let reason) = results.first?.outcome else { Issue.record("expected a refusal"); return }
        #expect(reason.contains("127.0.0.1"))
        #expect(harness.server.connectionCount == 0)
    }

    @Test("incremental URLs keep the configured query and replace only the span", arguments: [
        ("https://api.kraken.com/0/public/OHLC?pair=XBTUSD&interval=1440", "kraken-ohlc", "https://api.kraken.com/0/public/OHLC?pair=XBTUSD&interval=1440&since=1770163200"),
        ("https://api.blockchain.info/charts/hash-rate?timespan=3years&format=json", "blockchain-charts", "https://api.blockchain.info/charts/hash-rate?format=json&timespan=4days"),
        ("https://mempool.space/api/v1/mining/hashrate/3y", "mempool", "https://mempool.space/api/v1/mining/hashrate/1m"),
        ("https://example.com/prices.csv", "csv", "https://example.com/prices.csv"),
    ])
    func incrementalURLs(_ url: String, _ format: String, _ expected: String) {
        let source = StoredSource(id: 1, location: url, name: "s", kind: format == "csv" || format == "kraken-ohlc" ? .prices : .hashrate, publisherType: .analyst,
                                  intervalSeconds: 3600, origin: "config", options: ["format": format], active: true, etag: nil, lastModified: nil, lastStatus: nil,
                                  lastError: nil, consecutiveFailures: 0, nextFetch: nil, lastSuccess: nil, disabled: false)
        #expect(MarketFormats.incrementalURL(for: source, lastDay: UTCDay(iso: "2026-02-05"), now: now) == expected)
        #expect(MarketFormats.incrementalURL(for: source, lastDay: nil, now: now) == url)
    }
}
