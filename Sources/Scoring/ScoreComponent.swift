import Foundation

/// One piece of evidence behind a component: a survey row, a claim, a document sentence or a signal value.
public struct Evidence: Sendable, Codable, Equatable {
    /// `survey`, `claim`, `document` or `signal`.
    public var kind: String
    /// Where it came from: a survey name and population, a document URL or id.
    public var reference: String
    /// The quote or a one-line description.
    public var text: String
    /// The value it contributed (e.g. net share −1…1, sentence score −1…1).
    public var value: Double?
    /// The weight it carried inside its component (after decay).
    public var weight: Double?
    /// When it became knowable (UTC).
    public var date: Date?

    public init(kind: String, reference: String, text: String, value: Double? = nil, weight: Double? = nil, date: Date? = nil) {
        self.kind = kind
        self.reference = reference
        self.text = text
        self.value = value
        self.weight = weight
        self.date = date
    }
}

/// A weighted part of a score, on −100…+100, with its evidence.
public struct ScoreComponent: Sendable, Codable, Equatable {
    public var id: String
    public var name: String
    /// The configured weight before renormalisation over the components that have data.
    public var weight: Double
    /// −100…+100.
    public var value: Double
    /// weight × value / Σ weights of components with data.
    public var contribution: Double
    public var explanation: String
    public var evidence: [Evidence]
    /// When its newest input became knowable (UTC), when known.
    public var dataDate: Date? = nil

    public init(id: String, name: String, weight: Double, value: Double, contribution: Double = 0, explanation: String, evidence: [Evidence]) {
        self.id = id
        self.name = name
        self.weight = weight
        self.value = value
        self.contribution = contribution
        self.explanation = explanation
        self.evidence = evidence
    }
}

/// Exponential age decay: weight 1 at age 0, ½ after one half-life.
public func halfLifeDecay(age: TimeInterval, halfLifeDays: Double) -> Double {
    guard halfLifeDays > 0 else { return 1 }
    return pow(0.5, max(0, age) / (halfLifeDays * 86_400))
}

/// Fills each component's contribution, renormalising weights over the components given; returns the total.
func combine(_ components: inout [ScoreComponent]) -> Double {
    let totalWeight = components.reduce(0) { $0 + $1.weight }
    guard totalWeight > 0 else { return 0 }
    for index in components.indices {
        components[index].contribution = components[index].weight * components[index].value / totalWeight
    }
    return components.reduce(0) { $0 + $1.contribution }
}
