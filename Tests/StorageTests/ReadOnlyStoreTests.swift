import Foundation
import GRDB
import Market
import StoreTestSupport
import Testing
@testable import Storage

/// Readers open the store read-only: nothing is created, migrated or written, and commits by the writer still show.
@Suite("Read-only store access")
struct ReadOnlyStoreTests {
    @Test("a read-only open of a missing file fails and creates nothing")
    func missingFile() throws {
        let temporary = try TemporaryStore()
        let path = temporary.directory.appendingPathComponent("absent/store.sqlite").path
        #expect(throws: StoreError.self) { try Store(path: path, access: .readOnly) }
        #expect(try Store.openIfPresent(path: path) == nil)
        #expect(!FileManager.default.fileExists(atPath: temporary.directory.appendingPathComponent("absent").path))
    }

    @Test("a read-only store reads what the writer committed, before and after it opened, and refuses to write", arguments: StoreBackendKind.available)
    func seesWriterCommits(_ backend: StoreBackendKind) throws {
        let temporary = try TemporaryStore(backend)
        let writer = temporary.store
        let day = try #require(UTCDay(iso: "2026-02-06"))
        func commitPrice(_ day: UTCDay) throws {
            var batch = IngestBatch()
            batch.prices = [PriceCandle(day: day, open: 1, high: 2, low: 1, close: 2, volume: 10)]
            _ = try writer.commit(batch, sourceID: nil, fetchState: nil)
        }
        try commitPrice(day)
        let reader = try Store(location: writer.location, access: .readOnly)
        #expect(try reader.lastDay(series: "btc_usd") == day)
        try commitPrice(day.adding(days: 1))
        #expect(try reader.lastDay(series: "btc_usd") == day.adding(days: 1))
        #expect(throws: StoreError.self) {
            try reader.syncConfiguredSources([SourceDefinition(location: "https://x.example/feed", name: "X", kind: .news, publisherType: .media, intervalSeconds: 3600)])
        }
        #expect(try writer.sources().isEmpty, "the refused write left nothing behind")
    }

    @Test("a store on an older schema is not migrated by a reader: it says who must migrate it")
    func olderSchema() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("divergence-ro-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("old.sqlite").path
        let first = try #require(Store.knownMigrations.first)
        do {
            let queue = try DatabaseQueue(path: path)
            try StoreSchema.migrator.migrate(queue, upTo: first)
        }
        do {
            _ = try Store(path: path, access: .readOnly)
            Issue.record("a reader opened a store that needs migrations")
        } catch {
            #expect(error.description.contains("run `divergence ingest` once"))
        }
        let applied = try DatabaseQueue(path: path).read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") }
        #expect(applied == [first], "the reader applied no migration")
    }

    @Test("a URL is never taken as a file name: no folder named after its scheme is created")
    func urlIsNotAPath() throws {
        // Relative to the current folder, as a config value is; without the guard a folder `postgresql:` would appear here.
        // Port 1 on loopback: nothing listens, so the PostgreSQL URL is tried as a server and refused as one.
        for (location, folder, reason) in [("postgresql://app@127.0.0.1:1/divergence", "postgresql:", "PostgreSQL server"),
                                           ("s3://bucket/store.sqlite", "s3:", "s3:// URL: the store is a file path or a postgresql:// URL")] {
            let existed = FileManager.default.fileExists(atPath: folder)
            do {
                _ = try Store(path: location)
                Issue.record("\(location) opened as a file")
            } catch {
                #expect(error.description.contains(reason), "\(error)")
            }
            #expect(FileManager.default.fileExists(atPath: folder) == existed)
        }
    }
}
