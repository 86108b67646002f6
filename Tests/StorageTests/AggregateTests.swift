import Foundation
import Scoring
import Sentiment
import Surveys
import GRDB
import StoreTestSupport
import Testing
@testable import Storage

@Suite("Store-side sums for the bullishness index")
struct AggregateTests {
    @Test("the SQL sums of opinion units and claims equal the in-memory ones, so B and the voices beside it are the same either way",
          arguments: StoreBackendKind.available)
    func sqlMatchesMemory(_ backend: StoreBackendKind) throws {
        _ = try Self.bullishnessThroughSQL(backend.freshStore())
    }

    @Test("SQLite's SQL, PostgreSQL's SQL and the Swift compute give the same B, components and voices on the same data")
    func backendsAgree() throws {
        try #require(StoreBackendKind.available.contains(.postgresql), "PostgreSQL is not installed here (CI installs it)")
        let onSQLite = try Self.bullishnessThroughSQL(StoreBackendKind.sqlite.freshStore())
        let onPostgreSQL = try Self.bullishnessThroughSQL(StoreBackendKind.postgresql.freshStore())
        let score = try #require(onSQLite.score)
        #expect(abs(score - (onPostgreSQL.score ?? .nan)) < 1e-9)
        #expect(onSQLite.components.map(\.evidence) == onPostgreSQL.components.map(\.evidence))
        for (sqlite, postgresql) in zip(onSQLite.components, onPostgreSQL.components) {
            #expect(abs(sqlite.value - postgresql.value) < 1e-9 && sqlite.weight == postgresql.weight)
        }
        #expect(onSQLite.voices.map(\.speakerType) == onPostgreSQL.voices.map(\.speakerType))
        for (sqlite, postgresql) in zip(onSQLite.voices, onPostgreSQL.voices) {
            #expect(abs(sqlite.score - postgresql.score) < 1e-9 && sqlite.count == postgresql.count && sqlite.evidence == postgresql.evidence)
        }
    }

    /// Stores a fixed fixture in `store`, checks B from the SQL sums against B from the rows summed in Swift, and
    /// returns the SQL one.
    static func bullishnessThroughSQL(_ store: Store) throws -> BullishnessScore {
        try store.syncConfiguredSources([SourceDefinition(location: "https://x.example/feed", name: "X", kind: .news, publisherType: .media, intervalSeconds: 3600)])
        let sourceID = try #require(try store.sources().first?.id)
        let asOf = Date(timeIntervalSince1970: 1_770_508_800)  // 2026-02-08T00:00Z
        let speakers: [SpeakerType] = [.institutional, .analyst, .media, .retail, .miner, .unknown]
        var batch = IngestBatch()
        var beliefUnitsInWindow = 0
        let newsAge = 56.0 * 86_400, claimAge = 365.0 * 86_400
        for index in 0..<120 {
            // Spread from 52 days after the as-of instant (which must not count) to 31 days before it.
            let published = asOf.addingTimeInterval(Double(75 - index) * 0.7 * 86_400 - 3_600)
            let score = Double((index * 37) % 21 - 10) / 10
            let claims = index % 3 == 0 ? [Claim(population: [ClaimPopulation.institutions, .fundManagers, .retail][(index / 3) % 3],
                                                     share: Double(index % 100) / 100, proposition: .undervalued, stance: index % 2 == 0 ? 1 : -1,
                                                     sampleSize: nil, hedged: index % 4 == 0, quote: "q\(index)", conditional: index % 5 == 0)] : []
            // Two units per document: one a belief with or without a named holder, one every seventh a technical one.
            let units = [
                NewSentence(text: "s\(index)", score: score, relevant: index % 5 != 0, speakerType: speakers[index % speakers.count], holder: index % 4 == 0 ? "Fidelity" : nil),
                NewSentence(text: "t\(index)", score: -score, relevant: true, speakerType: speakers[(index + 1) % speakers.count], topic: index % 7 == 0 ? .technical : .belief),
            ]
            let age = asOf.timeIntervalSince(published)
            if age >= 0 && age <= newsAge { beliefUnitsInWindow += units.filter { $0.relevant && $0.topic == .belief }.count }
            batch.documents.append(NewDocument(dedupKey: "d\(index)", url: "https://x.example/\(index)", title: nil, author: nil, published: published,
                                               fetched: published, text: "t", sentiment: score, relevant: true, speakerType: .media,
                                               sentences: units, claims: claims))
        }
        // Surveys published (date-only) 20 days before the as-of instant: claims within 0.02 of a share and ±14 days restate them.
        let surveyDay = Date(timeIntervalSince1970: 1_770_508_800 - 20 * 86_400)
        // Claims q90 (0.90, 10.5 days before as-of) and q108 (0.08) of institutions and q84 (0.84) and q102 (0.02) of fund managers
        // restate them; the other institutional claims do not.
        for (population, share) in [(SurveyPopulation.institutional, 0.89), (.institutional, 0.09), (.fundManagers, 0.85), (.fundManagers, 0.03)] {
            batch.surveyObservations.append(SurveyObservation(survey: "Pulse \(share)", publisher: "P", population: population, metric: .undervalued, share: share,
                                                              sampleSize: 50, published: surveyDay))
        }
        try store.commit(batch, sourceID: sourceID, fetchState: nil)

        let parameters = BullishnessParameters()
        let sqlNews = try store.newsAggregate(asOf: asOf, maxAge: newsAge, parameters: parameters)
        let memoryNews = NewsAggregate(try store.relevantSentences(asOf: asOf, maxAge: newsAge), asOf: asOf, parameters: parameters)
        #expect(sqlNews.count == memoryNews.count && sqlNews.count == beliefUnitsInWindow, "technical units are never summed")
        for (speaker, sums) in memoryNews.bySpeaker {
            #expect(sqlNews.bySpeaker[speaker]?.count == sums.count)
            #expect(abs((sqlNews.bySpeaker[speaker]?.decayedScore ?? .nan) - sums.decayedScore) < 1e-9)
        }
        #expect(sqlNews.strongest.map(\.text) == memoryNews.strongest.map(\.text))
        #expect(sqlNews.strongest.map(\.holder) == memoryNews.strongest.map(\.holder))
        #expect(!sqlNews.strongest.contains { $0.text.hasPrefix("t") && Int($0.text.dropFirst())! % 7 == 0 })

        let surveys = try store.surveyObservations(asOf: asOf)
        let sqlClaims = try store.claimAggregate(asOf: asOf, maxAge: claimAge, parameters: parameters)
        let memoryClaims = ClaimAggregate(try store.claims(asOf: asOf, maxAge: claimAge), surveys: surveys, asOf: asOf, parameters: parameters)
        #expect(sqlClaims.count == memoryClaims.count && sqlClaims.count > 5)
        #expect(abs(sqlClaims.weightedValue - memoryClaims.weightedValue) < 1e-9)
        #expect(sqlClaims.weight == memoryClaims.weight)
        #expect(sqlClaims.recent.map(\.claim.quote) == memoryClaims.recent.map(\.claim.quote))
        #expect(sqlClaims.restated.map(\.claim.claim.quote) == memoryClaims.restated.map(\.claim.claim.quote))
        #expect(Set(sqlClaims.restated.map(\.claim.claim.quote)) == ["q84", "q90", "q102", "q108"])
        #expect(sqlClaims.restated.map(\.survey) == memoryClaims.restated.map(\.survey))

        let viaSQL = BullishnessIndex.compute(surveys: surveys, claims: sqlClaims, news: sqlNews, asOf: asOf, parameters: parameters)
        let inMemory = BullishnessIndex.compute(surveys: surveys, claims: try store.claims(asOf: asOf, maxAge: claimAge),
                                                sentences: try store.relevantSentences(asOf: asOf, maxAge: newsAge), asOf: asOf, parameters: parameters)
        #expect(abs((viaSQL.score ?? .nan) - (inMemory.score ?? .nan)) < 1e-9)
        #expect(viaSQL.components.map(\.evidence) == inMemory.components.map(\.evidence))
        #expect(viaSQL.voices.map(\.speakerType) == inMemory.voices.map(\.speakerType) && viaSQL.voices.count == 5, "analyst, media, miner, retail and unknown beside B")
        for (sql, memory) in zip(viaSQL.voices, inMemory.voices) {
            #expect(abs(sql.score - memory.score) < 1e-9 && sql.count == memory.count && sql.evidence == memory.evidence)
        }
        return viaSQL
    }

    /// The news sum by its definition, sentence by sentence: Σ score · 0.5^((asOf − knowable) / half-life) over relevant
    /// sentences knowable in [asOf − maxAge, asOf], per speaker type (types without a configured weight count as unknown).
    static func definitionSums(_ sentences: [(knowable: Double, score: Double, type: SpeakerType)], asOf: Double, maxAge: Double, halfLifeDays: Double,
                               known: Set<SpeakerType>) -> [SpeakerType: (Double, Int)] {
        var sums: [SpeakerType: (Double, Int)] = [:]
        for sentence in sentences where sentence.knowable <= asOf && sentence.knowable >= asOf - maxAge {
            let type = known.contains(sentence.type) ? sentence.type : .unknown
            let previous = sums[type] ?? (0, 0)
            sums[type] = (previous.0 + sentence.score * pow(0.5, (asOf - sentence.knowable) / (halfLifeDays * 86_400)), previous.1 + 1)
        }
        return sums
    }

    static func expectSums(_ store: Store, _ sentences: [(knowable: Double, score: Double, type: SpeakerType)], asOf: Double, maxAge: Double, halfLifeDays: Double) throws {
        var parameters = BullishnessParameters()
        parameters.newsHalfLifeDays = halfLifeDays
        parameters.speakerWeights[.retail] = nil  // an unconfigured type: summed and weighed as unknown
        let expected = definitionSums(sentences, asOf: asOf, maxAge: maxAge, halfLifeDays: halfLifeDays,
                                      known: Set(parameters.speakerWeights.keys.filter { $0 != .unknown }))
        let stored = try store.newsAggregate(asOf: Date(timeIntervalSince1970: asOf), maxAge: maxAge, parameters: parameters, evidence: 0)
        #expect(Set(stored.bySpeaker.keys) == Set(expected.keys), "as of \(asOf), half-life \(halfLifeDays) d")
        for (type, (decayed, count)) in expected {
            #expect(stored.bySpeaker[type]?.count == count, "\(type) as of \(asOf), window \(maxAge / 86_400) d")
            let got = stored.bySpeaker[type]?.decayedScore ?? .nan
            #expect(abs(got - decayed) <= 1e-9 * max(1, abs(decayed)), "\(type) as of \(asOf), half-life \(halfLifeDays) d: \(got) vs \(decayed)")
        }
    }

    /// Sentences at irregular instants over 40 days before 2026-02-08, some exactly at midnight UTC, of every speaker type.
    static let spreadSentences: [(knowable: Double, score: Double, type: SpeakerType)] = (0..<400).map { index in
        let midnight = 1_770_508_800.0
        let offset = index % 25 == 0 ? Double(index / 25) * 86_400 : Double((index * 7_919) % 3_456_000) + Double(index % 7) * 0.37
        let types: [SpeakerType] = [.institutional, .analyst, .media, .retail, .miner, .unknown, .media]
        return (midnight - offset, Double((index * 37) % 41 - 20) / 20, types[index % types.count])
    }

    static func documents(_ sentences: ArraySlice<(knowable: Double, score: Double, type: SpeakerType)>) -> IngestBatch {
        var batch = IngestBatch()
        for (index, sentence) in zip(sentences.indices, sentences) {
            let at = Date(timeIntervalSince1970: sentence.knowable)
            // Fetched at the instant itself: a stamp at exactly midnight would otherwise read as date-only (end of its day).
            batch.documents.append(NewDocument(dedupKey: "s\(index)", url: nil, title: nil, author: nil, published: at, fetched: at, text: "t",
                                               sentiment: sentence.score, relevant: true, speakerType: .media,
                                               sentences: [NewSentence(text: "s\(index)", score: sentence.score, relevant: true, speakerType: sentence.type)]))
        }
        return batch
    }

    @Test("the news sum read from per-day moments equals the sentence-by-sentence definition at day edges, for any half-life, and after a prune",
          arguments: StoreBackendKind.available, [1.0, 7.0, 30.0, 0.25])
    func dayMomentsMatchDefinition(_ backend: StoreBackendKind, halfLifeDays: Double) throws {
        let temporary = try TemporaryStore(backend)
        let store = temporary.store
        try store.syncConfiguredSources([SourceDefinition(location: "https://x.example/feed", name: "X", kind: .news, publisherType: .media, intervalSeconds: 3600)])
        let sourceID = try #require(try store.sources().first?.id)
        let sentences = Self.spreadSentences
        try store.commit(Self.documents(sentences[..<200]), sourceID: sourceID, fetchState: nil)
        try store.commit(Self.documents(sentences[200...]), sourceID: sourceID, fetchState: nil)  // adds to rows the first batch created
        let midnight = 1_770_508_800.0
        for asOf in [midnight, midnight - 1, midnight - 43_210.5, midnight - 9 * 86_400 + 1] {
            for maxAge in [56.0 * 86_400, 10.5 * 86_400, 86_400, 3_600] {
                try Self.expectSums(store, sentences, asOf: asOf, maxAge: maxAge, halfLifeDays: halfLifeDays)
            }
        }
        let cutoff = midnight - 20.4 * 86_400
        try store.prune(olderThan: Date(timeIntervalSince1970: cutoff))
        let kept = sentences.filter { $0.knowable >= cutoff }
        #expect(kept.count < sentences.count && kept.count > 100)
        for asOf in [midnight, midnight - 43_210.5] {
            try Self.expectSums(store, kept, asOf: asOf, maxAge: 56 * 86_400, halfLifeDays: halfLifeDays)
        }
    }

    @Test("a store from before the per-day moments gets them filled from its sentences when it is opened")
    func migrationFillsDayMoments() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("divergence-store-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("old.sqlite").path
        let sentences = Self.spreadSentences
        do {
            let queue = try DatabaseQueue(path: path)
            try StoreSchema.migrator.migrate(queue, upTo: "v4-knowable-on-sentences-and-claims")
            try queue.write { db in
                try db.execute(sql: "INSERT INTO source (id, location, name, kind, publisher_type, interval_seconds, origin, added_at) VALUES (1, 'x', 'x', 'news', 'media', 3600, 'config', 0)")
                for (index, sentence) in sentences.enumerated() {
                    try db.execute(sql: "INSERT INTO document (id, source_id, dedup_key, fetched, knowable, text, relevant, speaker_type) VALUES (?, 1, ?, ?, ?, 't', 1, 'media')",
                                   arguments: [index + 1, "k\(index)", sentence.knowable, sentence.knowable])
                    try db.execute(sql: "INSERT INTO sentence (document_id, position, text, score, relevant, speaker_type, knowable) VALUES (?, 0, 's', ?, 1, ?, ?)",
                                   arguments: [index + 1, sentence.score, sentence.type.rawValue, sentence.knowable])
                }
            }
        }
        let store = try Store(path: path)
        #expect(try store.appliedMigrations().contains("v5-sentence-day-moments"))
        try Self.expectSums(store, sentences, asOf: 1_770_508_800 - 43_210.5, maxAge: 56 * 86_400, halfLifeDays: 7)
    }
}
