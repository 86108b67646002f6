import Foundation
import Market
import Settings
import Storage

/// The series a chart shows, aligned on UTC days.
public struct ChartData: Sendable {
    public var from: UTCDay
    public var to: UTCDay
    public var prices: [PriceCandle]
    /// All-in production cost per BTC on the 7-day mean hashrate, USD.
    public var productionCost: [(day: UTCDay, usd: Double)]
    public var hashrate: [HashrateSample]
    public var ribbon30: [(day: UTCDay, ehs: Double)]
    public var ribbon60: [(day: UTCDay, ehs: Double)]
    public var history: [HistoryPoint]
    public var events: [MarketEvent]
    /// Hash-ribbon capitulation episodes (merged) that overlap the range, as known at the end of `to`.
    public var capitulations: [CapitulationEpisode]
    /// Support zones as of the end of `to`, ascending by price.
    public var supportZones: [SupportZone]
    /// The miner stress test at the end of `to` (its under-water curve is drawn beside the chart).
    public var minerStress: MinerStress? = nil

    /// The spacing of B, R and D that keeps a chart readable and cheap: weekly past 120 days (each point is a
    /// point-in-time report), daily below.
    public static func defaultStep(from: UTCDay, to: UTCDay) -> HistoryStep {
        from.days(to: to) > 120 ? .week : .day
    }

    /// Gathers everything for `from…to` from the store, point-in-time at the end of `to`.
    public static func load(config: DivergenceConfig, store: Store, from: UTCDay, to: UTCDay, step: HistoryStep) throws(StoreError) -> ChartData {
        // Cleaned as every reading cleans them: a point a store holds but no import accepts (non-finite, ≤ 0) is not drawn.
        let market = MarketHistory(prices: try store.prices().filter { $0.day <= to }, hashrate: try store.hashrate().filter { $0.day <= to },
                                   fees: try store.fees().filter { $0.day <= to })
        let allPrices = market.prices, allHashrate = market.hashrate
        let values = allHashrate.map(\.exahashesPerSecond)
        let sma30 = Indicators.sma(values, period: 30), sma60 = Indicators.sma(values, period: 60)
        // The cost line as the technicals read it: 7-day mean hashrate, fees from the stored fees series where present.
        let cost = DailyCost(market, model: config.productionCost).days.filter { $0.day >= from }.map { ($0.day, $0.allInUSD) }
        var ribbon30: [(UTCDay, Double)] = [], ribbon60: [(UTCDay, Double)] = []
        for (index, sample) in allHashrate.enumerated() where sample.day >= from {
            if let value = sma30[index] { ribbon30.append((sample.day, value)) }
            if let value = sma60[index] { ribbon60.append((sample.day, value)) }
        }
        let episodes = HashRibbon(hashrate: allHashrate, prices: allPrices).episodes.filter { ($0.end ?? to) >= from && $0.start <= to }
        return ChartData(
            from: from, to: to, prices: allPrices.filter { $0.day >= from }, productionCost: cost,
            hashrate: allHashrate.filter { $0.day >= from }, ribbon30: ribbon30, ribbon60: ribbon60,
            history: try HistoryBuilder(config: config, store: store).history(from: from, to: to, step: step),
            events: MarketEvents.list(market, costModel: config.productionCost).filter { $0.day >= from && $0.day <= to },
            capitulations: episodes,
            supportZones: SupportZones().position(candles: allPrices, asOf: to.end)?.zones ?? [],
            minerStress: TechnicalRegime.technicals(market, asOf: to.end, costModel: config.productionCost, weights: config.regimeWeights,
                                                     freshness: config.freshness)?.stress)
    }
}

/// How an event kind is marked on the chart: a short code, a colour, and words for the legend.
public struct ChartEventStyle: Sendable, Equatable {
    public var code: String
    public var colour: String
    public var meaning: String
    /// True for events that read bearish.
    public var bearish: Bool

    /// The style of every event kind, in legend order.
    public static let all: [MarketEventKind: ChartEventStyle] = [
        .bearishTwist: ChartEventStyle(code: "KT−", colour: "#b03a2e", meaning: "bearish Kumo twist (weekly)", bearish: true),
        .bullishTwist: ChartEventStyle(code: "KT+", colour: "#1e8449", meaning: "bullish Kumo twist (weekly)", bearish: false),
        .capitulationStart: ChartEventStyle(code: "CAP", colour: "#a04000", meaning: "hash-ribbon capitulation starts", bearish: true),
        .capitulationEnd: ChartEventStyle(code: "REC", colour: "#117a65", meaning: "hash-ribbon recovery", bearish: false),
        .buySignal: ChartEventStyle(code: "BUY", colour: "#196f3d", meaning: "hash-ribbon buy signal", bearish: false),
        .deathCross: ChartEventStyle(code: "DX", colour: "#922b21", meaning: "death cross (50d under 200d)", bearish: true),
        .goldenCross: ChartEventStyle(code: "GX", colour: "#b7950b", meaning: "golden cross (50d over 200d)", bearish: false),
        .priceBelowCost: ChartEventStyle(code: "<C", colour: "#6c3483", meaning: "close falls under production cost", bearish: true),
        .priceAboveCost: ChartEventStyle(code: ">C", colour: "#2874a6", meaning: "close rises over production cost", bearish: false),
    ]

    /// The style of `kind`.
    public static func of(_ kind: MarketEventKind) -> ChartEventStyle { all[kind]! }
}

/// Events close enough on the time axis to share one marker.
public struct ChartEventCluster: Sendable, Equatable {
    public var events: [MarketEvent]
    /// Mean x position of the members, in the chart's pixels.
    public var x: Double

    /// Groups `events` (ascending by day) whose markers would overlap: each event joins the current cluster while it lies
    /// within `width` pixels of the cluster's first member.
    public static func clusters(_ events: [MarketEvent], x: (UTCDay) -> Double, width: Double) -> [ChartEventCluster] {
        var result: [ChartEventCluster] = []
        var firstX = -Double.infinity
        for event in events {
            let position = x(event.day)
            if let last = result.last, position - firstX < width {
                var grown = last
                grown.events.append(event)
                grown.x = grown.events.map { x($0.day) }.reduce(0, +) / Double(grown.events.count)
                result[result.count - 1] = grown
            } else {
                result.append(ChartEventCluster(events: [event], x: position))
                firstX = position
            }
        }
        return result
    }
}

/// Draws price against production cost, hashrate with its ribbons, B and R, and D as one self-contained SVG fit for a note:
/// labelled event markers with a legend, capitulation periods shaded, support zones as bands, 1-2-5 ticks and calendar dates
/// under every panel.
public enum ChartRendering {
    static let width = 1100.0, panelHeight = 190.0, left = 78.0, right = 180.0, gap = 62.0
    static let legendTop = 40.0, laneHeight = 30.0
    static var plotRight: Double { width - right }

    /// A standalone SVG document (no scripts, no external resources).
    public static func svg(_ data: ChartData) -> String {
        let span = Double(max(1, data.to.daysSinceEpoch - data.from.daysSinceEpoch))
        func x(_ day: UTCDay) -> Double { left + (plotRight - left) * Double(day.daysSinceEpoch - data.from.daysSinceEpoch) / span }
        let kinds = MarketEventKind.allCases.filter { kind in data.events.contains { $0.kind == kind } }
        let legendRows = max(1, Int((Double(kinds.count) / 3).rounded(.up)))
        let laneTop = legendTop + Double(legendRows) * 16 + 10
        let firstPanelTop = laneTop + laneHeight + 22
        func panelTop(_ index: Int) -> Double { firstPanelTop + Double(index) * (panelHeight + gap) }
        var body: [String] = []

        // Legend of event codes, three per row.
        for (offset, kind) in kinds.enumerated() {
            let style = ChartEventStyle.of(kind)
            let lx = left + Double(offset % 3) * 300, ly = legendTop + Double(offset / 3) * 16
            body.append("<rect x=\"\(f(lx))\" y=\"\(f(ly - 10))\" width=\"30\" height=\"13\" rx=\"3\" fill=\"\(style.colour)\"/>")
            body.append("<text x=\"\(f(lx + 15))\" y=\"\(f(ly))\" class=\"code\" text-anchor=\"middle\">\(escape(style.code))</text>")
            body.append("<text x=\"\(f(lx + 36))\" y=\"\(f(ly))\" class=\"axis\">\(escape(style.meaning))</text>")
        }

        let titles = ["BTC-USD close vs all-in production cost (USD, log scale) — bands: support zones",
                      "Network hashrate (EH/s) with 30/60-day averages — shaded: capitulation (30d < 60d)",
                      "Institutional bullishness B and technical regime R (−100…+100)",
                      "Divergence D = (B − R) / 2 — band: D's 10th–90th percentile over this range"]
        for (index, title) in titles.enumerated() {
            let y0 = panelTop(index)
            body.append("<rect x=\"\(left)\" y=\"\(f(y0))\" width=\"\(f(plotRight - left))\" height=\"\(panelHeight)\" fill=\"#fcfcfc\" stroke=\"#bbb\"/>")
            body.append("<text x=\"\(left)\" y=\"\(f(y0 - 8))\" class=\"title\">\(escape(title))</text>")
            for tick in ChartAxes.dayTicks(from: data.from, to: data.to) {
                let xx = x(tick.day)
                body.append("<line x1=\"\(f(xx))\" x2=\"\(f(xx))\" y1=\"\(f(y0))\" y2=\"\(f(y0 + panelHeight))\" class=\"grid\"/>")
                body.append("<text x=\"\(f(xx))\" y=\"\(f(y0 + panelHeight + 14))\" class=\"axis\" text-anchor=\"middle\">\(escape(tick.label))</text>")
            }
        }

        /// Maps a value to the y pixel of panel `index`.
        struct Scale {
            var top: Double, height: Double, lower: Double, upper: Double, log: Bool
            func y(_ value: Double) -> Double {
                let v = log ? Foundation.log(max(value, 1e-9)) : value
                let (lo, hi) = log ? (Foundation.log(max(lower, 1e-9)), Foundation.log(max(upper, 1e-9))) : (lower, upper)
                return top + height - height * (v - lo) / max(hi - lo, 1e-12)
            }
        }
        func scale(_ index: Int, _ range: ClosedRange<Double>, log: Bool) -> Scale {
            Scale(top: panelTop(index), height: panelHeight, lower: range.lowerBound, upper: range.upperBound, log: log)
        }
        func yAxis(_ s: Scale, ticks: [Double], currency: Bool) {
            for value in ticks {
                let yy = s.y(value)
                body.append("<line x1=\"\(left)\" x2=\"\(f(plotRight))\" y1=\"\(f(yy))\" y2=\"\(f(yy))\" class=\"grid\"/>")
                body.append("<text x=\"\(f(left - 6))\" y=\"\(f(yy + 4))\" class=\"axis\" text-anchor=\"end\">\(ChartAxes.label(value, currency: currency))</text>")
            }
        }
        func line(_ s: Scale, _ points: [(UTCDay, Double)], colour: String, width: Double = 1.6, dash: String? = nil) {
            let finite = points.filter { $0.1.isFinite && (!s.log || $0.1 > 0) }
            guard finite.count > 1 else { return }
            let path = finite.map { "\(f(x($0.0))),\(f(s.y($0.1)))" }.joined(separator: " ")
            body.append("<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"\(width)\"\(dash.map { " stroke-dasharray=\"\($0)\"" } ?? "") points=\"\(path)\"/>")
        }
        func legend(_ index: Int, _ items: [(String, String)]) {
            var lx = left + 10
            for (label, colour) in items {
                body.append("<text x=\"\(f(lx))\" y=\"\(f(panelTop(index) + 16))\" fill=\"\(colour)\" class=\"legend\">\(escape(label))</text>")
                lx += Double(label.count) * 7.5 + 18
            }
        }
        func shade(_ index: Int, from start: UTCDay, to end: UTCDay, colour: String, opacity: Double) {
            let x1 = max(left, x(start)), x2 = min(plotRight, x(end))
            guard x2 > x1 else { return }
            body.append("<rect x=\"\(f(x1))\" y=\"\(f(panelTop(index)))\" width=\"\(f(x2 - x1))\" height=\"\(panelHeight)\" fill=\"\(colour)\" fill-opacity=\"\(opacity)\"/>")
        }

        // Panel 1: price and cost, support bands.
        let priceSeries = data.prices.map { ($0.day, $0.close) }, costSeries = data.productionCost.map { ($0.day, $0.usd) }
        let priceValues = (priceSeries + costSeries).map(\.1).filter { $0.isFinite && $0 > 0 }
        let priceRange = max(1, (priceValues.min() ?? 1) * 0.9)...max(2, (priceValues.max() ?? 2) * 1.1)
        let price = scale(0, priceRange, log: true)
        for episode in data.capitulations { shade(0, from: episode.start, to: episode.end ?? data.to, colour: "#e67e22", opacity: 0.08) }
        for zone in data.supportZones where zone.high >= priceRange.lowerBound && zone.low <= priceRange.upperBound {
            let yHigh = price.y(min(zone.high, priceRange.upperBound)), yLow = price.y(max(zone.low, priceRange.lowerBound))
            let height = max(3, yLow - yHigh)
            body.append("<rect x=\"\(left)\" y=\"\(f(yHigh - (height - (yLow - yHigh)) / 2))\" width=\"\(f(plotRight - left))\" height=\"\(f(height))\" fill=\"#2e86c1\" fill-opacity=\"0.13\"/>")
            let words = zone.low == zone.high ? ChartAxes.dollars(zone.low) : "\(ChartAxes.dollars(zone.low))–\(ChartAxes.dollars(zone.high))"
            body.append("<text x=\"\(f(plotRight + 6))\" y=\"\(f((yHigh + yLow) / 2 + 4))\" class=\"axis\">support \(escape(words)) (\(zone.touches)×)</text>")
        }
        yAxis(price, ticks: ChartAxes.logTicks(priceRange), currency: true)
        line(price, costSeries, colour: "#c0392b", dash: "6,3")
        line(price, priceSeries, colour: "#1f4e9c")
        legend(0, [("close", "#1f4e9c"), ("all-in production cost (7-day mean hashrate)", "#c0392b")])

        // Panel 2: hashrate, ribbons, capitulation shading.
        let hashSeries = data.hashrate.map { ($0.day, $0.exahashesPerSecond) }
        let hashValues = (hashSeries + data.ribbon30.map { ($0.day, $0.ehs) }).map(\.1).filter(\.isFinite)
        let hashTicks = ChartAxes.linearTicks(padded(hashValues), target: 5)
        let hashRange = (hashTicks.first.map { min($0, padded(hashValues).lowerBound) } ?? 0)...(hashTicks.last.map { max($0, padded(hashValues).upperBound) } ?? 1)
        let hash = scale(1, hashRange, log: false)
        for episode in data.capitulations { shade(1, from: episode.start, to: episode.end ?? data.to, colour: "#e67e22", opacity: 0.18) }
        yAxis(hash, ticks: hashTicks, currency: false)
        line(hash, hashSeries, colour: "#b5b5b5", width: 1)
        line(hash, data.ribbon30.map { ($0.day, $0.ehs) }, colour: "#27ae60")
        line(hash, data.ribbon60.map { ($0.day, $0.ehs) }, colour: "#8e44ad")
        legend(1, [("daily", "#999999"), ("30-day", "#27ae60"), ("60-day", "#8e44ad"), ("capitulation", "#e67e22")])

        // Panels 3 and 4: B and R; D with its percentile band.
        let scores = scale(2, -100...100, log: false)
        yAxis(scores, ticks: [-100, -50, 0, 50, 100], currency: false)
        body.append("<line x1=\"\(left)\" x2=\"\(f(plotRight))\" y1=\"\(f(scores.y(0)))\" y2=\"\(f(scores.y(0)))\" stroke=\"#777\"/>")
        // Stated Bₛ and revealed Bᵣ, dashed under B, only where positioning data makes B their mix.
        let revealedSeries = data.history.compactMap { p in p.revealed.map { (p.day, $0) } }
        let statedSeries = data.history.compactMap { p in p.revealed == nil ? nil : p.stated.map { (p.day, $0) } }
        line(scores, statedSeries, colour: "#5dade2", width: 1.2, dash: "5,3")
        line(scores, revealedSeries, colour: "#7d3c98", width: 1.2, dash: "2,2")
        line(scores, data.history.compactMap { p in p.bullishness.map { (p.day, $0) } }, colour: "#1f4e9c")
        line(scores, data.history.compactMap { p in p.regime.map { (p.day, $0) } }, colour: "#c0392b")
        legend(2, [("B", "#1f4e9c"), ("R", "#c0392b")] + (revealedSeries.isEmpty ? [] : [("Bₛ stated", "#5dade2"), ("Bᵣ revealed", "#7d3c98")]))
        let divergence = scale(3, -100...100, log: false)
        let dSeries = data.history.compactMap { p in p.divergence.map { (p.day, $0) } }
        if let band = percentileBand(dSeries.map(\.1)) {
            let yTop = divergence.y(band.upperBound), yBottom = divergence.y(band.lowerBound)
            body.append("<rect x=\"\(left)\" y=\"\(f(yTop))\" width=\"\(f(plotRight - left))\" height=\"\(f(max(1, yBottom - yTop)))\" fill=\"#d35400\" fill-opacity=\"0.10\"/>")
            body.append("<text x=\"\(f(plotRight + 6))\" y=\"\(f(yTop + 4))\" class=\"axis\">p90 \(ChartAxes.label(band.upperBound.rounded()))</text>")
            body.append("<text x=\"\(f(plotRight + 6))\" y=\"\(f(yBottom + 4))\" class=\"axis\">p10 \(ChartAxes.label(band.lowerBound.rounded()))</text>")
        }
        yAxis(divergence, ticks: [-100, -50, 0, 50, 100], currency: false)
        body.append("<line x1=\"\(left)\" x2=\"\(f(plotRight))\" y1=\"\(f(divergence.y(0)))\" y2=\"\(f(divergence.y(0)))\" stroke=\"#777\"/>")
        line(divergence, dSeries, colour: "#d35400")
        legend(3, [("D", "#d35400"), ("10th–90th percentile", "#d35400")])

        // Event markers in the lane above the price panel, one per cluster, with a faint guide down the price panel.
        for cluster in ChartEventCluster.clusters(data.events, x: x, width: 34) {
            let styles = cluster.events.map { ChartEventStyle.of($0.kind) }
            let colour = Set(styles.map(\.colour)).count == 1 ? styles[0].colour : "#555555"
            let code = cluster.events.count == 1 ? styles[0].code : "\(cluster.events.count)×"
            let tip = cluster.events.map { "\($0.day.iso) \(ChartEventStyle.of($0.kind).meaning): \($0.detail)" }.joined(separator: "\n")
            let cx = min(max(cluster.x, left + 15), plotRight - 15)
            body.append("<g><title>\(escape(tip))</title>"
                + "<line x1=\"\(f(cluster.x))\" x2=\"\(f(cluster.x))\" y1=\"\(f(laneTop + laneHeight - 6))\" y2=\"\(f(firstPanelTop + panelHeight))\" stroke=\"\(colour)\" stroke-opacity=\"0.45\" stroke-width=\"1\"/>"
                + "<rect x=\"\(f(cx - 15))\" y=\"\(f(laneTop + 4))\" width=\"30\" height=\"16\" rx=\"3\" fill=\"\(colour)\"/>"
                + "<text x=\"\(f(cx))\" y=\"\(f(laneTop + 16))\" class=\"code\" text-anchor=\"middle\">\(escape(code))</text></g>")
        }

        let height = panelTop(3) + panelHeight + 34
        return """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif">
            <style>.title{font-size:13px;font-weight:bold}.axis{font-size:10.5px;fill:#444}.legend{font-size:12px;font-weight:bold}.grid{stroke:#e6e6e6}.code{font-size:9.5px;font-weight:bold;fill:white}</style>
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(left)" y="22" class="title">divergence · \(data.from.iso) to \(data.to.iso) (UTC days) · event markers:</text>
            \(body.joined(separator: "\n"))
            </svg>
            """
    }

    /// The 10th and 90th percentiles (nearest rank) of `values`; nil with fewer than 10 values.
    static func percentileBand(_ values: [Double]) -> ClosedRange<Double>? {
        let sorted = values.filter(\.isFinite).sorted()
        guard sorted.count >= 10 else { return nil }
        func rank(_ p: Double) -> Double { sorted[min(sorted.count - 1, max(0, Int((p * Double(sorted.count)).rounded(.up)) - 1))] }
        return rank(0.1)...rank(0.9)
    }

    /// `values`' range with 5% margin either side (0…1 when empty).
    static func padded(_ values: [Double]) -> ClosedRange<Double> {
        let finite = values.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else { return 0...1 }
        let margin = max((high - low) * 0.05, 1e-6)
        return (low - margin)...(high + margin)
    }

    static func f(_ value: Double) -> String { value.isFinite ? String(format: "%.1f", value) : "0" }
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
