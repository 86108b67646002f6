import Foundation
@testable import Market
@testable import Reporting
import Testing

/// The chart's axes (Reporting; tested here beside the other Reporting renderers the server serves).
@Suite("Chart ticks")
struct ChartTicksTests {
    @Test("value ticks step by 1, 2 or 5 × 10ᵏ", arguments: [
        // 81,000 / 5 = 16,200 → step 20,000.
        (56_000.0...137_000.0, [60_000.0, 80_000, 100_000, 120_000]),
        // 348 / 5 = 69.6 → step 100.
        (641.0...989.0, [700.0, 800, 900]),
        // 200 / 5 = 40 → step 50.
        (-100.0...100.0, [-100.0, -50, 0, 50, 100]),
    ])
    func linear(_ range: ClosedRange<Double>, _ expected: [Double]) {
        #expect(ChartTicks.linear(range) == expected)
    }

    @Test("a log axis uses 1-2-5 decades when it spans them, else 1-2-5 linear steps")
    func logarithmic() {
        #expect(ChartTicks.logarithmic(150...60_000) == [200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000])
        #expect(ChartTicks.logarithmic(56_000...137_000) == [60_000, 80_000, 100_000, 120_000])
        #expect(ChartTicks.label(60_000, step: 20_000) == "60k")
        #expect(ChartTicks.label(900, step: 100) == "900")
    }

    @Test("the date axis marks month starts (every 2 months over a year) and names them")
    func days() {
        let ticks = ChartTicks.days(from: UTCDay(year: 2025, month: 2, day: 7), to: UTCDay(year: 2026, month: 2, day: 7))
        #expect(ticks.map(ChartTicks.dayLabel) == ["Mar 2025", "May 2025", "Jul 2025", "Sep 2025", "Nov 2025", "Jan 2026"])
    }
}
