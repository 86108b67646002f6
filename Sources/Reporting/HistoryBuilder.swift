import Foundation
import JSONOutput
import Market
import Scoring
import Settings
import Storage

/// Spacing of history points.
public enum HistoryStep: String, Sendable, CaseIterable {
    case day = "1d"
    case week = "1w"

    var days: Int { self == .day ? 1 : 7 }
}

/// B, R and D at the end of one UTC day.
public struct HistoryPoint: Sendable, Codable, Equatable {
    /// The end of the day (UTC); everything knowable then, nothing after.
    public var asOf: Date
    public var day: UTCDay
    public var bullishness: Double?
    public var regime: Double?
    public var regimeLabel: String?
    public var divergence: Double?
    public var label: String?
    /// Percentile of D among the points before it (0–100); nil until there are `DivergenceScore.minimumHistory`.
    public var percentile: Double?
    /// True when the point came from a stored snapshot rather than being computed now.
    public var stored: Bool
    /// Stated Bₛ and revealed Bᵣ (B is their mix when positioning data is stored).
    public var stated: Double? = nil
    public var revealed: Double? = nil
}

/// Computes the divergence history point-in-time: stored snapshots where they exist, backfilled from the store's data elsewhere.
public struct HistoryBuilder: Sendable {
    public let config: DivergenceConfig
    public let store: Store

    public init(config: DivergenceConfig, store: Store) {
        self.config = config
        self.store = store
    }

    /// Points at the end of every `step` from `from` to `to` (inclusive).
    ///
    /// Each backfilled point uses only what was knowable at its instant: R from `TechnicalRegime.assessEveryDay`
    /// (indicators computed once, read day by day), B from surveys, claims and sentences published by then.
    /// With `persist`, backfilled points are saved as snapshots so later calls and percentiles reuse them.
    public func history(from: UTCDay, to: UTCDay, step: HistoryStep, persist: Bool = false) throws(StoreError) -> [HistoryPoint] {
        guard from <= to else { return [] }
        var days: [UTCDay] = []
        var day = from
        while day <= to {
            days.append(day)
            day = day.adding(days: step.days)
        }
        let stored = try store.snapshotValues(from: from.end, to: to.end)
        let parameters = config.bullishness
        let maxAge = parameters.maxAgeDays * 86_400
        let surveys = try store.surveyObservations(asOf: to.end)
        let claims = try store.claims(asOf: to.end, maxAge: to.end.timeIntervalSince(from.end) + maxAge)
        let sentences = try store.relevantSentences(asOf: to.end, maxAge: to.end.timeIntervalSince(from.end) + parameters.newsHalfLifeDays * 86_400 * 8)
        let flows = try store.etfFlowDays(asOf: to.end), reports = try store.tffReports(asOf: to.end)
        let market = MarketHistory(prices: try store.prices(), hashrate: try store.hashrate(), fees: try store.fees())
        let regimes = market.prices.isEmpty || market.hashrate.isEmpty ? [] :
            TechnicalRegime.assessEveryDay(market, from: from, to: to, costModel: config.productionCost, weights: config.regimeWeights, freshness: config.freshness)
        var regimeByDay: [UTCDay: RegimeAssessment] = [:]
        for (offset, assessment) in regimes.enumerated() where !assessment.signals.isEmpty || !assessment.stale.isEmpty { regimeByDay[from.adding(days: offset)] = assessment }

        var previous = try store.divergenceHistory(before: from.end)
        var points: [HistoryPoint] = []
        for day in days {
            let asOf = day.end
            var point: HistoryPoint
            if let snapshot = stored[asOf] {
                point = HistoryPoint(asOf: asOf, day: day, bullishness: snapshot.bullishness, regime: snapshot.regime, regimeLabel: snapshot.regimeLabel,
                                     divergence: snapshot.divergence, label: snapshot.label, percentile: nil, stored: true,
                                     stated: snapshot.stated, revealed: snapshot.revealed)
            } else {
                let bullishness = BullishnessIndex.compute(surveys: surveys, claims: claims, sentences: sentences, asOf: asOf, parameters: parameters)
                let revealed = flows.isEmpty && reports.isEmpty ? nil : RevealedIndex.compute(flows: flows, reports: reports, asOf: asOf, parameters: config.revealed)
                let snapshot = ScoreSnapshot(asOf: asOf, bullishness: bullishness, regime: regimeByDay[day], thresholds: config.divergenceThresholds,
                                             revealed: revealed, mix: config.bullishnessMix)
                if persist { try store.saveSnapshot(snapshot) }
                point = HistoryPoint(asOf: asOf, day: day, bullishness: snapshot.bullishness.score, regime: snapshot.regime?.score, regimeLabel: snapshot.regime?.label,
                                     divergence: snapshot.divergence?.value, label: snapshot.divergence?.label.rawValue, percentile: nil, stored: false,
                                     stated: snapshot.statedScore, revealed: revealed?.score)
            }
            if let value = point.divergence {
                if previous.count >= DivergenceScore.minimumHistory { point.percentile = DivergenceScore.percentile(of: value, in: previous) }
                previous.append(value)
            }
            points.append(point)
        }
        return points
    }
}

/// Renders history as a table, CSV or JSON lines.
public enum HistoryRendering {
    /// `day,bullishness,regime,regime_label,divergence,label,percentile,stored,stated,revealed` (B is the mix of the last two).
    public static func csv(_ points: [HistoryPoint]) -> String {
        var lines = ["day,bullishness,regime,regime_label,divergence,label,percentile,stored,stated,revealed"]
        for p in points {
            lines.append([p.day.iso, number(p.bullishness), number(p.regime), p.regimeLabel ?? "", number(p.divergence), p.label ?? "", number(p.percentile),
                          p.stored ? "stored" : "backfilled", number(p.stated), number(p.revealed)].joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One JSON object per line, snake_case keys, dates ISO 8601 UTC.
    public static func jsonl(_ points: [HistoryPoint]) -> String {
        points.map { JSONEncoding.document($0, layout: .compact) + "\n" }.joined()
    }

    /// Aligned columns with a bar for D.
    public static func table(_ points: [HistoryPoint]) -> String {
        let split = points.contains { $0.revealed != nil }
        var lines = ["day           B\(split ? "      Bs      Br" : "")       R  regime         D  label     pct"]
        for p in points {
            let bar = p.divergence.map { $0.isFinite ? String(repeating: $0 >= 0 ? "+" : "-", count: Int(min(abs($0), 100) / 4)) : "" } ?? ""
            let sides = split ? " \(pad(number(p.stated, "%+.1f"), 6))  \(pad(number(p.revealed, "%+.1f"), 6))" : ""
            lines.append("\(p.day.iso)  \(pad(number(p.bullishness, "%+.1f"), 6))\(sides) \(pad(number(p.regime, "%+.1f"), 6))  \(ReportRendering.pad(p.regimeLabel ?? "—", 12)) \(pad(number(p.divergence, "%+.1f"), 6))  \(ReportRendering.pad(p.label ?? "—", 8)) \(pad(number(p.percentile, "%.0f"), 4))  \(bar)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func number(_ value: Double?, _ format: String = "%.2f") -> String { value.map { String(format: format, $0) } ?? "" }
    static func pad(_ text: String, _ width: Int) -> String { text.count >= width ? text : String(repeating: " ", count: width - text.count) + text }
}
