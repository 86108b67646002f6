import Foundation

/// Weights of the regime signals (any non-negative scale; R divides by their sum over the signals present).
public struct RegimeWeights: Sendable, Codable, Equatable {
    public var productionCost: Double
    public var hashRibbon: Double
    public var ichimoku: Double
    public var support: Double
    public var trend: Double
    public var momentum: Double
    public var drawdown: Double

    /// Weights for each signal.
    public init(productionCost: Double, hashRibbon: Double, ichimoku: Double, support: Double, trend: Double,
                momentum: Double, drawdown: Double) {
        self.productionCost = productionCost
        self.hashRibbon = hashRibbon
        self.ichimoku = ichimoku
        self.support = support
        self.trend = trend
        self.momentum = momentum
        self.drawdown = drawdown
    }

    /// Defaults: production cost 0.20, hash ribbon 0.15, Ichimoku 0.15, support 0.10, trend 0.15, momentum 0.10,
    /// drawdown 0.15.
    public static let defaults = RegimeWeights(productionCost: 0.20, hashRibbon: 0.15, ichimoku: 0.15, support: 0.10,
                                               trend: 0.15, momentum: 0.10, drawdown: 0.15)

    enum CodingKeys: String, CodingKey {
        case productionCost = "production_cost", hashRibbon = "hash_ribbon", ichimoku, support, trend, momentum,
             drawdown
    }

    /// The weight of a signal id (`TechnicalRegime.signalIDs`); 0 for an unknown id.
    public func weight(of id: String) -> Double {
        switch id {
        case "production_cost": productionCost
        case "hash_ribbon": hashRibbon
        case "ichimoku": ichimoku
        case "support": support
        case "trend": trend
        case "momentum": momentum
        case "drawdown": drawdown
        default: 0
        }
    }
}

/// One regime signal: its raw value, weight, score (−1 bearish … +1 bullish) and share of R.
public struct RegimeSignal: Sendable, Codable, Equatable {
    /// Stable identifier, e.g. `production_cost`.
    public var id: String
    /// Human name, e.g. "Price vs production cost".
    public var name: String
    /// The signal's headline value (units in `explanation`); nil when it has none.
    public var value: Double?
    public var weight: Double
    /// −1 (bearish) … +1 (bullish), by the rule documented on `TechnicalRegime`.
    public var score: Double
    /// weight × score × 100 / Σ weights of the signals present; the contributions sum to R.
    public var contribution: Double
    /// One line with numbers and units.
    public var explanation: String
    /// The UTC day of the candle or sample it read (the common day of both for production cost).
    public var dataDay: UTCDay? = nil

    enum CodingKeys: String, CodingKey {
        case id, name, value, weight, score, contribution, explanation, dataDay = "data_day"
    }
}

/// The technical regime R as of an instant: −100 (deeply bearish) … +100, with its label and signals.
public struct RegimeAssessment: Sendable, Codable, Equatable {
    public var asOf: Date
    /// −100 … +100.
    public var score: Double
    /// `capitulation` (R ≤ −60), `bear` (≤ −20), `neutral` (< 20), `bull` (< 60), `euphoria` (≥ 60).
    public var label: String
    public var signals: [RegimeSignal]
    /// Signals omitted for lack of data, and the renormalisation note; empty when all were present.
    public var notes: [String]
    /// Signals left out because their input is older than its freshness limit (null, with the reason).
    public var stale: [StaleReading] = []
    /// Share (0–1) of the weight of the signals with data that is stale.
    public var staleShare: Double = 0

    enum CodingKeys: String, CodingKey {
        case asOf = "as_of", score, label, signals, notes, stale, staleShare = "stale_share"
    }

    /// The label for a score on −100 … +100.
    public static func label(for score: Double) -> String {
        switch score {
        case ...(-60): return "capitulation"
        case ...(-20): return "bear"
        case ..<20: return "neutral"
        case ..<60: return "bull"
        default: return "euphoria"
        }
    }
}

/// Price and hashrate history, cleaned on creation (sorted, last row wins per day); UTC days.
public struct MarketHistory: Sendable {
    public private(set) var prices: [PriceCandle]
    public private(set) var hashrate: [HashrateSample]
    public private(set) var priceReport: SeriesReport
    public private(set) var hashrateReport: SeriesReport

    /// Cleans and stores both series.
    public init(prices: [PriceCandle], hashrate: [HashrateSample]) {
        (self.prices, self.priceReport) = SeriesCleaning.clean(prices)
        (self.hashrate, self.hashrateReport) = SeriesCleaning.clean(hashrate)
    }

    /// Only the rows knowable at `asOf`: days whose end (next 00:00 UTC) is ≤ `asOf`.
    public func knowable(asOf: Date) -> MarketHistory {
        let last = UTCDay.lastComplete(asOf: asOf)
        var copy = self
        copy.prices = Array(prices.prefix { $0.day <= last })
        copy.hashrate = Array(hashrate.prefix { $0.day <= last })
        return copy
    }
}
