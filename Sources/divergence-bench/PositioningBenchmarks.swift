import Foundation
import Market
import Positioning
import Reporting
import Settings
import Storage

/// Positioning ingest (target ≤ 1 s): 10 years of daily flows for 12 funds (a wide CSV) and 15 years of weekly TFF rows
/// (the CFTC API's JSON), parsed and committed into a fresh SQLite store; best of 3. Then the report build on the demo
/// market data with and without that positioning stored, and the real files from `positioning/` when present.
func benchmarkPositioning(dataDirectory: URL, projectRoot: URL) {
    let clock = ContinuousClock()
    func milliseconds(_ duration: Duration) -> Double { Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15 }
    let funds = ["IBIT", "FBTC", "BITB", "ARKB", "BTCO", "EZBC", "BRRR", "HODL", "BTCW", "MSBT", "GBTC", "BTC"]
    let start = UTCDay(year: 2016, month: 1, day: 4)
    var csv = "date," + funds.joined(separator: ",") + ",total\n"
    var tradingDays = 0
    for offset in 0..<(10 * 365 + 2) {
        let day = start.adding(days: offset)
        guard day.weekday <= 5 else { continue }
        tradingDays += 1
        let values = funds.indices.map { Double((offset * 7919 + $0 * 104_729) % 4001 - 2000) / 10 }
        csv += day.iso + "," + values.map { String(format: "%.1f", $0) }.joined(separator: ",") + String(format: ",%.1f\n", values.reduce(0, +))
    }
    var rows: [String] = []
    for week in 0..<(15 * 52) {
        let tuesday = UTCDay(year: 2011, month: 1, day: 4).adding(days: 7 * week)
        let oi = 20_000 + (week * 37) % 5_000
        rows.append("{\"report_date_as_yyyy_mm_dd\":\"\(tuesday.iso)T00:00:00.000\",\"cftc_contract_market_code\":\"133741\",\"open_interest_all\":\"\(oi)\",\"dealer_positions_long_all\":\"400\",\"dealer_positions_short_all\":\"900\",\"asset_mgr_positions_long\":\"\(5_000 + week % 3_000)\",\"asset_mgr_positions_short\":\"1500\",\"lev_money_positions_long\":\"3000\",\"lev_money_positions_short\":\"\(11_000 + week % 2_000)\",\"other_rept_positions_long\":\"900\",\"other_rept_positions_short\":\"700\",\"nonrept_positions_long_all\":\"1200\",\"nonrept_positions_short_all\":\"1100\"}")
    }
    let json = "[" + rows.joined(separator: ",\n") + "]"
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("divergence-positioning-bench-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    do {
        var timings: [Double] = [], parseTimings: [Double] = []
        var stored = 0
        var parsedStore: Store?
        for round in 0..<3 {
            let store = try Store(path: directory.appendingPathComponent("bench-\(round).sqlite").path)
            let began = clock.now
            var batch = IngestBatch()
            batch.etfFlows = try ETFFlowReader.read(Array(csv.utf8), source: "flows.csv").points
            batch.tffReports = try TFFReader.read(Array(json.utf8), source: "tff.json").points
            let parsed = clock.now
            let counts = try store.commit(batch, sourceID: nil, fetchState: nil)
            timings.append(milliseconds(began.duration(to: clock.now)))
            parseTimings.append(milliseconds(began.duration(to: parsed)))
            stored = counts.positioningRowsInserted
            parsedStore = store
        }
        print(String(format: "positioning ingest: %d trading days × %d funds + %d weekly TFF rows (%d rows stored): best %.0f ms of 3, of which parsing %.0f ms (target ≤ 1000 ms)",
                     tradingDays, funds.count, rows.count, stored, timings.min() ?? 0, parseTimings.min() ?? 0))
        if let parsedStore {
            let again = clock.now
            var batch = IngestBatch()
            batch.etfFlows = try ETFFlowReader.read(Array(csv.utf8), source: "flows.csv").points
            batch.tffReports = try TFFReader.read(Array(json.utf8), source: "tff.json").points
            try parsedStore.commit(batch, sourceID: nil, fetchState: nil)
            print(String(format: "positioning re-ingest of the same rows (all unchanged): %.0f ms", milliseconds(again.duration(to: clock.now))))
        }

        // Report build on the demo market data, before and after positioning is stored.
        let store = try Store(path: directory.appendingPathComponent("report.sqlite").path)
        var market = IngestBatch()
        market.prices = (try? SeriesCSV.prices(Array(Data(contentsOf: projectRoot.appendingPathComponent("feeds/demo/market/btc-usd-daily.csv"))), source: "p").points) ?? []
        market.hashrate = (try? SeriesCSV.hashrate(Array(Data(contentsOf: projectRoot.appendingPathComponent("feeds/demo/market/hashrate-daily.csv"))), source: "h").points) ?? []
        try store.commit(market, sourceID: nil, fetchState: nil)
        let asOf = UTCDay(year: 2026, month: 2, day: 7).end
        let builder = ReportBuilder(config: DivergenceConfig(), store: store)
        func median() throws -> Double {
            var runs: [Double] = []
            for _ in 0..<7 {
                let began = clock.now
                _ = try builder.build(asOf: asOf)
                runs.append(milliseconds(began.duration(to: clock.now)))
            }
            return runs.sorted()[3]
        }
        let without = try median()
        var real = IngestBatch()
        if let flows = FileManager.default.contents(atPath: dataDirectory.appendingPathComponent("btc-etf-flows-daily.csv").path),
           let tff = FileManager.default.contents(atPath: dataDirectory.appendingPathComponent("cftc-tff-bitcoin-weekly.csv").path) {
            let began = clock.now
            real.etfFlows = try ETFFlowReader.read(Array(flows), source: "flows").points
            real.tffReports = try TFFReader.read(Array(tff), source: "tff").points
            try store.commit(real, sourceID: nil, fetchState: nil)
            print(String(format: "positioning ingest of the real files: %d fund-days + %d TFF rows in %.0f ms", real.etfFlows.count, real.tffReports.count,
                         milliseconds(began.duration(to: clock.now))))
        } else {
            var synthetic = IngestBatch()
            synthetic.etfFlows = try ETFFlowReader.read(Array(csv.utf8), source: "flows.csv").points
            synthetic.tffReports = try TFFReader.read(Array(json.utf8), source: "tff.json").points
            try store.commit(synthetic, sourceID: nil, fetchState: nil)
            print("positioning: real files absent; the report comparison uses the synthetic rows")
        }
        let with = try median()
        print(String(format: "report build on the demo market data: median %.1f ms without positioning, %.1f ms with it (7 runs each)", without, with))
    } catch {
        print("positioning benchmark: \(error)")
    }
}
