import Foundation
import Testing
@testable import Market

@Suite("Market events and event study")
struct EventStudyTests {
    static let start = UTCDay(year: 2023, month: 1, day: 1)

    @Test("forward returns and max drawdown at 30/90/180 days, nil past the data")
    func outcomes() throws {
        // Close 100 + t, except day 10 at 90: from day 0, 30-day return 130/100 − 1 = 0.3, drawdown 90/100 − 1 = −0.1;
        // from day 100 (close 200), 30 days → 230/200 − 1 = 0.15, no drawdown; 180 days lies past day 200.
        let prices = (0...200).map { t -> PriceCandle in
            let close = t == 10 ? 90.0 : 100 + Double(t)
            return PriceCandle(day: Self.start.adding(days: t), open: close, high: close, low: close, close: close)
        }
        let events = [MarketEvent(kind: .buySignal, day: Self.start, detail: ""),
                      MarketEvent(kind: .deathCross, day: Self.start.adding(days: 100), detail: ""),
                      MarketEvent(kind: .goldenCross, day: Self.start.adding(days: 500), detail: "")]
        let outcomes = EventStudy.outcomes(events, prices: prices)
        #expect(outcomes.count == 2)
        #expect(abs(outcomes[0].forwardReturn[30]! - 0.3) < 1e-12)
        #expect(abs(outcomes[0].maxDrawdown[30]! - -0.1) < 1e-12)
        #expect(abs(outcomes[0].forwardReturn[180]! - 1.8) < 1e-12)
        #expect(abs(outcomes[1].forwardReturn[30]! - 0.15) < 1e-12)
        #expect(outcomes[1].maxDrawdown[30] == 0)
        #expect(outcomes[1].forwardReturn[180] == nil)
        let summary = EventStudy.summary(outcomes, prices: prices)
        #expect(summary.map(\.count) == [2, 2, 1])
        #expect(summary.map(\.occurrences) == [2, 2, 1])
        #expect(abs(summary[0].medianReturn! - 0.225) < 1e-12)
        #expect(abs(summary[0].worstReturn! - 0.15) < 1e-12)
        #expect(abs(summary[0].worstMaxDrawdown! - -0.1) < 1e-12)
    }

    @Test("event listing finds crosses, twists, ribbon episodes and cost crossings in date order")
    func listing() {
        let events = MarketEvents.list(SyntheticMarket.history(days: 900))
        let kinds = Set(events.map(\.kind))
        #expect(kinds.isSuperset(of: [.goldenCross, .deathCross, .capitulationStart, .capitulationEnd]))
        #expect(events.map(\.day) == events.map(\.day).sorted())
        // At $0.001/kWh the cost is far under every price; at the defaults the post-2024-halving cost (≈ $47k) crosses it.
        var cheap = ProductionCostModel.defaults
        cheap.electricityUSDPerKWh = 0.001
        #expect(!MarketEvents.list(SyntheticMarket.history(days: 900), costModel: cheap).contains {
            $0.kind == .priceBelowCost || $0.kind == .priceAboveCost
        })
        let crossings = events.filter { $0.kind == .priceBelowCost || $0.kind == .priceAboveCost }
        #expect(!crossings.isEmpty)
        #expect(zip(crossings, crossings.dropFirst()).allSatisfy { $0.kind != $1.kind })
    }

    @Test("the study declusters occurrences closer than the horizon and gives the baseline of the same years")
    func declusterAndBaseline() throws {
        // Closes grow 1% a day through 2023–2024, so every 30-day return is 1.01^30 − 1 — the baseline too.
        // Events on days 0, 10 and 50: at 30 days the day-10 one is within 30 days of day 0 → 2 independent of 3;
        // at 90 days only day 0 stands (10 and 50 are within 90 days of it) → 1 of 3.
        let prices = (0..<700).map { t -> PriceCandle in
            let close = 100 * pow(1.01, Double(t))
            return PriceCandle(day: Self.start.adding(days: t), open: close, high: close, low: close, close: close)
        }
        let events = [0, 10, 50].map { MarketEvent(kind: .priceBelowCost, day: Self.start.adding(days: $0), detail: "") }
        let summary = EventStudy.summary(EventStudy.outcomes(events, prices: prices), prices: prices)
        #expect(summary.map(\.count) == [2, 1, 1])
        #expect(summary.map(\.occurrences) == [3, 3, 3])
        let thirty = try #require(summary.first)
        #expect(abs(try #require(thirty.baselineMedianReturn) - (pow(1.01, 30) - 1)) < 1e-9)
        #expect(thirty.baselineYears == 2023...2023)
        let study = EventStudy.study(EventStudy.outcomes(events, prices: prices), prices: prices)
        #expect(study.map(\.kind) == [.priceBelowCost])
    }

    @Test("a price-vs-cost crossing needs the configured closes beyond the band")
    func confirmedCrossings() {
        // Hashrate 913 × 100,000 / 87,648 EH/s puts the 2026 all-in cost at $100,000 (25 J/TH, $0.06, × 1.2).
        // From below: 103k, 99k (inside the 2% band: restarts), 103k, 104k, 105k → above on the third close (day 5);
        // 97.5k, 97k, 101k (restarts), 95k × 3 → below on day 11. Without band or confirmation every raw cross counts.
        let first = UTCDay(year: 2026, month: 1, day: 1)
        let closes: [Double] = [95_000, 103_000, 99_000, 103_000, 104_000, 105_000, 97_500, 97_000, 101_000, 95_000,
                                95_000, 95_000]
        let prices = closes.enumerated().map { offset, close in
            PriceCandle(day: first.adding(days: offset), open: close, high: close, low: close, close: close)
        }
        let hashrate = (-7..<closes.count).map {
            HashrateSample(day: first.adding(days: $0), exahashesPerSecond: 913 * 100_000 / 87_648)
        }
        let history = MarketHistory(prices: prices, hashrate: hashrate)
        var rule = ProductionCostModel.defaults
        rule.crossingBand = 0.02
        rule.crossingConfirmCloses = 3
        let confirmed = MarketEvents.costCrossings(history, costModel: rule)
        #expect(confirmed.map(\.kind) == [.priceAboveCost, .priceBelowCost])
        #expect(confirmed.map(\.day) == [first.adding(days: 5), first.adding(days: 11)])
        var raw = ProductionCostModel.defaults
        raw.crossingBand = 0
        raw.crossingConfirmCloses = 1
        #expect(MarketEvents.costCrossings(history, costModel: raw).map(\.day) == [1, 2, 3, 6, 8, 9].map { first.adding(days: $0) })
    }

    @Test("explanations format dollars and percentages with grouping", arguments: [
        (64_478.4, "$64,478"), (-22_662.0, "-$22,662"), (999.5, "$1,000"), (0.0, "$0"),
    ])
    func dollars(value: Double, text: String) {
        #expect(Format.usd(value) == text)
    }
}
