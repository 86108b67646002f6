import Foundation
import LoopbackHTTP
import Market
import Positioning
@testable import Storage
import StoreTestSupport
import Testing
@testable import Ingestion

@Suite("ETF flow and CFTC TFF sources from a loopback server into a store of either backend", .serialized)
struct PositioningIngestTests {
    let now = Date(timeIntervalSince1970: 1_770_465_600)  // 2026-02-07T12:00Z

    static let flowsV1 = "date,IBIT,FBTC,total\n2026-02-02,(120.5),10,(110.5)\n2026-02-03,50,-,50\n"
    static let flowsV2 = "date,IBIT,FBTC,total\n2026-02-02,(130.5),10,(120.5)\n2026-02-03,50,-,50\n2026-02-04,(5),(5),(10)\n"
    static let tff = """
        report_date,open_interest,asset_manager_long,asset_manager_short,leveraged_funds_long,leveraged_funds_short,dealer_long,dealer_short
        2026-01-27,20000,8000,2000,3000,12000,500,900
        2026-02-03,21000,7000,2500,3500,13000,400,1000

        """

    @Test("a later revision of a fund-day replaces it and is reported; unchanged rows are not rewritten", arguments: StoreBackendKind.available)
    func revision(_ backend: StoreBackendKind) async throws {
        let harness = try IngestHarness(backend, routes: ["/v1.csv": .respond(body: Array(Self.flowsV1.utf8)), "/v2.csv": .respond(body: Array(Self.flowsV2.utf8))])
        let first = try await harness.ingest(try harness.config([("etf_flows", "/v1.csv", "")]), now: now)
        #expect(first.first?.summaryLine == "ok       /v1.csv: 3 new positioning row(s), 0 revised")
        #expect(try harness.store.etfFlows(day: UTCDay(year: 2026, month: 2, day: 2)).map(\.flowUSDMillions) == [-120.5, 10])

        let second = try await harness.ingest(try harness.config([("etf_flows", "/v2.csv", "")]), now: now)
        #expect(second.first?.summaryLine == "ok       /v2.csv: 2 new positioning row(s), 1 revised")
        #expect(second.first?.warnings.contains("/v2.csv: revised IBIT 2026-02-02: -120.5 → -130.5 USD m") == true)
        let days = try harness.store.etfFlowDays(asOf: now)
        #expect(days.map(\.day.iso) == ["2026-02-02", "2026-02-03", "2026-02-04"])
        #expect(days.map(\.netUSDMillions) == [-120.5, 50, -10])
    }

    @Test("a refused table stores nothing and fails the source with one line naming it and the reason", arguments: StoreBackendKind.available)
    func refusedTable(_ backend: StoreBackendKind) async throws {
        let page = """
            <html><body><table><tr><th>Date</th><th>IBIT</th><th>FBTC</th></tr>
            <tr><td>2026-02-02</td><td>(1.0)</td><td>2.0</td></tr>
            <tr><td>2026-02-03</td><td colspan="2">3.0</td></tr></table></body></html>
            """
        let harness = try IngestHarness(backend, routes: ["/flows": .respond(headers: [("Content-Type", "text/html")], body: Array(page.utf8))])
        let results = try await harness.ingest(try harness.config([("etf_flows", "/flows", "layout = \"html-table\"")]), now: now)
        let url = harness.server.url("/flows")
        #expect(results.first?.summaryLine == "FAILED   /flows: \(url): row 3: a dated row has 2 cell(s) but the header has 3 (merged cells or a changed column count)")
        #expect(try harness.store.etfFlowDays(asOf: now).isEmpty, "the good first row is not stored from a refused file")
    }

    @Test("TFF reports are stored with their publication as the knowable instant; conditional GET answers 304 unchanged", arguments: StoreBackendKind.available)
    func tffPointInTime(_ backend: StoreBackendKind) async throws {
        let harness = try IngestHarness(backend, routes: ["/tff.csv": .conditional(etag: "\"w6\"", lastModified: "Fri, 06 Feb 2026 20:30:00 GMT", body: Array(Self.tff.utf8))])
        let config = try harness.config([("cftc_tff", "/tff.csv", "")])
        let first = try await harness.ingest(config, now: now)
        #expect(first.first?.summaryLine == "ok       /tff.csv: 2 new positioning row(s), 0 revised")
        let thursday = UTCDay(year: 2026, month: 2, day: 5)
        #expect(try harness.store.tffReports(asOf: thursday.end).map(\.reportDate.iso) == ["2026-01-27"], "as of a Thursday the newest report is the previous week's")
        #expect(try harness.store.tffReports(asOf: thursday.adding(days: 1).end).map(\.reportDate.iso) == ["2026-01-27", "2026-02-03"])
        let second = try await harness.ingest(config, now: now.addingTimeInterval(7_200))
        #expect(second.first?.outcome == .notModified)
    }
}

@Suite("Daily net flows from the store")
struct FlowDayQueryTests {
    @Test("a day on which every fund shows zero is a market holiday, not a trading day; a day counts from its end", arguments: StoreBackendKind.available)
    func holidays(_ backend: StoreBackendKind) throws {
        let store = try backend.freshStore()
        let monday = UTCDay(year: 2026, month: 1, day: 19), tuesday = monday.adding(days: 1)
        var batch = IngestBatch()
        batch.etfFlows = [ETFFlow(day: monday, fund: "IBIT", flowUSDMillions: 0), ETFFlow(day: monday, fund: "FBTC", flowUSDMillions: 0),
                          ETFFlow(day: tuesday, fund: "IBIT", flowUSDMillions: -10), ETFFlow(day: tuesday, fund: "FBTC", flowUSDMillions: 10)]
        try store.commit(batch, sourceID: nil, fetchState: nil)
        #expect(try store.etfFlowDays(asOf: tuesday.end).map(\.day) == [tuesday], "Monday (all zero) is left out; Tuesday nets to 0 but traded")
        #expect(try store.etfFlowDays(asOf: tuesday.end.addingTimeInterval(-1)).isEmpty, "Tuesday's flows are knowable only at its end")
    }
}
