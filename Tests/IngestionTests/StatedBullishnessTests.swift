import Foundation
import Logging
import LoopbackHTTP
import Scoring
import Sentiment
import Settings
@testable import Storage
import StoreTestSupport
import Surveys
import Testing
@testable import Ingestion

@Suite("What B means, from ingested text", .serialized)
struct StatedBullishnessTests {
    let now = Date(timeIntervalSince1970: 1_770_552_000)  // 2026-02-08T12:00Z


    /// B as the report computes it: surveys, and the store's claim and news sums, as of `asOf`.
    func bullishness(_ store: Store, asOf: Date, parameters: BullishnessParameters = BullishnessParameters()) throws -> BullishnessScore {
        let maxAge = parameters.maxAgeDays * 86_400
        return BullishnessIndex.compute(surveys: try store.surveyObservations(asOf: asOf),
                                        claims: try store.claimAggregate(asOf: asOf, maxAge: maxAge, parameters: parameters),
                                        news: try store.newsAggregate(asOf: asOf, maxAge: min(maxAge, parameters.newsHalfLifeDays * 8 * 86_400), parameters: parameters),
                                        asOf: asOf, parameters: parameters)
    }

    @Test("the seed case: institutions' bullish view raises B's news and claims components; the analysts' bearish call is the line beside B", arguments: StoreBackendKind.available)
    func seedCase(_ backend: StoreBackendKind) throws {
        let store = try backend.freshStore()
        let text = "While 70% of institutions surveyed still believe Bitcoin is undervalued, a chorus of analysts now labels the regime bearish. "
            + "About 70% of institutional investors surveyed believe Bitcoin is undervalued at current prices."
        var batch = IngestBatch()
        batch.documents = [TextScoring.document(dedupKey: "seed", url: "https://note.example/seed", title: nil, author: nil, published: now.addingTimeInterval(-3_600),
                                                fetched: now, text: text, publisherType: .media, scorer: SentimentScorer())]
        try store.syncConfiguredSources([SourceDefinition(location: "https://note.example/feed", name: "Note", kind: .news, publisherType: .media, intervalSeconds: 3600)])
        try store.commit(batch, sourceID: try #require(try store.sources().first?.id), fetchState: nil)
        let b = try bullishness(store, asOf: now)
        let news = try #require(b.components.first { $0.id == "news" }, "the institutions' clause is an institutional unit")
        let claims = try #require(b.components.first { $0.id == "claims" })
        #expect(news.value > 0)
        #expect(claims.value > 0)
        // Both sentences state the same finding (institutions, undervalued, 70%): one claim. 0.70 × decay(1 h, 30 d) → ≈ +69.98.
        #expect(claims.evidence.count == 1)
        #expect(abs(claims.value - 70 * pow(0.5, 1.0 / 24 / 30)) < 1e-9)
        let analysts = try #require(b.voices.first { $0.speakerType == .analyst })
        #expect(analysts.score < 0)
        #expect((b.score ?? 0) > 0)
    }

    @Test("a sentence repeated within a document (the headline restated as the summary) counts once")
    func repeatedSentence() {
        let once = TextScoring.document(dedupKey: "a", url: nil, title: nil, author: nil, published: now, fetched: now,
                                        text: "Pension funds keep buying Bitcoin.", publisherType: .media, scorer: SentimentScorer())
        let twice = TextScoring.document(dedupKey: "b", url: nil, title: nil, author: nil, published: now, fetched: now,
                                         text: "Pension funds keep buying Bitcoin. Pension funds keep buying bitcoin!", publisherType: .media, scorer: SentimentScorer())
        #expect(twice.sentences == once.sentences)
        #expect(!once.sentences.isEmpty)
    }

    @Test("point-in-time on the demo: for every day and every component of B, nothing knowable after the as-of instant contributes", arguments: StoreBackendKind.available)
    func demoPointInTime(_ backend: StoreBackendKind) async throws {
        let store = try backend.freshStore()
        let config = try ConfigLoader.load(path: BuiltBinary.packageRoot.appendingPathComponent("feeds/demo/divergence.toml").path)
        let results = try await Ingestor(config: config, store: store, logger: Logger(label: "test")).ingestAll(now: now)
        #expect(results.allSatisfy { if case .stored = $0.outcome { true } else { false } }, "\(results.map(\.summaryLine))")
        let parameters = config.bullishness
        let everything = Date(timeIntervalSince1970: 4_000_000_000)
        let allSurveys = try store.surveyObservations()
        let allClaims = try store.claims(asOf: everything, maxAge: 100 * 365 * 86_400)
        let allUnits = try store.relevantSentences(asOf: everything, maxAge: 100 * 365 * 86_400)
        #expect(!allClaims.isEmpty && !allUnits.isEmpty && !allSurveys.isEmpty)
        var day = Date(timeIntervalSince1970: 1_767_916_800)  // 2026-01-09T00:00Z, before any demo document
        var daysWithB = 0
        while day <= now {
            // The store's answer as of `day` against one computed from only what was knowable by then.
            let stored = try bullishness(store, asOf: day, parameters: parameters)
            let knowable = BullishnessIndex.compute(surveys: allSurveys.filter { $0.knowable <= day }, claims: allClaims.filter { $0.published <= day },
                                                    sentences: allUnits.filter { $0.published <= day }, asOf: day, parameters: parameters)
            #expect(stored.score == nil && knowable.score == nil || abs((stored.score ?? .nan) - (knowable.score ?? .nan)) < 1e-9, "B as of \(day)")
            #expect(stored.components.map(\.id) == knowable.components.map(\.id), "components as of \(day)")
            for (a, b) in zip(stored.components, knowable.components) { #expect(abs(a.value - b.value) < 1e-9, "\(a.id) as of \(day)") }
            #expect(stored.voices.map(\.speakerType) == knowable.voices.map(\.speakerType), "voices as of \(day)")
            for component in stored.components {
                for evidence in component.evidence { #expect((evidence.date ?? day) <= day, "\(component.id) evidence \(evidence.reference) after \(day)") }
            }
            for voice in stored.voices {
                for evidence in voice.evidence { #expect((evidence.date ?? day) <= day, "\(voice.speakerType) evidence after \(day)") }
            }
            if stored.score != nil { daysWithB += 1 }
            day = day.addingTimeInterval(86_400)
        }
        #expect(daysWithB >= 10)
        // The survey file says "published": "2026-01-27" (date-only): not in the history point of 2026-01-26 (as of
        // 2026-01-27T00:00Z), in that of 2026-01-27 (as of 2026-01-28T00:00Z).
        #expect(try bullishness(store, asOf: Date(timeIntervalSince1970: 1_769_472_000), parameters: parameters).components.contains { $0.id == "surveys" } == false)
        #expect(try bullishness(store, asOf: Date(timeIntervalSince1970: 1_769_558_400), parameters: parameters).components.contains { $0.id == "surveys" })
    }
}
