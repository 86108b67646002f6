import Foundation
import Logging
import Market
import Reporting
import Settings
import Storage
import StoreTestSupport
import Testing
@testable import Ingestion

/// The library side of `series import`, `surveys import` and the after-ingest work (snapshot, alerts): the CLI and the
/// scheduler call these, so these tests drive the product's path on real stores.
@Suite("File imports and the after-ingest work")
struct FileImportAndAfterIngestTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test("a price file: good rows stored once, a bad row named by line, a repeated day superseded; importing again changes nothing",
          arguments: StoreBackendKind.available)
    func seriesImport(_ backend: StoreBackendKind) throws {
        let csv = """
            date,open,high,low,close,volume
            2026-02-01,100,110,90,105,5
            2026-02-02,105,115,95,oops,5
            2026-02-03,105,112,99,108,6
            2026-02-03,108,113,100,109,7

            """
        let imported = try SeriesFileImport(Self.bytes(csv), file: "mine.csv", series: .btcUSD)
        // Rows read: 4 (header excluded); 02-02 rejected (close not a number); the second 02-03 row supersedes the first.
        #expect(imported.rowsRead == 4)
        #expect(imported.problems.map(\.line) == [3])
        #expect(imported.superseded == 1)
        #expect(imported.batch.prices.map(\.close) == [105, 109])
        let store = try backend.freshStore()
        let first = try imported.commit(to: store)
        #expect(first == SeriesFileImport.Counts(inserted: 2, replaced: 0, unchanged: 0))
        #expect(imported.summary(first) == "mine.csv: 4 row(s): 2 new day(s), 0 replaced by newer rows, 0 unchanged, 1 superseded by a later row for the same day, 1 rejected")
        #expect(try imported.commit(to: store) == SeriesFileImport.Counts(inserted: 0, replaced: 0, unchanged: 2))
        #expect(try store.summary().pricePoints == 2)
    }

    @Test("a hashrate file in TH/s is stored in EH/s; a newer value for a stored day replaces it", arguments: StoreBackendKind.available)
    func hashrateUnitAndReplacement(_ backend: StoreBackendKind) throws {
        let store = try backend.freshStore()
        let first = try SeriesFileImport(Self.bytes("date,value\n2026-02-01,900000000\n"), file: "h.csv", series: .hashrate, unit: .terahashesPerSecond)
        #expect(first.batch.hashrate.map(\.exahashesPerSecond) == [900], "900,000,000 TH/s = 900 EH/s (1 EH = 10^6 TH)")
        #expect(try first.commit(to: store) == SeriesFileImport.Counts(inserted: 1, replaced: 0, unchanged: 0))
        let revised = try SeriesFileImport(Self.bytes("date,value\n2026-02-01,910000000\n"), file: "h.csv", series: .hashrate, unit: .terahashesPerSecond)
        #expect(try revised.commit(to: store) == SeriesFileImport.Counts(inserted: 0, replaced: 1, unchanged: 0))
    }

    @Test("a file that is not a series at all throws, naming the file")
    func unreadableSeries() {
        let error = #expect(throws: SeriesError.self) { try SeriesFileImport(Self.bytes("name,age\nada,36\n"), file: "people.csv", series: .btcUSD) }
        #expect(error?.description.hasPrefix("people.csv: ") == true, "\(String(describing: error))")
    }

    @Test("a survey file: observations stored once, bad rows kept aside, the summary counts both", arguments: StoreBackendKind.available)
    func surveyImport(_ backend: StoreBackendKind) throws {
        let csv = """
            survey,publisher,population,metric,share,sample_size,published
            Desk Pulse,Desk,institutional,undervalued,0.7,148,2026-01-20
            Desk Pulse,Desk,institutional,bear_market,0.26,148,2026-01-20
            Desk Pulse,Desk,martians,undervalued,0.5,148,2026-01-21

            """
        let imported = try SurveyFileImport(Self.bytes(csv), file: "pulse.csv", layout: "long-csv")
        #expect(imported.read.observations.map(\.share) == [0.7, 0.26])
        #expect(imported.read.problems.map(\.description) == ["pulse.csv:4: unknown population 'martians'"])
        let store = try backend.freshStore()
        let counts = try imported.commit(to: store)
        #expect(counts == SurveyFileImport.Counts(inserted: 2, alreadyStored: 0))
        #expect(imported.summary(counts) == "pulse.csv: 2 new observation(s), 0 already stored, 1 rejected row(s), 0 empty row(s)")
        #expect(try imported.commit(to: store) == SurveyFileImport.Counts(inserted: 0, alreadyStored: 2))
    }

    @Test("after each ingest a snapshot is saved as of the round, and an alert fires once on its crossing, not again", arguments: StoreBackendKind.available)
    func afterIngestSnapshotsAndAlerts(_ backend: StoreBackendKind) async throws {
        let scratch = try ScratchDirectory()
        let directory = scratch.url
        let store = try backend.freshStore("s", in: scratch)
        let demo = Self.root.appendingPathComponent("feeds/demo")
        _ = try SeriesFileImport(Array(Data(contentsOf: demo.appendingPathComponent("market/btc-usd-daily.csv"))), file: "p", series: .btcUSD).commit(to: store)
        _ = try SeriesFileImport(Array(Data(contentsOf: demo.appendingPathComponent("market/hashrate-daily.csv"))), file: "h", series: .hashrate).commit(to: store)
        _ = try SurveyFileImport(Array(Data(contentsOf: demo.appendingPathComponent("surveys/northbridge-pulse-2026-01.json"))), file: "s.json").commit(to: store)
        // The demo's D is +36 at the end of 2026-01-27 and +45 at the end of 2026-02-07 (AlertRunnerTests, DemoScenarioTests):
        // a level of 40 is first false (a baseline, nothing fires), then true (fires), then still true (fires no more).
        let config = try ConfigLoader.parse("""
            [[alert]]
            name = "divergence over 40"
            rule = "divergence_above"
            level = 40
            command = ["/bin/true"]
            """, file: "a.toml", baseDirectory: directory)
        let after = AfterIngest(config: config, store: store, logger: Logger(label: "test"))
        let day = { (iso: String) in ISO8601DateFormatter().date(from: iso)! }
        #expect(try await after.run(now: day("2026-01-27T23:59:59Z")).isEmpty)
        let crossing = try await after.run(now: day("2026-02-07T23:59:59Z"))
        #expect(crossing.map(\.event.alert) == ["divergence over 40"])
        #expect(crossing.map(\.failures) == [[]])
        #expect(try await after.run(now: day("2026-02-08T00:30:00Z")).isEmpty)
        #expect(try store.summary().snapshots == 3)
    }

    @Test("a report already built is the one snapshotted, at its own as-of", arguments: StoreBackendKind.available)
    func afterIngestUsesGivenReport(_ backend: StoreBackendKind) async throws {
        let store = try backend.freshStore()
        let config = DivergenceConfig()
        let asOf = Date(timeIntervalSince1970: 1_770_508_799)  // 2026-02-07T23:59:59Z
        let report = try ReportBuilder(config: config, store: store).build(asOf: asOf)
        let after = AfterIngest(config: config, store: store, logger: Logger(label: "test"))
        #expect(try await after.run(report: report, now: asOf.addingTimeInterval(86_400)).isEmpty, "no rules, no alerts")
        #expect(try store.summary().snapshots == 1)
        #expect(Array(try store.snapshotValues(from: .distantPast, to: .distantFuture).keys) == [asOf])
    }
}
