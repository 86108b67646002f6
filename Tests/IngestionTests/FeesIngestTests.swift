import Foundation
import Market
import Storage
import StoreTestSupport
import Testing
@testable import Ingestion

@Suite("Daily miner fees ingested from a loopback server", .serialized)
struct FeesIngestTests {
    let now = Date(timeIntervalSince1970: 1_770_465_600)

    @Test("a fees CSV is stored as the fees series, bad rows are rejected by line, and technicals use it for hashprice", arguments: StoreBackendKind.available)
    func feesSeries(_ backend: StoreBackendKind) async throws {
        let fees = "date,fees_btc,blocks\n2026-02-04,12.5,150\n2026-02-05,abc,144\n2026-02-06,,\n2026-02-07,-1,144\n2026-02-03,0x10,144\n"
        let prices = "date,open,high,low,close\n2026-02-04,70000,70000,70000,70000\n"
        let hashrateCSV = "date,hashrate_ehs\n" + (0..<7).map { offset in
            "\(UTCDay(year: 2026, month: 1, day: 29).adding(days: offset).iso),1000"
        }.joined(separator: "\n") + "\n"
        let harness = try IngestHarness(backend, routes: [
            "/fees.csv": .respond(body: Array(fees.utf8)),
            "/prices.csv": .respond(body: Array(prices.utf8)),
            "/hashrate.csv": .respond(body: Array(hashrateCSV.utf8)),
        ])
        let config = try harness.config([("fees", "/fees.csv", ""), ("prices", "/prices.csv", ""), ("hashrate", "/hashrate.csv", "")])
        let results = try await harness.ingest(config, now: now)
        let feesResult = try #require(results.first { $0.location.hasSuffix("/fees.csv") })
        // Each bad field rejects its row with the line and reason, as prices and hashrate do (SeriesValidation).
        #expect(feesResult.warnings.contains { $0.contains(":3:") && $0.contains("fees_btc 'abc' is not a number") }, "\(feesResult.warnings)")
        #expect(feesResult.warnings.contains { $0.contains(":4:") && $0.contains("missing fees") }, "\(feesResult.warnings)")
        #expect(feesResult.warnings.contains { $0.contains(":5:") && $0.contains("fees_btc -1.0 is negative") }, "\(feesResult.warnings)")
        #expect(feesResult.warnings.contains { $0.contains(":6:") && $0.contains("fees_btc '0x10' is not a number") }, "\(feesResult.warnings)")
        #expect(try harness.store.fees() == [FeeSample(day: UTCDay(year: 2026, month: 2, day: 4), btc: 12.5, blocks: 150)])

        // 2026-02-04: (150 × 3.125 + 12.5) × $70,000 / 1,000,000 PH/s = 481.25 × 0.07 = $33.6875 per PH/s per day.
        let history = MarketHistory(prices: try harness.store.prices(), hashrate: try harness.store.hashrate(),
                                    fees: try harness.store.fees())
        let technicals = try #require(TechnicalRegime.technicals(history, asOf: UTCDay(year: 2026, month: 2, day: 4).end,
                                                                 costModel: .defaults, weights: .defaults))
        let hashprice = try #require(technicals.hashprice)
        #expect(abs(hashprice.usdPerPHPerDay - 33.6875) < 1e-9)
        #expect(hashprice.feesSource == "series")
    }

    @Test("blockchain.com's transaction-fees chart (BTC per day) is read in its documented shape", arguments: StoreBackendKind.available)
    func blockchainChart(_ backend: StoreBackendKind) async throws {
        let chart = """
            {"status":"ok","name":"Total Transaction Fees (BTC)","unit":"BTC","period":"day","description":"","values":[
              {"x":1770163200,"y":4.75},{"x":1770249600,"y":5.5},{"x":1770336000}]}
            """
        let path = "/charts/transaction-fees?timespan=3years&format=json&sampled=false"
        let harness = try IngestHarness(backend, routes: [path: .respond(body: Array(chart.utf8))])
        let results = try await harness.ingest(try harness.config([("fees", path, "format = \"blockchain-charts\"")]), now: now)
        #expect(results.first?.warnings.contains { $0.contains("values[2]: missing x or y") } == true, "\(results.map(\.warnings))")
        // 1770163200 = 2026-02-04 00:00 UTC.
        #expect(try harness.store.fees() == [FeeSample(day: UTCDay(year: 2026, month: 2, day: 4), btc: 4.75),
                                             FeeSample(day: UTCDay(year: 2026, month: 2, day: 5), btc: 5.5)])
    }
}
