import Foundation
import GRDB
import Scoring
import Sentiment
import Market
import Surveys
import StoreTestSupport
import Testing
@testable import Storage

/// A store in a fresh temporary directory, removed when the test ends.
final class TemporaryStore {
    let scratch: ScratchDirectory
    let store: Store
    var directory: URL { scratch.url }

    /// On SQLite, a file in a folder the store creates; on PostgreSQL, a fresh database.
    init(_ backend: StoreBackendKind = .sqlite) throws {
        scratch = try ScratchDirectory()
        store = try backend == .sqlite ? Store(path: scratch.path("nested/store.sqlite")) : backend.freshStore()
    }
}

@Suite("Store, on SQLite and on PostgreSQL")
struct StoreTests {
    let fetched = Date(timeIntervalSince1970: 1_770_422_400)  // 2026-02-07T00:00Z

    func document(_ key: String, published: Date?, claim: Bool = false) -> NewDocument {
        NewDocument(dedupKey: key, url: "https://x.example/\(key)", title: "T \(key)", author: nil, published: published, fetched: fetched,
                    text: "Text.", sentiment: 0.5, relevant: true, speakerType: .media,
                    sentences: [NewSentence(text: "Bitcoin rallies.", score: 0.5, relevant: true, speakerType: .media)],
                    claims: claim ? [Claim(population: .institutions, share: 0.7, proposition: .undervalued, stance: 1, sampleSize: nil, hedged: false, quote: "70%…")] : [])
    }

    func source(_ store: Store) throws -> Int64 {
        try store.syncConfiguredSources([SourceDefinition(location: "https://x.example/feed", name: "X", kind: .news, publisherType: .media, intervalSeconds: 3600)])
        return try #require(try store.sources().first?.id)
    }

    @Test("the store is a WAL-mode SQLite file created with its folders")
    func walFile() throws {
        let temporary = try TemporaryStore()
        let header = try #require(FileManager.default.contents(atPath: temporary.store.path))
        #expect(header.prefix(16) == Data("SQLite format 3\0".utf8))
        #expect(header[18] == 2 && header[19] == 2, "file format bytes 18–19 are 2 in WAL mode")
        #expect(try temporary.store.integrityCheck() == "ok")
    }

    @Test("re-ingesting the same items never duplicates them", arguments: StoreBackendKind.available)
    func deduplication(_ backend: StoreBackendKind) throws {
        let store = try backend.freshStore()
        let id = try source(store)
        var batch = IngestBatch()
        batch.documents = [document("a", published: fetched), document("b", published: fetched, claim: true)]
        let first = try store.commit(batch, sourceID: id, fetchState: nil)
        let second = try store.commit(batch, sourceID: id, fetchState: nil)
        #expect(first.documentsInserted == 2 && first.documentsAlreadyStored == 0)
        #expect(second.documentsInserted == 0 && second.documentsAlreadyStored == 2)
        let summary = try store.summary()
        #expect(summary.documents == 2)
        #expect(summary.claims == 1)
    }

    @Test("a batch that fails half-way leaves nothing of itself and everything before it", arguments: StoreBackendKind.available)
    func atomicBatches(_ backend: StoreBackendKind) throws {
        let store = try backend.freshStore()
        let id = try source(store)
        var good = IngestBatch()
        good.documents = [document("kept", published: fetched)]
        try store.commit(good, sourceID: id, fetchState: nil)

        var bad = IngestBatch()
        var failing = document("lost-2", published: fetched, claim: true)
        // NaN is stored by SQLite as NULL, which the claim's NOT NULL share column refuses after "lost-1" was written:
        // the whole batch must roll back.
        failing.claims[0].share = .nan
        bad.documents = [document("lost-1", published: fetched), failing]
        #expect(throws: StoreError.self) { try store.commit(bad, sourceID: id, fetchState: nil) }

        #expect(try store.summary().documents == 1)
        #expect(try store.documents().map(\.title) == ["T kept"])
        #expect(try store.integrityCheck() == "ok")
    }

    @Test("a group commit stores each source in order, each later source seeing the earlier ones", arguments: StoreBackendKind.available)
    func groupCommit(_ backend: StoreBackendKind) throws {
        let store = try backend.freshStore()
        let ids = try threeSources(store)
        var first = IngestBatch(), second = IngestBatch()
        first.documents = [document("a1", published: fetched), document("a2", published: fetched, claim: true)]
        // The second source's entry links to the first source's page: one story, merged into the first's document.
        var linked = document("b1", published: fetched)
        linked.url = "https://x.example/a1"
        second.documents = [linked, document("b2", published: fetched)]
        let counts = try store.commit([
            SourceCommit(sourceID: ids[0], batch: first, fetchState: state(etag: "a"), metrics: IngestMetricsUpdate(sourceID: ids[0], at: fetched, succeeded: true, fetchSeconds: 0.5)),
            SourceCommit(sourceID: ids[1], batch: second, fetchState: state(etag: "b"), metrics: nil),
            SourceCommit(sourceID: ids[2], batch: nil, fetchState: state(etag: nil, failures: 1), metrics: IngestMetricsUpdate(sourceID: ids[2], at: fetched, succeeded: false, fetchSeconds: 2)),
        ])
        #expect(counts.map(\.documentsInserted) == [2, 1, 0])
        #expect(counts.map(\.documentsAlreadyStored) == [0, 1, 0])
        #expect(try store.documents().compactMap(\.title).sorted() == ["T a1", "T a2", "T b2"])
        let sources = try store.sources().sorted { $0.id < $1.id }
        #expect(sources.map(\.etag) == ["a", "b", nil])
        #expect(sources.map(\.consecutiveFailures) == [0, 0, 1])
        let metrics = Dictionary(uniqueKeysWithValues: try store.ingestMetrics().map { ($0.sourceID, $0) })
        #expect(metrics[ids[0]]?.itemsNew == 2 && metrics[ids[0]]?.fetches == 1, "item counts filled in from what was stored")
        #expect(metrics[ids[2]]?.failures == 1)
    }

    @Test("a group commit's per-day sums are those of the units it stored, across sources, days and speaker types", arguments: StoreBackendKind.available)
    func groupCommitDaySums(_ backend: StoreBackendKind) throws {
        let store = try backend.freshStore()
        let ids = try threeSources(store)
        let types: [SpeakerType] = [.institutional, .media, .analyst]
        // Three sources, each with documents on four days and units of three speaker types: the sources share day rows.
        var batches = (0..<3).map { source -> IngestBatch in
            var batch = IngestBatch()
            batch.documents = (0..<8).map { index in
                let published = fetched.addingTimeInterval(Double(index % 4) * 86_400 + Double(source * 3_600 + index * 600))
                let units = (0..<3).map { unit in
                    let step: Int = (source + 2 * index + 3 * unit) % 11
                    return NewSentence(text: "s\(source)-\(index)-\(unit)", score: Double(step) / 5 - 1, relevant: true,
                                       speakerType: types[(index + unit) % types.count])
                }
                return NewDocument(dedupKey: "g\(source)-\(index)", url: "https://x.example/g\(source)-\(index)", title: nil, author: nil,
                                   published: published, fetched: published, text: "Story \(source) \(index).", sentiment: 0, relevant: true,
                                   speakerType: .media, sentences: units)
            }
            return batch
        }
        // The second source's first entry is the first source's first story, at its URL, with a longer text: merged
        // into it in the same group, its units replacing the stored ones (taken out of their day's sums).
        batches[1].documents[0].url = batches[0].documents[0].url
        batches[1].documents[0].text = "Story 0 0, with two more paragraphs of the same report."
        let counts = try store.commit(zip(ids, batches).map { SourceCommit(sourceID: $0, batch: $1, fetchState: state(etag: nil), metrics: nil) })
        #expect(counts.map(\.documentsAlreadyStored) == [0, 1, 0])
        try expectDaySumsMatchUnits(store, asOf: fetched.addingTimeInterval(9 * 86_400), units: 69, types: types)
    }

    /// Reads B's news sums at `asOf` from the per-day rows (whole days: `asOf` is days after every unit) and from the
    /// units themselves, the reference: the same count (`units`), types and decayed sums.
    func expectDaySumsMatchUnits(_ store: Store, asOf: Date, units: Int, types: [SpeakerType]) throws {
        let parameters = BullishnessParameters()
        let fromDays = try store.newsAggregate(asOf: asOf, maxAge: 30 * 86_400, parameters: parameters, evidence: 0)
        let fromUnits = NewsAggregate(try store.relevantSentences(asOf: asOf, maxAge: 30 * 86_400), asOf: asOf, parameters: parameters)
        #expect(fromUnits.count == units && fromDays.count == units)
        #expect(fromDays.bySpeaker.keys.sorted() == types.sorted())
        for (speaker, sums) in fromUnits.bySpeaker {
            #expect(fromDays.bySpeaker[speaker]?.count == sums.count)
            #expect(abs((fromDays.bySpeaker[speaker]?.decayedScore ?? .nan) - sums.decayedScore) < 1e-9)
        }
    }

    @Test("a group commit that fails stores the sources before the failing one, and nothing of it or after it", arguments: StoreBackendKind.available)
    func groupCommitFailure(_ backend: StoreBackendKind) throws {
        let store = try backend.freshStore()
        let ids = try threeSources(store)
        var good = IngestBatch(), bad = IngestBatch(), later = IngestBatch()
        good.documents = [document("kept", published: fetched)]
        var failing = document("lost-2", published: fetched, claim: true)
        // NaN binds as NULL, which the claim's NOT NULL share refuses after "lost-1" was written.
        failing.claims[0].share = .nan
        bad.documents = [document("lost-1", published: fetched), failing]
        later.documents = [document("not-reached", published: fetched)]
        #expect(throws: StoreError.self) {
            try store.commit([SourceCommit(sourceID: ids[0], batch: good, fetchState: state(etag: "a"), metrics: nil),
                              SourceCommit(sourceID: ids[1], batch: bad, fetchState: state(etag: "b"), metrics: nil),
                              SourceCommit(sourceID: ids[2], batch: later, fetchState: state(etag: "c"), metrics: nil)])
        }
        #expect(try store.documents().map(\.title) == ["T kept"])
        #expect(try store.sources().sorted { $0.id < $1.id }.map(\.etag) == ["a", nil, nil])
        #expect(try store.integrityCheck() == "ok")
        // The day rows hold the kept document's unit and nothing of the sources rolled back.
        try expectDaySumsMatchUnits(store, asOf: fetched.addingTimeInterval(9 * 86_400), units: 1, types: [.media])
    }

    func threeSources(_ store: Store) throws -> [Int64] {
        try store.syncConfiguredSources(["a", "b", "c"].map {
            SourceDefinition(location: "https://\($0).example/feed", name: $0, kind: .news, publisherType: .media, intervalSeconds: 3600)
        })
        let ids = try store.sources().map(\.id).sorted()
        try #require(ids.count == 3)
        return ids
    }

    func state(etag: String?, failures: Int = 0) -> FetchStateUpdate {
        FetchStateUpdate(etag: etag, lastModified: nil, lastStatus: failures > 0 ? 500 : 200, lastError: failures > 0 ? "HTTP 500" : nil,
                         consecutiveFailures: failures, nextFetch: nil, succeededAt: failures > 0 ? nil : fetched, disabled: false)
    }

    @Test("queries are point-in-time: nothing knowable after the as-of instant is returned", arguments: StoreBackendKind.available)
    func pointInTime(_ backend: StoreBackendKind) throws {
        let store = try backend.freshStore()
        let id = try source(store)
        let early = fetched.addingTimeInterval(-3 * 86_400)
        var batch = IngestBatch()
        batch.documents = [document("early", published: early, claim: true), document("late", published: fetched, claim: true),
                           document("undated", published: nil, claim: true)]
        batch.surveyObservations = [SurveyObservation(survey: "S", publisher: "P", population: .institutional, metric: .bullish, share: 0.6, published: early)]
        try store.commit(batch, sourceID: id, fetchState: nil)

        let asOf = fetched.addingTimeInterval(-86_400)
        #expect(try store.claims(asOf: asOf, maxAge: 30 * 86_400).map(\.documentID).count == 1)
        #expect(try store.claims(asOf: fetched, maxAge: 30 * 86_400).count == 3, "an undated document counts from when it was fetched")
        #expect(try store.relevantSentences(asOf: asOf, maxAge: 30 * 86_400).count == 1)
        #expect(try store.surveyObservations(asOf: early.addingTimeInterval(-1)).isEmpty)
        #expect(try store.surveyObservations(asOf: asOf).count == 1)
        #expect(try store.claims(asOf: fetched, maxAge: 86_400).count == 2, "older than the maximum age is left out")
    }

    @Test("a newer row for a stored day replaces it and is counted", arguments: StoreBackendKind.available)
    func seriesReplacement(_ backend: StoreBackendKind) throws {
        let store = try backend.freshStore()
        let day = UTCDay(daysSinceEpoch: 20_491)
        var batch = IngestBatch()
        batch.prices = [PriceCandle(day: day, open: 1, high: 2, low: 1, close: 2, volume: 10)]
        batch.hashrate = [HashrateSample(day: day, exahashesPerSecond: 913)]
        let first = try store.commit(batch, sourceID: nil, fetchState: nil)
        let same = try store.commit(batch, sourceID: nil, fetchState: nil)
        batch.prices[0].close = 3
        let changed = try store.commit(batch, sourceID: nil, fetchState: nil)
        #expect(first.seriesPointsInserted == 2)
        #expect(same.seriesPointsInserted == 0 && same.seriesPointsReplaced == 0)
        #expect(changed.seriesPointsReplaced == 1)
        #expect(try store.prices().map(\.close) == [3])
        #expect(try store.hashrate().map(\.exahashesPerSecond) == [913])
    }

    @Test("sources added from the command line can be removed; config sources cannot", arguments: StoreBackendKind.available)
    func sources(_ backend: StoreBackendKind) throws {
        let store = try backend.freshStore()
        _ = try source(store)
        let added = try store.addSource(SourceDefinition(location: "/tmp/prices.csv", name: "P", kind: .prices, publisherType: .analyst, intervalSeconds: 86_400, options: ["format": "csv"]))
        #expect(added.origin == "cli")
        #expect(added.options == ["format": "csv"])
        #expect(throws: StoreError.self) { try store.addSource(SourceDefinition(location: "/tmp/prices.csv", name: "P", kind: .prices, publisherType: .analyst, intervalSeconds: 1)) }
        #expect(throws: StoreError.self) { try store.removeSource(location: "https://x.example/feed") }
        try store.removeSource(location: "/tmp/prices.csv")
        #expect(try store.sources().map(\.location) == ["https://x.example/feed"])
        try store.syncConfiguredSources([])
        #expect(try store.sources().isEmpty, "a config source no longer configured becomes inactive")
    }

    @Test("fetch state is recorded and a permanent redirect moves the source", arguments: StoreBackendKind.available)
    func fetchState(_ backend: StoreBackendKind) throws {
        let store = try backend.freshStore()
        let id = try source(store)
        try store.recordFetchState(sourceID: id, FetchStateUpdate(location: "https://y.example/feed", etag: "\"v1\"", lastModified: nil, lastStatus: 200,
                                                                  lastError: nil, consecutiveFailures: 0, nextFetch: nil, succeededAt: fetched, disabled: false))
        let stored = try #require(try store.sources().first)
        #expect(stored.location == "https://y.example/feed")
        #expect(stored.etag == "\"v1\"")
        #expect(stored.lastSuccess == fetched)
    }

    @Test("a file that is not SQLite is refused and left untouched")
    func notAStore() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("not-a-store-\(UUID().uuidString).sqlite").path
        let content = Data("this is a text file, not a database\n".utf8)
        FileManager.default.createFile(atPath: path, contents: content)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: StoreError.self) { try Store(path: path) }
        #expect(FileManager.default.contents(atPath: path) == content)
    }

    @Test("a SQLite database of another application is refused and left untouched, in either journal mode", arguments: ["DELETE", "WAL"])
    func foreignDatabase(_ journalMode: String) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("foreign-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("places.sqlite").path
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = \(journalMode)")
            try db.execute(sql: "CREATE TABLE bookmarks (id INTEGER PRIMARY KEY, url TEXT); INSERT INTO bookmarks (url) VALUES ('https://example.com/')")
        }
        try queue.close()
        let content = FileManager.default.contents(atPath: path)
        do {
            _ = try Store(path: path)
            Issue.record("expected notAStore")
        } catch {
            guard case .notAStore = error else { Issue.record("unexpected \(error)"); return }
            #expect(error.description == "store \(path): not a divergence store: a SQLite database of another application (it has tables, none of them divergence's)")
        }
        #expect(FileManager.default.contents(atPath: path) == content)
        // A read-only look at a WAL-mode file may leave SQLite's (empty) companion files, as any reader does.
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: directory.path)).isSubset(of: ["places.sqlite", "places.sqlite-wal", "places.sqlite-shm"]))
    }

    @Test("a store under a regular file cannot be created and says so")
    func notWritable() {
        do {
            _ = try Store(path: "/etc/hostname/store.sqlite")
            Issue.record("expected notWritable")
        } catch {
            guard case .notWritable = error else { Issue.record("unexpected \(error)"); return }
            #expect(error.description.hasPrefix("store /etc/hostname/store.sqlite: cannot write"))
        }
    }
}
