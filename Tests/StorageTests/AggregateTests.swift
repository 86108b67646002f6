import Foundation
import Scoring
import Sentiment
import Testing
@testable import Storage

@Suite("Store-side sums for the bullishness index")
struct AggregateTests {
    @Test("the SQL sums of sentences and claims equal the in-memory ones, so B is the same either way")
    func sqlMatchesMemory() throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        try store.syncConfiguredSources([SourceDefinition(location: "https://x.example/feed", name: "X", kind: .news, publisherType: .media, intervalSeconds: 3600)])
        let sourceID = try #require(try store.sources().first?.id)
        let asOf = Date(timeIntervalSince1970: 1_770_508_800)  // 2026-02-08T00:00Z
        let speakers = ["institutional", "analyst", "media", "retail", "miner", "o'brien"]
        var batch = IngestBatch()
        for index in 0..<120 {
            // Spread over 80 days before the as-of instant, a few after it (which must not count).
            let published = asOf.addingTimeInterval(Double(75 - index) * 0.7 * 86_400 - 3_600)
            let score = Double((index * 37) % 21 - 10) / 10
            let claims = index % 3 == 0 ? [Claim(population: ["institutions", "fund_managers", "retail"][index % 3 == 0 ? (index / 3) % 3 : 0],
                                                     share: Double(index % 100) / 100, proposition: "undervalued", stance: index % 2 == 0 ? 1 : -1,
                                                     sampleSize: nil, hedged: index % 4 == 0, quote: "q\(index)")] : []
            batch.documents.append(NewDocument(dedupKey: "d\(index)", url: "https://x.example/\(index)", title: nil, author: nil, published: published,
                                               fetched: published, text: "t", sentiment: score, relevant: true, speakerType: "media",
                                               sentences: [NewSentence(text: "s\(index)", score: score, relevant: index % 5 != 0, speakerType: speakers[index % speakers.count])],
                                               claims: claims))
        }
        try store.commit(batch, sourceID: sourceID, fetchState: nil)

        let parameters = BullishnessParameters()
        let newsAge = 56.0 * 86_400, claimAge = 365.0 * 86_400
        let sqlNews = try store.newsAggregate(asOf: asOf, maxAge: newsAge, parameters: parameters)
        let memoryNews = NewsAggregate(try store.relevantSentences(asOf: asOf, maxAge: newsAge), asOf: asOf, parameters: parameters)
        #expect(sqlNews.count == memoryNews.count && sqlNews.count > 25)
        for (speaker, sums) in memoryNews.bySpeaker {
            #expect(sqlNews.bySpeaker[speaker]?.count == sums.count)
            #expect(abs((sqlNews.bySpeaker[speaker]?.decayedScore ?? .nan) - sums.decayedScore) < 1e-9)
        }
        #expect(sqlNews.strongest.map(\.text) == memoryNews.strongest.map(\.text))

        let sqlClaims = try store.claimAggregate(asOf: asOf, maxAge: claimAge, parameters: parameters)
        let memoryClaims = ClaimAggregate(try store.claims(asOf: asOf, maxAge: claimAge), asOf: asOf, parameters: parameters)
        #expect(sqlClaims.count == memoryClaims.count && sqlClaims.count > 5)
        #expect(abs(sqlClaims.weightedValue - memoryClaims.weightedValue) < 1e-9)
        #expect(sqlClaims.weight == memoryClaims.weight)
        #expect(sqlClaims.recent.map(\.claim.quote) == memoryClaims.recent.map(\.claim.quote))

        let viaSQL = BullishnessIndex.compute(surveys: [], claims: sqlClaims, news: sqlNews, asOf: asOf, parameters: parameters)
        let inMemory = BullishnessIndex.compute(surveys: [], claims: try store.claims(asOf: asOf, maxAge: claimAge),
                                                sentences: try store.relevantSentences(asOf: asOf, maxAge: newsAge), asOf: asOf, parameters: parameters)
        #expect(abs((viaSQL.score ?? .nan) - (inMemory.score ?? .nan)) < 1e-9)
    }
}
