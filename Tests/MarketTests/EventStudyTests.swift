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
        let summary = EventStudy.summary(outcomes)
        #expect(summary.map(\.count) == [2, 2, 1])
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

    @Test("explanations format dollars and percentages with grouping", arguments: [
        (64_478.4, "$64,478"), (-22_662.0, "-$22,662"), (999.5, "$1,000"), (0.0, "$0"),
    ])
    func dollars(value: Double, text: String) {
        #expect(Format.usd(value) == text)
    }
}
