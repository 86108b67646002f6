import Foundation
import Market

/// How far apart sentiment and technicals are.
public enum DivergenceLabel: String, Sendable, Codable, CaseIterable {
    case aligned, mild, strong, extreme

    /// Label for |D|: < 15 aligned, < 30 mild, < 50 strong, otherwise extreme (defaults; configurable).
    public static func classify(_ divergence: Double, thresholds: DivergenceThresholds) -> DivergenceLabel {
        let magnitude = abs(divergence)
        if magnitude < thresholds.mild { return .aligned }
        if magnitude < thresholds.strong { return .mild }
        if magnitude < thresholds.extreme { return .strong }
        return .extreme
    }
}

/// Boundaries of |D| between labels.
public struct DivergenceThresholds: Sendable, Codable, Equatable {
    public var mild: Double = 15
    public var strong: Double = 30
    public var extreme: Double = 50
    public init() {}
}

/// D = (B − R) / 2 on −100…+100. Positive: sentiment more bullish than technicals.
public struct DivergenceScore: Sendable, Codable, Equatable {
    public var value: Double
    public var label: DivergenceLabel
    /// Share of stored snapshots (0–100) with a lower D; nil until there are `minimumHistory` of them.
    public var percentile: Double?

    /// Fewest earlier values a percentile is computed over: over one or two snapshots it would not be a percentile.
    public static let minimumHistory = 20

    /// Combines B and R by the definition D = (B − R) / 2.
    public init(bullishness: Double, regime: Double, thresholds: DivergenceThresholds, history: [Double] = []) {
        value = (bullishness - regime) / 2
        label = DivergenceLabel.classify(value, thresholds: thresholds)
        percentile = history.count < Self.minimumHistory ? nil : Self.percentile(of: value, in: history)
    }

    /// Percentile rank: the share of values below, counting ties half (0–100).
    public static func percentile(of value: Double, in history: [Double]) -> Double {
        guard !history.isEmpty else { return 0 }
        let below = history.filter { $0 < value }.count
        let equal = history.filter { $0 == value }.count
        return 100 * (Double(below) + Double(equal) / 2) / Double(history.count)
    }
}

/// Which readings behind B and R are stale, and how much of each score's weight that is (shares 0–1).
public struct SnapshotFreshness: Sendable, Codable, Equatable {
    public var bullishnessStale: [StaleReading]
    public var regimeStale: [StaleReading]
    public var bullishnessStaleShare: Double
    public var regimeStaleShare: Double
    /// (B's share + R's share) / 2, as D = (B − R) / 2 weighs them equally.
    public var divergenceStaleShare: Double

    /// The freshness of a B and an R (a nil R counts wholly stale when it has stale signals).
    public init(bullishness: BullishnessScore, regime: RegimeAssessment?) {
        bullishnessStale = bullishness.stale
        regimeStale = regime?.stale ?? []
        bullishnessStaleShare = bullishness.staleShare
        regimeStaleShare = regime?.staleShare ?? 0
        divergenceStaleShare = (bullishnessStaleShare + regimeStaleShare) / 2
    }

    /// The distinct stale reasons of `readings`, e.g. "stale: last candle 2026-02-07".
    public static func reasons(_ readings: [StaleReading]) -> String {
        var seen: [String] = []
        for reading in readings where !seen.contains(reading.reason) { seen.append(reading.reason) }
        return seen.joined(separator: "; ")
    }
}

/// B, R and D as of one instant, with everything behind them.
public struct ScoreSnapshot: Sendable, Codable {
    public var asOf: Date
    public var bullishness: BullishnessScore
    /// R, or nil when no signal has data (or every signal with data is stale: see `freshness`).
    public var regime: RegimeAssessment?
    public var divergence: DivergenceScore?
    /// Stated Bₛ (surveys, claims, statements); `bullishness.score` is B, its mix with revealed Bᵣ.
    public var statedScore: Double?
    /// Revealed Bᵣ (ETF flows, CME positioning), when positioning data is stored.
    public var revealed: RevealedBullishness?
    /// Bₛ against Bᵣ, when both are known.
    public var statedRevealedGap: StatedRevealedGap?
    public var freshness: SnapshotFreshness

    /// `bullishness` is stated Bₛ; with `revealed`, B becomes their mix (see `BullishnessMix`) and D uses that B.
    public init(asOf: Date, bullishness: BullishnessScore, regime: RegimeAssessment?, thresholds: DivergenceThresholds, history: [Double] = [],
                revealed: RevealedBullishness? = nil, mix: BullishnessMixWeights = BullishnessMixWeights()) {
        self.asOf = asOf
        self.bullishness = bullishness
        self.regime = regime?.signals.isEmpty == false ? regime : nil
        freshness = SnapshotFreshness(bullishness: bullishness, regime: regime)
        statedScore = bullishness.score
        self.revealed = revealed
        if let revealed {
            self.bullishness.score = BullishnessMix.mix(stated: bullishness.score, revealed: revealed.score, weights: mix)
            statedRevealedGap = BullishnessMix.gap(stated: bullishness.score, revealed: revealed.score, weights: mix)
        }
        if let b = self.bullishness.score, let r = self.regime?.score {
            divergence = DivergenceScore(bullishness: b, regime: r, thresholds: thresholds, history: history)
        }
    }

    /// One line an analyst reads first.
    public var verdict: String {
        guard let divergence, let b = bullishness.score, let regime else {
            if regime == nil && !freshness.regimeStale.isEmpty {
                return "No verdict: no fresh market data to score the technical regime (\(SnapshotFreshness.reasons(freshness.regimeStale)))."
            }
            if bullishness.score == nil && !freshness.bullishnessStale.isEmpty {
                return "No verdict: no fresh survey, claim or news data to score bullishness (\(SnapshotFreshness.reasons(freshness.bullishnessStale)))."
            }
            if bullishness.score == nil && regime == nil { return "No verdict: the store holds no survey, claim, news or market data for this date." }
            if bullishness.score == nil { return "No verdict: no institutional survey, claim or news data to score bullishness." }
            return "No verdict: not enough price and hashrate history to score the technical regime."
        }
        let sentiment = b >= 20 ? "institutions are bullish" : b <= -20 ? "institutions are bearish" : "institutional sentiment is neutral"
        let technicals = regime.score <= -20 ? "the technical regime is bearish" : regime.score >= 20 ? "the technical regime is bullish" : "the technical regime is neutral"
        let signed = String(format: "%+.0f", divergence.value)
        let direction = divergence.label == .aligned ? "sentiment and technicals agree"
            : divergence.value > 0 ? "sentiment is running ahead of the technicals" : "technicals are stronger than sentiment"
        let staleNote = freshness.divergenceStaleShare > 0
            ? " \(String(format: "%.0f", freshness.divergenceStaleShare * 100))% of D's weight is stale and left out." : ""
        return "\(divergence.label.rawValue.uppercased()) divergence (D \(signed)): \(sentiment) (B \(String(format: "%+.0f", b))) while \(technicals) (R \(String(format: "%+.0f", regime.score)), \(regime.label)) — \(direction).\(staleNote)"
    }
}
