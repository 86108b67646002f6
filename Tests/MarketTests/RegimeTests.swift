import Foundation
import Testing
@testable import Market

/// A deterministic synthetic market: cycling prices and a rising, wobbling hashrate, starting 2022-01-03.
/// Prices cycling ±30% every 180 days on a slow 1%-per-100-days trend (so successive lows form support zones), and a
/// hashrate cycling ±40 EH/s every 120 days on a rising trend.
enum SyntheticMarket {
    static let start = UTCDay(year: 2022, month: 1, day: 3)

    static func prices(days: Int) -> [PriceCandle] {
        (0..<days).map { t in
            let x = Double(t)
            let close = 30_000 * (1 + 0.3 * sin(2 * .pi * x / 180)) * (1 + x / 10_000)
            return PriceCandle(day: start.adding(days: t), open: close * 0.995, high: close * 1.02, low: close * 0.98,
                               close: close, volume: 1e9)
        }
    }

    static func hashrate(days: Int) -> [HashrateSample] {
        (0..<days).map { t in
            let x = Double(t)
            return HashrateSample(day: start.adding(days: t), exahashesPerSecond: 200 + 40 * sin(2 * .pi * x / 120) + x / 4)
        }
    }

    static func history(days: Int) -> MarketHistory {
        MarketHistory(prices: prices(days: days), hashrate: hashrate(days: days))
    }
}

@Suite("Technical regime")
struct RegimeTests {
    @Test("assessment at T is identical when data after T is appended", arguments: [420, 600, 700])
    func pointInTime(offset: Int) {
        let day = SyntheticMarket.start.adding(days: offset)
        let asOf = day.end
        let cut = SyntheticMarket.history(days: offset + 1)
        var laterPrices = SyntheticMarket.prices(days: offset + 200)
        for index in (offset + 1)..<laterPrices.count {
            laterPrices[index].open *= 3
            laterPrices[index].high *= 3
            laterPrices[index].low *= 3
            laterPrices[index].close *= 3
        }
        let full = MarketHistory(prices: laterPrices, hashrate: SyntheticMarket.hashrate(days: offset + 200).map {
            HashrateSample(day: $0.day, exahashesPerSecond: $0.day > day ? 1 : $0.exahashesPerSecond)
        })
        let a = TechnicalRegime.assess(cut, asOf: asOf, costModel: .defaults, weights: .defaults)
        let b = TechnicalRegime.assess(full, asOf: asOf, costModel: .defaults, weights: .defaults)
        #expect(a == b)
        // The weekly cloud needs 52 + 26 − 1 = 77 complete weeks (≈ day 545), so at day 420 Ichimoku is omitted.
        #expect(a.signals.count == (offset < 545 ? 6 : 7))
        #expect(a.notes.isEmpty == (offset >= 545))
        #expect(TechnicalRegime.technicals(cut, asOf: asOf, costModel: .defaults, weights: .defaults)
                == TechnicalRegime.technicals(full, asOf: asOf, costModel: .defaults, weights: .defaults))
        // Mid-day: the day's candle is not yet knowable, so the reading is the previous day's.
        let midDay = TechnicalRegime.technicals(full, asOf: day.start.addingTimeInterval(43_200),
                                                costModel: .defaults, weights: .defaults)
        #expect(midDay?.day == day.adding(days: -1))
        #expect(midDay?.price == SyntheticMarket.prices(days: offset)[offset - 1].close)
    }

    @Test("R for every day equals the one-off assessment at each day's end")
    func everyDay() {
        let history = SyntheticMarket.history(days: 720)
        let from = SyntheticMarket.start.adding(days: 300), to = SyntheticMarket.start.adding(days: 719)
        let all = TechnicalRegime.assessEveryDay(history, from: from, to: to, costModel: .defaults, weights: .defaults)
        #expect(all.count == 420)
        for offset in [0, 1, 57, 200, 419] {
            let day = from.adding(days: offset)
            #expect(all[offset] == TechnicalRegime.assess(history, asOf: day.end, costModel: .defaults,
                                                          weights: .defaults))
        }
    }

    @Test("R is the weighted mean of scores × 100 and contributions sum to it")
    func combine() {
        // Weights 0.2 and 0.1 (sum 0.3): contributions 0.2 × −1 × 100 / 0.3 = −66.67 and 0.1 × 0.5 × 100 / 0.3 = 16.67.
        let signals = [
            TechnicalRegime.signal("a", "A", value: nil, weight: 0.2, score: -1, "a"),
            TechnicalRegime.signal("b", "B", value: nil, weight: 0.1, score: 0.5, "b"),
        ]
        let result = TechnicalRegime.combine(signals, asOf: Date(timeIntervalSince1970: 0), omitted: ["c"])
        #expect(abs(result.score - -50) < 1e-9)
        #expect(abs(result.signals[0].contribution - -200.0 / 3) < 1e-9)
        #expect(abs(result.signals[1].contribution - 100.0 / 6) < 1e-9)
        #expect(result.label == "bear")
        #expect(result.notes == ["omitted for lack of data: c; weights renormalised over 2 signals"])
    }

    @Test("signals without data are omitted and the rest renormalised")
    func missingHashrate() {
        let history = MarketHistory(prices: SyntheticMarket.prices(days: 600), hashrate: [])
        let result = TechnicalRegime.assess(history, asOf: SyntheticMarket.start.adding(days: 599).end,
                                            costModel: .defaults, weights: .defaults)
        #expect(result.signals.map(\.id) == ["ichimoku", "support", "trend", "momentum", "drawdown"])
        #expect(abs(result.signals.reduce(0) { $0 + $1.contribution } - result.score) < 1e-9)
        #expect(result.notes.first?.contains("production_cost, hash_ribbon") == true)
        let empty = TechnicalRegime.assess(MarketHistory(prices: [], hashrate: []), asOf: Date(),
                                           costModel: .defaults, weights: .defaults)
        #expect(empty.score == 0 && empty.signals.isEmpty && empty.label == "neutral")
    }

    @Test("labels by score band", arguments: [
        (-100.0, "capitulation"), (-60.0, "capitulation"), (-59.9, "bear"), (-20.0, "bear"), (-19.9, "neutral"),
        (19.9, "neutral"), (20.0, "bull"), (59.9, "bull"), (60.0, "euphoria"), (100.0, "euphoria"),
    ])
    func labels(score: Double, label: String) {
        #expect(RegimeAssessment.label(for: score) == label)
    }

    @Test("production-cost signal maps the gap through clamp(gap / 0.3) and explains it in dollars")
    func costSignal() {
        // 64,478 / 87,140 − 1 = −0.26006 → score −0.86687; loss 87,140 − 64,478 = 22,662.
        let signal = TechnicalRegime.costSignal(price: 64_478, allIn: 87_140, weight: 0.2)
        #expect(signal.explanation == "price $64,478 is 26.0% under the all-in production cost $87,140 (loss $22,662/coin)")
        #expect(abs(signal.score - (64_478.0 / 87_140 - 1) / 0.3) < 1e-12)
        #expect(TechnicalRegime.costSignal(price: 200_000, allIn: 87_140, weight: 0.2).score == 1)
    }

    @Test("signal rules for ribbon states, drawdown and momentum", arguments: [
        (HashRibbonState.capitulation, -1.0), (.recovery, 0.0), (.normal, 0.5),
    ])
    func ribbonRule(state: HashRibbonState, score: Double) {
        let day = HashRibbonDay(day: SyntheticMarket.start, sma30: 95, sma60: 100, state: state, since: nil,
                                lastBuySignal: nil, depth: 0.05)
        #expect(TechnicalRegime.ribbonSignal(day, today: SyntheticMarket.start, weight: 1).score == score)
    }

    @Test("drawdown and momentum rules")
    func otherRules() {
        // clamp(1 + dd / 0.25): −0.125 → 0.5; −0.6 → −1. RSI 60 → 0.5; histogram 0.5% of price → 0.5.
        let day = SyntheticMarket.start
        #expect(TechnicalRegime.drawdownSignal(drawdown: -0.125, peak: 100, peakDay: day, weight: 1).score == 0.5)
        #expect(TechnicalRegime.drawdownSignal(drawdown: -0.6, peak: 100, peakDay: day, weight: 1).score == -1)
        let momentum = TechnicalRegime.momentumSignal(price: 1_000, rsi: 60,
                                                      macd: MACDPoint(macd: 10, signal: 5, histogram: 5), weight: 1)
        #expect(abs(momentum!.score - 0.5) < 1e-12)
    }

    @Test("technicals snapshot encodes with the snake_case keys reports rely on")
    func jsonKeys() throws {
        let history = SyntheticMarket.history(days: 700)
        let snapshot = try #require(TechnicalRegime.technicals(history, asOf: SyntheticMarket.start.adding(days: 699).end,
                                                              costModel: .defaults, weights: .defaults))
        let data = try JSONEncoder().encode(snapshot)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        for key in ["as_of", "price", "production_cost", "cost_gap", "miner_loss_per_coin", "hashrate", "hash_ribbon",
                    "ichimoku_weekly", "rsi14", "macd", "mayer_multiple", "drawdown", "support_zones", "stress",
                    "regime"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        let cost = try #require(object["production_cost"] as? [String: Any])
        #expect(Set(cost.keys).isSuperset(of: ["electricity", "all_in", "efficiency_j_per_th", "electricity_usd_per_kwh"]))
        let hashrate = try #require(object["hashrate"] as? [String: Any])
        #expect(Set(hashrate.keys) == ["current_ehs", "peak_ehs", "peak_date", "drawdown"])
        let ribbon = try #require(object["hash_ribbon"] as? [String: Any])
        #expect(Set(ribbon.keys).isSuperset(of: ["state", "sma30", "sma60"]))
        let ichimoku = try #require(object["ichimoku_weekly"] as? [String: Any])
        #expect(Set(ichimoku.keys).isSuperset(of: ["tenkan", "kijun", "span_a", "span_b", "cloud", "price_vs_cloud"]))
        let macd = try #require(object["macd"] as? [String: Any])
        #expect(Set(macd.keys) == ["macd", "signal", "histogram"])
        let regime = try #require(object["regime"] as? [String: Any])
        #expect((regime["signals"] as? [Any])?.count == 7)
        #expect(try JSONDecoder().decode(TechnicalsSnapshot.self, from: data) == snapshot)
    }
}
