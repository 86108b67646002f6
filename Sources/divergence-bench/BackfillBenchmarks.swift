import Foundation
import Ingestion
import Logging
import LoopbackHTTP
import Market
import Settings
import Storage
import Synchronization

/// A live first run on real data: the store holds what live APIs return (the last 720 days of prices, 365 of hashrate),
/// and the backfill fills the rest from a loopback server serving the real series in Bitstamp's OHLC pages (1,000 rows)
/// and blockchain.com's full hashrate chart. Prints pages, days, time, and the 200-week average before and after.
func benchmarkBackfill(dataDirectory: URL) {
    let done = DispatchSemaphore(value: 0)
    let report = Mutex<String>("")
    Task.detached {
        defer { done.signal() }
        do {
            let history = try MarketHistory.load(directory: dataDirectory)
            guard let first = history.prices.first?.day, let last = history.prices.last?.day else {
                report.withLock { $0 = "backfill bench: no candles" }
                return
            }
            let server = try LoopbackHTTPServer()
            defer { server.stop() }
            let bitstamp = server.url("/api/v2/ohlc/btcusd/?step=86400&limit=1000")
            let chart = server.url("/charts/hash-rate?timespan=all&format=json&sampled=false")
            // Bitstamp's page chain: each page the 1,000 candles from its start, the next starting the day after its last.
            var start = first
            while true {
                let page = history.prices.drop { $0.day < start }.prefix(1_000)
                guard let end = page.last?.day else { break }
                let rows = page.map { c in
                    "{\"timestamp\": \"\(Int(c.day.start.timeIntervalSince1970))\", \"open\": \"\(c.open)\", \"high\": \"\(c.high)\", \"low\": \"\(c.low)\", \"close\": \"\(c.close)\", \"volume\": \"\((c.volume ?? 0) / c.close)\"}"
                }
                let url = BackfillEndpoint.bitstampOHLC.pageURL(bitstamp, from: start) ?? ""
                server.setRoute(String(url.dropFirst(server.baseURL.count)),
                                .respond(body: Array("{\"data\": {\"pair\": \"BTC/USD\", \"ohlc\": [\(rows.joined(separator: ", "))]}}".utf8)))
                if page.count < 1_000 { break }
                start = end.adding(days: 1)
            }
            let hashFirst = history.hashrate.first?.day ?? first
            let values = history.hashrate.map { "{\"x\":\(Int($0.day.start.timeIntervalSince1970)),\"y\":\($0.exahashesPerSecond * 1e6)}" }
            server.setRoute(String((BackfillEndpoint.blockchainCharts.pageURL(chart, from: hashFirst) ?? "").dropFirst(server.baseURL.count)),
                            .respond(body: Array("{\"status\":\"ok\",\"unit\":\"Hash Rate TH/s\",\"values\":[\(values.joined(separator: ","))]}".utf8)))
            // What the live APIs hold on a first run.
            let livePrices = "date,open,high,low,close,volume\n" + history.prices.suffix(720).map { c in
                "\(c.day.iso),\(c.open),\(c.high),\(c.low),\(c.close),\(c.volume.map { String($0) } ?? "")"
            }.joined(separator: "\n")
            let liveHashrate = "date,hashrate_ehs\n" + history.hashrate.suffix(365).map { "\($0.day.iso),\($0.exahashesPerSecond)" }.joined(separator: "\n")
            server.setRoute("/live-prices.csv", .respond(body: Array(livePrices.utf8)))
            server.setRoute("/live-hashrate.csv", .respond(body: Array(liveHashrate.utf8)))
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("divergence-bench-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: directory) }
            let config = try ConfigLoader.parse("""
                [[source]]
                kind = "prices"
                url = "\(server.url("/live-prices.csv"))"
                allow_private_network = true
                backfill = "\(bitstamp)"
                backfill_format = "bitstamp-ohlc"
                backfill_from = "\(first.iso)"

                [[source]]
                kind = "hashrate"
                url = "\(server.url("/live-hashrate.csv"))"
                allow_private_network = true
                backfill = "\(chart)"
                backfill_format = "blockchain-charts"
                backfill_from = "\(hashFirst.iso)"
                """, file: "bench.toml", baseDirectory: directory)
            let store = try Store(path: directory.appendingPathComponent("bench.sqlite").path)
            let ingestor = Ingestor(config: config, store: store, logger: Logger(label: "bench"))
            _ = try await ingestor.ingest(try ingestor.oneShotSelection(includeBackingOff: false).due)
            func technicals() throws -> TechnicalsSnapshot? {
                TechnicalRegime.technicals(MarketHistory(prices: try store.prices(), hashrate: try store.hashrate()), asOf: last.end,
                                           costModel: .defaults, weights: .defaults)
            }
            let before = try technicals()
            let clock = ContinuousClock()
            let started = clock.now
            let results = try await ingestor.backfillHistory(pause: .zero)
            let elapsed = started.duration(to: clock.now)
            let after = try technicals()
            var lines = results.map { "backfill bench: \($0.summaryLine)" }
            lines.append("backfill bench: \(results.reduce(0) { $0 + $1.pages }) pages from loopback in "
                         + String(format: "%.2f", Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18) + " s; store now "
                         + "\(try store.prices().count) price days, \(try store.hashrate().count) hashrate days")
            lines.append("backfill bench: as of \(last.iso) before: 200-week average \(before?.sma200w.map { Format.usd($0) } ?? "null (\(before?.reasonUnavailable("sma200w") ?? "-"))"), "
                         + "hashprice percentile \(before?.hashprice?.percentileSince2016.map { String(format: "%.2f", $0) } ?? "null")")
            lines.append("backfill bench: as of \(last.iso) after: 200-week average \(after?.sma200w.map { Format.usd($0) } ?? "null"), "
                         + "hashprice percentile \(after?.hashprice?.percentileSince2016.map { String(format: "%.2f", $0) } ?? "null"); still unavailable: \(after?.unavailable.map(\.reading) ?? [])")
            report.withLock { $0 = lines.joined(separator: "\n") }
        } catch {
            report.withLock { $0 = "backfill bench: \(error)" }
        }
    }
    done.wait()
    print(report.withLock { $0 })
}
