import Settings
import Foundation
import Market
import Scoring
import Storage

/// Everything a report shows: the snapshot, the store's contents and when the data ends.
public struct DivergenceReport: Sendable {
    public var snapshot: ScoreSnapshot
    public var store: StoreSummary
    /// Last day of stored prices and hashrate that the as-of instant could see.
    public var lastPriceDay: UTCDay?
    public var lastHashrateDay: UTCDay?
}

/// Computes B, R and D from the store as of an instant, honouring the point-in-time rule.
public struct ReportBuilder: Sendable {
    public let config: DivergenceConfig
    public let store: Store

    public init(config: DivergenceConfig, store: Store) {
        self.config = config
        self.store = store
    }

    /// The report as of `asOf` (UTC): documents, surveys and series points knowable at that instant only.
    public func build(asOf: Date) throws(StoreError) -> DivergenceReport {
        let parameters = config.bullishness
        let maxAge = parameters.maxAgeDays * 86_400
        let bullishness = BullishnessIndex.compute(
            surveys: try store.surveyObservations(asOf: asOf),
            claims: try store.claims(asOf: asOf, maxAge: maxAge),
            sentences: try store.relevantSentences(asOf: asOf, maxAge: min(maxAge, parameters.newsHalfLifeDays * 86_400 * 8)),
            asOf: asOf, parameters: parameters)
        let prices = try store.prices().filter { $0.day.end <= asOf }
        let hashrate = try store.hashrate().filter { $0.day.end <= asOf }
        var regime: RegimeAssessment?
        if !prices.isEmpty && !hashrate.isEmpty {
            let assessment = TechnicalRegime.assess(MarketHistory(prices: prices, hashrate: hashrate), asOf: asOf,
                                                    costModel: config.productionCost, weights: config.regimeWeights)
            if !assessment.signals.isEmpty { regime = assessment }
        }
        let snapshot = ScoreSnapshot(asOf: asOf, bullishness: bullishness, regime: regime, thresholds: config.divergenceThresholds,
                                     history: try store.divergenceHistory(before: asOf))
        return DivergenceReport(snapshot: snapshot, store: try store.summary(), lastPriceDay: prices.last?.day, lastHashrateDay: hashrate.last?.day)
    }
}

/// Reads `--as-of` values: a date means the end of that UTC day; a date-time is taken as given.
public enum AsOfInstant {
    /// The instant for `2026-02-07` (end of that UTC day) or `2026-02-07T12:00:00Z`; nil when unparseable.
    public static func parse(_ text: String) -> Date? {
        if text.count == 10, let day = UTCDay(iso: text) { return day.end }
        return try? Date(text, strategy: .iso8601)
    }
}
