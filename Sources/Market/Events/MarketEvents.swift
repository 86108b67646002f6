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
    /// Capitulation episodes are the merged ones (flickers ≤ 7 days apart joined); a buy signal follows its episode's
    /// end by at least 7 days. Production-cost crossings compare the close with the all-in cost on the 7-day mean
    /// hashrate of the same day and count only when confirmed (see `costCrossings`).
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
            let end = ribbon.episodes.last { $0.end.map { $0 <= buy.day } ?? false }?.end
            let after = end.map { ", \($0.days(to: buy.day)) days after the capitulation ended \($0.iso)" } ?? ""
            events.append(MarketEvent(kind: .buySignal, day: buy.day,
                                      detail: "hash-ribbon buy at \(Format.usd(buy.price)) (10-day SMA over 20-day\(after))"))
        }
        let closes = prices.map(\.close)
        for cross in Indicators.crosses(fast: Indicators.sma(closes, period: 50),
                                        slow: Indicators.sma(closes, period: 200)) {
            events.append(MarketEvent(kind: cross.kind == .golden ? .goldenCross : .deathCross,
                                      day: prices[cross.index].day,
                                      detail: "50-day SMA crosses \(cross.kind == .golden ? "above" : "below") the 200-day "
                                        + "at \(Format.usd(closes[cross.index]))"))
        }
        events += costCrossings(history, costModel: costModel)
        let order = Dictionary(uniqueKeysWithValues: MarketEventKind.allCases.enumerated().map { ($1, $0) })
        return events.sorted { $0.day != $1.day ? $0.day < $1.day : order[$0.kind]! < order[$1.kind]! }
    }
}

extension MarketEvents {
    /// Price-vs-cost crossings: the close must sit beyond the all-in cost by more than `crossingBand` on
    /// `crossingConfirmCloses` consecutive days; the event is dated at the confirming close (when it became knowable).
    ///
    /// The side starts as the first close's (no event); any close short of the band restarts the count.
    public static func costCrossings(_ history: MarketHistory, costModel: ProductionCostModel) -> [MarketEvent] {
        let trend = DailyCost(history, model: costModel).days
        let band = costModel.crossingBand, needed = max(1, costModel.crossingConfirmCloses)
        var events: [MarketEvent] = []
        var trendIndex = -1
        var below: Bool?
        var run = 0
        for candle in history.prices {
            while trendIndex + 1 < trend.count, trend[trendIndex + 1].day <= candle.day { trendIndex += 1 }
            guard trendIndex >= 0 else { continue }
            // The latest hashrate day up to the candle's, with that day's stored fees (DailyCost); the subsidy of the candle's day.
            let cost = costModel.cost(on: candle.day, hashrateEHs: trend[trendIndex].hashrateEHs, feesPerBlock: trend[trendIndex].feesPerBlock).allInUSD
            guard let side = below else {
                below = candle.close < cost
                continue
            }
            let beyond = side ? candle.close > cost * (1 + band) : candle.close < cost * (1 - band)
            run = beyond ? run + 1 : 0
            guard run >= needed else { continue }
            below = !side
            run = 0
            events.append(MarketEvent(kind: side ? .priceAboveCost : .priceBelowCost, day: candle.day,
                                      detail: "close \(Format.usd(candle.close)) \(side ? "above" : "below") all-in cost "
                                        + "\(Format.usd(cost)), \(needed) closes beyond \(Format.percent(band))"))
        }
        return events
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

/// Summary of one horizon across independent events, beside the unconditional return over the same years (fractions).
public struct EventHorizonSummary: Sendable, Codable, Equatable {
    public var horizonDays: Int
    /// Independent occurrences with a close h days later: each at least h days after the previous one kept.
    public var count: Int
    /// Every occurrence with a close h days later, before declustering.
    public var occurrences: Int
    public var medianReturn: Double?
    public var worstReturn: Double?
    public var medianMaxDrawdown: Double?
    public var worstMaxDrawdown: Double?
    /// Median h-day return over every day of the calendar years the occurrences span (the baseline).
    public var baselineMedianReturn: Double?
    /// First and last calendar year of the baseline.
    public var baselineYears: ClosedRange<Int>?
    /// Why the median and worst figures are null (no independent occurrence with a close h days later), else nil.
    public var reason: String? = nil

    enum CodingKeys: String, CodingKey {
        case horizonDays, count, occurrences, medianReturn, worstReturn, medianMaxDrawdown, worstMaxDrawdown, baselineMedianReturn,
             baselineYears, reason
    }

    /// Every key written, a missing figure as `null` beside `reason`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(horizonDays, forKey: .horizonDays)
        try container.encode(count, forKey: .count)
        try container.encode(occurrences, forKey: .occurrences)
        try container.encode(medianReturn, forKey: .medianReturn)
        try container.encode(worstReturn, forKey: .worstReturn)
        try container.encode(medianMaxDrawdown, forKey: .medianMaxDrawdown)
        try container.encode(worstMaxDrawdown, forKey: .worstMaxDrawdown)
        try container.encode(baselineMedianReturn, forKey: .baselineMedianReturn)
        try container.encode(baselineYears, forKey: .baselineYears)
        try container.encode(reason, forKey: .reason)
    }
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

    /// Per horizon: independent occurrences (declustered), their median and worst return and drawdown, and the
    /// unconditional median return over the same calendar years of `prices` (sorted daily candles).
    public static func summary(_ outcomes: [EventOutcome], prices: [PriceCandle]) -> [EventHorizonSummary] {
        let sorted = outcomes.sorted { $0.event.day < $1.event.day }
        let years = sorted.first.map { first in first.event.day.components.year...(sorted.last?.event.day.components.year ?? first.event.day.components.year) }
        return horizons.map { horizon in
            let withReturn = sorted.filter { $0.forwardReturn[horizon] != nil }
            var independent: [EventOutcome] = []
            for outcome in withReturn {
                if let last = independent.last, last.event.day.days(to: outcome.event.day) < horizon { continue }
                independent.append(outcome)
            }
            let returns = independent.compactMap { $0.forwardReturn[horizon] }
            let drawdowns = independent.compactMap { $0.maxDrawdown[horizon] }
            return EventHorizonSummary(horizonDays: horizon, count: returns.count, occurrences: withReturn.count,
                                       medianReturn: median(returns), worstReturn: returns.min(),
                                       medianMaxDrawdown: median(drawdowns), worstMaxDrawdown: drawdowns.min(),
                                       baselineMedianReturn: years.flatMap { baseline(prices, horizon: horizon, years: $0) },
                                       baselineYears: years,
                                       reason: returns.isEmpty ? noOccurrence(horizon: horizon, prices: prices) : nil)
        }
    }

    /// Why a horizon has no figure: no occurrence with a close `horizon` days later in the stored prices.
    static func noOccurrence(horizon: Int, prices: [PriceCandle]) -> String {
        let span = prices.first.map { "\($0.day.iso) … \(prices.last?.day.iso ?? $0.day.iso)" } ?? "none stored"
        return "no occurrence with a close \(horizon) days later in the stored prices (\(span))"
    }

    /// Median close(d + h) / close(d) − 1 over every day d in `years` with a candle h days later.
    static func baseline(_ prices: [PriceCandle], horizon: Int, years: ClosedRange<Int>) -> Double? {
        var indexByDay: [UTCDay: Int] = [:]
        for (index, candle) in prices.enumerated() { indexByDay[candle.day] = index }
        let returns = prices.compactMap { candle -> Double? in
            guard years.contains(candle.day.components.year), let end = indexByDay[candle.day.adding(days: horizon)] else { return nil }
            return prices[end].close / candle.close - 1
        }
        return median(returns)
    }

    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted(), middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// The study per event kind present in `outcomes`, in `MarketEventKind` order.
    public static func study(_ outcomes: [EventOutcome], prices: [PriceCandle]) -> [EventKindStudy] {
        MarketEventKind.allCases.compactMap { kind in
            let ofKind = outcomes.filter { $0.event.kind == kind }
            return ofKind.isEmpty ? nil : EventKindStudy(kind: kind, horizons: summary(ofKind, prices: prices))
        }
    }
}

/// The event study of one event kind: a summary per horizon.
public struct EventKindStudy: Sendable, Codable, Equatable {
    public var kind: MarketEventKind
    public var horizons: [EventHorizonSummary]
}
