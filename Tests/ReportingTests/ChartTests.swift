import Foundation
@testable import Market
@testable import Reporting
import Testing

@Suite("Chart axes and rendering")
struct ChartTests {
    @Test("linear ticks step by 1, 2 or 5 × 10^k")
    func linearTicks() {
        // 793…1,160 EH/s: span 367 / 5 ticks = 73.4 → the next 1-2-5 step is 100.
        #expect(ChartAxes.linearTicks(793...1_160) == [800, 900, 1_000, 1_100])
        // −100…100 / 5 = 40 → step 50.
        #expect(ChartAxes.linearTicks(-100...100) == [-100, -50, 0, 50, 100])
        // 0.12…0.31 / 5 = 0.038 → step 0.05.
        #expect(ChartAxes.linearTicks(0.12...0.31).map { ($0 * 100).rounded() / 100 } == [0.15, 0.2, 0.25, 0.3])
    }

    @Test("log ticks are round numbers per decade, the densest set that stays readable")
    func logTicks() {
        // $56k…$150k: {1, 2, 5} gives only 100k; {1, 1.5, 2, 3, 5, 7} gives 70k, 100k, 150k; the finest set gives six.
        #expect(ChartAxes.logTicks(56_000...150_000) == [60_000, 70_000, 80_000, 100_000, 120_000, 150_000])
        // $10k…$1M: {1, 2, 5} per decade gives seven ticks; the finer sets give more than eight.
        #expect(ChartAxes.logTicks(10_000...1_000_000) == [10_000, 20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000])
    }

    @Test("tick labels group thousands and shorten dollars")
    func labels() {
        #expect(ChartAxes.label(1_000) == "1,000")
        #expect(ChartAxes.label(2.5) == "2.5")
        #expect(ChartAxes.label(60_000, currency: true) == "$60k")
        #expect(ChartAxes.label(150_000, currency: true) == "$150k")
        #expect(ChartAxes.label(1_500_000, currency: true) == "$1.5M")
        #expect(ChartAxes.label(-50) == "−50")
        #expect(ChartAxes.label(.nan) == "—")
        #expect(ChartAxes.dollars(120_800.4) == "$120,800")
    }

    @Test("the time axis uses calendar boundaries: months for a year, years for a decade, days for a fortnight")
    func dayTicks() throws {
        let year = ChartAxes.dayTicks(from: UTCDay(year: 2025, month: 2, day: 8), to: UTCDay(year: 2026, month: 2, day: 8))
        #expect(year.map(\.label) == ["Mar 2025", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan 2026", "Feb"])
        #expect(year.first?.day == UTCDay(year: 2025, month: 3, day: 1))
        let decade = ChartAxes.dayTicks(from: UTCDay(year: 2014, month: 9, day: 17), to: UTCDay(year: 2026, month: 3, day: 28))
        #expect(decade.map(\.label) == (2015...2026).map(String.init))
        let fortnight = ChartAxes.dayTicks(from: UTCDay(year: 2026, month: 1, day: 30), to: UTCDay(year: 2026, month: 2, day: 2))
        #expect(fortnight.map(\.label) == ["30 Jan 2026", "31 Jan", "1 Feb", "2 Feb"])
        // Ten weeks: Mondays only (2026-01-05 was a Monday).
        let weeks = ChartAxes.dayTicks(from: UTCDay(year: 2026, month: 1, day: 1), to: UTCDay(year: 2026, month: 3, day: 1))
        #expect(weeks.first?.day == UTCDay(year: 2026, month: 1, day: 5) && weeks.count == 8)
    }

    @Test("events closer than a marker's width share one marker")
    func clusters() {
        let day = UTCDay(year: 2026, month: 1, day: 1)
        let events = [0, 1, 10, 13].map { MarketEvent(kind: .deathCross, day: day.adding(days: $0), detail: "") }
        // 10 px per day, markers 34 px wide: days 0 and 1 share one; 10 and 13 (30 px apart) share another.
        let clusters = ChartEventCluster.clusters(events, x: { Double($0.daysSinceEpoch - day.daysSinceEpoch) * 10 }, width: 34)
        #expect(clusters.map(\.events.count) == [2, 2])
        #expect(clusters.map(\.x) == [5, 115])
    }

    static func sample() -> ChartData {
        let first = UTCDay(year: 2025, month: 2, day: 8)
        let days = (0...365).map { first.adding(days: $0) }
        let prices = days.enumerated().map { index, day in
            let close = 90_000 + 20_000 * sin(Double(index) / 40)
            return PriceCandle(day: day, open: close, high: close * 1.01, low: close * 0.99, close: close)
        }
        let history = days.map { day in
            HistoryPoint(asOf: day.end, day: day, bullishness: 30, regime: -60, regimeLabel: "bear", divergence: 45, label: "strong",
                         percentile: nil, stored: false)
        }
        return ChartData(
            from: first, to: days.last!, prices: prices, productionCost: days.map { ($0, 85_000) },
            hashrate: days.map { HashrateSample(day: $0, exahashesPerSecond: 900) }, ribbon30: days.map { ($0, 900) }, ribbon60: days.map { ($0, 910) },
            history: history,
            events: [MarketEvent(kind: .bearishTwist, day: first.adding(days: 100), detail: "twist </script> & more"),
                     MarketEvent(kind: .buySignal, day: first.adding(days: 101), detail: "buy"),
                     MarketEvent(kind: .deathCross, day: first.adding(days: 200), detail: "cross")],
            capitulations: [CapitulationEpisode(start: first.adding(days: 280), end: nil, lengthDays: 85, depth: 0.03, mergedFlickers: 0)],
            supportZones: [SupportZone(low: 60_000, high: 65_000, touches: 3)])
    }

    @Test("the SVG labels its events in a legend, clusters coinciding ones, shades capitulation and draws support bands")
    func svg() {
        let svg = ChartRendering.svg(Self.sample())
        #expect(svg.contains("bearish Kumo twist (weekly)") && svg.contains("hash-ribbon buy signal") && svg.contains("death cross"))
        #expect(!svg.contains("golden cross"), "the legend lists only kinds that occur")
        #expect(svg.contains(">2×</text>"), "the twist and the buy signal a day apart share one marker")
        #expect(svg.contains(">DX</text>"))
        #expect(svg.contains("support $60,000–$65,000 (3×)"))
        #expect(svg.contains("fill=\"#e67e22\" fill-opacity=\"0.18\""), "capitulation shaded on the hashrate panel")
        #expect(svg.contains("twist &lt;/script&gt; &amp; more"), "event text is escaped")
        // Dates under every one of the four panels.
        #expect(svg.components(separatedBy: ">Mar 2025</text>").count - 1 == 4)
        #expect(svg.contains(">$60k</text>") || svg.contains(">$70k</text>"))
    }

    @Test("stated Bₛ and revealed Bᵣ are drawn and exported beside B only when positioning data makes B their mix")
    func statedAndRevealed() throws {
        var data = Self.sample()
        let oneSided = ChartRendering.svg(data)
        #expect(!oneSided.contains("Bᵣ revealed") && !oneSided.contains("stroke=\"#7d3c98\""))
        #expect(ChartJSON(data).scores.allSatisfy { $0.stated == nil && $0.revealed == nil }, "no Bₛ without a Bᵣ beside it")
        for index in data.history.indices { data.history[index].stated = 42; data.history[index].revealed = -18 }
        let twoSided = ChartRendering.svg(data)
        #expect(twoSided.contains("Bₛ stated") && twoSided.contains("Bᵣ revealed"))
        #expect(twoSided.contains("stroke=\"#7d3c98\"") && twoSided.contains("stroke=\"#5dade2\""), "both dashed lines drawn")
        let json = ChartJSON(data)
        #expect(json.scores.first?.stated == 42 && json.scores.first?.revealed == -18)
        #expect(try json.encoded().contains("\"revealed\":-18"))
    }

    @Test("the HTML chart embeds its data so that no event text can close the script")
    func html() throws {
        let html = try InteractiveChart.html(Self.sample())
        #expect(!html.contains("twist </script>"))
        #expect(html.contains("twist <\\/script>"))
        let start = try #require(html.range(of: "<script type=\"application/json\" id=\"chart-data\">"))
        let end = try #require(html[start.upperBound...].range(of: "</script>"))
        let json = String(html[start.upperBound..<end.lowerBound])
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        #expect(json.contains("\"support_zones\":[{") && json.contains("\"production_cost\":["), "snake_case keys like every public document")
        let decoded = try decoder.decode(ChartJSON.self, from: Data(json.utf8))
        #expect(decoded.events.count == 3 && decoded.supportZones.first?.touches == 3 && decoded.close.count == 366)
    }
}
