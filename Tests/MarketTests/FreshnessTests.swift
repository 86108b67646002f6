import Foundation
import Testing
@testable import Market

@Suite("Freshness of the regime's inputs")
struct FreshnessTests {
    /// Weights of the five signals read from candles alone (defaults): Ichimoku 0.15, support 0.10, trend 0.15,
    /// momentum 0.10, drawdown 0.15.
    static let priceOnlyWeight = 0.15 + 0.10 + 0.15 + 0.10 + 0.15

    @Test("a last candle older than the price limit makes every price signal null with the reason")
    func staleCandles() throws {
        let last = SyntheticMarket.start.adding(days: 699)
        let history = SyntheticMarket.history(days: 700)
        // Four days after the last candle: prices are stale (4 > 3); hashrate (4 ≤ 7) and the cost on their common
        // day (4 ≤ max(3, 7)) are not.
        let asOf = last.adding(days: 4).end
        let result = TechnicalRegime.assess(history, asOf: asOf, costModel: .defaults, weights: .defaults)
        #expect(result.signals.map(\.id) == ["production_cost", "hash_ribbon"])
        #expect(result.stale.map(\.id) == ["ichimoku", "support", "trend", "momentum", "drawdown"])
        #expect(result.stale.allSatisfy { $0.reason == "stale: last candle \(last.iso)" && $0.dataDay == last })
        #expect(abs(result.staleShare - Self.priceOnlyWeight / 1.0) < 1e-12)
        // R is renormalised over the two live signals only: (0.20 × s_cost + 0.15 × s_ribbon) / 0.35 × 100.
        let cost = try #require(result.signals.first), ribbon = try #require(result.signals.last)
        #expect(abs(result.score - (0.20 * cost.score + 0.15 * ribbon.score) / 0.35 * 100) < 1e-9)
        #expect(cost.dataDay == last && ribbon.dataDay == last)
        // The cost signal is the one the last day showed when fresh.
        let fresh = TechnicalRegime.assess(history, asOf: last.end, costModel: .defaults, weights: .defaults)
        #expect(fresh.stale.isEmpty && fresh.staleShare == 0)
        #expect(fresh.signals.first { $0.id == "production_cost" }?.score == cost.score)
    }

    @Test("past both limits every signal is stale and R has nothing to score")
    func everythingStale() {
        let last = SyntheticMarket.start.adding(days: 699)
        let result = TechnicalRegime.assess(SyntheticMarket.history(days: 700), asOf: last.adding(days: 8).end,
                                            costModel: .defaults, weights: .defaults)
        #expect(result.signals.isEmpty)
        #expect(result.stale.count == 7)
        #expect(result.staleShare == 1)
        #expect(result.stale.first { $0.id == "hash_ribbon" }?.reason == "stale: last hashrate sample \(last.iso)")
        #expect(result.stale.first { $0.id == "production_cost" }?.reason
                == "stale: last day with both price and hashrate \(last.iso)")
    }

    @Test("limits come from the caller: a 10-day price limit keeps 4-day-old candles live")
    func configuredLimits() {
        let last = SyntheticMarket.start.adding(days: 699)
        let result = TechnicalRegime.assess(SyntheticMarket.history(days: 700), asOf: last.adding(days: 4).end,
                                            costModel: .defaults, weights: .defaults,
                                            freshness: FreshnessLimits(priceDays: 10, hashrateDays: 10))
        #expect(result.stale.isEmpty)
        #expect(result.signals.count == 7)
    }

    @Test("production cost reads price and hashrate for the latest day both have")
    func commonDay() throws {
        // Prices to day 699, hashrate to day 696: the cost is read for day 696 with that day's close and the 7-day
        // mean of samples 690…696, never the day-699 close against a day-696 hashrate.
        let common = SyntheticMarket.start.adding(days: 696)
        let history = MarketHistory(prices: SyntheticMarket.prices(days: 700), hashrate: SyntheticMarket.hashrate(days: 697))
        let asOf = SyntheticMarket.start.adding(days: 699).end
        let snapshot = try #require(TechnicalRegime.technicals(history, asOf: asOf, costModel: .defaults, weights: .defaults))
        let samples = SyntheticMarket.hashrate(days: 697).suffix(7).map(\.exahashesPerSecond)
        let mean7 = samples.reduce(0, +) / 7
        let close = SyntheticMarket.prices(days: 697)[696].close
        let allIn = ProductionCostModel.defaults.cost(on: common, hashrateEHs: mean7).allInUSD
        let cost = try #require(snapshot.productionCost)
        #expect(cost.day == common)
        #expect(cost.price == close)
        #expect(abs(cost.allIn - allIn) < 1e-6)
        #expect(abs((snapshot.costGap ?? 0) - (close / allIn - 1)) < 1e-12)
        #expect(snapshot.priceDay == SyntheticMarket.start.adding(days: 699))
        #expect(snapshot.hashrateDay == common)
        #expect(snapshot.regime.signals.first { $0.id == "production_cost" }?.dataDay == common)
    }

    @Test("every day of a daily run judges freshness exactly as a single assessment")
    func everyDayMatches() {
        let history = SyntheticMarket.history(days: 700)
        let from = SyntheticMarket.start.adding(days: 695), to = SyntheticMarket.start.adding(days: 712)
        let all = TechnicalRegime.assessEveryDay(history, from: from, to: to, costModel: .defaults, weights: .defaults)
        for (offset, assessment) in all.enumerated() {
            #expect(assessment == TechnicalRegime.assess(history, asOf: from.adding(days: offset).end,
                                                         costModel: .defaults, weights: .defaults))
        }
        #expect(all.last?.signals.isEmpty == true)
    }
}

@Suite("Number format")
struct NumberFormatTests {
    @Test("dollars, hashrates and indicator values are grouped by thousands one way everywhere", arguments: [
        (Format.usd(64_478), "$64,478"), (Format.usd(-22_500.4), "-$22,500"), (Format.fixed(1_129.4, 0), "1,129"),
        (Format.fixed(-6_742.3, 0), "-6,742"), (Format.fixed(913, 0), "913"), (Format.fixed(1_234_567.891, 2), "1,234,567.89"),
    ])
    func grouped(_ text: String, _ expected: String) {
        #expect(text == expected)
    }
}
