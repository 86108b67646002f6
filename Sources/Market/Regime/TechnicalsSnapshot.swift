import Foundation

/// Every technical reading behind R at one instant, for reports and JSON (snake_case keys); USD, EH/s, fractions.
public struct TechnicalsSnapshot: Sendable, Codable, Equatable {
    /// Production cost per BTC, USD, on the day's 7-day mean hashrate.
    public struct Cost: Sendable, Codable, Equatable {
        public var electricity: Double
        public var allIn: Double
        public var efficiencyJPerTH: Double
        public var electricityUSDPerKWh: Double
        public var subsidyBTC: Double
        /// The latest UTC day both price and hashrate have: the cost and `price` are read for it.
        public var day: UTCDay? = nil
        /// The close of `day`, USD.
        public var price: Double? = nil
        enum CodingKeys: String, CodingKey {
            case electricity, allIn = "all_in", efficiencyJPerTH = "efficiency_j_per_th",
                 electricityUSDPerKWh = "electricity_usd_per_kwh", subsidyBTC = "subsidy_btc", day, price
        }
    }

    /// Hashrate trend: 7-day mean (EH/s), its peak and date, drawdown from the peak (≤ 0).
    public struct Hashrate: Sendable, Codable, Equatable {
        public var currentEHs: Double
        public var peakEHs: Double
        public var peakDate: UTCDay
        public var drawdown: Double
        enum CodingKeys: String, CodingKey {
            case currentEHs = "current_ehs", peakEHs = "peak_ehs", peakDate = "peak_date", drawdown
        }
    }

    /// Hash-ribbon reading.
    public struct Ribbon: Sendable, Codable, Equatable {
        public var state: HashRibbonState
        public var since: UTCDay?
        public var sma30: Double
        public var sma60: Double
        public var lastBuySignal: HashRibbonBuySignal?
        enum CodingKeys: String, CodingKey {
            case state, since, sma30, sma60, lastBuySignal = "last_buy_signal"
        }
    }

    /// Weekly Ichimoku at the last complete week; spans are the cloud drawn at that week (shifted 26).
    public struct Ichimoku: Sendable, Codable, Equatable {
        public var weekEnding: UTCDay
        public var close: Double
        public var tenkan: Double?
        public var kijun: Double?
        public var spanA: Double?
        public var spanB: Double?
        public var cloud: CloudColour?
        public var priceVsCloud: PriceVersusCloud?
        public var lastTwist: KumoTwist?
        enum CodingKeys: String, CodingKey {
            case weekEnding = "week_ending", close, tenkan, kijun, spanA = "span_a", spanB = "span_b", cloud,
                 priceVsCloud = "price_vs_cloud", lastTwist = "last_twist"
        }

        /// Every key written, a span or cloud not yet drawn as `null`.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(weekEnding, forKey: .weekEnding)
            try container.encode(close, forKey: .close)
            try container.encode(tenkan, forKey: .tenkan)
            try container.encode(kijun, forKey: .kijun)
            try container.encode(spanA, forKey: .spanA)
            try container.encode(spanB, forKey: .spanB)
            try container.encode(cloud, forKey: .cloud)
            try container.encode(priceVsCloud, forKey: .priceVsCloud)
            try container.encode(lastTwist, forKey: .lastTwist)
        }
    }

    /// Regime score and its signals.
    public struct Regime: Sendable, Codable, Equatable {
        public var score: Double
        public var label: String
        public var signals: [RegimeSignal]
        /// Signals left out because their input is stale, with the reason.
        public var stale: [StaleReading] = []
        /// Share (0–1) of the weight of the signals with data that is stale.
        public var staleShare: Double = 0
        enum CodingKeys: String, CodingKey {
            case score, label, signals, stale, staleShare = "stale_share"
        }
    }

    public var asOf: Date
    /// The last complete UTC day used.
    public var day: UTCDay
    /// Day of the last candle used (≤ `day`).
    public var priceDay: UTCDay?
    /// Day of the last hashrate sample used (≤ `day`).
    public var hashrateDay: UTCDay? = nil
    /// Last close, USD.
    public var price: Double
    public var productionCost: Cost?
    /// price / all-in cost − 1.
    public var costGap: Double?
    /// all-in cost − price, USD per BTC (negative when miners profit).
    public var minerLossPerCoin: Double?
    public var hashrate: Hashrate?
    public var hashRibbon: Ribbon?
    public var ichimokuWeekly: Ichimoku?
    public var rsi14: Double?
    public var macd: MACDPoint?
    public var mayerMultiple: Double?
    /// 200-week average of weekly closes, USD.
    public var sma200w: Double?
    /// close / running max close − 1.
    public var drawdown: Double
    public var supportZones: [SupportZone]
    public var nearestSupport: SupportZone?
    public var brokenSupport: SupportZone?
    public var stress: MinerStress?
    /// USD per PH/s per day on the last hashrate sample's day, with its percentile since 2016.
    public var hashprice: Hashprice?
    public var regime: Regime
    /// Readings that are null for lack of history, each with why (`HistoryNeed`); their keys are written as `null`.
    public var unavailable: [UnavailableReading] = []

    enum CodingKeys: String, CodingKey {
        case asOf = "as_of", day, priceDay = "price_day", hashrateDay = "hashrate_day", price, productionCost = "production_cost", costGap = "cost_gap",
             minerLossPerCoin = "miner_loss_per_coin", hashrate, hashRibbon = "hash_ribbon",
             ichimokuWeekly = "ichimoku_weekly", rsi14, macd, mayerMultiple = "mayer_multiple", sma200w, drawdown,
             supportZones = "support_zones", nearestSupport = "nearest_support", brokenSupport = "broken_support",
             stress, hashprice, regime, unavailable
    }

    /// Every key written, a missing reading as `null` (its reason, when it lacks history, is in `unavailable`).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(asOf, forKey: .asOf)
        try container.encode(day, forKey: .day)
        try container.encode(priceDay, forKey: .priceDay)
        try container.encode(hashrateDay, forKey: .hashrateDay)
        try container.encode(price, forKey: .price)
        try container.encode(productionCost, forKey: .productionCost)
        try container.encode(costGap, forKey: .costGap)
        try container.encode(minerLossPerCoin, forKey: .minerLossPerCoin)
        try container.encode(hashrate, forKey: .hashrate)
        try container.encode(hashRibbon, forKey: .hashRibbon)
        try container.encode(ichimokuWeekly, forKey: .ichimokuWeekly)
        try container.encode(rsi14, forKey: .rsi14)
        try container.encode(macd, forKey: .macd)
        try container.encode(mayerMultiple, forKey: .mayerMultiple)
        try container.encode(sma200w, forKey: .sma200w)
        try container.encode(drawdown, forKey: .drawdown)
        try container.encode(supportZones, forKey: .supportZones)
        try container.encode(nearestSupport, forKey: .nearestSupport)
        try container.encode(brokenSupport, forKey: .brokenSupport)
        try container.encode(stress, forKey: .stress)
        try container.encode(hashprice, forKey: .hashprice)
        try container.encode(regime, forKey: .regime)
        try container.encode(unavailable, forKey: .unavailable)
    }

    /// Why `reading` is null for lack of history, or nil.
    public func reasonUnavailable(_ reading: String) -> String? {
        unavailable.first { $0.reading == reading }?.reason
    }
}
