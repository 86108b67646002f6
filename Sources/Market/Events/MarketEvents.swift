import Foundation

/// Kinds of dated market events.
public enum MarketEventKind: String, Sendable, Codable, CaseIterable {
    case bearishTwist = "bearish_twist", bullishTwist = "bullish_twist"
    case capitulationStart = "capitulation_start", capitulationEnd = "capitulation_end"
    case buySignal = "buy_signal"
    case deathCross = "death_cross", goldenCross = "golden_cross"
    case priceBelowCost = "price_below_cost", priceAboveCost = "price_above_cost"
}

/// A dated market event; `day` is the UTC day (or week's Sunday) at whose end it became knowable.
public struct MarketEvent: Sendable, Codable, Equatable {
    public var kind: MarketEventKind
    public var day: UTCDay
    /// One line with numbers and units.
    public var detail: String
}

/// Lists the dated events in a history: Kumo twists, hash-ribbon episodes and buys, 50/200 crosses, cost crossings.
public enum MarketEvents {
    /// Every event, ascending by day (ties in `MarketEventKind` order).
    ///
    /// Capitulation episodes are the merged ones (flickers ≤ 7 days apart joined); production-cost crossings compare
    /// the close with the all-in cost on the 7-day mean hashrate of the same day.
    public static func list(_ history: MarketHistory, costModel: ProductionCostModel = .defaults) -> [MarketEvent] {
        let prices = history.prices, hashrate = history.hashrate
        var events: [MarketEvent] = []
        let ichimoku = IchimokuWeekly(weeks: WeeklyCandle.weeks(from: prices))
        for twist in ichimoku.twists {
            events.append(MarketEvent(kind: twist.direction == .bearish ? .bearishTwist : .bullishTwist,
                                      day: twist.weekEnding, detail: "\(twist.direction.rawValue) weekly Kumo twist"))
        }
        let ribbon = HashRibbon(hashrate: hashrate, prices: prices)
        for episode in ribbon.episodes {
            events.append(MarketEvent(kind: .capitulationStart, day: episode.start,
                                      detail: "hash-ribbon capitulation starts"))
            if let end = episode.end {
                events.append(MarketEvent(kind: .capitulationEnd, day: end,
                                          detail: "capitulation ends after \(episode.lengthDays) days, deepest "
                                            + Format.percent(episode.depth)))
            }
        }
        for buy in ribbon.buySignals {
            events.append(MarketEvent(kind: .buySignal, day: buy.day, detail: "hash-ribbon buy at \(Format.usd(buy.price))"))
        }
        let closes = prices.map(\.close)
        for cross in Indicators.crosses(fast: Indicators.sma(closes, period: 50),
                                        slow: Indicators.sma(closes, period: 200)) {
            events.append(MarketEvent(kind: cross.kind == .golden ? .goldenCross : .deathCross,
                                      day: prices[cross.index].day,
                                      detail: "50-day SMA crosses \(cross.kind == .golden ? "above" : "below") the 200-day "
                                        + "at \(Format.usd(closes[cross.index]))"))
        }
        let trend = HashrateTrendDay.series(hashrate)
        var trendIndex = -1
        var below: Bool?
        for candle in prices {
            while trendIndex + 1 < trend.count, trend[trendIndex + 1].day <= candle.day { trendIndex += 1 }
            guard trendIndex >= 0 else { continue }
            let cost = costModel.cost(on: candle.day, hashrateEHs: trend[trendIndex].mean7).allInUSD
            let now = candle.close < cost
            if let was = below, was != now {
                events.append(MarketEvent(kind: now ? .priceBelowCost : .priceAboveCost, day: candle.day,
                                          detail: "close \(Format.usd(candle.close)) \(now ? "below" : "above") "
                                            + "all-in cost \(Format.usd(cost))"))
            }
            below = now
        }
        let order = Dictionary(uniqueKeysWithValues: MarketEventKind.allCases.enumerated().map { ($1, $0) })
        return events.sorted { $0.day != $1.day ? $0.day < $1.day : order[$0.kind]! < order[$1.kind]! }
    }
}

/// Forward outcome of one event: returns and worst drawdown over 30, 90 and 180 days (fractions; nil past the data).
public struct EventOutcome: Sendable, Codable, Equatable {
    public var event: MarketEvent
    /// Close at the event day, USD.
    public var close: Double
    /// close(day + h) / close(day) − 1 for h = 30, 90, 180.
    public var forwardReturn: [Int: Double]
    /// min close over (day, day + h] / close(day) − 1 (≤ 0) for h = 30, 90, 180.
    public var maxDrawdown: [Int: Double]
}

/// Summary of one horizon across events: count, median and worst return and drawdown (fractions).
public struct EventHorizonSummary: Sendable, Codable, Equatable {
    public var horizonDays: Int
    public var count: Int
    public var medianReturn: Double?
    public var worstReturn: Double?
    public var medianMaxDrawdown: Double?
    public var worstMaxDrawdown: Double?
}

/// Event study: what the price did 30/90/180 days after each event.
public enum EventStudy {
    /// Horizons studied, days.
    public static let horizons = [30, 90, 180]

    /// Outcomes of `events` against daily closes in `prices` (sorted); an event on a day without a candle is skipped.
    ///
    /// A horizon counts only when a candle exists exactly h days later.
    public static func outcomes(_ events: [MarketEvent], prices: [PriceCandle]) -> [EventOutcome] {
        var indexByDay: [UTCDay: Int] = [:]
        for (index, candle) in prices.enumerated() { indexByDay[candle.day] = index }
        return events.compactMap { event in
            guard let start = indexByDay[event.day] else { return nil }
            let close = prices[start].close
            var returns: [Int: Double] = [:], drawdowns: [Int: Double] = [:]
            for horizon in horizons {
                guard let end = indexByDay[event.day.adding(days: horizon)] else { continue }
                returns[horizon] = prices[end].close / close - 1
                let lowest = prices[(start + 1)...end].map(\.close).min() ?? close
                drawdowns[horizon] = min(lowest / close - 1, 0)
            }
            return EventOutcome(event: event, close: close, forwardReturn: returns, maxDrawdown: drawdowns)
        }
    }

    /// Count, median and worst per horizon over `outcomes`.
    public static func summary(_ outcomes: [EventOutcome]) -> [EventHorizonSummary] {
        func median(_ values: [Double]) -> Double? {
            guard !values.isEmpty else { return nil }
            let sorted = values.sorted(), middle = sorted.count / 2
            return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        }
        return horizons.map { horizon in
            let returns = outcomes.compactMap { $0.forwardReturn[horizon] }
            let drawdowns = outcomes.compactMap { $0.maxDrawdown[horizon] }
            return EventHorizonSummary(horizonDays: horizon, count: returns.count, medianReturn: median(returns),
                                       worstReturn: returns.min(), medianMaxDrawdown: median(drawdowns),
                                       worstMaxDrawdown: drawdowns.min())
        }
    }
}
