import Foundation
import Testing
@testable import Market

@Suite("Indicators")
struct IndicatorTests {
    static func close(_ a: Double?, _ b: Double?, _ tolerance: Double = 1e-9) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case let (x?, y?): return abs(x - y) <= tolerance
        default: return false
        }
    }

    static func same(_ a: [Double?], _ b: [Double?]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { close($0, $1) }
    }

    @Test("SMA is nil during warm-up and then the mean of the last N")
    func sma() {
        #expect(Self.same(Indicators.sma([1, 2, 3, 4, 5], period: 3), [nil, nil, 2, 3, 4]))
        #expect(Self.same(Indicators.sma([1, 2], period: 3), [nil, nil]))
    }

    @Test("EMA is seeded with the SMA of the first N, then α = 2/(N+1)")
    func ema() {
        // N = 3, α = 0.5: seed (2+4+6)/3 = 4; 4 + 0.5 × (8 − 4) = 6; 6 + 0.5 × (12 − 6) = 9.
        #expect(Self.same(Indicators.ema([2, 4, 6, 8, 12], period: 3), [nil, nil, 4, 6, 9]))
        #expect(Self.same(Indicators.ema([2, 4], period: 3), [nil, nil]))
    }

    @Test("Wilder RSI seeded with the simple mean of the first N changes")
    func rsi() {
        // Closes 10, 11, 10, 12, 13, 12 → changes +1, −1, +2, +1, −1; N = 3.
        // Seed: gain (1+0+2)/3 = 1, loss (0+1+0)/3 = 1/3 → RS 3 → RSI 75.
        // +1: gain (1×2+1)/3 = 1, loss (1/3×2)/3 = 2/9 → RS 4.5 → 100 − 100/5.5 = 81.8181…
        // −1: gain (1×2)/3 = 2/3, loss (2/9×2+1)/3 = 13/27 → RS 18/13 → 100 − 1300/31 = 58.0645…
        let values = Indicators.rsi([10, 11, 10, 12, 13, 12], period: 3)
        let expected: [Double?] = [nil, nil, nil, 75, 100 - 100 / 5.5, 100 - 1300.0 / 31]
        #expect(Self.same(values, expected))
    }

    @Test("RSI is 100 without losses, 50 on a flat series, and nil until 15 closes for RSI(14)")
    func rsiEdges() {
        #expect(Indicators.rsi([1, 2, 3, 4], period: 3).last! == 100)
        #expect(Indicators.rsi([5, 5, 5, 5], period: 3).last! == 50)
        let fourteen = Indicators.rsi((0..<15).map(Double.init))
        #expect(fourteen[13] == nil && fourteen[14] == 100)
    }

    @Test("MACD line, signal and histogram on a small series")
    func macd() throws {
        // fast 2 (α 2/3), slow 3 (α 1/2), signal 2 on closes 1, 3, 2, 6, 4, 8:
        // EMA2: 2, 2, 14/3, 38/9, 182/27 (from index 1); EMA3: 2, 4, 4, 6 (from index 2).
        // Line (from index 2): 0, 2/3, 2/9, 20/27. Signal seeded at index 3 with (0 + 2/3)/2 = 1/3;
        // then 1/3 + 2/3 (2/9 − 1/3) = 7/27; 7/27 + 2/3 (20/27 − 7/27) = 47/81.
        let points = Indicators.macd([1, 3, 2, 6, 4, 8], fast: 2, slow: 3, signal: 2)
        #expect(points[0] == nil && points[1] == nil && points[2] == nil)
        let third = try #require(points[3]), last = try #require(points[5])
        #expect(Self.close(third.macd, 2.0 / 3) && Self.close(third.signal, 1.0 / 3) && Self.close(third.histogram, 1.0 / 3))
        #expect(Self.close(points[4]?.signal, 7.0 / 27))
        #expect(Self.close(last.macd, 20.0 / 27) && Self.close(last.signal, 47.0 / 81) && Self.close(last.histogram, 13.0 / 81))
        #expect(Indicators.macd(Array(repeating: 1, count: 34)).firstIndex { $0 != nil } == 33)
    }

    @Test("Mayer multiple is close over the N-day SMA")
    func mayer() {
        #expect(Self.same(Indicators.mayerMultiple([1, 2, 3, 6], period: 3), [nil, nil, 1.5, 18.0 / 11]))
    }

    @Test("drawdown is close over running max close minus one")
    func drawdown() {
        #expect(Indicators.drawdown([10, 12, 9, 6, 13]) == [0, 0, -0.25, -0.5, 0])
    }

    @Test("golden and death crosses are dated at the first bar on the new side; ties keep the side")
    func crosses() {
        let events = Indicators.crosses(fast: [nil, 1, 3, 2, 2, 5], slow: [nil, 2, 2, 2, 3, 4])
        #expect(events == [CrossEvent(index: 2, kind: .golden), CrossEvent(index: 4, kind: .death),
                           CrossEvent(index: 5, kind: .golden)])
    }

    @Test("weekly candles cover Monday–Sunday UTC and only complete weeks count")
    func weeks() {
        let monday = UTCDay(year: 2026, month: 2, day: 2)
        let daily = (0..<15).map { offset in
            PriceCandle(day: monday.adding(days: offset), open: Double(offset), high: Double(offset) + 10,
                        low: Double(offset) - 1, close: Double(offset) + 0.5)
        }
        let weeks = WeeklyCandle.weeks(from: daily, asOf: monday.adding(days: 14).end)
        #expect(weeks == [
            WeeklyCandle(weekEnding: UTCDay(year: 2026, month: 2, day: 8), open: 0, high: 16, low: -1, close: 6.5),
            WeeklyCandle(weekEnding: UTCDay(year: 2026, month: 2, day: 15), open: 7, high: 23, low: 6, close: 13.5),
        ])
        let early = WeeklyCandle.weeks(from: daily, asOf: UTCDay(year: 2026, month: 2, day: 15).end.addingTimeInterval(-1))
        #expect(early.map(\.weekEnding) == [UTCDay(year: 2026, month: 2, day: 8)])
        #expect(Self.same(WeeklyCandle.movingAverage(weeks, period: 2), [nil, 10]))
    }

    @Test("hashrate 7-day mean, running peak with its day, and drawdown from it")
    func hashrateTrend() {
        let start = UTCDay(year: 2025, month: 10, day: 1)
        let values: [Double] = [7, 7, 7, 7, 7, 7, 7, 14, 0, 0]
        let trend = HashrateTrendDay.series(values.enumerated().map {
            HashrateSample(day: start.adding(days: $0.offset), exahashesPerSecond: $0.element)
        })
        // Means from index 6: 7, 8, 7, 6 → peak 8 on day 7; drawdowns 0, 0, 7/8 − 1, 6/8 − 1.
        #expect(trend.map(\.mean7) == [7, 8, 7, 6])
        #expect(trend.last?.peak == 8 && trend.last?.peakDay == start.adding(days: 7))
        #expect(trend.map(\.drawdown) == [0, 0, -0.125, -0.25])
    }
}

@Suite("Indicator causality")
struct IndicatorCausalityTests {
    /// A deterministic wobbly series (linear congruential noise around a trend).
    static let series: [Double] = {
        var state: UInt64 = 42
        return (0..<120).map { index in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return 100 + Double(index) * 0.3 + Double(state >> 40) / Double(1 << 24) * 10
        }
    }()

    @Test("each indicator on a prefix equals the prefix of the indicator on the whole series", arguments: [40, 77, 119])
    func prefix(length: Int) {
        let full = Self.series, cut = Array(full.prefix(length))
        #expect(Indicators.sma(cut, period: 20) == Array(Indicators.sma(full, period: 20).prefix(length)))
        #expect(Indicators.ema(cut, period: 12) == Array(Indicators.ema(full, period: 12).prefix(length)))
        #expect(Indicators.rsi(cut) == Array(Indicators.rsi(full).prefix(length)))
        #expect(Indicators.macd(cut) == Array(Indicators.macd(full).prefix(length)))
        #expect(Indicators.mayerMultiple(cut, period: 30) == Array(Indicators.mayerMultiple(full, period: 30).prefix(length)))
        #expect(Indicators.drawdown(cut) == Array(Indicators.drawdown(full).prefix(length)))
    }
}
