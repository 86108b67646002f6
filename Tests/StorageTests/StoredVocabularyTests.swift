import Foundation
import GRDB
import StoreTestSupport
import Scoring
import Sentiment
import Surveys
import Testing
@testable import Storage

/// A source row whose kind or publisher type this version does not know (another program, a newer version, a hand edit)
/// is a read error naming the row, never a default: a `podcast` row must not ingest as news.
@Suite("Stored source words")
struct StoredVocabularyTests {
    static let kinds = "news, article, survey, prices, hashrate, fees, etf_flows, cftc_tff"

    func addSources(_ store: Store) throws -> Int64 {
        try store.syncConfiguredSources([SourceDefinition(location: "https://x.example/feed", name: "X", kind: .news, publisherType: .media, intervalSeconds: 3600)])
        return try store.addSource(SourceDefinition(location: "https://y.example/pod", name: "Y", kind: .news, publisherType: .analyst, intervalSeconds: 3600)).id
    }

    @Test("a kind another program wrote into a SQLite row is a read error naming the row; the store is intact and the row removable")
    func hostileKindInSQLiteFile() throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        let id = try addSources(store)
        let queue = try DatabaseQueue(path: store.path)
        try queue.write { db in try db.execute(sql: "UPDATE source SET kind = 'podcast' WHERE id = ?", arguments: [id]) }
        try queue.close()

        let expected = "store \(store.path): source \(id) (https://y.example/pod): stored kind 'podcast' is not one of \(Self.kinds); fix the row or remove the source"
        let listing = #expect(throws: StoreError.self) { try store.sources() }
        #expect(listing?.description == expected)
        let metrics = #expect(throws: StoreError.self) { try store.ingestMetrics() }
        #expect(metrics?.description == expected)
        #expect(try store.integrityCheck() == "ok")
        #expect(try store.summary().sources == 2, "nothing was rewritten or dropped")

        try store.removeSource(location: "https://y.example/pod")
        #expect(try store.sources().map(\.kind) == [.news])
    }

    @Test("an unknown publisher type is refused the same way, on either backend", arguments: StoreBackendKind.available)
    func hostilePublisherType(_ backend: StoreBackendKind) throws {
        let store = try backend.freshStore()
        let id = try addSources(store)
        try store.write { db in try db.execute(sql: "UPDATE source SET publisher_type = 'oracle' WHERE id = ?", arguments: [id]) }
        let expected = "store \(store.path): source \(id) (https://y.example/pod): stored publisher type 'oracle' is not one of "
            + "institutional, analyst, media, retail, miner; fix the row or remove the source"
        let listing = #expect(throws: StoreError.self) { try store.sources() }
        #expect(listing?.description == expected)
    }

    @Test("a config source with a hostile kind is healed by the next sync from the config")
    func configSyncRewritesKind() throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        _ = try addSources(store)
        try store.write { db in try db.execute(sql: "UPDATE source SET kind = '' WHERE location = 'https://x.example/feed'") }
        #expect(throws: StoreError.self) { try store.sources() }
        try store.syncConfiguredSources([SourceDefinition(location: "https://x.example/feed", name: "X", kind: .news, publisherType: .media, intervalSeconds: 3600)])
        #expect(try store.sources().map(\.kind) == [.news, .news])
    }

    @Test("doctor's inventory names every stored word this version does not know, by column, value and row count", arguments: StoreBackendKind.available)
    func unknownStoredWords(_ backend: StoreBackendKind) throws {
        let store = try backend.freshStore()
        let id = try addSources(store)
        #expect(try store.unknownStoredWords() == [], "a store written by this version knows all its words")
        var batch = IngestBatch()
        let published = Date(timeIntervalSince1970: 1_770_422_400)
        batch.surveyObservations = [
            SurveyObservation(survey: "Pulse", publisher: "Desk", population: .institutional, metric: .undervalued, share: 0.7, sampleSize: 148, published: published),
            SurveyObservation(survey: "Pulse", publisher: "Desk", population: .retail, metric: .bearMarket, share: 0.3, sampleSize: 90, published: published),
        ]
        batch.documents = [NewDocument(dedupKey: "a", url: nil, title: nil, author: nil, published: published, fetched: published, text: "Bitcoin rallies.",
                                       sentiment: 0.5, relevant: true, speakerType: .media,
                                       sentences: [NewSentence(text: "Bitcoin rallies.", score: 0.5, relevant: true, speakerType: .media)])]
        try store.commit(batch, sourceID: id, fetchState: nil)
        try store.write { db in
            try db.execute(sql: "UPDATE source SET kind = 'podcast' WHERE id = ?", arguments: [id])
            try db.execute(sql: "UPDATE survey_observation SET population = 'martians'")
            try db.execute(sql: "UPDATE sentence SET speaker_type = 'oracle', topic = 'forecast'")
            try db.execute(sql: "UPDATE document SET speaker_type = 'pundit'")
        }
        #expect(try store.unknownStoredWords().map(\.description) == [
            "source.kind 'podcast' in 1 row(s): reading the source fails; fix the row or remove the source",
            "survey_observation.population 'martians' in 2 row(s): the report and surveys list skip the row",
            "sentence.speaker_type 'oracle' in 1 row(s): B's news component fails naming the sentence when it is in the window; fix the row",
            "sentence.topic 'forecast' in 1 row(s): the unit is left out of B's news component; fix the row",
            "document.speaker_type 'pundit' in 1 row(s): listing documents (/v1/documents) fails naming the document; fix the row",
        ])
        let documentID = try #require(try store.read { db in try Int64.fetchOne(db, sql: "SELECT id FROM document") })
        let listing = #expect(throws: StoreError.self) { try store.documents() }
        #expect(listing?.description == "store \(store.path): document \(documentID): stored speaker type 'pundit' is not one of "
            + "\(SpeakerType.choices); fix the row (doctor lists every unknown word)")
    }

    /// Stores one document published at `published` with two belief units (institutional, media), then rewrites the
    /// second unit's speaker type to `oracle` as another program would: in the unit and in its day's sums.
    func storeHostileSpeaker(_ store: Store, published: Date) throws -> Int64 {
        let id = try addSources(store)
        var batch = IngestBatch()
        batch.documents = [NewDocument(dedupKey: "a", url: nil, title: nil, author: nil, published: published, fetched: published, text: "t",
                                       sentiment: 0.5, relevant: true, speakerType: .media,
                                       sentences: [NewSentence(text: "Funds add Bitcoin.", score: 0.6, relevant: true, speakerType: .institutional),
                                                   NewSentence(text: "Bitcoin slides.", score: -0.4, relevant: true, speakerType: .media)])]
        try store.commit(batch, sourceID: id, fetchState: nil)
        let documentID = try #require(try store.documents().first?.id)
        try store.write { db in
            try db.execute(sql: "UPDATE sentence SET speaker_type = 'oracle' WHERE position = 1")
            try db.execute(sql: "UPDATE sentence_day SET speaker_type = 'oracle' WHERE speaker_type = 'media'")
        }
        return documentID
    }

    static func hostileSpeakerMessage(_ store: Store, documentID: Int64) -> String {
        "store \(store.path): sentence 1 of document \(documentID): stored speaker type 'oracle' is not one of "
            + "institutional, analyst, miner, retail, media, unknown; fix the row (doctor lists every unknown word)"
    }

    @Test("a speaker type another program wrote into a stored unit fails B's news reads naming the unit, never weighs as unknown",
          arguments: StoreBackendKind.available)
    func hostileSpeakerTypeInWindow(_ backend: StoreBackendKind) throws {
        let store = try backend.freshStore()
        let published = Date(timeIntervalSince1970: 1_770_422_400 + 3_600)  // 2026-02-07T01:00Z
        let documentID = try storeHostileSpeaker(store, published: published)
        let expected = Self.hostileSpeakerMessage(store, documentID: documentID)
        let asOf = published.addingTimeInterval(3_600)  // the same day: the units are summed one by one
        let parameters = BullishnessParameters()
        let rows = #expect(throws: StoreError.self) { try store.relevantSentences(asOf: asOf, maxAge: 56 * 86_400) }
        #expect(rows?.description == expected)
        let sums = #expect(throws: StoreError.self) { try store.newsAggregate(asOf: asOf, maxAge: 56 * 86_400, parameters: parameters, evidence: 0) }
        #expect(sums?.description == expected)
        let evidence = #expect(throws: StoreError.self) { try store.newsAggregate(asOf: asOf, maxAge: 56 * 86_400, parameters: parameters) }
        #expect(evidence?.description == expected)
        // Three days later the unit's day is read from its per-day sums: the unknown word there names the same unit.
        let later = published.addingTimeInterval(3 * 86_400)
        let days = #expect(throws: StoreError.self) { try store.newsAggregate(asOf: later, maxAge: 56 * 86_400, parameters: parameters, evidence: 0) }
        #expect(days?.description == expected)
        // Out of the window it is not read at all; the store is intact.
        let news = try store.newsAggregate(asOf: published.addingTimeInterval(-1), maxAge: 56 * 86_400, parameters: parameters)
        #expect(news.count == 0)
        #expect(try store.summary().documents == 1)
    }

    @Test("the same store with the word fixed reads both units, each under its own type")
    func fixedSpeakerTypeReads() throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        let published = Date(timeIntervalSince1970: 1_770_422_400 + 3_600)
        _ = try storeHostileSpeaker(store, published: published)
        try store.write { db in
            try db.execute(sql: "UPDATE sentence SET speaker_type = 'media' WHERE speaker_type = 'oracle'")
            try db.execute(sql: "UPDATE sentence_day SET speaker_type = 'media' WHERE speaker_type = 'oracle'")
        }
        let asOf = published.addingTimeInterval(3_600)
        let news = try store.newsAggregate(asOf: asOf, maxAge: 56 * 86_400, parameters: BullishnessParameters())
        #expect(news.bySpeaker.keys.sorted() == [.institutional, .media])
        #expect(try store.relevantSentences(asOf: asOf, maxAge: 56 * 86_400).map(\.speakerType) == [.institutional, .media])
    }

    @Test("a claim population or proposition another program wrote fails the claim reads naming the claim, on either backend",
          arguments: StoreBackendKind.available)
    func hostileClaimWords(_ backend: StoreBackendKind) throws {
        let store = try backend.freshStore()
        let id = try addSources(store)
        let published = Date(timeIntervalSince1970: 1_770_422_400 + 3_600)
        var batch = IngestBatch()
        batch.documents = [NewDocument(dedupKey: "c", url: nil, title: nil, author: nil, published: published, fetched: published, text: "t",
                                       sentiment: 0.5, relevant: true, speakerType: .media,
                                       claims: [Claim(population: .institutions, share: 0.7, proposition: .undervalued, stance: 1, sampleSize: nil, hedged: false, quote: "70%"),
                                                Claim(population: .retail, share: 0.4, proposition: .bearish, stance: -1, sampleSize: nil, hedged: false, quote: "40%")])]
        try store.commit(batch, sourceID: id, fetchState: nil)
        let documentID = try #require(try store.documents().first?.id)
        let asOf = published.addingTimeInterval(3_600)
        let parameters = BullishnessParameters()
        let stored = try store.claims(asOf: asOf, maxAge: 365 * 86_400)
        #expect(stored.map(\.claim.population) == [.institutions, .retail] && stored.map(\.claim.proposition) == [.undervalued, .bearish])
        let claimIDs = try store.read { db in try Int64.fetchAll(db, sql: "SELECT id FROM claim ORDER BY id") }

        // A population outside the vocabulary on the non-institutional claim: the SQL sums would not even look at it.
        try store.write { db in try db.execute(sql: "UPDATE claim SET population = 'martians' WHERE id = ?", arguments: [claimIDs[1]]) }
        let population = "store \(store.path): claim \(claimIDs[1]) of document \(documentID): stored population 'martians' is not one of "
            + "\(ClaimPopulation.choices); fix the row (doctor lists every unknown word)"
        let listed = #expect(throws: StoreError.self) { try store.claims(asOf: asOf, maxAge: 365 * 86_400) }
        #expect(listed?.description == population)
        let summed = #expect(throws: StoreError.self) { try store.claimAggregate(asOf: asOf, maxAge: 365 * 86_400, parameters: parameters) }
        #expect(summed?.description == population)

        // A proposition outside the vocabulary on the institutional claim.
        try store.write { db in
            try db.execute(sql: "UPDATE claim SET population = 'retail' WHERE id = ?", arguments: [claimIDs[1]])
            try db.execute(sql: "UPDATE claim SET proposition = 'moon' WHERE id = ?", arguments: [claimIDs[0]])
        }
        let proposition = "store \(store.path): claim \(claimIDs[0]) of document \(documentID): stored proposition 'moon' is not one of "
            + "\(ClaimProposition.choices); fix the row (doctor lists every unknown word)"
        let institutional = #expect(throws: StoreError.self) { try store.claimAggregate(asOf: asOf, maxAge: 365 * 86_400, parameters: parameters) }
        #expect(institutional?.description == proposition)
        #expect(try store.unknownStoredWords().map(\.description) == [
            "claim.proposition 'moon' in 1 row(s): reading the claim fails naming it (report, bullishness); fix the row",
        ])
        // Before the claim was knowable it is not read; the store is intact.
        #expect(try store.claimAggregate(asOf: published.addingTimeInterval(-1), maxAge: 365 * 86_400, parameters: parameters).count == 0)
        #expect(try store.summary().claims == 2)
    }
}
