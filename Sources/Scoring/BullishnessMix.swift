import Foundation

/// How B mixes stated Bₛ (surveys, claims, statements) and revealed Bᵣ (flows, positioning); defaults in the README.
public struct BullishnessMixWeights: Sendable, Codable, Equatable {
    public var stated: Double = 0.5
    public var revealed: Double = 0.5
    /// |Bᵣ − Bₛ| from which the gap is called out, and Bₛ or Bᵣ from which a side counts as bullish or bearish.
    public var gapLevel: Double = 20

    public init() {}
}

/// Bₛ, Bᵣ and how far apart they are.
public struct StatedRevealedGap: Sendable, Codable, Equatable {
    public var stated: Double
    public var revealed: Double
    /// Bᵣ − Bₛ: negative when money is more bearish than words.
    public var gap: Double
    /// "institutions say bullish, flows say bearish", or "words and flows agree".
    public var summary: String
}

/// The one place where B is made from Bₛ and Bᵣ.
public enum BullishnessMix {
    /// B = (wₛ·Bₛ + wᵣ·Bᵣ) / (wₛ + wᵣ) over the sides that have a score and a positive weight; nil when none has.
    /// A side weighted 0 is still reported (and its gap), only not mixed into B.
    public static func mix(stated: Double?, revealed: Double?, weights: BullishnessMixWeights) -> Double? {
        let parts = [(stated, weights.stated), (revealed, weights.revealed)].compactMap { value, weight in value.map { ($0, weight) } }.filter { $0.1 > 0 }
        let total = parts.reduce(0) { $0 + $1.1 }
        guard total > 0 else { return nil }
        return parts.reduce(0) { $0 + $1.0 * $1.1 } / total
    }

    /// The gap between words and money when both are known.
    public static func gap(stated: Double?, revealed: Double?, weights: BullishnessMixWeights) -> StatedRevealedGap? {
        guard let stated, let revealed else { return nil }
        func side(_ value: Double) -> String { value >= weights.gapLevel ? "bullish" : value <= -weights.gapLevel ? "bearish" : "neutral" }
        let summary = abs(revealed - stated) < weights.gapLevel || side(stated) == side(revealed)
            ? "words and flows agree (institutions say \(side(stated)), flows say \(side(revealed)))"
            : "institutions say \(side(stated)), flows say \(side(revealed))"
        return StatedRevealedGap(stated: stated, revealed: revealed, gap: revealed - stated, summary: summary)
    }
}
