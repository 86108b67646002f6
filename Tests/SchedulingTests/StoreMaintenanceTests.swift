import Foundation
import Sentiment
import GRDB
@testable import Storage
import StoreTestSupport
import Testing

func document(_ key: String, published: Date, sentences: Int = 2, claims: Int = 1) -> NewDocument {
    NewDocument(dedupKey: key, url: "https://example.com/\(key)", title: key, author: nil, published: published, fetched: published, text: "text of \(key)",
                sentiment: 0.1, relevant: true, speakerType: .media,
                sentences: (0..<sentences).map { NewSentence(text: "sentence \($0) of \(key)", score: 0.1, relevant: true, speakerType: .media) },
                claims: (0..<claims).map { _ in Claim(population: .institutions, share: 0.7, proposition: .undervalued, stance: 1, sampleSize: 148, hedged: false, quote: "70% of institutions") })
}

@Suite("Schema upgrade, pruning, compaction and ingest metrics")
struct StoreMaintenanceTests {
    let now = Date(timeIntervalSince1970: 1_770_465_600)

    /// The v1 schema exactly as the v1 migration created it (copied, so a later edit of the migration cannot hide an upgrade bug).
    static let v1Schema = """
        CREATE TABLE source (
            id INTEGER PRIMARY KEY,
            location TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            publisher_type TEXT NOT NULL,
            interval_seconds REAL NOT NULL,
            origin TEXT NOT NULL,
            options TEXT NOT NULL DEFAULT '{}',
            active INTEGER NOT NULL DEFAULT 1,
            etag TEXT, last_modified TEXT, last_status INTEGER, last_error TEXT,
            consecutive_failures INTEGER NOT NULL DEFAULT 0,
            next_fetch REAL, last_success REAL,
            disabled INTEGER NOT NULL DEFAULT 0,
            added_at REAL NOT NULL
        );
        CREATE TABLE document (
            id INTEGER PRIMARY KEY,
            source_id INTEGER NOT NULL REFERENCES source(id),
            dedup_key TEXT NOT NULL UNIQUE,
            url TEXT, title TEXT, author TEXT,
            published REAL,
            fetched REAL NOT NULL,
            knowable REAL NOT NULL,
            text TEXT NOT NULL,
            sentiment REAL,
            relevant INTEGER NOT NULL,
            speaker_type TEXT NOT NULL
        );
        CREATE INDEX document_knowable ON document(knowable);
        CREATE TABLE sentence (
            document_id INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            text TEXT NOT NULL,
            score REAL NOT NULL,
            relevant INTEGER NOT NULL,
            speaker_type TEXT NOT NULL,
            PRIMARY KEY (document_id, position)
        );
        CREATE TABLE claim (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
            population TEXT NOT NULL,
            share REAL NOT NULL,
            proposition TEXT NOT NULL,
            stance INTEGER NOT NULL,
            sample_size INTEGER,
            hedged INTEGER NOT NULL,
            quote TEXT NOT NULL
        );
        CREATE INDEX claim_document ON claim(document_id);
        CREATE TABLE survey_observation (
            id INTEGER PRIMARY KEY,
            source_id INTEGER REFERENCES source(id),
            survey TEXT NOT NULL,
            publisher TEXT NOT NULL,
            population TEXT NOT NULL,
            metric TEXT NOT NULL,
            share REAL NOT NULL,
            sample_size INTEGER,
            field_start REAL, field_end REAL,
            published REAL NOT NULL,
            UNIQUE (survey, population, metric, published)
        );
        CREATE TABLE series_point (
            series TEXT NOT NULL,
            day TEXT NOT NULL,
            open REAL, high REAL, low REAL, close REAL, volume REAL,
            value REAL,
            PRIMARY KEY (series, day)
        ) WITHOUT ROWID;
        CREATE TABLE score_snapshot (
            as_of REAL PRIMARY KEY,
            bullishness REAL, regime REAL, divergence REAL, label TEXT,
            snapshot TEXT NOT NULL,
            computed_at REAL NOT NULL
        );
        """

    @Test("a store created by the v1 schema is upgraded in place to v2 with its data intact")
    func upgradeFromV1() throws {
        let folder = try ScratchDirectory()
        let path = folder.path("old.sqlite")
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: Self.v1Schema)
            try db.execute(sql: "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY); INSERT INTO grdb_migrations VALUES ('v1')")
            try db.execute(sql: """
                INSERT INTO source (id, location, name, kind, publisher_type, interval_seconds, origin, added_at, last_success)
                VALUES (1, 'https://example.com/feed.xml', 'feed', 'news', 'media', 3600, 'config', 1770000000, 1770400000);
                INSERT INTO document (id, source_id, dedup_key, url, fetched, knowable, text, relevant, speaker_type)
                VALUES (1, 1, 'k1', 'https://example.com/a', 1770400000, 1770400000, 'Bitcoin', 1, 'media');
                INSERT INTO sentence VALUES (1, 0, 'Bitcoin', 0.2, 1, 'media');
                """)
        }
        try queue.close()

        let before = Store.inspect(path: path)
        #expect(before.integrity == "ok")
        #expect(Store.knownMigrations.prefix(2) == ["v1", "v2"])
        #expect(before.appliedMigrations == ["v1"] && before.pendingMigrations == Array(Store.knownMigrations.dropFirst()) && before.unknownMigrations.isEmpty)

        let store = try Store(path: path)
        #expect(try store.appliedMigrations() == Store.knownMigrations)
        #expect(try store.summary().documents == 1)
        #expect(try store.integrityCheck() == "ok")
        let metrics = try store.ingestMetrics()
        #expect(metrics.count == 1 && metrics[0].fetches == 0)
        #expect(metrics[0].lastSuccess == Date(timeIntervalSince1970: 1_770_400_000), "the v1 source's last success carries over")
        // The upgraded store takes new data and keeps deduplicating against the old rows.
        var batch = IngestBatch()
        batch.documents = [document("k1", published: now), document("k2", published: now)]
        let counts = try store.commit(batch, sourceID: 1, fetchState: nil)
        #expect(counts.documentsInserted == 1 && counts.documentsAlreadyStored == 1)
        let after = Store.inspect(path: path)
        #expect(after.pendingMigrations.isEmpty && after.documents == 2)
    }

    @Test("prune deletes old documents with their sentences and claims, keeps series and surveys, and never resurrects them", arguments: StoreBackendKind.available)
    func pruneOldDocuments(_ backend: StoreBackendKind) throws {
        let store = try backend.freshStore()
        try store.syncConfiguredSources([SourceDefinition(location: "https://example.com/f.xml", name: "f", kind: .news, publisherType: .media, intervalSeconds: 3600)], now: now)
        let sourceID = try store.sources()[0].id
        var batch = IngestBatch()
        batch.documents = [
            document("old-1", published: now.addingTimeInterval(-400 * 86_400), sentences: 3, claims: 1),
            document("old-2", published: now.addingTimeInterval(-366 * 86_400), sentences: 2, claims: 0),
            document("new-1", published: now.addingTimeInterval(-364 * 86_400), sentences: 2, claims: 1),
        ]
        try store.commit(batch, sourceID: sourceID, fetchState: nil)
        try store.write { db in
            try db.execute(sql: "INSERT INTO score_snapshot (as_of, snapshot, computed_at) VALUES (1770000000, '{}', 1770000000)")
            try db.execute(sql: "INSERT INTO series_point (series, day, close) VALUES ('btc_usd', '2024-01-01', 42000)")
        }

        let counts = try store.prune(olderThan: now.addingTimeInterval(-365 * 86_400), now: now)
        #expect(counts == { var c = PruneCounts(); c.documents = 2; c.sentences = 5; c.claims = 1; return c }())
        let summary = try store.summary()
        #expect(summary.documents == 1 && summary.claims == 1 && summary.snapshots == 1 && summary.pricePoints == 1)
        #expect(try store.documents(limit: 10).map(\.title) == ["new-1"])

        // A feed still serving the pruned item does not bring it back.
        let again = try store.commit(batch, sourceID: sourceID, fetchState: nil)
        #expect(again.documentsInserted == 0 && again.documentsAlreadyStored == 3)
        #expect(try store.summary().documents == 1)

        try store.compact()
        #expect(try store.integrityCheck() == "ok")
        #expect(try store.prune(olderThan: now.addingTimeInterval(-365 * 86_400), now: now) == PruneCounts())
    }

    @Test("store copy brings back no document the destination pruned, nor its sentences and claims", arguments: StoreBackendKind.available)
    func copyKeepsPrunedDocumentsOut(_ backend: StoreBackendKind) throws {
        let old = document("old-1", published: now.addingTimeInterval(-400 * 86_400), sentences: 3, claims: 1)
        let recent = document("new-1", published: now.addingTimeInterval(-10 * 86_400), sentences: 2, claims: 1)
        func storeWith(_ documents: [NewDocument], _ store: Store) throws -> Store {
            try store.syncConfiguredSources([SourceDefinition(location: "https://example.com/f.xml", name: "f", kind: .news, publisherType: .media, intervalSeconds: 3600)], now: now)
            var batch = IngestBatch()
            batch.documents = documents
            try store.commit(batch, sourceID: try store.sources()[0].id, fetchState: nil)
            return store
        }
        let source = try storeWith([old, recent], StoreBackendKind.sqlite.freshStore("copy-source"))
        let destination = try storeWith([old], backend.freshStore())
        #expect(try destination.prune(olderThan: now.addingTimeInterval(-365 * 86_400), now: now).documents == 1)

        let counts = try StoreCopy.copy(from: source, to: destination)
        let documents = counts.first { $0.table == "document" }
        #expect(documents?.read == 2 && documents?.inserted == 1)
        let summary = try destination.summary()
        #expect(summary.documents == 1 && summary.claims == 1)
        #expect(try destination.documents(limit: 10).map(\.title) == ["new-1"])
        #expect(try destination.integrityCheck() == "ok")
    }

    @Test("ingest metrics add up per source; sources never fetched are listed with zeros", arguments: StoreBackendKind.available)
    func metricsAccumulate(_ backend: StoreBackendKind) throws {
        let store = try backend.freshStore()
        try store.syncConfiguredSources([
            SourceDefinition(location: "https://example.com/a.xml", name: "a", kind: .news, publisherType: .media, intervalSeconds: 3600),
            SourceDefinition(location: "https://example.com/b.xml", name: "b", kind: .news, publisherType: .media, intervalSeconds: 3600),
        ], now: now)
        let a = try store.sources()[0].id
        try store.recordIngestMetrics(IngestMetricsUpdate(sourceID: a, at: now, succeeded: true, itemsNew: 5, itemsSeen: 5, fetchSeconds: 0.5))
        try store.recordIngestMetrics(IngestMetricsUpdate(sourceID: a, at: now.addingTimeInterval(60), succeeded: false, fetchSeconds: 2))
        try store.recordIngestMetrics(IngestMetricsUpdate(sourceID: a, at: now.addingTimeInterval(120), succeeded: true, itemsNew: 1, itemsSeen: 6, fetchSeconds: 0.25))
        let metrics = try store.ingestMetrics()
        #expect(metrics.map(\.name) == ["a", "b"])
        let first = metrics[0]
        #expect(first.fetches == 3 && first.failures == 1 && first.itemsNew == 6 && first.itemsSeen == 11)
        #expect(first.lastSuccess == now.addingTimeInterval(120) && first.lastFailure == now.addingTimeInterval(60) && first.lastAttempt == now.addingTimeInterval(120))
        #expect(first.lastItemsNew == 1 && first.lastFetchSeconds == 0.25 && first.fetchSecondsTotal == 2.75)
        #expect(metrics[1].fetches == 0 && metrics[1].lastAttempt == nil && metrics[1].fetchSecondsTotal == 0)
    }
}
