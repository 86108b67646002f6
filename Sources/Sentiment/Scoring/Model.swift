/// Who is speaking in a sentence, read from its attribution ("X said", "according to X", "analysts at Y"); the one word
/// for it in the scorer, the store, B's weights and the report. Ordered by name, as reports list the types.
public enum SpeakerType: String, Sendable, Codable, CodingKeyRepresentable, CaseIterable, Comparable {
    case institutional, analyst, miner, retail, media, unknown

    public static func < (lhs: SpeakerType, rhs: SpeakerType) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Every type's name, comma-separated, for a message that lists the choices.
    public static let choices = allCases.map(\.rawValue).joined(separator: ", ")
}

/// Polarity label of a sentence.
public enum SentimentLabel: String, Sendable, Codable {
    case positive, negative, neutral
}

/// A survey-style claim found in a sentence: a share of a population holding a proposition.
public struct Claim: Sendable, Codable, Equatable {
    /// Who holds the proposition (see `ClaimPopulation` for which count as institutional).
    public var population: ClaimPopulation
    /// Fraction of the population, 0–1. Qualitative shares: "a majority"/"most" 0.55,
    /// "a vast/overwhelming majority" 0.8, "a minority" 0.3.
    public var share: Double
    /// What they hold.
    public var proposition: ClaimProposition
    /// +1 bullish, 0 neutral, −1 bearish (negation already applied).
    public var stance: Int
    /// Number of respondents when stated.
    public var sampleSize: Int?
    /// True when the sentence hedges (may, could, likely, suggests…).
    public var hedged: Bool
    /// The sentence the claim was read from.
    public var quote: String
    /// True when the stated intention depends on a condition ("would cut allocations if prices fell another 10%").
    public var conditional: Bool

    /// A claim with every field given; `quote` is the source sentence.
    public init(population: ClaimPopulation, share: Double, proposition: ClaimProposition, stance: Int,
                sampleSize: Int?, hedged: Bool, quote: String, conditional: Bool = false) {
        self.population = population
        self.share = share
        self.proposition = proposition
        self.stance = stance
        self.sampleSize = sampleSize
        self.hedged = hedged
        self.quote = quote
        self.conditional = conditional
    }
}

/// The scored form of one sentence.
public struct SentenceSentiment: Sendable, Codable {
    public var text: String
    /// Polarity, −1…1.
    public var score: Double
    public var label: SentimentLabel
    /// True when the sentence is about Bitcoin or the crypto market.
    public var relevant: Bool
    public var speakerType: SpeakerType
    public var claims: [Claim]
    /// The sentence's clauses, each with the holder of its view (one unit when nothing splits it).
    public var units: [OpinionUnit]

    /// A scored sentence with every field given.
    public init(text: String, score: Double, label: SentimentLabel, relevant: Bool,
                speakerType: SpeakerType, claims: [Claim], units: [OpinionUnit] = []) {
        self.text = text
        self.score = score
        self.label = label
        self.relevant = relevant
        self.speakerType = speakerType
        self.claims = claims
        self.units = units
    }
}

/// One word or phrase's signed share of a sentence's raw score.
public struct Contribution: Sendable, Codable, Equatable {
    public var text: String
    public var value: Double

    /// A contribution of `value` from the word or phrase `text`.
    public init(text: String, value: Double) {
        self.text = text
        self.value = value
    }
}
