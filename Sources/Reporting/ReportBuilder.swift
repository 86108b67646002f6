import Settings
import Foundation
import Market
import Scoring
import Storage

/// What followed past occurrences of a signal that is active today (from the event study).
public struct Precedent: Sendable, Codable, Equatable {
    /// The event kind, e.g. `capitulation_start`.
    public var event: String
    /// Why it applies today, e.g. "hash ribbon in capitulation since 2025-11-16".
    public var reason: String
    /// Count, median and worst forward return and drawdown per horizon (30/90/180 days).
    public var horizons: [EventHorizonSummary]
}

/// Everything a report shows: the snapshot, the readings behind R, precedents, the store's contents and when the data ends.
public struct DivergenceReport: Sendable {
    public var snapshot: ScoreSnapshot
    /// Every technical reading as of the same instant (production cost, hashrate, ribbon, cloud, support, stress test).
    public var technicals: TechnicalsSnapshot?
    /// Past occurrences of today's active signals and what followed.
    public var precedents: [Precedent]
    public var store: StoreSummary
    /// Last day of stored prices and hashrate that the as-of instant could see.
    public var lastPriceDay: UTCDay?
    public var lastHashrateDay: UTCDay?
    /// The freshness limits the report was judged by.
    public var freshnessLimits: FreshnessLimits = .defaults
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
            claims: try store.claimAggregate(asOf: asOf, maxAge: maxAge, parameters: parameters),
            news: try store.newsAggregate(asOf: asOf, maxAge: min(maxAge, parameters.newsHalfLifeDays * 86_400 * 8), parameters: parameters),
            asOf: asOf, parameters: parameters)
        let prices = try store.prices().filter { $0.day.end <= asOf }
        let hashrate = try store.hashrate().filter { $0.day.end <= asOf }
        var regime: RegimeAssessment?
        var technicals: TechnicalsSnapshot?
        var precedents: [Precedent] = []
        if !prices.isEmpty && !hashrate.isEmpty {
            let market = MarketHistory(prices: prices, hashrate: hashrate, fees: try store.fees().filter { $0.day.end <= asOf })
            let assessment = TechnicalRegime.assess(market, asOf: asOf, costModel: config.productionCost, weights: config.regimeWeights, freshness: config.freshness)
            if !assessment.signals.isEmpty || !assessment.stale.isEmpty { regime = assessment }
            technicals = TechnicalRegime.technicals(market, asOf: asOf, costModel: config.productionCost, weights: config.regimeWeights, freshness: config.freshness)
            if let technicals { precedents = Self.precedents(for: technicals, market: market, costModel: config.productionCost) }
        }
        let snapshot = ScoreSnapshot(asOf: asOf, bullishness: bullishness, regime: regime, thresholds: config.divergenceThresholds,
                                     history: try store.divergenceHistory(before: asOf), revealed: try revealed(asOf: asOf), mix: config.bullishnessMix)
        return DivergenceReport(snapshot: snapshot, technicals: technicals, precedents: precedents, store: try store.summary(),
                                lastPriceDay: prices.last?.day, lastHashrateDay: hashrate.last?.day, freshnessLimits: config.freshness)
    }

    /// The event kinds active at the snapshot, each with the study of its past occurrences (before the as-of instant only).
    static func precedents(for technicals: TechnicalsSnapshot, market: MarketHistory, costModel: ProductionCostModel) -> [Precedent] {
        var active: [(MarketEventKind, String)] = []
        if let ribbon = technicals.hashRibbon, ribbon.state == .capitulation {
            active.append((.capitulationStart, "hash ribbon in capitulation\(ribbon.since.map { " since \($0.iso)" } ?? "")"))
        }
        if let twist = technicals.ichimokuWeekly?.lastTwist, twist.weekEnding.daysSinceEpoch >= technicals.day.daysSinceEpoch - 26 * 7 {
            active.append((twist.direction == .bearish ? .bearishTwist : .bullishTwist, "\(twist.direction.rawValue) Kumo twist in the week ending \(twist.weekEnding.iso)"))
        }
        if let gap = technicals.costGap {
            active.append(gap < 0 ? (.priceBelowCost, "price \(String(format: "%.1f", -gap * 100))% under the all-in production cost")
                                  : (.priceAboveCost, "price \(String(format: "%.1f", gap * 100))% over the all-in production cost"))
        }
        let events = MarketEvents.list(market, costModel: costModel)
        let outcomes = EventStudy.outcomes(events, prices: market.prices)
        return active.map { kind, reason in
            Precedent(event: kind.rawValue, reason: reason, horizons: EventStudy.summary(outcomes.filter { $0.event.kind == kind }, prices: market.prices))
        }
    }
}

/// Reads `--as-of` values: a date means the end of that UTC day; a date-time is taken as given.
public enum AsOfInstant {
    /// The instant for `2026-02-07` (end of that UTC day) or `2026-02-07T12:00:00Z`; nil when unparseable.
    public static func parse(_ text: String) -> Date? {
        if text.count == 10, let day = UTCDay(iso: text) { return day.end }
        return try? Date(text, strategy: .iso8601)
    }

    /// Why `text` (already parsed to `instant`) cannot be an as-of at `now`, or nil: a day that has not begun or an
    /// instant after `now` is in the future, where no data can be knowable.
    public static func futureError(_ text: String, instant: Date, now: Date) -> String? {
        let begins = text.count == 10 ? instant.addingTimeInterval(-86_400) : instant
        guard begins > now else { return nil }
        return "'\(text)' is in the future (now is \(now.formatted(.iso8601)))"
    }

    /// How a person reads an as-of instant: "end of 2026-02-07 UTC" for a day boundary, else ISO 8601.
    public static func describe(_ instant: Date) -> String {
        let seconds = instant.timeIntervalSince1970
        guard seconds.truncatingRemainder(dividingBy: 86_400) == 0 else { return instant.formatted(.iso8601) }
        return "end of \(UTCDay(containing: instant.addingTimeInterval(-1)).iso) UTC"
    }
}
