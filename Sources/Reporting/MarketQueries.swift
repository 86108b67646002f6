import Settings
import Foundation
import Market
import Storage

/// The market readings and events the store supports, point-in-time.
public struct MarketQueries: Sendable {
    public let config: DivergenceConfig
    public let store: Store

    public init(config: DivergenceConfig, store: Store) {
        self.config = config
        self.store = store
    }

    /// Stored prices and hashrate knowable at `asOf` (a daily point counts from the end of its UTC day).
    public func history(asOf: Date) throws(StoreError) -> MarketHistory {
        MarketHistory(prices: try store.prices().filter { $0.day.end <= asOf }, hashrate: try store.hashrate().filter { $0.day.end <= asOf })
    }

    /// Every technical reading as of `asOf`; nil when no candle is knowable then.
    public func technicals(asOf: Date) throws(StoreError) -> TechnicalsSnapshot? {
        TechnicalRegime.technicals(try history(asOf: asOf), asOf: asOf, costModel: config.productionCost, weights: config.regimeWeights, freshness: config.freshness)
    }

    /// Dated events (twists, capitulation start/end, buy signals, crosses, price vs cost) between two days, inclusive.
    public func events(from: UTCDay?, to: UTCDay?, asOf: Date) throws(StoreError) -> [MarketEvent] {
        MarketEvents.list(try history(asOf: asOf), costModel: config.productionCost).filter { event in
            (from.map { event.day >= $0 } ?? true) && (to.map { event.day <= $0 } ?? true)
        }
    }

    /// Forward 30/90/180-day outcomes of every event.
    public func eventOutcomes(asOf: Date) throws(StoreError) -> [EventOutcome] {
        let history = try history(asOf: asOf)
        return EventStudy.outcomes(MarketEvents.list(history, costModel: config.productionCost), prices: history.prices)
    }
}
