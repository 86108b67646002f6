import Foundation
import Testing
@testable import Market

@Suite("Support zones")
struct SupportZoneTests {
    static let start = UTCDay(year: 2025, month: 1, day: 1)
    static let lows: [Double] = [110, 108, 100, 108, 110, 112, 109, 103, 109, 112, 115, 113, 101.5, 113, 116, 118,
                                 108, 94, 96, 97]

    static func candles(_ lows: [Double] = lows) -> [PriceCandle] {
        lows.enumerated().map { offset, low in
            PriceCandle(day: start.adding(days: offset), open: low + 1, high: low + 3, low: low, close: low + 2)
        }
    }

    static var rule: SupportZones {
        var rule = SupportZones()
        rule.radius = 2
        return rule
    }

    /// Low, high and touches of each zone, for comparing bands without their last touch and rank.
    static func bands(_ zones: [SupportZone]) -> [[Double]] { zones.map { [$0.low, $0.high, Double($0.touches)] } }

    static func swing(_ price: Double, day: Int) -> SwingLow {
        SwingLow(index: day, day: start.adding(days: day), price: price, confirmedIndex: day, weekly: false)
    }

    @Test("swing lows are the lowest low within ±radius days, confirmed radius days later")
    func swings() {
        // Lows 100 (day 2), 103 (day 7), 101.5 (day 12) are the minimum of their ±2-day windows; 94 (day 17) too.
        // Twenty days are too few weeks for a weekly pivot (±3 weeks).
        let swings = Self.rule.swingLows(Self.candles())
        #expect(swings.map(\.index) == [2, 7, 12, 17])
        #expect(swings.map(\.confirmedIndex) == [4, 9, 14, 19])
    }

    @Test("lows within the tolerance cluster; a zone needs two touches", arguments: [
        (0.04, [[100, 103, 3]]),
        (0.01, []),
    ])
    func cluster(tolerance: Double, zones: [[Double]]) {
        var rule = Self.rule
        rule.tolerance = tolerance
        #expect(Self.bands(rule.cluster([Self.swing(103, day: 1), Self.swing(100, day: 2), Self.swing(101.5, day: 3)])) == zones)
    }

    @Test("neighbouring groups within the tolerance merge, and a zone is never a single price")
    func mergeAndWidth() throws {
        // 3%: 100 and 102.5 group (≤ 103), 103.5 and 106 group (≤ 106.6); 103.5 ≤ 102.5 × 1.03 = 105.575 → one zone.
        var rule = Self.rule
        rule.tolerance = 0.03
        let merged = rule.cluster([100, 102.5, 103.5, 106].enumerated().map { Self.swing($1, day: $0) })
        #expect(Self.bands(merged) == [[100, 106, 4]])
        // Two lows at exactly 100 widen to 1% of the midpoint: 99.5…100.5.
        let single = try #require(rule.cluster([Self.swing(100, day: 1), Self.swing(100, day: 5)]).first)
        #expect(abs(single.low - 99.5) < 1e-9 && abs(single.high - 100.5) < 1e-9 && single.touches == 2)
    }

    @Test("zones rank by touches, then by the most recent touch")
    func ranking() {
        // 50-band: 3 touches (days 1–3); 80-band: 2 touches, last day 20; 120-band: 2 touches, last day 10.
        // Every band is wider than 1% of its midpoint, so none is widened.
        let lows = [Self.swing(50, day: 1), Self.swing(51, day: 2), Self.swing(50.6, day: 3),
                    Self.swing(80, day: 19), Self.swing(81, day: 20), Self.swing(120, day: 9), Self.swing(122, day: 10)]
        let zones = Self.rule.cluster(lows)
        #expect(zones.map(\.rank) == [1, 2, 3])
        #expect(zones.map(\.lastTouch) == [3, 20, 10].map { Self.start.adding(days: $0) })
        var top2 = Self.rule
        top2.maxZones = 2
        #expect(Self.bands(top2.cluster(lows)) == [[50, 51, 3], [80, 81, 2]])
    }

    @Test("the nearest zone below the price, its distance, and only confirmed swing lows")
    func position() throws {
        let candles = Self.candles(), rule = Self.rule, swings = rule.swingLows(candles)
        // Day 13: the day-12 low is not confirmed until day 14, so the zone is [100, 103] from two lows.
        let early = rule.position(at: 13, candles: candles, swings: swings)
        #expect(Self.bands(early.zones) == [[100, 103, 2]])
        // Day 16 (close 110): zone [100, 103] with three lows; distance 110/103 − 1.
        let later = rule.position(at: 16, candles: candles, swings: swings)
        let nearest = try #require(later.nearest)
        #expect(Self.bands([nearest]) == [[100, 103, 3]])
        #expect(nearest.lastTouch == Self.start.adding(days: 12))
        #expect(abs(later.distance! - (110.0 / 103 - 1)) < 1e-12)
        #expect(later.broken == nil)
    }

    @Test("a zone above the price that a recent close held is reported broken")
    func broken() {
        // Day 17 closes at 96, under the [100, 103] zone that day 16's close (110) was above.
        let candles = Self.candles(), rule = Self.rule
        let position = rule.position(at: 17, candles: candles, swings: rule.swingLows(candles))
        #expect(position.nearest == nil)
        #expect(Self.bands(position.broken.map { [$0] } ?? []) == [[100, 103, 3]])
    }

    @Test("a price inside a zone has distance 0")
    func inside() {
        var lows = Self.lows
        lows[16] = 100
        let candles = Self.candles(lows), rule = Self.rule
        let position = rule.position(at: 16, candles: candles, swings: rule.swingLows(candles))
        #expect(position.distance == 0)
        #expect(Self.bands(position.nearest.map { [$0] } ?? []) == [[100, 103, 3]])
    }

    @Test("weekly pivots confirm at the end of the third week after theirs and count once per day")
    func weekly() {
        // 2025-01-06 is a Monday. Ten weeks of flat lows at 100 except week 4 (days 28…34) dips to 90 on day 30.
        // Daily radius 40 (> the series) leaves only the weekly pivot: day 30, confirmed at week 7's Sunday, day 55.
        let monday = UTCDay(year: 2025, month: 1, day: 6)
        let candles = (0..<70).map { offset in
            let low: Double = offset == 30 ? 90 : 100
            return PriceCandle(day: monday.adding(days: offset), open: low + 1, high: low + 3, low: low, close: low + 2)
        }
        var rule = SupportZones()
        rule.radius = 40
        let swings = rule.swingLows(candles)
        #expect(swings.map(\.index) == [30])
        #expect(swings.map(\.confirmedIndex) == [55])
        #expect(swings.allSatisfy { $0.weekly })
        rule.radius = 2
        #expect(rule.swingLows(candles).filter { $0.index == 30 }.count == 1)
    }
}

@Suite("Support zones as of an instant")
struct SupportZoneAsOfTests {
    @Test("only candles knowable at the instant are used")
    func asOf() throws {
        var rule = SupportZones()
        rule.radius = 2
        let candles = SupportZoneTests.candles()
        // At the end of day 16 the zone holds three lows; a day earlier (day 15) as well; at day 13 only two.
        let day16 = try #require(rule.position(candles: candles, asOf: SupportZoneTests.start.adding(days: 16).end))
        #expect(day16.nearest?.touches == 3)
        let day13 = try #require(rule.position(candles: candles, asOf: SupportZoneTests.start.adding(days: 13).end))
        #expect(day13.zones.map(\.touches) == [2])
        #expect(rule.position(candles: candles, asOf: SupportZoneTests.start.start) == nil)
    }
}
