import Foundation
import Market
@testable import Reporting
import Testing

@Suite("Technicals sheet")
struct TechnicalsRenderingTests {
    @Test("a reading null for lack of history prints as null with what it needs, never as a number")
    func unavailableRows() throws {
        // 300 days from 2025-01-01 (a Wednesday) to 2025-10-27 (a Monday): 200 closes are there, 200 weeks are not;
        // the last complete week ends Sunday 2025-10-26, and 200 weeks back from it start 2025-10-26 − 1,399 days = 2021-12-27.
        let start = UTCDay(year: 2025, month: 1, day: 1)
        let days = (0..<300).map { start.adding(days: $0) }
        let history = MarketHistory(prices: days.map { PriceCandle(day: $0, open: 100_000, high: 101_000, low: 99_000, close: 100_000) },
                                    hashrate: days.map { HashrateSample(day: $0, exahashesPerSecond: 900) })
        let snapshot = try #require(TechnicalRegime.technicals(history, asOf: days[299].end, costModel: .defaults, weights: .defaults))
        let sheet = TechnicalsRendering.table(snapshot, style: TerminalStyle(colour: false))
        #expect(sheet.contains("  200-week average           null: needs 200 complete weeks of closes (1,400 days) (from 2021-12-27); prices stored from 2025-01-01\n"), "\(sheet)")
        #expect(!sheet.contains("reference levels           200-week average"))
        #expect(sheet.contains("Mayer multiple             1.00"))
        // /metrics says the same: 1 for each reading null for lack of history, 0 for the others.
        let metrics = PrometheusRendering.text(PrometheusRendering.historyFamilies(snapshot))
        #expect(metrics.contains("market_reading_unavailable{reading=\"sma200w\"} 1\n"), "\(metrics)")
        #expect(metrics.contains("market_reading_unavailable{reading=\"mayer_multiple\"} 0\n"), "\(metrics)")
        #expect(metrics.contains("market_reading_unavailable{reading=\"hashprice.percentile_since_2016\"} 1\n"), "\(metrics)")
    }
}
