import Foundation
import GRDB
import Market
import StoreTestSupport
import Testing
@testable import Storage

/// Stored rows an import would refuse today are named, can be deleted, and never trap a read.
@Suite("Stored series validation and deletion")
struct SeriesRepairTests {
    static let day = UTCDay(year: 2026, month: 1, day: 2)

    func poisoned() throws -> TemporaryStore {
        let temporary = try TemporaryStore()
        var batch = IngestBatch()
        batch.prices = [
            PriceCandle(day: Self.day.adding(days: -1), open: 100, high: 110, low: 90, close: 105),
            PriceCandle(day: Self.day, open: 1e308, high: .infinity, low: -1, close: 1e308),
            PriceCandle(day: Self.day.adding(days: 1), open: 100, high: 110, low: 90, close: 105, volume: 3),
        ]
        batch.hashrate = [HashrateSample(day: Self.day, exahashesPerSecond: -5), HashrateSample(day: Self.day.adding(days: 1), exahashesPerSecond: 900)]
        try temporary.store.commit(batch, sourceID: nil, fetchState: nil)
        // A hand edit: text in a number column, a day that is not a date, and NaN (stored by SQLite as NULL).
        try temporary.store.write { db in
            try db.execute(sql: "INSERT INTO series_point (series, day, open, high, low, close) VALUES ('btc_usd', '2026-01-05', 'abc', 1, 1, 1)")
            try db.execute(sql: "INSERT INTO series_point (series, day, close) VALUES ('btc_usd', 'yesterday', 1)")
            try db.execute(sql: "INSERT INTO series_point (series, day, value) VALUES ('hashrate_ehs', '2026-01-06', ?)", arguments: [Double.nan])
        }
        return temporary
    }

    @Test("invalid stored points are named by series, day and field")
    func named() throws {
        let temporary = try poisoned()
        let invalid = try temporary.store.invalidSeriesPoints(validation: SeriesValidation(now: Date(timeIntervalSince1970: 1_770_508_800)))
        #expect(invalid.map(\.description) == [
            "btc_usd 2026-01-02: open 1e+308 is above the plausible $1000000000 per BTC (--allow-outliers keeps it)",
            "btc_usd 2026-01-05: open is not a number (missing, NaN or text)",
            "btc_usd yesterday: day 'yesterday' is not a date",
            "hashrate_ehs 2026-01-02: hashrate -5.0 is negative",
            "hashrate_ehs 2026-01-06: hashrate is not a number (missing, NaN or text)",
        ])
    }

    @Test("reads do not trap on text, NULL or a day that is not a date; a NULL price reads as NaN, a NULL volume as missing")
    func readsAreTotal() throws {
        let temporary = try poisoned()
        let prices = try temporary.store.prices()
        #expect(prices.map(\.day.iso) == ["2026-01-01", "2026-01-02", "2026-01-03", "2026-01-05"])
        #expect(prices[3].open.isNaN && prices[3].close == 1)
        #expect(prices[0].volume == nil && prices[2].volume == 3)
        #expect(try temporary.store.hashrate().map(\.day.iso) == ["2026-01-02", "2026-01-03"])
    }

    @Test("stored fees an import would refuse are named, and reads of text, NULL or an impossible block count never trap")
    func fees() throws {
        let temporary = try TemporaryStore()
        var batch = IngestBatch()
        batch.fees = [FeeSample(day: Self.day, btc: 12.5, blocks: 144), FeeSample(day: Self.day.adding(days: 1), btc: -3)]
        try temporary.store.commit(batch, sourceID: nil, fetchState: nil)
        // A hand edit: text for the BTC total, a block count no day has, and text for a block count.
        try temporary.store.write { db in
            try db.execute(sql: "INSERT INTO series_point (series, day, volume, value) VALUES ('fees', '2026-01-05', 1e300, 'abc')")
            try db.execute(sql: "INSERT INTO series_point (series, day, volume, value) VALUES ('fees', '2026-01-06', 'many', 4)")
        }
        #expect(try temporary.store.fees() == [
            FeeSample(day: Self.day, btc: 12.5, blocks: 144), FeeSample(day: Self.day.adding(days: 1), btc: -3),
            FeeSample(day: UTCDay(year: 2026, month: 1, day: 5)), FeeSample(day: UTCDay(year: 2026, month: 1, day: 6), btc: 4),
        ])
        let invalid = try temporary.store.invalidSeriesPoints(validation: SeriesValidation(now: Date(timeIntervalSince1970: 1_770_508_800)))
        #expect(invalid.map(\.description) == [
            "fees 2026-01-03: fees_btc -3.0 is negative",
            "fees 2026-01-05: fees are not a number (missing, NaN or text)",
        ])
    }

    @Test("delete removes one day, a range, or a day that is not a date, and nothing else")
    func delete() throws {
        let temporary = try poisoned()
        #expect(try temporary.store.deleteSeriesPoints(series: "btc_usd", from: Self.day, to: Self.day) == 1)
        #expect(try temporary.store.deleteSeriesPoints(series: "btc_usd", day: "yesterday") == 1)
        #expect(try temporary.store.deleteSeriesPoints(series: "hashrate_ehs", from: Self.day, to: Self.day.adding(days: 10)) == 3)
        #expect(try temporary.store.prices().map(\.day.iso) == ["2026-01-01", "2026-01-03", "2026-01-05"])
        #expect(try temporary.store.hashrate().isEmpty)
        #expect(try temporary.store.deleteSeriesPoints(series: "btc_usd", from: Self.day, to: Self.day) == 0)
    }

    @Test("a bulk source import is one pass: repeats are added once and named once, listed ones are left alone", arguments: StoreBackendKind.available)
    func importSources(_ backend: StoreBackendKind) throws {
        let temporary = try TemporaryStore(backend)
        func source(_ n: Int) -> SourceDefinition {
            SourceDefinition(location: "https://f\(n).example/feed.xml", name: "F\(n)", kind: .news, publisherType: .media, intervalSeconds: 3600)
        }
        try temporary.store.addSource(source(0))
        let counts = try temporary.store.importSources([source(0), source(1), source(2), source(1), source(1), source(2), source(3)])
        #expect(counts.added == 3)
        #expect(counts.alreadyListed == 1)
        #expect(counts.repeated == 3)
        #expect(counts.repeatedLocations == ["https://f1.example/feed.xml", "https://f2.example/feed.xml"])
        #expect(try temporary.store.sources().map(\.name) == ["F0", "F1", "F2", "F3"])
    }
}
