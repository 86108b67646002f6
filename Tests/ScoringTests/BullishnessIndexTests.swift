import Foundation
import Sentiment
import Surveys
import Testing
@testable import Scoring

@Suite("Institutional-bullishness index")
struct BullishnessIndexTests {
    let published = Date(timeIntervalSince1970: 1_769_472_000)  // 2026-01-27T00:00Z
    var asOf: Date { published }

    func observation(_ population: SurveyPopulation, _ metric: SurveyMetric, _ share: Double, n: Int? = 75, survey: String = "Pulse", published: Date? = nil) -> SurveyObservation {
        SurveyObservation(survey: survey, publisher: "North", population: population, metric: metric, share: share, sampleSize: n, published: published ?? self.published)
    }

    @Test("survey component averages each question's net share (bullish minus bearish)")
    func surveyComponent() throws {
        // By hand: valuation 0.71 − 0.12 = 0.59; market phase 0.41 − 0.26 = 0.15; allocation 0.44 − 0.14 = 0.30;
        // mean (0.59 + 0.15 + 0.30) / 3 = 0.346667 → 34.67. The non-institutional population is not in B.
        let rows = [
            observation(.institutional, .undervalued, 0.71), observation(.institutional, .fairlyValued, 0.17), observation(.institutional, .overvalued, 0.12),
            observation(.institutional, .bullMarket, 0.41), observation(.institutional, .bearMarket, 0.26),
            observation(.institutional, .increaseAllocation, 0.44), observation(.institutional, .maintainAllocation, 0.42), observation(.institutional, .decreaseAllocation, 0.14),
            observation(.nonInstitutional, .overvalued, 0.9, n: 73),
        ]
        let score = BullishnessIndex.compute(surveys: rows, claims: [], sentences: [], asOf: asOf, parameters: BullishnessParameters())
        let component = try #require(score.components.first)
        #expect(score.components.count == 1)
        #expect(abs(component.value - 34.6667) < 0.001)
        #expect(abs((score.score ?? 0) - 34.6667) < 0.001, "a lone component carries all the weight")
        #expect(component.evidence.count == 1)
        #expect(component.evidence[0].reference == "Pulse — institutional, n=75")
    }

    @Test("surveys are weighted by sample size and fade to neutral with age")
    func sampleSizeAndDecay() throws {
        // Survey A: net +0.6, n=100, published at asOf (decay 1). Survey B: net −0.2, n=100, published 90 days
        // earlier (one half-life, decay 0.5). (100 × 1 × 0.6 + 100 × 0.5 × −0.2) / (100 + 100) = 50 / 200 = 0.25 → 25.
        let now = asOf
        let rows = [
            observation(.institutional, .bullish, 0.7, n: 100, survey: "A", published: now), observation(.institutional, .bearish, 0.1, n: 100, survey: "A", published: now),
            observation(.fundManagers, .bullish, 0.3, n: 100, survey: "B", published: now.addingTimeInterval(-90 * 86_400)),
            observation(.fundManagers, .bearish, 0.5, n: 100, survey: "B", published: now.addingTimeInterval(-90 * 86_400)),
        ]
        let score = BullishnessIndex.compute(surveys: rows, claims: [], sentences: [], asOf: now, parameters: BullishnessParameters())
        #expect(abs((score.score ?? 0) - 25) < 1e-9)
        // The same survey seen 180 days later (two half-lives) counts a quarter: A alone at +0.6 → +15.
        let later = BullishnessIndex.compute(surveys: Array(rows.prefix(2)), claims: [], sentences: [], asOf: now.addingTimeInterval(180 * 86_400), parameters: BullishnessParameters())
        #expect(abs((later.score ?? 0) - 15) < 1e-9)
    }

    @Test("nothing published after the as-of instant counts (point-in-time)")
    func pointInTime() {
        let rows = [observation(.institutional, .bullish, 0.9, published: asOf.addingTimeInterval(1))]
        let claim = DatedClaim(claim: Claim(population: "institutions", share: 0.7, proposition: "undervalued", stance: 1, sampleSize: nil, hedged: false, quote: "q"),
                               documentID: 1, url: nil, published: asOf.addingTimeInterval(60))
        let score = BullishnessIndex.compute(surveys: rows, claims: [claim], sentences: [], asOf: asOf, parameters: BullishnessParameters())
        #expect(score.score == nil)
        #expect(score.components.isEmpty)
    }

    @Test("components combine by their weights renormalised over those with data")
    func combination() throws {
        // Survey +40 (weight 0.5) and claims: 0.7 × +1 = +70 (weight 0.3); B = (0.5×40 + 0.3×70) / 0.8 = 41 / 0.8 = 51.25.
        let rows = [observation(.institutional, .bullish, 0.6), observation(.institutional, .bearish, 0.2)]
        let claim = DatedClaim(claim: Claim(population: "institutional_investors", share: 0.7, proposition: "undervalued", stance: 1, sampleSize: 75, hedged: false, quote: "70% …"),
                               documentID: 7, url: "https://x.example/a", published: asOf)
        let score = BullishnessIndex.compute(surveys: rows, claims: [claim], sentences: [], asOf: asOf, parameters: BullishnessParameters())
        #expect(abs((score.score ?? 0) - 51.25) < 1e-9)
        let contributions = score.components.map(\.contribution)
        #expect(abs(contributions.reduce(0, +) - 51.25) < 1e-9)
    }

    @Test("news sentences count by speaker type: an institution outweighs a headline writer")
    func speakerWeights() throws {
        // institutional +0.8 (weight 1.0) and media −0.8 (weight 0.3), same age: (0.8 − 0.24) / 1.3 = 0.430769 → 43.08.
        let sentences = [
            DatedSentence(text: "We are adding to Bitcoin.", score: 0.8, speakerType: "institutional", documentID: 1, url: nil, published: asOf),
            DatedSentence(text: "Bitcoin crashes.", score: -0.8, speakerType: "media", documentID: 2, url: nil, published: asOf),
        ]
        let score = BullishnessIndex.compute(surveys: [], claims: [], sentences: sentences, asOf: asOf, parameters: BullishnessParameters())
        #expect(abs((score.score ?? 0) - 43.0769) < 0.001)
    }

    @Test("retail surveys are reported beside the index, not inside it")
    func retailBeside() {
        let rows = [observation(.retail, .bullish, 0.25, n: nil, survey: "AAII"), observation(.retail, .bearish, 0.46, n: nil, survey: "AAII")]
        let score = BullishnessIndex.compute(surveys: rows, claims: [], sentences: [], asOf: asOf, parameters: BullishnessParameters())
        #expect(score.score == nil)
        #expect(score.retail.count == 1)
        #expect(abs(score.retail[0].netBullish - (-0.21)) < 1e-9)
    }
}

@Suite("Divergence")
struct DivergenceScoreTests {
    @Test("D = (B − R) / 2 with its label", arguments: [
        (50.0, -76.0, 63.0, DivergenceLabel.extreme), (10, 0, 5, .aligned), (20, -20, 20, .mild), (-30, 40, -35, .strong), (30, 30, 0, .aligned),
    ])
    func definition(_ b: Double, _ r: Double, _ d: Double, _ label: DivergenceLabel) {
        let score = DivergenceScore(bullishness: b, regime: r, thresholds: DivergenceThresholds())
        #expect(score.value == d)
        #expect(score.label == label)
    }

    @Test("percentile counts values below and half the ties")
    func percentile() {
        // History [10, 20, 30, 30]: value 30 → (2 below + 2 ties / 2) / 4 = 75.
        #expect(DivergenceScore.percentile(of: 30, in: [10, 20, 30, 30]) == 75)
        #expect(DivergenceScore.percentile(of: 5, in: [10, 20]) == 0)
        #expect(DivergenceScore.percentile(of: 25, in: [10, 20]) == 100)
    }

    @Test("half-life decay halves the weight after one half-life")
    func decay() {
        #expect(halfLifeDecay(age: 0, halfLifeDays: 7) == 1)
        #expect(abs(halfLifeDecay(age: 7 * 86_400, halfLifeDays: 7) - 0.5) < 1e-12)
        #expect(abs(halfLifeDecay(age: 14 * 86_400, halfLifeDays: 7) - 0.25) < 1e-12)
    }
}
