/// What a clause is about: a belief about Bitcoin's value/prospects, or technical/price-action commentary (R's evidence, never B's).
public enum OpinionTopic: String, Sendable, Codable, CaseIterable {
    case belief, technical
}

/// One clause of a sentence with the holder of the view in it.
public struct OpinionUnit: Sendable, Codable, Equatable {
    /// The clause, without the contrast word that opened it or the reporting frame around it.
    public var text: String
    /// Who holds the view as written ("institutions", "Fidelity", "analysts", "retail traders"); nil when none is named.
    public var holder: String?
    /// The holder's speaker type; the document's publisher type when no holder is named.
    public var speakerType: SpeakerType
    /// Bitcoin-directed polarity of the clause, −1…1.
    public var score: Double
    /// Belief about Bitcoin, or technical and price-action commentary.
    public var topic: OpinionTopic
    /// True when the clause is about Bitcoin or the crypto market.
    public var relevant: Bool

    /// A unit with every field given.
    public init(text: String, holder: String?, speakerType: SpeakerType, score: Double, topic: OpinionTopic, relevant: Bool) {
        self.text = text
        self.holder = holder
        self.speakerType = speakerType
        self.score = score
        self.topic = topic
        self.relevant = relevant
    }
}
