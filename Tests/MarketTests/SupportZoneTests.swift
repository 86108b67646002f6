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

    @Test("swing lows are the lowest low within ±radius days")
    func swings() {
        // Lows 100 (day 2), 103 (day 7), 101.5 (day 12) are the minimum of their ±2-day windows; 94 (day 17) too.
        #expect(Self.rule.swingLows(Self.candles()).map(\.index) == [2, 7, 12, 17])
    }

    @Test("lows within the tolerance of a zone's lowest low cluster together", arguments: [
        (0.04, [SupportZone(low: 100, high: 103, touches: 3)]),
        (0.02, [SupportZone(low: 100, high: 101.5, touches: 2), SupportZone(low: 103, high: 103, touches: 1)]),
    ])
    func cluster(tolerance: Double, zones: [SupportZone]) {
        var rule = Self.rule
        rule.tolerance = tolerance
        #expect(rule.cluster([103, 100, 101.5]) == zones)
    }

    @Test("the nearest zone below the price, its distance, and only confirmed swing lows")
    func position() throws {
        let candles = Self.candles(), rule = Self.rule, swings = rule.swingLows(candles)
        // Day 13: the day-12 low is not confirmed until day 14, so the zone is [100, 103] from two lows.
        let early = rule.position(at: 13, candles: candles, swings: swings)
        #expect(early.zones == [SupportZone(low: 100, high: 103, touches: 2)])
        // Day 16 (close 110): zone [100, 103] with three lows; distance 110/103 − 1.
        let later = rule.position(at: 16, candles: candles, swings: swings)
        let nearest = try #require(later.nearest)
        #expect(nearest == SupportZone(low: 100, high: 103, touches: 3))
        #expect(abs(later.distance! - (110.0 / 103 - 1)) < 1e-12)
        #expect(later.broken == nil)
    }

    @Test("a zone above the price that a recent close held is reported broken")
    func broken() {
        // Day 17 closes at 96, under the [100, 103] zone that day 16's close (110) was above.
        let candles = Self.candles(), rule = Self.rule
        let position = rule.position(at: 17, candles: candles, swings: rule.swingLows(candles))
        #expect(position.nearest == nil)
        #expect(position.broken == SupportZone(low: 100, high: 103, touches: 3))
    }

    @Test("a price inside a zone has distance 0")
    func inside() {
        var lows = Self.lows
        lows[16] = 100
        let candles = Self.candles(lows), rule = Self.rule
        let position = rule.position(at: 16, candles: candles, swings: rule.swingLows(candles))
        #expect(position.distance == 0)
        #expect(position.nearest == SupportZone(low: 100, high: 103, touches: 3))
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
