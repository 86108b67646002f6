import Foundation

/// The technical regime R (DESIGN.md "Regime R"): seven signals each mapped to −1…+1 and combined by weight.
///
/// Point-in-time: only candles and samples whose day ended at or before `asOf` are read, and only weekly candles
/// whose Sunday ended at or before it. Rules (clamp(x) limits x to −1…+1):
/// - `production_cost`: gap = price / all-in cost − 1 on the 7-day mean hashrate; score = clamp(gap / 0.3).
/// - `hash_ribbon`: capitulation −1; recovery (no buy signal yet) 0; normal with a buy signal in the last 60 days +1;
///   otherwise +0.5.
/// - `ichimoku`: mean of cloud colour (±1), weekly close vs drawn cloud (above +1, inside 0, below −1) and the
///   latest twist if within 26 weeks (±1, else 0); omitted before the cloud exists (77 weeks).
/// - `support`: a zone broken in the last 30 days −1; price under every zone −1; inside a zone 0; above the nearest
///   zone by d: clamp(d / 0.15) (0…+1).
/// - `trend`: mean of the available clamp((Mayer − 1) / 0.5), 50-day vs 200-day SMA (±1) and
///   clamp((price / 200-week average − 1) / 0.5).
/// - `momentum`: mean of the available clamp((RSI14 − 50) / 20) and clamp(MACD histogram / (1% of price)).
/// - `drawdown`: clamp(1 + drawdown / 0.25): 0 at a 25% drawdown, −1 at 50% or worse, +1 at a high.
/// R = Σ weight × score / Σ weight × 100 over the signals present; missing signals are listed in `notes`.
///
/// Freshness: a signal whose input is older than its limit (`FreshnessLimits`, in days behind the as-of day) is left
/// out of R and listed in `stale` with its reason; price signals go stale with the last candle, the hash ribbon with
/// the last hashrate sample, and production cost (price and hashrate read for the latest day both have) when that
/// common day is older than the larger of the two limits.
public enum TechnicalRegime {
    /// Identifiers of the seven signals, in report order.
    public static let signalIDs = ["production_cost", "hash_ribbon", "ichimoku", "support", "trend", "momentum",
                                   "drawdown"]

    /// The human name of each signal id.
    public static let signalNames = [
        "production_cost": "Price vs production cost", "hash_ribbon": "Hash ribbon", "ichimoku": "Weekly Ichimoku",
        "support": "Support zones", "trend": "Trend", "momentum": "Momentum", "drawdown": "Drawdown from high",
    ]

    /// R as of `asOf`, from the rows of `history` knowable then.
    public static func assess(_ history: MarketHistory, asOf: Date, costModel: ProductionCostModel,
                              weights: RegimeWeights, freshness: FreshnessLimits = .defaults) -> RegimeAssessment {
        evaluate(history, asOf: asOf, costModel: costModel, weights: weights, freshness: freshness).0
    }

    /// Every technical reading as of `asOf`; nil when no candle is knowable then.
    public static func technicals(_ history: MarketHistory, asOf: Date, costModel: ProductionCostModel,
                                  weights: RegimeWeights, freshness: FreshnessLimits = .defaults) -> TechnicalsSnapshot? {
        evaluate(history, asOf: asOf, costModel: costModel, weights: weights, freshness: freshness).1
    }

    /// R at the end of every UTC day from `from` to `to` (inclusive), each exactly as `assess` at that day's end.
    ///
    /// Indicators are computed once over the whole history (they are causal), then read day by day.
    public static func assessEveryDay(_ history: MarketHistory, from: UTCDay, to: UTCDay,
                                      costModel: ProductionCostModel, weights: RegimeWeights,
                                      freshness: FreshnessLimits = .defaults) -> [RegimeAssessment] {
        guard from <= to else { return [] }
        let timeline = MarketTimeline(history)
        var cursor = MarketTimeline.Cursor()
        var result: [RegimeAssessment] = []
        result.reserveCapacity(from.days(to: to) + 1)
        var day = from
        while day <= to {
            result.append(timeline.snapshot(day: day, asOf: day.end, cursor: &cursor, costModel: costModel,
                                            weights: weights, freshness: freshness).0)
            day = day.adding(days: 1)
        }
        return result
    }

    static func evaluate(_ history: MarketHistory, asOf: Date, costModel: ProductionCostModel,
                         weights: RegimeWeights, freshness: FreshnessLimits) -> (RegimeAssessment, TechnicalsSnapshot?) {
        let timeline = MarketTimeline(history.knowable(asOf: asOf))
        var cursor = MarketTimeline.Cursor()
        return timeline.snapshot(day: UTCDay.lastComplete(asOf: asOf), asOf: asOf, cursor: &cursor,
                                 costModel: costModel, weights: weights, freshness: freshness)
    }

    static func clamp(_ value: Double, _ low: Double = -1, _ high: Double = 1) -> Double {
        value.isNaN ? 0 : min(max(value, low), high)
    }

    static func combine(_ signals: [RegimeSignal], asOf: Date, omitted: [String],
                        stale: [StaleReading] = []) -> RegimeAssessment {
        let total = signals.reduce(0) { $0 + $1.weight }
        var scored = signals
        var score = 0.0
        if total > 0 {
            for index in scored.indices {
                scored[index].contribution = scored[index].weight * scored[index].score * 100 / total
                score += scored[index].contribution
            }
        }
        var notes: [String] = []
        if !omitted.isEmpty {
            notes.append("omitted for lack of data: \(omitted.joined(separator: ", ")); "
                         + "weights renormalised over \(signals.count) signal\(signals.count == 1 ? "" : "s")")
        }
        return RegimeAssessment(asOf: asOf, score: score, label: RegimeAssessment.label(for: score),
                                signals: scored, notes: notes, stale: stale,
                                staleShare: StaleReading.share(stale: stale, liveWeight: total))
    }

    static func signal(_ id: String, _ name: String, value: Double?, weight: Double, score: Double,
                       _ explanation: String) -> RegimeSignal {
        RegimeSignal(id: id, name: name, value: value, weight: weight, score: clamp(score), contribution: 0,
                     explanation: explanation)
    }

    static func costSignal(price: Double, allIn: Double, weight: Double) -> RegimeSignal {
        let gap = price / allIn - 1
        let text = gap < 0
            ? "price \(Format.usd(price)) is \(Format.percent(gap)) under the all-in production cost "
                + "\(Format.usd(allIn)) (loss \(Format.usd(allIn - price))/coin)"
            : "price \(Format.usd(price)) is \(Format.percent(gap)) over the all-in production cost "
                + "\(Format.usd(allIn)) (margin \(Format.usd(price - allIn))/coin)"
        return signal("production_cost", "Price vs production cost", value: gap, weight: weight,
                      score: clamp(gap / 0.3), text)
    }

    static func ribbonSignal(_ day: HashRibbonDay, today: UTCDay, weight: Double) -> RegimeSignal {
        let spread = day.sma30 / day.sma60 - 1
        let averages = "30d \(Format.fixed(day.sma30, 0)) EH/s vs 60d \(Format.fixed(day.sma60, 0)) EH/s"
        let since = day.since.map { " since \($0.iso)" } ?? ""
        let score: Double
        let text: String
        switch day.state {
        case .capitulation:
            score = -1
            text = "hash ribbon in capitulation\(since) (\(averages), \(Format.percent(spread)) under; "
                + "deepest \(Format.percent(day.depth)))"
        case .recovery:
            score = 0
            text = "hash ribbon recovered\(since), awaiting a buy signal (\(averages))"
        case .normal:
            if let buy = day.lastBuySignal, buy.day.days(to: today) <= 60 {
                score = 1
                text = "hash ribbon buy signal \(buy.day.iso) at \(Format.usd(buy.price)) (\(averages))"
            } else {
                score = 0.5
                text = "hash ribbon normal (\(averages), \(Format.percent(spread)) \(spread >= 0 ? "over" : "under"))"
            }
        }
        return signal("hash_ribbon", "Hash ribbon", value: spread, weight: weight, score: score, text)
    }

    static func ichimokuSignal(_ bar: IchimokuBar, twist: KumoTwist?, weight: Double) -> RegimeSignal? {
        guard let colour = bar.cloud, let position = bar.priceVersusCloud, let a = bar.cloudA, let b = bar.cloudB
        else { return nil }
        let colourScore: Double = colour == .bullish ? 1 : -1
        let positionScore: Double = switch position {
        case .above: 1
        case .inside: 0
        case .below: -1
        }
        var twistScore = 0.0
        var twistText = "the cloud ahead has not changed colour in 26 weeks"
        if let twist, twist.weekEnding.days(to: bar.weekEnding) <= 26 * 7 {
            twistScore = twist.direction == .bullish ? 1 : -1
            let order = twist.direction == .bullish ? "over" : "under"
            twistText = "the cloud ahead turned \(twist.direction.rawValue) in the week ending \(twist.weekEnding.iso) "
                + "(span A crossed \(order) span B; it reaches price 26 weeks later)"
        }
        let top = max(a, b), bottom = min(a, b)
        let value: Double = switch position {
        case .above: bar.close / top - 1
        case .below: bar.close / bottom - 1
        case .inside: 0
        }
        let text = "weekly close \(Format.usd(bar.close)) (week ending \(bar.weekEnding.iso)) \(position.rawValue) the cloud now "
            + "(\(colour.rawValue), \(Format.usd(bottom))–\(Format.usd(top))); \(twistText)"
        return signal("ichimoku", "Weekly Ichimoku", value: value, weight: weight,
                      score: (colourScore + positionScore + twistScore) / 3, text)
    }

    static func supportSignal(_ position: SupportPosition, price: Double, weight: Double) -> RegimeSignal {
        func band(_ zone: SupportZone) -> String {
            "\(Format.usd(zone.low))–\(Format.usd(zone.high)) (\(zone.touches) touch\(zone.touches == 1 ? "" : "es"))"
        }
        if let broken = position.broken {
            return signal("support", "Support zones", value: price / broken.low - 1, weight: weight, score: -1,
                          "price \(Format.usd(price)) broke support \(band(broken)) within 30 days, "
                            + "\(Format.percent(price / broken.low - 1)) under it")
        }
        guard let nearest = position.nearest, let distance = position.distance else {
            let lowest = position.zones.first.map(band) ?? "none"
            return signal("support", "Support zones", value: nil, weight: weight, score: -1,
                          "price \(Format.usd(price)) is under every support zone (lowest \(lowest))")
        }
        if distance == 0 {
            return signal("support", "Support zones", value: 0, weight: weight, score: 0,
                          "price \(Format.usd(price)) is testing support \(band(nearest))")
        }
        return signal("support", "Support zones", value: distance, weight: weight, score: clamp(distance / 0.15, 0, 1),
                      "price \(Format.usd(price)) is \(Format.percent(distance)) above support \(band(nearest))")
    }

    static func trendSignal(price: Double, mayer: Double?, sma50: Double?, sma200: Double?,
                            lastCross: (UTCDay, CrossKind)?, sma200w: Double?, weight: Double) -> RegimeSignal? {
        var scores: [Double] = []
        var parts: [String] = []
        if let mayer {
            scores.append(clamp((mayer - 1) / 0.5))
            parts.append("Mayer multiple \(Format.fixed(mayer, 2))")
        }
        if let sma50, let sma200 {
            scores.append(sma50 > sma200 ? 1 : -1)
            let cross = lastCross.map { " (\($0.1 == .golden ? "golden" : "death") cross \($0.0.iso))" } ?? ""
            parts.append("50d SMA \(Format.usd(sma50)) \(sma50 > sma200 ? "over" : "under") 200d "
                         + "\(Format.usd(sma200))\(cross)")
        }
        if let sma200w {
            let ratio = price / sma200w - 1
            scores.append(clamp(ratio / 0.5))
            parts.append("price \(Format.percent(ratio)) \(ratio >= 0 ? "over" : "under") the 200-week average "
                         + Format.usd(sma200w))
        }
        guard !scores.isEmpty else { return nil }
        return signal("trend", "Trend", value: mayer, weight: weight, score: scores.reduce(0, +) / Double(scores.count),
                      parts.joined(separator: "; "))
    }

    static func momentumSignal(price: Double, rsi: Double?, macd: MACDPoint?, weight: Double) -> RegimeSignal? {
        var scores: [Double] = []
        var parts: [String] = []
        if let rsi {
            scores.append(clamp((rsi - 50) / 20))
            parts.append("RSI(14) \(Format.fixed(rsi, 1))")
        }
        if let macd {
            scores.append(clamp(macd.histogram / (0.01 * price)))
            parts.append("MACD histogram \(Format.usd(macd.histogram)) (line \(Format.usd(macd.macd)) vs signal "
                         + "\(Format.usd(macd.signal)))")
        }
        guard !scores.isEmpty else { return nil }
        return signal("momentum", "Momentum", value: rsi, weight: weight,
                      score: scores.reduce(0, +) / Double(scores.count), parts.joined(separator: "; "))
    }

    static func drawdownSignal(drawdown: Double, peak: Double, peakDay: UTCDay, weight: Double) -> RegimeSignal {
        let text = drawdown == 0
            ? "close at its high \(Format.usd(peak)) (\(peakDay.iso))"
            : "close \(Format.percent(drawdown)) below the high \(Format.usd(peak)) (\(peakDay.iso))"
        return signal("drawdown", "Drawdown from high", value: drawdown, weight: weight,
                      score: clamp(1 + drawdown / 0.25), text)
    }
}
