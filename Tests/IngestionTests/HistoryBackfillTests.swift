import Foundation
import Logging
import LoopbackHTTP
import Market
import Settings
import Storage
import StoreTestSupport
import Testing
@testable import Ingestion

/// Pages in the endpoints' real layouts, built from one synthetic candle per day.
enum BackfillPages {
    /// Close 50,000 + 10 × (days since 2024-01-01), high/low ±100, 2 BTC volume.
    static func candle(_ day: UTCDay, revised: Bool = false) -> PriceCandle {
        let close = 50_000 + 10 * Double(UTCDay(year: 2024, month: 1, day: 1).days(to: day)) + (revised ? 5 : 0)
        return PriceCandle(day: day, open: close, high: close + 100, low: close - 100, close: close, volume: 2 * close)
    }

    static func days(_ first: UTCDay, _ last: UTCDay) -> [UTCDay] {
        (0...first.days(to: last)).map { first.adding(days: $0) }
    }

    /// Bitstamp `/api/v2/ohlc/`: `{"data": {"pair", "ohlc": [{timestamp, open, high, low, close, volume}]}}`, strings, oldest first.
    static func bitstamp(_ days: [UTCDay]) -> [UInt8] {
        let rows = days.map { day in
            let c = candle(day)
            return "{\"high\": \"\(c.high)\", \"timestamp\": \"\(Int(day.start.timeIntervalSince1970))\", \"volume\": \"2.0\", \"low\": \"\(c.low)\", \"close\": \"\(c.close)\", \"open\": \"\(c.open)\"}"
        }
        return Array("{\"data\": {\"pair\": \"BTC/USD\", \"ohlc\": [\(rows.joined(separator: ", "))]}}".utf8)
    }

    /// Coinbase `/products/BTC-USD/candles`: `[[time, low, high, open, close, volume]]`, numbers, newest first.
    static func coinbase(_ days: [UTCDay], revised: Set<UTCDay> = []) -> [UInt8] {
        let rows = days.reversed().map { day in
            let c = candle(day, revised: revised.contains(day))
            return "[\(Int(day.start.timeIntervalSince1970)),\(c.low),\(c.high),\(c.open),\(c.close),2.0]"
        }
        return Array("[\(rows.joined(separator: ","))]".utf8)
    }

    /// The request target of `url` on the loopback server.
    static func target(_ url: String?, server: LoopbackHTTPServer) -> String {
        String((url ?? "").dropFirst(server.baseURL.count))
    }
}

@Suite("History backfill from paged endpoints on a loopback server", .serialized)
struct HistoryBackfillTests {
    // 2026-02-08T12:00Z: the last complete day is 2026-02-07; the 2026-02-08 candle is still in progress.
    let now = Date(timeIntervalSince1970: 1_770_552_000)
    let today = UTCDay(year: 2026, month: 2, day: 8)

    @Test("Bitstamp pages walk forward by start/limit, wait out a 429's Retry-After, and end at a short page", arguments: StoreBackendKind.available)
    func bitstampPaging(_ backend: StoreBackendKind) async throws {
        let harness = try IngestHarness(backend, routes: [:])
        let base = harness.server.url("/api/v2/ohlc/btcusd/?step=86400&limit=5")
        let endpoint = BackfillEndpoint.bitstampOHLC
        let first = UTCDay(year: 2026, month: 1, day: 26)
        // limit 5 from 01-26: 01-26…01-30 (full), 01-31…02-04 (full; first a 429), then 02-05…02-08 with 02-08 in progress:
        // 4 rows < 5, the last page. 02-05…02-07 are stored; 02-08 is dropped.
        let pages = [(first, first.adding(days: 4)), (first.adding(days: 5), first.adding(days: 9)), (first.adding(days: 10), today)]
        let targets = pages.map { BackfillPages.target(endpoint.pageURL(base, from: $0.0), server: harness.server) }
        harness.server.setRoute(targets[0], .respond(body: BackfillPages.bitstamp(BackfillPages.days(pages[0].0, pages[0].1))))
        harness.server.setRoute(targets[1], .sequence([
            .respond(status: 429, headers: [("Retry-After", "1")], body: Array("{\"status\": \"error\", \"reason\": \"rate limited\"}".utf8)),
            .respond(body: BackfillPages.bitstamp(BackfillPages.days(pages[1].0, pages[1].1))),
        ]))
        harness.server.setRoute(targets[2], .respond(body: BackfillPages.bitstamp(BackfillPages.days(pages[2].0, pages[2].1))))
        harness.server.setRoute("/live.csv", .respond(body: Array("date,close\n".utf8)))
        let config = try harness.config([("prices", "/live.csv",
                                          "backfill = \"\(base)\"\nbackfill_format = \"bitstamp-ohlc\"\nbackfill_from = \"2026-01-26\"")])
        _ = try await harness.ingest(config, now: now)
        let ingestor = Ingestor(config: config, store: harness.store, logger: Logger(label: "test"))
        var announced: [String] = []
        let results = try await ingestor.backfillHistory(now: now, pause: .zero) { _, line in announced.append(line) }

        let result = try #require(results.first)
        #expect(results.count == 1)
        #expect(result.stopped == nil, "\(result.summaryLine)")
        #expect((result.pages, result.inserted, result.replaced, result.rateLimited) == (3, 13, 0, 1))
        #expect(try harness.store.prices() == BackfillPages.days(first, today.adding(days: -1)).map { BackfillPages.candle($0) })
        let requests = harness.server.receivedRequests.filter { $0.path.hasPrefix("/api/") }
        #expect(requests.map(\.path) == [targets[0], targets[1], targets[1], targets[2]])
        // The retry came no sooner than the Retry-After asked (a lower bound: a busy machine only makes it later).
        #expect(requests[2].receivedAt - requests[1].receivedAt >= .seconds(1))
        // Before the backfill the store held no prices, so every reading on prices was named as missing.
        #expect(announced.count == 1)
        #expect(announced.first?.hasPrefix("no prices stored; the readings need prices from 2016-01-01: missing until the backfill completes: 200-week average") == true,
                "\(announced)")
        // The endpoint starts (as configured) in 2026: the readings that need more are still named.
        #expect(result.summaryLine.contains("the endpoint's history is too short for: 200-week average"), "\(result.summaryLine)")

        // Run again: the history reaches the backfill's first day, so no request is made.
        let again = try await ingestor.backfillHistory(now: now, pause: .zero)
        #expect(again.isEmpty)
        #expect(harness.server.receivedRequests.filter { $0.path.hasPrefix("/api/") }.count == 4)
    }

    @Test("an interrupted Coinbase backfill keeps its committed pages and resumes from the last stored day, replacing a revised row", arguments: StoreBackendKind.available)
    func interruptedThenResumed(_ backend: StoreBackendKind) async throws {
        let harness = try IngestHarness(backend, routes: [:])
        let base = harness.server.url("/products/BTC-USD/candles?granularity=86400")
        let endpoint = BackfillEndpoint.coinbaseCandles
        let first = UTCDay(year: 2024, month: 3, day: 1)
        // The live source holds the last 30 complete days, each $5 above the exchange's; the need (prices from 2016) makes
        // the backfill run.
        let live = BackfillPages.days(today.adding(days: -30), today.adding(days: -1))
        let csv = "date,open,high,low,close,volume\n" + live.map { day in
            let c = BackfillPages.candle(day, revised: true)
            return "\(day.iso),\(c.open),\(c.high),\(c.low),\(c.close),\(c.volume!)"
        }.joined(separator: "\n") + "\n"
        harness.server.setRoute("/live.csv", .respond(body: Array(csv.utf8)))
        func window(_ start: UTCDay) -> (target: String, days: [UTCDay]) {
            let end = min(start.adding(days: 299), today)
            return (BackfillPages.target(endpoint.pageURL(base, from: start), server: harness.server), BackfillPages.days(start, end))
        }
        let w1 = window(first), w2 = window(first.adding(days: 300))
        harness.server.setRoute(w1.target, .respond(body: BackfillPages.coinbase(w1.days)))
        harness.server.setRoute(w2.target, .respond(status: 500, body: Array("{\"message\": \"Internal server error\"}".utf8)))
        let config = try harness.config([("prices", "/live.csv", "backfill = \"\(base)\"\nbackfill_format = \"coinbase-candles\"\nbackfill_from = \"\(first.iso)\"")])
        _ = try await harness.ingest(config, now: now)
        let ingestor = Ingestor(config: config, store: harness.store, logger: Logger(label: "test"))

        let interrupted = try #require(try await ingestor.backfillHistory(now: now, pause: .zero).first)
        #expect(interrupted.stopped?.contains("HTTP 500") == true, "\(interrupted.summaryLine)")
        #expect((interrupted.pages, interrupted.inserted) == (1, 300))
        // The committed page stays; the resume point is its last day (fetched again in case it was revised).
        let lastStored = first.adding(days: 299)
        #expect(interrupted.resumeFrom == lastStored)
        #expect(interrupted.summaryLine.contains("resumes from \(lastStored.iso) on the next ingest"), "\(interrupted.summaryLine)")
        #expect(try harness.store.prices().count == 300 + live.count)

        // Resumed: the window from the last stored day, whose first row the exchange has since revised, then the next.
        let r1 = window(lastStored), r2 = window(lastStored.adding(days: 300))
        harness.server.setRoute(r1.target, .respond(body: BackfillPages.coinbase(r1.days, revised: [lastStored])))
        harness.server.setRoute(r2.target, .respond(body: BackfillPages.coinbase(r2.days)))
        let resumed = try #require(try await ingestor.backfillHistory(now: now, pause: .zero).first)
        #expect(resumed.stopped == nil, "\(resumed.summaryLine)")
        #expect(resumed.plan.resumes)
        #expect(harness.server.receivedRequests.filter { $0.path.hasPrefix("/products/") }.map(\.path) == [w1.target, w2.target, r1.target, r2.target])
        #expect(resumed.replaced == 1)
        let stored = try harness.store.prices()
        #expect(stored.map(\.day) == BackfillPages.days(first, today.adding(days: -1)), "one row per day from the first to yesterday, no gap")
        #expect(stored.first { $0.day == lastStored } == BackfillPages.candle(lastStored, revised: true))
        // The last window overlaps the live source's days: they are left as it stored them, not replaced.
        #expect(resumed.inserted == first.days(to: today) - 300 - live.count)
        #expect(stored.suffix(live.count) == live.map { BackfillPages.candle($0, revised: true) })
        #expect(resumed.stillMissing.map(\.reading) == ["sma200w", "hashprice.percentile_since_2016"])
    }

    @Test("a Retry-After longer than a run waits stops the backfill, and the same ingestor leaves the endpoint alone until then", arguments: StoreBackendKind.available)
    func longRetryAfterHolds(_ backend: StoreBackendKind) async throws {
        let harness = try IngestHarness(backend, routes: [:])
        let base = harness.server.url("/charts/hash-rate?timespan=all&format=json&sampled=false")
        let target = BackfillPages.target(BackfillEndpoint.blockchainCharts.pageURL(base, from: UTCDay(year: 2025, month: 12, day: 1)), server: harness.server)
        harness.server.setRoute(target, .respond(status: 429, headers: [("Retry-After", "600")], body: []))
        harness.server.setRoute("/live.csv", .respond(body: Array("date,hashrate_ehs\n".utf8)))
        let config = try harness.config([("hashrate", "/live.csv", "backfill = \"\(base)\"\nbackfill_format = \"blockchain-charts\"\nbackfill_from = \"2025-12-01\"")])
        _ = try await harness.ingest(config, now: now)
        let ingestor = Ingestor(config: config, store: harness.store, logger: Logger(label: "test"))
        let first = try #require(try await ingestor.backfillHistory(now: now, pause: .zero).first)
        #expect(first.retryAfter == 600 && first.stopped != nil)
        // Five minutes later (a scheduler round): no request, and the wait is said.
        var announced: [String] = []
        let later = try await ingestor.backfillHistory(now: now.addingTimeInterval(300), pause: .zero) { _, line in announced.append(line) }
        #expect(later.isEmpty)
        #expect(announced == ["backfill waits until 2026-02-08T12:10:00Z, as the endpoint's Retry-After asked"])
        #expect(harness.server.requests(path: target).count == 1)
        // After the ten minutes it asks again.
        _ = try await ingestor.backfillHistory(now: now.addingTimeInterval(601), pause: .zero)
        #expect(harness.server.requests(path: target).count == 2)
    }

    @Test("the full-history hashrate chart comes in one page from the backfill's first day", arguments: StoreBackendKind.available)
    func hashrateChart(_ backend: StoreBackendKind) async throws {
        let harness = try IngestHarness(backend, routes: [:])
        let base = harness.server.url("/charts/hash-rate?timespan=all&format=json&sampled=false")
        let first = UTCDay(year: 2025, month: 12, day: 1)
        let days = BackfillPages.days(first, today)
        // TH/s; the last value (today, in progress) is left to the live source.
        let values = days.enumerated().map { index, day in "{\"x\":\(Int(day.start.timeIntervalSince1970)),\"y\":\(900_000_000 + index * 1_000_000)}" }
        let chart = "{\"status\":\"ok\",\"name\":\"Hash Rate\",\"unit\":\"Hash Rate TH/s\",\"period\":\"day\",\"values\":[\(values.joined(separator: ","))]}"
        let target = BackfillPages.target(BackfillEndpoint.blockchainCharts.pageURL(base, from: first), server: harness.server)
        #expect(target.contains("start=2025-12-01") && target.contains("timespan=all"))
        harness.server.setRoute(target, .respond(body: Array(chart.utf8)))
        harness.server.setRoute("/live.csv", .respond(body: Array("date,hashrate_ehs\n".utf8)))
        let config = try harness.config([("hashrate", "/live.csv", "backfill = \"\(base)\"\nbackfill_format = \"blockchain-charts\"\nbackfill_from = \"\(first.iso)\"")])
        _ = try await harness.ingest(config, now: now)
        let results = try await Ingestor(config: config, store: harness.store, logger: Logger(label: "test")).backfillHistory(now: now, pause: .zero)
        #expect(results.map(\.pages) == [1])
        let stored = try harness.store.hashrate()
        #expect(stored.map(\.day) == BackfillPages.days(first, today.adding(days: -1)))
        #expect(stored.first?.exahashesPerSecond == 900)
    }
}

@Suite("Backfill plan: what is held, what is missing, where the pages start")
struct BackfillPlanTests {
    // As of 2026-02-07 (a Saturday): the last complete week ends 2026-02-01; the readings need prices from 2016-01-01
    // (hashprice's percentile), the earliest of the needs on prices.
    let today = UTCDay(year: 2026, month: 2, day: 7)
    let settings = BackfillSettings(options: ["backfill": "https://www.bitstamp.net/api/v2/ohlc/btcusd/?step=86400&limit=1000",
                                              "backfill_from": "2011-08-18"])!

    func days(_ from: UTCDay, _ count: Int) -> [UTCDay] { (0..<count).map { from.adding(days: $0) } }

    @Test("an empty store starts at the endpoint's first day and misses every reading on prices")
    func empty() {
        let plan = BackfillPlan(series: .prices, days: [], settings: settings, today: today)
        #expect(plan.start == UTCDay(year: 2011, month: 8, day: 18) && !plan.resumes)
        #expect(plan.neededFrom == UTCDay(year: 2016, month: 1, day: 1))
        #expect(plan.missing.map(\.reading) == ["sma200w", "ichimoku_weekly.span_b", "mayer_multiple", "hashprice.percentile_since_2016"])
        #expect(plan.shortfallLine?.hasPrefix("no prices stored; the readings need prices from 2016-01-01") == true)
    }

    @Test("720 live days start the backfill; after pages and a gap it resumes from the last backfilled day")
    func liveWindowThenResume() {
        let live = days(today.adding(days: -719), 720)
        let fresh = BackfillPlan(series: .prices, days: live, settings: settings, today: today)
        #expect(fresh.start == UTCDay(year: 2011, month: 8, day: 18))
        // 720 days reach back past the cloud's 78 weeks and the Mayer multiple's 200 closes, not the 200 weeks.
        #expect(fresh.missing.map(\.reading) == ["sma200w", "hashprice.percentile_since_2016"])
        #expect(fresh.shortfallLine == "prices stored 2024-02-19 … 2026-02-07 (720 days); the readings need prices from 2016-01-01: missing until the backfill completes: 200-week average (200 complete weeks of closes (1,400 days)), hashprice percentile since 2016 (prices and hashrate since 2016-01-01)")
        let backfilled = days(UTCDay(year: 2011, month: 8, day: 18), 2_000)
        let interrupted = BackfillPlan(series: .prices, days: backfilled + live, settings: settings, today: today)
        #expect(interrupted.start == backfilled.last && interrupted.resumes)
        #expect(interrupted.held == live.first!...live.last!)
    }

    @Test("nothing to fetch when the held run reaches the endpoint's first day (within 7 days) or covers every need")
    func nothingToFetch() {
        let fromStart = days(UTCDay(year: 2011, month: 8, day: 21), UTCDay(year: 2011, month: 8, day: 21).days(to: today) + 1)
        #expect(BackfillPlan(series: .prices, days: fromStart, settings: settings, today: today).start == nil)
        // Gaps of up to 7 days keep one run; the needs met from 2015-12-01 on.
        let since2015 = days(UTCDay(year: 2015, month: 12, day: 1), 100) + days(UTCDay(year: 2016, month: 3, day: 16), UTCDay(year: 2016, month: 3, day: 16).days(to: today) + 1)
        let plan = BackfillPlan(series: .prices, days: since2015, settings: settings, today: today)
        #expect(plan.start == nil && plan.missing.isEmpty && plan.shortfallLine == nil)
    }
}
