import Foundation
import Market
import Sentiment
import Surveys

/// Weights, half-lives and limits of the institutional-bullishness index; defaults documented in the README.
public struct BullishnessParameters: Sendable, Codable, Equatable {
    public var surveyWeight: Double = 0.5
    public var claimWeight: Double = 0.3
    public var newsWeight: Double = 0.2
    /// Days after which a survey, claim or news item counts half.
    public var surveyHalfLifeDays: Double = 90
    public var claimHalfLifeDays: Double = 30
    public var newsHalfLifeDays: Double = 7
    /// Surveys and claims older than this are ignored.
    public var maxAgeDays: Double = 365
    /// Sample size assumed when a survey does not state one.
    public var defaultSampleSize: Int = 100
    /// How much a sentence counts by who said it; an institution's stance outweighs a headline writer's.
    public var speakerWeights: [String: Double] = ["institutional": 1.0, "analyst": 0.8, "miner": 0.6, "media": 0.3, "retail": 0.2, "unknown": 0.3]

    public init() {}
}

/// A claim extracted from a stored document, with where and when it was published.
public struct DatedClaim: Sendable, Equatable {
    public var claim: Claim
    public var documentID: Int64
    public var url: String?
    public var published: Date

    public init(claim: Claim, documentID: Int64, url: String?, published: Date) {
        self.claim = claim
        self.documentID = documentID
        self.url = url
        self.published = published
    }
}

/// A scored, Bitcoin-relevant sentence from a stored document.
public struct DatedSentence: Sendable, Equatable {
    public var text: String
    /// −1…1.
    public var score: Double
    public var speakerType: String
    public var documentID: Int64
    public var url: String?
    public var published: Date

    public init(text: String, score: Double, speakerType: String, documentID: Int64, url: String?, published: Date) {
        self.text = text
        self.score = score
        self.speakerType = speakerType
        self.documentID = documentID
        self.url = url
        self.published = published
    }
}

/// The sums the news component needs over a window of sentences, per speaker type (computed by the store or in memory).
public struct NewsAggregate: Sendable, Equatable {
    /// Per speaker type: Σ decay × score and the number of sentences.
    public struct SpeakerSums: Sendable, Equatable {
        public var decayedScore: Double
        public var count: Int
        public init(decayedScore: Double, count: Int) {
            self.decayedScore = decayedScore
            self.count = count
        }
    }
    public var bySpeaker: [String: SpeakerSums]
    /// The sentences with the largest |score| × speaker weight × decay, strongest first (the evidence).
    public var strongest: [DatedSentence]
    /// When the newest relevant sentence became knowable (UTC), if known (the store also looks before the window).
    public var newest: Date? = nil

    public init(bySpeaker: [String: SpeakerSums], strongest: [DatedSentence]) {
        self.bySpeaker = bySpeaker
        self.strongest = strongest
    }

    /// Sums over sentences in memory, with the same decay the store applies in SQL.
    public init(_ sentences: [DatedSentence], asOf: Date, parameters: BullishnessParameters, evidence: Int = 6) {
        // Types without a configured weight weigh as `unknown`, so they share its bucket (as the store sums them).
        var sums: [String: SpeakerSums] = [:]
        for sentence in sentences {
            let decay = halfLifeDecay(age: asOf.timeIntervalSince(sentence.published), halfLifeDays: parameters.newsHalfLifeDays)
            let bucket = parameters.speakerWeights[sentence.speakerType] == nil ? "unknown" : sentence.speakerType
            sums[bucket, default: SpeakerSums(decayedScore: 0, count: 0)].decayedScore += decay * sentence.score
            sums[bucket, default: SpeakerSums(decayedScore: 0, count: 0)].count += 1
        }
        func strength(_ s: DatedSentence) -> Double {
            abs(s.score) * parameters.speakerWeight(s.speakerType) * halfLifeDecay(age: asOf.timeIntervalSince(s.published), halfLifeDays: parameters.newsHalfLifeDays)
        }
        // Evidence: the strongest of the last two half-lives (older sentences weigh at most a quarter), as the store ranks them.
        let recent = sentences.filter { asOf.timeIntervalSince($0.published) <= 2 * parameters.newsHalfLifeDays * 86_400 }
        let candidates = recent.isEmpty ? sentences : recent
        self.init(bySpeaker: sums, strongest: Array(candidates.sorted { (strength($0), $0.published) > (strength($1), $1.published) }.prefix(evidence)))
        newest = sentences.map(\.published).max()
    }

    public var count: Int { bySpeaker.values.reduce(0) { $0 + $1.count } }
}

/// The sums the claim component needs over a window of institutional claims (computed by the store or in memory).
public struct ClaimAggregate: Sendable, Equatable {
    /// Σ hedge × decay × share × stance.
    public var weightedValue: Double
    /// Σ hedge (1, or ½ for hedged claims).
    public var weight: Double
    public var count: Int
    /// The most recent claims, newest first (the evidence).
    public var recent: [DatedClaim]

    public init(weightedValue: Double, weight: Double, count: Int, recent: [DatedClaim]) {
        self.weightedValue = weightedValue
        self.weight = weight
        self.count = count
        self.recent = recent
    }

    /// Sums over claims in memory: institutional populations, non-zero stance, within the maximum age.
    public init(_ claims: [DatedClaim], asOf: Date, parameters: BullishnessParameters, evidence: Int = 10) {
        let relevant = claims.filter {
            BullishnessIndex.institutionalClaimPopulations.contains($0.claim.population) && $0.claim.stance != 0
                && $0.published <= asOf && asOf.timeIntervalSince($0.published) <= parameters.maxAgeDays * 86_400
        }
        var value = 0.0, weight = 0.0
        for item in relevant {
            let hedge = item.claim.hedged ? 0.5 : 1
            value += hedge * halfLifeDecay(age: asOf.timeIntervalSince(item.published), halfLifeDays: parameters.claimHalfLifeDays) * item.claim.share * Double(item.claim.stance)
            weight += hedge
        }
        self.init(weightedValue: value, weight: weight, count: relevant.count, recent: Array(relevant.sorted { $0.published > $1.published }.prefix(evidence)))
    }
}

extension BullishnessParameters {
    /// The weight of a speaker type, `unknown`'s for types not listed.
    public func speakerWeight(_ type: String) -> Double { speakerWeights[type] ?? speakerWeights["unknown"] ?? 0.3 }
}

/// A retail survey reading shown beside the index, not inside it (e.g. AAII).
public struct RetailReading: Sendable, Codable, Equatable {
    public var survey: String
    public var published: Date
    /// Share bullish minus share bearish, −1…1.
    public var netBullish: Double
}

/// The institutional-bullishness index B on −100…+100, with its components.
public struct BullishnessScore: Sendable, Codable, Equatable {
    public var asOf: Date
    /// −100…+100; nil when no component has data.
    public var score: Double?
    public var components: [ScoreComponent]
    public var retail: [RetailReading]
    /// Components left out because their newest input is older than its freshness limit, with the reason.
    public var stale: [StaleReading] = []
    /// Share (0–1) of the weight of the components with data that is stale.
    public var staleShare: Double = 0
}

/// Computes B from surveys, claims and news, point-in-time.
public enum BullishnessIndex {
    /// Populations in claims that count as institutional.
    public static let institutionalClaimPopulations: Set<String> = ["institutions", "institutional_investors", "institutional", "fund_managers"]

    /// B as of an instant: only inputs published at or before `asOf` count.
    public static func compute(surveys: [SurveyObservation], claims: [DatedClaim], sentences: [DatedSentence],
                               asOf: Date, parameters: BullishnessParameters) -> BullishnessScore {
        compute(surveys: surveys, claims: ClaimAggregate(claims, asOf: asOf, parameters: parameters),
                news: NewsAggregate(sentences.filter { $0.published <= asOf }, asOf: asOf, parameters: parameters), asOf: asOf, parameters: parameters)
    }

    /// B from surveys and the claim and news sums (as the store computes them for large windows).
    public static func compute(surveys: [SurveyObservation], claims: ClaimAggregate, news: NewsAggregate,
                               asOf: Date, parameters: BullishnessParameters) -> BullishnessScore {
        var components: [ScoreComponent] = []
        if let survey = surveyComponent(surveys.filter { $0.published <= asOf && $0.population.isInstitutional }, asOf: asOf, parameters: parameters) {
            components.append(survey)
        }
        if let claim = claimComponent(claims, asOf: asOf, parameters: parameters) { components.append(claim) }
        if let news = newsComponent(news, asOf: asOf, parameters: parameters) { components.append(news) }
        let judged = judgeFreshness(components, surveys: surveys, claims: claims, news: news, asOf: asOf, parameters: parameters)
        components = judged.live
        let score = components.isEmpty ? nil : combine(&components)
        return BullishnessScore(asOf: asOf, score: score, components: components, retail: retailReadings(surveys, asOf: asOf),
                                stale: judged.stale,
                                staleShare: StaleReading.share(stale: judged.stale, liveWeight: components.reduce(0) { $0 + $1.weight }))
    }

    /// Survey component: per survey × population × question, net = Σ share × stance (share bullish/undervalued
    /// minus share bearish/overvalued), averaged over questions. Populations are weighted by sample size, and each
    /// net share decays toward 0 with age: value = Σ n·decay·net / Σ n, so stale surveys fade to neutral.
    static func surveyComponent(_ observations: [SurveyObservation], asOf: Date, parameters: BullishnessParameters) -> ScoreComponent? {
        struct Group: Hashable { var survey: String; var population: SurveyPopulation; var published: Date }
        let recent = observations.filter { asOf.timeIntervalSince($0.published) <= parameters.maxAgeDays * 86_400 }
        let groups = Dictionary(grouping: recent) { Group(survey: $0.survey, population: $0.population, published: $0.published) }
        guard !groups.isEmpty else { return nil }

        var weightedSum = 0.0, totalWeight = 0.0
        var evidence: [Evidence] = []
        for (group, rows) in groups.sorted(by: { ($0.key.published, $0.key.survey, $0.key.population.rawValue) > ($1.key.published, $1.key.survey, $1.key.population.rawValue) }) {
            let byQuestion = Dictionary(grouping: rows, by: \.metric.question)
            // Summed in a fixed order so the same inputs give the same digits on every run.
            let nets = byQuestion.sorted { $0.key.rawValue < $1.key.rawValue }.map { _, answers in
                answers.sorted { $0.metric.rawValue < $1.metric.rawValue }.reduce(0) { $0 + $1.share * Double($1.metric.stance) }
            }
            let net = nets.reduce(0, +) / Double(nets.count)
            let sample = rows.compactMap(\.sampleSize).max() ?? parameters.defaultSampleSize
            let decay = halfLifeDecay(age: asOf.timeIntervalSince(group.published), halfLifeDays: parameters.surveyHalfLifeDays)
            weightedSum += Double(sample) * decay * net
            totalWeight += Double(sample)
            let shares = rows.sorted { $0.metric.rawValue < $1.metric.rawValue }
                .map { "\($0.metric.rawValue) \(percent($0.share))" }.joined(separator: ", ")
            evidence.append(Evidence(kind: "survey", reference: "\(group.survey) — \(group.population.rawValue), n=\(sample)",
                                     text: "\(shares); net \(String(format: "%+.0f", net * 100)) pts × decay \(String(format: "%.2f", decay))",
                                     value: net, weight: Double(sample) * decay, date: group.published))
        }
        guard totalWeight > 0 else { return nil }
        return ScoreComponent(id: "surveys", name: "Institutional surveys", weight: parameters.surveyWeight, value: 100 * weightedSum / totalWeight,
            explanation: "net share bullish/undervalued minus bearish/overvalued of \(groups.count) institutional survey population(s), weighted by sample size, fading to neutral with a \(Int(parameters.surveyHalfLifeDays))-day half-life",
            evidence: evidence)
    }

    /// Claim component: institutional survey-style claims in the news, share × stance fading to 0 with age;
    /// hedged claims count half: value = Σ h·decay·v / Σ h.
    static func claimComponent(_ claims: ClaimAggregate, asOf: Date, parameters: BullishnessParameters) -> ScoreComponent? {
        guard claims.count > 0, claims.weight > 0 else { return nil }
        let evidence = claims.recent.map { item in
            let value = item.claim.share * Double(item.claim.stance)
            let decay = halfLifeDecay(age: asOf.timeIntervalSince(item.published), halfLifeDays: parameters.claimHalfLifeDays)
            return Evidence(kind: "claim", reference: item.url ?? "document \(item.documentID)",
                text: "“\(item.claim.quote)” → \(percent(item.claim.share)) of \(item.claim.population) \(item.claim.proposition)",
                value: value, weight: (item.claim.hedged ? 0.5 : 1) * decay, date: item.published)
        }
        return ScoreComponent(id: "claims", name: "Survey claims in the news", weight: parameters.claimWeight, value: 100 * claims.weightedValue / claims.weight,
            explanation: "\(claims.count) institutional claim(s), share × stance, fading to neutral with a \(Int(parameters.claimHalfLifeDays))-day half-life",
            evidence: evidence)
    }

    static let newsComponentName = "News sentiment"

    /// News component: Bitcoin-relevant sentence scores weighted by speaker type, fading to 0 with age:
    /// value = Σ speaker·decay·score / Σ speaker.
    static func newsComponent(_ news: NewsAggregate, asOf: Date, parameters: BullishnessParameters) -> ScoreComponent? {
        var numerator = 0.0, denominator = 0.0
        for (speaker, sums) in news.bySpeaker.sorted(by: { $0.key < $1.key }) {
            numerator += parameters.speakerWeight(speaker) * sums.decayedScore
            denominator += parameters.speakerWeight(speaker) * Double(sums.count)
        }
        guard news.count > 0, denominator > 0 else { return nil }
        let evidence = news.strongest.map { sentence in
            Evidence(kind: "document", reference: sentence.url ?? "document \(sentence.documentID)", text: "[\(sentence.speakerType)] \(sentence.text)",
                     value: sentence.score,
                     weight: parameters.speakerWeight(sentence.speakerType) * halfLifeDecay(age: asOf.timeIntervalSince(sentence.published), halfLifeDays: parameters.newsHalfLifeDays),
                     date: sentence.published)
        }
        return ScoreComponent(id: "news", name: newsComponentName, weight: parameters.newsWeight, value: 100 * numerator / denominator,
            explanation: "\(news.count) Bitcoin-relevant sentence(s) weighted by speaker type, fading to neutral with a \(Int(parameters.newsHalfLifeDays))-day half-life",
            evidence: evidence)
    }

    /// The latest reading of each retail survey published at or before `asOf`.
    static func retailReadings(_ observations: [SurveyObservation], asOf: Date) -> [RetailReading] {
        let retail = observations.filter { !$0.population.isInstitutional && $0.published <= asOf && $0.metric.question == .outlook }
        return Dictionary(grouping: retail, by: \.survey).compactMap { survey, rows in
            guard let latest = rows.map(\.published).max() else { return nil }
            let current = rows.filter { $0.published == latest }
            let net = current.reduce(0) { $0 + $1.share * Double($1.metric.stance) }
            return RetailReading(survey: survey, published: latest, netBullish: net)
        }.sorted { $0.survey < $1.survey }
    }

    static func percent(_ share: Double) -> String { String(format: "%.0f%%", share * 100) }
}
