import Foundation
import Sentiment
import Surveys
import Testing
@testable import Scoring

@Suite("Institutional-bullishness index")
struct BullishnessIndexTests {
    let published = Date(timeIntervalSince1970: 1_769_472_000)  // 2026-01-27, a date-only stamp (00:00Z)
    /// The end of the publication day, when a date-only survey becomes knowable: 2026-01-28T00:00Z.
    var asOf: Date { published.addingTimeInterval(86_400) }

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
        // Both are date-only, so ages run from the end of their publication days; `now` is the end of A's.
        let now = asOf
        let rows = [
            observation(.institutional, .bullish, 0.7, n: 100, survey: "A"), observation(.institutional, .bearish, 0.1, n: 100, survey: "A"),
            observation(.fundManagers, .bullish, 0.3, n: 100, survey: "B", published: published.addingTimeInterval(-90 * 86_400)),
            observation(.fundManagers, .bearish, 0.5, n: 100, survey: "B", published: published.addingTimeInterval(-90 * 86_400)),
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
        let claim = DatedClaim(claim: Claim(population: .institutions, share: 0.7, proposition: .undervalued, stance: 1, sampleSize: nil, hedged: false, quote: "q"),
                               documentID: 1, url: nil, published: asOf.addingTimeInterval(60))
        let score = BullishnessIndex.compute(surveys: rows, claims: [claim], sentences: [], asOf: asOf, parameters: BullishnessParameters())
        #expect(score.score == nil)
        #expect(score.components.isEmpty)
    }

    @Test("components combine by their weights renormalised over those with data")
    func combination() throws {
        // Survey +40 (weight 0.5) and claims: 0.7 × +1 = +70 (weight 0.3); B = (0.5×40 + 0.3×70) / 0.8 = 41 / 0.8 = 51.25.
        let rows = [observation(.institutional, .bullish, 0.6), observation(.institutional, .bearish, 0.2)]
        let claim = DatedClaim(claim: Claim(population: .institutionalInvestors, share: 0.7, proposition: .undervalued, stance: 1, sampleSize: 75, hedged: false, quote: "70% …"),
                               documentID: 7, url: "https://x.example/a", published: asOf)
        let score = BullishnessIndex.compute(surveys: rows, claims: [claim], sentences: [], asOf: asOf, parameters: BullishnessParameters())
        #expect(abs((score.score ?? 0) - 51.25) < 1e-9)
        let contributions = score.components.map(\.contribution)
        #expect(abs(contributions.reduce(0, +) - 51.25) < 1e-9)
    }

    @Test("the news component holds institutional investors' views only; analysts, media, retail and miners are scored beside B")
    func speakerWeights() throws {
        // institutional +0.8 and +0.4, media −0.8, analyst −0.6 and −0.2, all at the as-of instant (decay 1).
        // News (institutional only, default weights): (0.8 + 0.4) / 2 = 0.6 → +60; B = +60 (the only component).
        // Beside B: analyst (−0.6 − 0.2) / 2 → −40; media −0.8 → −80.
        let sentences = [
            DatedSentence(text: "We are adding to Bitcoin.", score: 0.8, speakerType: .institutional, holder: "Fidelity", documentID: 1, url: nil, published: asOf),
            DatedSentence(text: "Pension funds keep their allocation.", score: 0.4, speakerType: .institutional, documentID: 1, url: nil, published: asOf),
            DatedSentence(text: "Bitcoin crashes.", score: -0.8, speakerType: .media, documentID: 2, url: nil, published: asOf),
            DatedSentence(text: "analysts label the regime bearish", score: -0.6, speakerType: .analyst, holder: "analysts", documentID: 3, url: nil, published: asOf),
            DatedSentence(text: "strategists see more downside", score: -0.2, speakerType: .analyst, documentID: 3, url: nil, published: asOf),
        ]
        let score = BullishnessIndex.compute(surveys: [], claims: [], sentences: sentences, asOf: asOf, parameters: BullishnessParameters())
        #expect(abs((score.score ?? 0) - 60) < 1e-9)
        let news = try #require(score.components.first { $0.id == "news" })
        #expect(news.evidence.map(\.text) == ["[institutional: Fidelity] We are adding to Bitcoin.", "[institutional] Pension funds keep their allocation."])
        #expect(score.voices.map(\.speakerType) == [.analyst, .media])
        #expect(abs(score.voices[0].score - (-40)) < 1e-9 && score.voices[0].count == 2)
        #expect(abs(score.voices[1].score - (-80)) < 1e-9)
        #expect(score.voices[0].evidence.first?.text == "[analyst: analysts] analysts label the regime bearish")

        // Configured back in, analysts weigh inside B and leave the lines beside it:
        // (1 × 1.2 + 0.5 × (−0.8)) / (1 × 2 + 0.5 × 2) = 0.8 / 3 → +26.67.
        var parameters = BullishnessParameters()
        parameters.speakerWeights[.analyst] = 0.5
        let mixed = BullishnessIndex.compute(surveys: [], claims: [], sentences: sentences, asOf: asOf, parameters: parameters)
        #expect(abs((mixed.score ?? 0) - 80.0 / 3) < 1e-9)
        #expect(mixed.voices.map(\.speakerType) == [.media])
    }

    @Test("a date-only survey is knowable at the end of its day, not at its midnight")
    func dateOnlySurvey() {
        // Published "2026-01-27" (00:00Z): the as-of instant 2026-01-27T23:59:59Z does not see it; 2026-01-28T00:00Z does.
        let rows = [observation(.institutional, .bullish, 0.6), observation(.institutional, .bearish, 0.2)]
        let parameters = BullishnessParameters()
        #expect(BullishnessIndex.compute(surveys: rows, claims: [], sentences: [], asOf: asOf.addingTimeInterval(-1), parameters: parameters).score == nil)
        #expect(abs((BullishnessIndex.compute(surveys: rows, claims: [], sentences: [], asOf: asOf, parameters: parameters).score ?? 0) - 40) < 1e-9)
        // A stamp with a time of day is knowable at that instant.
        let timed = Date(timeIntervalSince1970: 1_769_472_000 + 9 * 3_600)
        #expect(PointInTime.knowable(published: timed) == timed)
        #expect(PointInTime.knowable(published: published) == asOf)
    }

    @Test("a claim restating a stored survey links to it as evidence and adds no weight")
    func claimRestatingSurvey() throws {
        // Survey (institutional, n=75): undervalued 0.71, overvalued 0.12 → net 0.59 → +59, knowable 2026-01-28T00:00Z.
        let rows = [observation(.institutional, .undervalued, 0.71), observation(.institutional, .overvalued, 0.12)]
        func claim(_ population: ClaimPopulation, _ share: Double, _ proposition: ClaimProposition = .undervalued, days: Double = 7) -> DatedClaim {
            DatedClaim(claim: Claim(population: population, share: share, proposition: proposition, stance: 1, sampleSize: nil, hedged: false, quote: "\(share)"),
                       documentID: 1, url: "https://news.example/\(share)", published: published.addingTimeInterval(days * 86_400))
        }
        let asOfLater = published.addingTimeInterval(10 * 86_400)
        // 0.70 vs 0.71 (within 0.02), same population and proposition, 7 days after publication: restated.
        // 0.50: a different finding, counts. 0.70 dated 20 days after publication (outside ±14 days, no field window): counts.
        let claims = [claim(.institutionalInvestors, 0.70), claim(.institutions, 0.50), claim(.institutions, 0.70, days: 9.5)]
        let within = BullishnessIndex.compute(surveys: rows, claims: claims, sentences: [], asOf: asOfLater, parameters: BullishnessParameters())
        let claimComponent = try #require(within.components.first { $0.id == "claims" })
        #expect(claimComponent.evidence.map(\.text).allSatisfy { !$0.contains("0.7”") })
        // Claim value by hand: restated 0.70 (7 d) out; 0.50 and the 9.5-day 0.70 are inside ±14 days too, so only 0.50 counts:
        // the second 0.70 also restates (|0.70 − 0.71| ≤ 0.02, 9.5 days after publication).
        let aggregate = ClaimAggregate(claims, surveys: rows, asOf: asOfLater, parameters: BullishnessParameters())
        #expect(aggregate.count == 1 && aggregate.restated.count == 2)
        #expect(abs(claimComponent.value - 100 * 0.5 * pow(0.5, 3.0 / 30)) < 1e-9, "0.50 × decay of 3 days at a 30-day half-life")
        let survey = try #require(within.components.first { $0.id == "surveys" })
        #expect(survey.evidence.filter { $0.kind == "claim" && $0.weight == 0 }.count == 2)
        // Twenty days after publication the same share is news of something else: it counts.
        let late = ClaimAggregate([claim(.institutions, 0.70, days: 20)], surveys: rows, asOf: published.addingTimeInterval(21 * 86_400), parameters: BullishnessParameters())
        #expect(late.count == 1 && late.restated.isEmpty)
        // Before the survey is knowable, the claim is the only evidence of it and counts.
        let early = ClaimAggregate([claim(.institutions, 0.70, days: 0.5)], surveys: rows, asOf: published.addingTimeInterval(0.75 * 86_400), parameters: BullishnessParameters())
        #expect(early.count == 1 && early.restated.isEmpty)
    }

    @Test("hedged and conditional claims count half")
    func conditionalClaims() {
        // +0.6 (plain, weight 1) and −0.8 conditional ("would cut … if prices fell", weight ½), both at asOf:
        // (0.6 − 0.5 × 0.8) / 1.5 = 0.2 / 1.5 → +13.33.
        let plain = DatedClaim(claim: Claim(population: .institutions, share: 0.6, proposition: .undervalued, stance: 1, sampleSize: nil, hedged: false, quote: "a"),
                               documentID: 1, url: nil, published: asOf)
        let conditional = DatedClaim(claim: Claim(population: .institutions, share: 0.8, proposition: .decreaseAllocation, stance: -1, sampleSize: nil, hedged: false,
                                                  quote: "b", conditional: true), documentID: 2, url: nil, published: asOf)
        let score = BullishnessIndex.compute(surveys: [], claims: [plain, conditional], sentences: [], asOf: asOf, parameters: BullishnessParameters())
        #expect(abs((score.score ?? 0) - 20.0 / 1.5) < 1e-9)
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
