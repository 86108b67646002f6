import Foundation
@testable import Market
import Sentiment
import Surveys
import Testing
@testable import Scoring

@Suite("Freshness of B's components, D and alerts")
struct ComponentFreshnessTests {
    let published = Date(timeIntervalSince1970: 1_769_472_000)  // 2026-01-27T00:00Z
    let day: TimeInterval = 86_400

    func sentence(_ score: Double, at date: Date) -> DatedSentence {
        DatedSentence(text: "Institutions keep buying bitcoin.", score: score, speakerType: .institutional, documentID: 1,
                      url: nil, published: date)
    }

    func claim(at date: Date) -> DatedClaim {
        DatedClaim(claim: Claim(population: .institutions, share: 0.7, proposition: .undervalued, stance: 1, sampleSize: nil,
                                hedged: false, quote: "70% of institutions call bitcoin undervalued"),
                   documentID: 2, url: nil, published: date)
    }

    func survey(at date: Date) -> [SurveyObservation] {
        [SurveyObservation(survey: "Pulse", publisher: "North", population: .institutional, metric: .bullish, share: 0.6,
                           sampleSize: 100, published: date),
         SurveyObservation(survey: "Pulse", publisher: "North", population: .institutional, metric: .bearish, share: 0.2,
                           sampleSize: 100, published: date)]
    }

    @Test("news older than its half-life is null with the reason; a day inside it still counts")
    func newsByHalfLife() throws {
        let parameters = BullishnessParameters()  // news half-life 7 days
        let fresh = BullishnessIndex.compute(surveys: [], claims: [], sentences: [sentence(0.5, at: published)],
                                             asOf: published.addingTimeInterval(7 * day), parameters: parameters)
        #expect(fresh.components.map(\.id) == ["news"])
        #expect(fresh.components.first?.dataDate == published)
        #expect(fresh.stale.isEmpty && fresh.staleShare == 0)
        let stale = BullishnessIndex.compute(surveys: [], claims: [], sentences: [sentence(0.5, at: published)],
                                             asOf: published.addingTimeInterval(7 * day + 1), parameters: parameters)
        #expect(stale.score == nil)
        #expect(stale.components.isEmpty)
        #expect(stale.stale == [StaleReading(id: "news", name: "Institutional views in the news", weight: 0.2, dataDay: UTCDay(iso: "2026-01-27"),
                                             reason: "stale: last news sentence 2026-01-27")])
        #expect(stale.staleShare == 1)
    }

    @Test("news past the aggregate's window leaves no component but is listed as stale, not silently absent")
    func newsPastTheWindow() {
        var news = NewsAggregate(bySpeaker: [:], strongest: [])
        news.newest = published
        // The survey, published the day before, is knowable since the end of its publication day.
        let score = BullishnessIndex.compute(surveys: survey(at: published.addingTimeInterval(99 * day)), claims: ClaimAggregate([], asOf: published, parameters: BullishnessParameters()),
                                             news: news, asOf: published.addingTimeInterval(100 * day), parameters: BullishnessParameters())
        #expect(score.components.map(\.id) == ["surveys"])
        #expect(score.stale.map(\.reason) == ["stale: last news sentence 2026-01-27"])
        // News weight 0.2 of surveys 0.5 + news 0.2.
        #expect(abs(score.staleShare - 0.2 / 0.7) < 1e-12)
    }

    @Test("claims go stale after their half-life, leaving B to the fresh components with the stale share stated")
    func claimsByHalfLife() throws {
        // Claims 31 days old (half-life 30) are stale; the survey published a day earlier is fresh (published once:
        // limit = maximum age 365 days). Stale share = claim weight 0.3 / (0.5 + 0.3) = 0.375.
        let asOf = published.addingTimeInterval(31 * day)
        let score = BullishnessIndex.compute(surveys: survey(at: asOf.addingTimeInterval(-day)), claims: [claim(at: published)],
                                             sentences: [], asOf: asOf, parameters: BullishnessParameters())
        #expect(score.components.map(\.id) == ["surveys"])
        #expect(score.stale.map(\.reason) == ["stale: last claim 2026-01-27"])
        #expect(abs(score.staleShare - 0.375) < 1e-12)
        // The survey alone: net 0.6 − 0.2 = 0.4; knowable at the end of its publication day, which is the as-of
        // instant, so decay 1 → 40.
        #expect(abs((score.score ?? 0) - 40) < 1e-9)
    }

    @Test("a survey goes stale by its own cadence: twice the median interval between its publications")
    func surveyCadence() {
        // Quarterly (every 90 days): the limit is 180 days after the latest edition.
        let editions = [0.0, 90, 180].flatMap { survey(at: published.addingTimeInterval($0 * day)) }
        let latest = published.addingTimeInterval(180 * day)
        let inside = BullishnessIndex.compute(surveys: editions, claims: [], sentences: [], asOf: latest.addingTimeInterval(170 * day),
                                              parameters: BullishnessParameters())
        #expect(inside.components.map(\.id) == ["surveys"])
        // Each edition is knowable at the end of its publication day: 182 days after publication is 181 after that.
        let past = BullishnessIndex.compute(surveys: editions, claims: [], sentences: [], asOf: latest.addingTimeInterval(182 * day),
                                            parameters: BullishnessParameters())
        #expect(past.components.isEmpty)
        #expect(past.stale.map(\.reason) == ["stale: last survey \(UTCDay(containing: latest).iso)"])
    }

    @Test("a regime with only stale signals gives no R and no D, and the verdict names the stale input")
    func staleRegimeVerdict() {
        let b = BullishnessIndex.compute(surveys: survey(at: published), claims: [], sentences: [], asOf: published,
                                         parameters: BullishnessParameters())
        let stale = StaleReading(id: "trend", name: "Trend", weight: 0.15, dataDay: UTCDay(iso: "2026-01-20"),
                                 reason: "stale: last candle 2026-01-20")
        let regime = RegimeAssessment(asOf: published, score: 0, label: "neutral", signals: [], notes: [], stale: [stale], staleShare: 1)
        let snapshot = ScoreSnapshot(asOf: published, bullishness: b, regime: regime, thresholds: DivergenceThresholds())
        #expect(snapshot.regime == nil)
        #expect(snapshot.divergence == nil)
        #expect(snapshot.freshness.regimeStale == [stale])
        #expect(snapshot.freshness.divergenceStaleShare == 0.5)
        #expect(snapshot.verdict == "No verdict: no fresh market data to score the technical regime (stale: last candle 2026-01-20).")
    }

    @Test("no alert rule has a value on a stale score or a stale signal, so none fires")
    func alertsIgnoreStaleScores() {
        // The survey is knowable at the end of its publication day: B = 40 from then on (decay 1 at that instant).
        let asOf = published.addingTimeInterval(day)
        let b = BullishnessIndex.compute(surveys: survey(at: published), claims: [], sentences: [], asOf: asOf,
                                         parameters: BullishnessParameters())
        let live = RegimeSignal(id: "momentum", name: "Momentum", value: nil, weight: 0.10, score: -1, contribution: -100, explanation: "")
        let staleRibbon = StaleReading(id: "hash_ribbon", name: "Hash ribbon", weight: 0.15, dataDay: nil, reason: "stale: last hashrate sample 2026-01-01")
        let partly = RegimeAssessment(asOf: published, score: -100, label: "capitulation", signals: [live], notes: [], stale: [staleRibbon], staleShare: 0.6)
        let snapshot = ScoreSnapshot(asOf: published, bullishness: b, regime: partly, thresholds: DivergenceThresholds())
        let above = AlertRule(name: "high", condition: .divergenceAbove(10), command: nil, webhook: nil)
        let ribbon = AlertRule(name: "ribbon", condition: .hashRibbonChange, command: nil, webhook: nil)
        // D = (40 − (−100)) / 2 = 70 is above 10, but 30% of its weight is stale: no value, so no crossing.
        #expect(snapshot.divergence?.value == 70)
        #expect(above.value(snapshot: snapshot, technicals: nil) == nil)
        #expect(!above.fires(previous: nil, current: above.value(snapshot: snapshot, technicals: nil)))
        #expect(ribbon.value(snapshot: snapshot, technicals: nil) == nil)
        let fresh = ScoreSnapshot(asOf: published, bullishness: b,
                                  regime: RegimeAssessment(asOf: published, score: -100, label: "capitulation", signals: [live], notes: []),
                                  thresholds: DivergenceThresholds())
        #expect(above.value(snapshot: fresh, technicals: nil) == "true")
    }
}

@Suite("Percentile of D")
struct DivergencePercentileTests {
    @Test("a percentile needs 20 earlier snapshots: over fewer it is null")
    func needsEnoughHistory() {
        // D = (40 − (−20)) / 2 = 30; over 20 earlier values 0…19 all are below → 100.
        let few = DivergenceScore(bullishness: 40, regime: -20, thresholds: DivergenceThresholds(), history: [10])
        #expect(few.value == 30 && few.percentile == nil)
        let enough = DivergenceScore(bullishness: 40, regime: -20, thresholds: DivergenceThresholds(), history: (0..<20).map(Double.init))
        #expect(enough.percentile == 100)
    }
}
