import Foundation
import Testing
@testable import Market

@Suite("Weekly Ichimoku")
struct IchimokuTests {
    static let firstSunday = UTCDay(year: 2020, month: 1, day: 5)

    static func week(_ index: Int, high: Double, low: Double, close: Double) -> WeeklyCandle {
        WeeklyCandle(weekEnding: firstSunday.adding(days: 7 * index), open: low, high: high, low: low, close: close)
    }

    @Test("Tenkan, Kijun, Senkou A/B, the 26-week shift and Chikou on a rising series")
    func rising() throws {
        // Week i: high 2i + 2, low 2i, close 2i + 1. Tenkan (i ≥ 8) = (2i + 2 + 2(i − 8))/2 = 2i − 7;
        // Kijun (i ≥ 25) = 2i − 24; Senkou A = 2i − 15.5; Senkou B (i ≥ 51) = 2i − 50.
        // At i = 80: 153, 136, 144.5, 110; drawn cloud = spans of week 54: 92.5, 58; Chikou = close(54) = 109.
        let weeks = (0..<81).map { Self.week($0, high: Double(2 * $0 + 2), low: Double(2 * $0), close: Double(2 * $0 + 1)) }
        let ichimoku = IchimokuWeekly(weeks: weeks)
        let bar = try #require(ichimoku.bars.last)
        #expect(bar.tenkan == 153 && bar.kijun == 136 && bar.leadingSpanA == 144.5 && bar.leadingSpanB == 110)
        #expect(bar.cloudA == 92.5 && bar.cloudB == 58 && bar.chikou == 109)
        #expect(bar.cloud == .bullish && bar.priceVersusCloud == .above)
        #expect(ichimoku.bars[7].tenkan == nil && ichimoku.bars[8].tenkan == 9)
        #expect(ichimoku.bars[50].leadingSpanB == nil && ichimoku.bars[76].cloudB == nil && ichimoku.bars[77].cloudB != nil)
        #expect(ichimoku.twists.isEmpty)
    }

    @Test("Kumo twists are dated where the un-shifted A − B changes sign; equal spans keep the sign")
    func twists() throws {
        // Weeks 0…51 at 100 + i; 52…109 at 50; from 110 at 80 (high = low = close).
        // Weeks 52…59: Tenkan = Kijun = B = (151 + 50)/2 = 100.5 → A = B. Week 60: Tenkan 50, A 75.25 < B → bearish.
        // Weeks 103…109: all 50. Week 118 (Tenkan window 110…118 all 80): Kijun (80 + 50)/2 = 65 → A 72.5 > B 65
        // → bullish.
        let values = (0..<140).map { i -> Double in i < 52 ? 100 + Double(i) : i < 110 ? 50 : 80 }
        let ichimoku = IchimokuWeekly(weeks: values.enumerated().map { Self.week($0.offset, high: $0.element,
                                                                                  low: $0.element, close: $0.element) })
        #expect(ichimoku.twists == [
            KumoTwist(direction: .bearish, weekEnding: Self.firstSunday.adding(days: 7 * 60)),
            KumoTwist(direction: .bullish, weekEnding: Self.firstSunday.adding(days: 7 * 118)),
        ])
        #expect(ichimoku.bars[60].leadingSpanA == 75.25 && ichimoku.bars[60].leadingSpanB == 100.5)
        // The bearish twist reaches the drawn cloud 26 weeks later.
        #expect(ichimoku.bars[85].cloud == .bullish)
        #expect(ichimoku.bars[86].cloud == .bearish)
        #expect(ichimoku.bars[86].priceVersusCloud == .below)
    }

    @Test("price inside the drawn cloud is reported as inside")
    func inside() {
        let bar = IchimokuBar(weekEnding: Self.firstSunday, close: 100, cloudA: 90, cloudB: 110)
        #expect(bar.priceVersusCloud == .inside && bar.cloud == .bearish)
    }
}

@Suite("Weekly Ichimoku from daily candles")
struct IchimokuDailyTests {
    @Test("a week counts only once its Sunday has ended")
    func completeWeeksOnly() {
        let monday = UTCDay(year: 2026, month: 1, day: 5)
        let daily = (0..<14).map { offset in
            PriceCandle(day: monday.adding(days: offset), open: 1, high: 2, low: 1, close: 1.5)
        }
        let sunday = monday.adding(days: 13)
        #expect(IchimokuWeekly(daily: daily, asOf: sunday.end).bars.count == 2)
        #expect(IchimokuWeekly(daily: daily, asOf: sunday.end.addingTimeInterval(-1)).bars.count == 1)
    }
}
