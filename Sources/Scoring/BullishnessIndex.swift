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
    /// How much an opinion unit counts in B's news component by its holder's speaker type. B measures institutional
    /// investors, so only they weigh by default; a type at 0 is reported beside B with its own score instead.
    public var speakerWeights: [SpeakerType: Double] = [.institutional: 1.0, .analyst: 0, .miner: 0, .media: 0, .retail: 0, .unknown: 0]

    public init() {}
}

/// A claim extracted from a stored document, with where and when it was published.
public struct DatedClaim: Sendable, Equatable {
    public var claim: Claim
    public var documentID: Int64
    public var url: String?
    /// When it became knowable (UTC).
    public var published: Date
    /// URLs of syndicated copies of the same story, merged into this document (counted once).
    public var copies: [String]

    public init(claim: Claim, documentID: Int64, url: String?, published: Date, copies: [String] = []) {
        self.claim = claim
        self.documentID = documentID
        self.url = url
        self.published = published
        self.copies = copies
    }
}

/// A scored, Bitcoin-relevant opinion unit (a clause with its holder, or a whole sentence) about Bitcoin's value or
/// prospects, from a stored document.
public struct DatedSentence: Sendable, Equatable {
    public var text: String
    /// −1…1.
    public var score: Double
    /// The holder's speaker type.
    public var speakerType: SpeakerType
    /// Who holds the view ("Fidelity", "analysts"), when named.
    public var holder: String?
    public var documentID: Int64
    public var url: String?
    /// When it became knowable (UTC).
    public var published: Date
    /// URLs of syndicated copies of the same story, merged into this document (counted once).
    public var copies: [String]

    public init(text: String, score: Double, speakerType: SpeakerType, holder: String? = nil, documentID: Int64, url: String?, published: Date, copies: [String] = []) {
        self.text = text
        self.score = score
        self.speakerType = speakerType
        self.holder = holder
        self.documentID = documentID
        self.url = url
        self.published = published
        self.copies = copies
    }
}

/// The sums the news component and the voices beside B need over a window of opinion units, per speaker type
/// (computed by the store or in memory).
public struct NewsAggregate: Sendable, Equatable {
    /// Per speaker type: Σ decay × score and the number of units.
    public struct SpeakerSums: Sendable, Equatable {
        public var decayedScore: Double
        public var count: Int
        public init(decayedScore: Double, count: Int) {
            self.decayedScore = decayedScore
            self.count = count
        }
    }
    public var bySpeaker: [SpeakerType: SpeakerSums]
    /// Per speaker type, the units with the largest |score| × decay (the evidence), ordered by speaker type, then
    /// strongest first.
    public var strongest: [DatedSentence]
    /// When the newest relevant sentence became knowable (UTC), if known (the store also looks before the window).
    public var newest: Date? = nil

    public init(bySpeaker: [SpeakerType: SpeakerSums], strongest: [DatedSentence]) {
        self.bySpeaker = bySpeaker
        self.strongest = strongest
    }

    /// Sums over units in memory, with the same decay, buckets and evidence ranking the store applies in SQL.
    public init(_ sentences: [DatedSentence], asOf: Date, parameters: BullishnessParameters, evidence: Int = 6) {
        var sums: [SpeakerType: SpeakerSums] = [:]
        for sentence in sentences {
            let decay = halfLifeDecay(age: asOf.timeIntervalSince(sentence.published), halfLifeDays: parameters.newsHalfLifeDays)
            let bucket = parameters.speakerBucket(sentence.speakerType)
            sums[bucket, default: SpeakerSums(decayedScore: 0, count: 0)].decayedScore += decay * sentence.score
            sums[bucket, default: SpeakerSums(decayedScore: 0, count: 0)].count += 1
        }
        func strength(_ s: DatedSentence) -> Double {
            abs(s.score) * halfLifeDecay(age: asOf.timeIntervalSince(s.published), halfLifeDays: parameters.newsHalfLifeDays)
        }
        // Evidence: the strongest of the last two half-lives (older units weigh at most a quarter), as the store ranks them.
        let recent = sentences.filter { asOf.timeIntervalSince($0.published) <= 2 * parameters.newsHalfLifeDays * 86_400 }
        let candidates = recent.isEmpty ? sentences : recent
        let strongest = Dictionary(grouping: candidates) { parameters.speakerBucket($0.speakerType) }.sorted { $0.key < $1.key }.flatMap { _, units in
            units.sorted { (strength($0), $0.published) > (strength($1), $1.published) }.prefix(evidence)
        }
        self.init(bySpeaker: sums, strongest: strongest)
        newest = sentences.map(\.published).max()
    }

    public var count: Int { bySpeaker.values.reduce(0) { $0 + $1.count } }
}

/// The sums the claim component needs over a window of institutional claims (computed by the store or in memory).
public struct ClaimAggregate: Sendable, Equatable {
    /// Σ hedge × decay × share × stance (hedge: `Claim.weightInB`).
    public var weightedValue: Double
    /// Σ hedge (1, or ½ for hedged and conditional claims).
    public var weight: Double
    public var count: Int
    /// The most recent claims, newest first (the evidence).
    public var recent: [DatedClaim]
    /// Claims that restate a stored survey (see `SurveyRestatement`): evidence for the survey, no weight; newest first.
    public var restated: [RestatedClaim]

    public init(weightedValue: Double, weight: Double, count: Int, recent: [DatedClaim], restated: [RestatedClaim] = []) {
        self.weightedValue = weightedValue
        self.weight = weight
        self.count = count
        self.recent = recent
        self.restated = restated
    }

    /// Sums over claims in memory: institutional populations, non-zero stance, knowable within the maximum age, and not
    /// restating one of `surveys` knowable at `asOf`.
    public init(_ claims: [DatedClaim], surveys: [SurveyObservation] = [], asOf: Date, parameters: BullishnessParameters, evidence: Int = 10) {
        let candidates = claims.filter {
            BullishnessIndex.institutionalClaimPopulations.contains($0.claim.population) && $0.claim.stance != 0
                && $0.published <= asOf && asOf.timeIntervalSince($0.published) <= parameters.maxAgeDays * 86_400
        }
        var relevant: [DatedClaim] = [], restated: [RestatedClaim] = []
        for claim in candidates {
            if let survey = SurveyRestatement.restated(claim, by: surveys, asOf: asOf) {
                restated.append(RestatedClaim(claim: claim, survey: survey.survey))
            } else {
                relevant.append(claim)
            }
        }
        var value = 0.0, weight = 0.0
        for item in relevant {
            let hedge = item.claim.weightInB
            value += hedge * halfLifeDecay(age: asOf.timeIntervalSince(item.published), halfLifeDays: parameters.claimHalfLifeDays) * item.claim.share * Double(item.claim.stance)
            weight += hedge
        }
        func newestFirst(_ a: DatedClaim, _ b: DatedClaim) -> Bool { a.published > b.published }
        self.init(weightedValue: value, weight: weight, count: relevant.count, recent: Array(relevant.sorted(by: newestFirst).prefix(evidence)),
                  restated: Array(restated.sorted { newestFirst($0.claim, $1.claim) }.prefix(evidence)))
    }
}

extension Claim {
    /// A claim's weight in the claim component: ½ when hedged ("may", "likely") or conditional ("would cut … if prices
    /// fell"), else 1.
    public var weightInB: Double { hedged || conditional ? 0.5 : 1 }
}

extension BullishnessParameters {
    /// The weight of a speaker type, `unknown`'s for types not listed.
    public func speakerWeight(_ type: SpeakerType) -> Double { speakerWeights[type] ?? speakerWeights[.unknown] ?? 0 }

    /// The bucket a speaker type is summed in: itself when configured, else `unknown` (whose weight it takes).
    public func speakerBucket(_ type: SpeakerType) -> SpeakerType { speakerWeights[type] == nil ? .unknown : type }
}

/// A retail survey reading shown beside the index, not inside it (e.g. AAII).
public struct RetailReading: Sendable, Codable, Equatable {
    public var survey: String
    public var published: Date
    /// Share bullish minus share bearish, −1…1.
    public var netBullish: Double
}

/// A group's news tone reported beside B, not inside it: analysts' calls, media tone, retail and miners.
public struct VoiceReading: Sendable, Codable, Equatable {
    /// The holders' speaker type (`analyst`, `media`, `retail`, `miner`, `unknown` by default).
    public var speakerType: SpeakerType
    /// −100…+100: 100 × Σ decay × score / count over the group's opinion units (the news component's formula for one type).
    public var score: Double
    /// Opinion units behind the score.
    public var count: Int
    /// The strongest units, strongest first.
    public var evidence: [Evidence]
}

/// The institutional-bullishness index B on −100…+100, with its components.
public struct BullishnessScore: Sendable, Codable, Equatable {
    public var asOf: Date
    /// −100…+100; nil when no component has data.
    public var score: Double?
    public var components: [ScoreComponent]
    public var retail: [RetailReading]
    /// Groups whose opinions are reported beside B (speaker types weighing 0 in the news component).
    public var voices: [VoiceReading] = []
    /// Components left out because their newest input is older than its freshness limit, with the reason.
    public var stale: [StaleReading] = []
    /// Share (0–1) of the weight of the components with data that is stale.
    public var staleShare: Double = 0
}

/// Computes the stated institutional bullishness (B from surveys, claims and institutional investors' opinions in the
/// news), point-in-time: the one place B's definition lives.
public enum BullishnessIndex {
    /// Populations in claims that count as institutional.
    public static let institutionalClaimPopulations: Set<ClaimPopulation> = [.institutions, .institutionalInvestors, .institutional, .fundManagers]

    /// B as of an instant: only inputs knowable at or before `asOf` count.
    public static func compute(surveys: [SurveyObservation], claims: [DatedClaim], sentences: [DatedSentence],
                               asOf: Date, parameters: BullishnessParameters) -> BullishnessScore {
        compute(surveys: surveys, claims: ClaimAggregate(claims, surveys: surveys, asOf: asOf, parameters: parameters),
                news: NewsAggregate(sentences.filter { $0.published <= asOf }, asOf: asOf, parameters: parameters), asOf: asOf, parameters: parameters)
    }

    /// B from surveys and the claim and news sums (as the store computes them for large windows).
    public static func compute(surveys: [SurveyObservation], claims: ClaimAggregate, news: NewsAggregate,
                               asOf: Date, parameters: BullishnessParameters) -> BullishnessScore {
        var components: [ScoreComponent] = []
        let knowable = surveys.filter { $0.knowable <= asOf }
        if var survey = surveyComponent(knowable.filter { $0.population.isInstitutional }, asOf: asOf, parameters: parameters) {
            survey.evidence += restatementEvidence(claims.restated)
            components.append(survey)
        }
        if let claim = claimComponent(claims, asOf: asOf, parameters: parameters) { components.append(claim) }
        if let news = newsComponent(news, asOf: asOf, parameters: parameters) { components.append(news) }
        let judged = judgeFreshness(components, surveys: surveys, claims: claims, news: news, asOf: asOf, parameters: parameters)
        components = judged.live
        let score = components.isEmpty ? nil : combine(&components)
        return BullishnessScore(asOf: asOf, score: score, components: components, retail: retailReadings(knowable, asOf: asOf),
                                voices: voices(news, asOf: asOf, parameters: parameters), stale: judged.stale,
                                staleShare: StaleReading.share(stale: judged.stale, liveWeight: components.reduce(0) { $0 + $1.weight }))
    }

    /// Survey component: per survey × population × question, net = Σ share × stance (share bullish/undervalued
    /// minus share bearish/overvalued), averaged over questions. Populations are weighted by sample size, and each
    /// net share decays toward 0 with age: value = Σ n·decay·net / Σ n, so stale surveys fade to neutral.
    static func surveyComponent(_ observations: [SurveyObservation], asOf: Date, parameters: BullishnessParameters) -> ScoreComponent? {
        struct Group: Hashable { var survey: String; var population: SurveyPopulation; var published: Date }
        let recent = observations.filter { asOf.timeIntervalSince($0.knowable) <= parameters.maxAgeDays * 86_400 }
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
            // Age from when the result became knowable (a date-only publication: the end of its day).
            let decay = halfLifeDecay(age: asOf.timeIntervalSince(PointInTime.knowable(published: group.published)), halfLifeDays: parameters.surveyHalfLifeDays)
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
            explanation: "net share bullish/undervalued minus bearish/overvalued of \(groups.count) institutional survey population(s), weighted by sample size, fading to neutral with a \(Int(parameters.surveyHalfLifeDays))-day half-life from the end of the publication day",
            evidence: evidence)
    }

    /// Claim component: institutional survey-style claims in the news, share × stance fading to 0 with age;
    /// hedged and conditional claims count half: value = Σ h·decay·v / Σ h.
    static func claimComponent(_ claims: ClaimAggregate, asOf: Date, parameters: BullishnessParameters) -> ScoreComponent? {
        guard claims.count > 0, claims.weight > 0 else { return nil }
        let evidence = claims.recent.map { item in
            let value = item.claim.share * Double(item.claim.stance)
            let decay = halfLifeDecay(age: asOf.timeIntervalSince(item.published), halfLifeDays: parameters.claimHalfLifeDays)
            return Evidence(kind: "claim", reference: reference(url: item.url, documentID: item.documentID, copies: item.copies),
                text: "“\(item.claim.quote)” → \(percent(item.claim.share)) of \(item.claim.population.rawValue) \(item.claim.proposition.rawValue)",
                value: value, weight: item.claim.weightInB * decay, date: item.published)
        }
        return ScoreComponent(id: "claims", name: "Survey claims in the news", weight: parameters.claimWeight, value: 100 * claims.weightedValue / claims.weight,
            explanation: "\(claims.count) institutional claim(s), share × stance, fading to neutral with a \(Int(parameters.claimHalfLifeDays))-day half-life",
            evidence: evidence)
    }

    static let newsComponentName = "Institutional views in the news"

    /// News component: opinion units about Bitcoin's value or prospects, weighted by their holder's speaker type
    /// (institutional investors only, by default), fading to 0 with age: value = Σ speaker·decay·score / Σ speaker.
    static func newsComponent(_ news: NewsAggregate, asOf: Date, parameters: BullishnessParameters) -> ScoreComponent? {
        var numerator = 0.0, denominator = 0.0, count = 0
        for (speaker, sums) in news.bySpeaker.sorted(by: { $0.key < $1.key }) where parameters.speakerWeight(speaker) > 0 {
            numerator += parameters.speakerWeight(speaker) * sums.decayedScore
            denominator += parameters.speakerWeight(speaker) * Double(sums.count)
            count += sums.count
        }
        guard count > 0, denominator > 0 else { return nil }
        func weight(_ unit: DatedSentence) -> Double {
            parameters.speakerWeight(unit.speakerType) * halfLifeDecay(age: asOf.timeIntervalSince(unit.published), halfLifeDays: parameters.newsHalfLifeDays)
        }
        let strongest = news.strongest.filter { parameters.speakerWeight($0.speakerType) > 0 }
            .sorted { (abs($0.score) * weight($0), $0.published) > (abs($1.score) * weight($1), $1.published) }.prefix(6)
        let held = parameters.speakerWeights.filter { $0.value > 0 }.keys.sorted().map(\.rawValue).joined(separator: ", ")
        return ScoreComponent(id: "news", name: newsComponentName, weight: parameters.newsWeight, value: 100 * numerator / denominator,
            explanation: "\(count) opinion unit(s) held by \(held) about Bitcoin's value or prospects (chart commentary excluded), fading to neutral with a \(Int(parameters.newsHalfLifeDays))-day half-life",
            evidence: strongest.map { unitEvidence($0, weight: weight($0)) })
    }

    /// Speaker types that weigh 0 in the news component, each scored on its own: 100 × Σ decay × score / count.
    static func voices(_ news: NewsAggregate, asOf: Date, parameters: BullishnessParameters) -> [VoiceReading] {
        news.bySpeaker.sorted { $0.key < $1.key }.compactMap { speaker, sums in
            guard parameters.speakerWeight(speaker) == 0, sums.count > 0 else { return nil }
            let evidence = news.strongest.filter { parameters.speakerBucket($0.speakerType) == speaker }.map { unit in
                unitEvidence(unit, weight: halfLifeDecay(age: asOf.timeIntervalSince(unit.published), halfLifeDays: parameters.newsHalfLifeDays))
            }
            return VoiceReading(speakerType: speaker, score: 100 * sums.decayedScore / Double(sums.count), count: sums.count, evidence: evidence)
        }
    }

    static func unitEvidence(_ unit: DatedSentence, weight: Double) -> Evidence {
        let holder = unit.holder.map { "\(unit.speakerType.rawValue): \($0)" } ?? unit.speakerType.rawValue
        return Evidence(kind: "document", reference: reference(url: unit.url, documentID: unit.documentID, copies: unit.copies),
                        text: "[\(holder)] \(unit.text)", value: unit.score, weight: weight, date: unit.published)
    }

    /// Claims that restate a stored survey, shown with the survey's evidence at no weight.
    static func restatementEvidence(_ restated: [RestatedClaim]) -> [Evidence] {
        restated.map { item in
            Evidence(kind: "claim", reference: reference(url: item.claim.url, documentID: item.claim.documentID, copies: item.claim.copies),
                     text: "“\(item.claim.claim.quote)” restates \(item.survey) (\(percent(item.claim.claim.share)) \(item.claim.claim.proposition.rawValue)); no extra weight",
                     value: item.claim.claim.share * Double(item.claim.claim.stance), weight: 0, date: item.claim.published)
        }
    }

    /// A document's URL (or id), followed by the URLs of syndicated copies merged into it.
    static func reference(url: String?, documentID: Int64, copies: [String]) -> String {
        ([url ?? "document \(documentID)"] + copies.map { "also \($0)" }).joined(separator: " · ")
    }

    /// The latest reading of each retail survey knowable at or before `asOf`.
    static func retailReadings(_ observations: [SurveyObservation], asOf: Date) -> [RetailReading] {
        let retail = observations.filter { !$0.population.isInstitutional && $0.knowable <= asOf && $0.metric.question == .outlook }
        return Dictionary(grouping: retail, by: \.survey).compactMap { survey, rows in
            guard let latest = rows.map(\.published).max() else { return nil }
            let current = rows.filter { $0.published == latest }
            let net = current.reduce(0) { $0 + $1.share * Double($1.metric.stance) }
            return RetailReading(survey: survey, published: latest, netBullish: net)
        }.sorted { $0.survey < $1.survey }
    }

    static func percent(_ share: Double) -> String { String(format: "%.0f%%", share * 100) }
}
