import Foundation
import Testing
@testable import Market

@Suite("Series cleaning")
struct SeriesCleaningTests {
    static let base = UTCDay(year: 2026, month: 1, day: 1)

    static func candle(_ offset: Int, close: Double) -> PriceCandle {
        PriceCandle(day: base.adding(days: offset), open: close, high: close, low: close, close: close)
    }

    @Test("sorts, keeps the last row of a duplicated day, and reports gaps without filling them")
    func cleansCandles() {
        let input = [Self.candle(3, close: 3), Self.candle(0, close: 10), Self.candle(1, close: 1),
                     Self.candle(1, close: 11), Self.candle(6, close: 6), Self.candle(7, close: 7)]
        let (cleaned, report) = SeriesCleaning.clean(input)
        #expect(cleaned.map(\.close) == [10, 11, 3, 6, 7])
        #expect(report.duplicates == [Self.base.adding(days: 1)])
        #expect(report.gaps == [Self.base.adding(days: 2)...Self.base.adding(days: 2),
                                Self.base.adding(days: 4)...Self.base.adding(days: 5)])
        #expect(report.outOfOrder == 1)
    }

    @Test("hashrate samples are cleaned the same way")
    func cleansHashrate() {
        let input = [HashrateSample(day: Self.base.adding(days: 1), exahashesPerSecond: 2),
                     HashrateSample(day: Self.base, exahashesPerSecond: 1),
                     HashrateSample(day: Self.base, exahashesPerSecond: 5)]
        let (cleaned, report) = SeriesCleaning.clean(input)
        #expect(cleaned.map(\.exahashesPerSecond) == [5, 2])
        #expect(report.duplicates == [Self.base])
        #expect(report.gaps.isEmpty)
        #expect(report.outOfOrder == 1)
    }

    @Test("rows with non-finite, negative or zero values are dropped and reported, never repaired")
    func invalidRows() {
        var bad = Self.candle(1, close: 5)
        bad.close = .nan
        var inverted = Self.candle(2, close: 5)
        inverted.high = 1
        let (cleaned, report) = SeriesCleaning.clean([Self.candle(0, close: 1), bad, inverted, Self.candle(3, close: 0),
                                                      Self.candle(4, close: 4)])
        #expect(cleaned.map(\.close) == [1, 4])
        #expect(report.invalid == [Self.base.adding(days: 1), Self.base.adding(days: 2), Self.base.adding(days: 3)])
        #expect(report.gaps == [Self.base.adding(days: 1)...Self.base.adding(days: 3)])
        let (samples, hashReport) = SeriesCleaning.clean([
            HashrateSample(day: Self.base, exahashesPerSecond: -1),
            HashrateSample(day: Self.base.adding(days: 1), exahashesPerSecond: .infinity),
            HashrateSample(day: Self.base.adding(days: 2), exahashesPerSecond: 3),
        ])
        #expect(samples.map(\.exahashesPerSecond) == [3])
        #expect(hashReport.invalid == [Self.base, Self.base.adding(days: 1)])
    }

    @Test("hashrate units convert to EH/s", arguments: [
        (HashrateUnit.hashesPerSecond, 9.13e20, 913.0), (.terahashesPerSecond, 9.13e8, 913.0),
        (.exahashesPerSecond, 913.0, 913.0),
    ])
    func units(unit: HashrateUnit, value: Double, expected: Double) {
        #expect(abs(unit.toExahashes(value) - expected) < 1e-9)
    }
}
