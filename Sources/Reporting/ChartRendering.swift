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

    /// Gathers everything for `from…to` from the store, point-in-time at the end of `to`.
    public static func load(config: DivergenceConfig, store: Store, from: UTCDay, to: UTCDay, step: HistoryStep) throws(StoreError) -> ChartData {
        let allPrices = try store.prices().filter { $0.day <= to }
        let allHashrate = try store.hashrate().filter { $0.day <= to }
        let values = allHashrate.map(\.exahashesPerSecond)
        let mean7 = Indicators.sma(values, period: 7), sma30 = Indicators.sma(values, period: 30), sma60 = Indicators.sma(values, period: 60)
        var cost: [(UTCDay, Double)] = [], ribbon30: [(UTCDay, Double)] = [], ribbon60: [(UTCDay, Double)] = []
        for (index, sample) in allHashrate.enumerated() where sample.day >= from {
            if let mean = mean7[index] { cost.append((sample.day, config.productionCost.cost(on: sample.day, hashrateEHs: mean).allInUSD)) }
            if let value = sma30[index] { ribbon30.append((sample.day, value)) }
            if let value = sma60[index] { ribbon60.append((sample.day, value)) }
        }
        let market = MarketHistory(prices: allPrices, hashrate: allHashrate)
        return ChartData(
            from: from, to: to, prices: allPrices.filter { $0.day >= from }, productionCost: cost,
            hashrate: allHashrate.filter { $0.day >= from }, ribbon30: ribbon30, ribbon60: ribbon60,
            history: try HistoryBuilder(config: config, store: store).history(from: from, to: to, step: step),
            events: MarketEvents.list(market, costModel: config.productionCost).filter { $0.day >= from && $0.day <= to })
    }
}

/// Draws price against production cost, hashrate with its ribbons, B and R, and D as one self-contained SVG.
public enum ChartRendering {
    static let width = 1100.0, panelHeight = 220.0, left = 70.0, right = 20.0, top = 56.0, gap = 40.0

    /// A standalone SVG document (no scripts, no external resources).
    public static func svg(_ data: ChartData) -> String {
        let span = Double(max(1, data.to.daysSinceEpoch - data.from.daysSinceEpoch))
        func x(_ day: UTCDay) -> Double { left + (width - left - right) * Double(day.daysSinceEpoch - data.from.daysSinceEpoch) / span }
        var body: [String] = []
        let dateTicks = ChartTicks.days(from: data.from, to: data.to)
        let capitulations = capitulationSpans(data)
        let titles = ["BTC-USD close vs all-in production cost (log scale, USD)", "Network hashrate with 30/60-day ribbons (EH/s)",
                      "Institutional bullishness B and technical regime R (−100…+100)", "Divergence D = (B − R) / 2"]
        for (index, title) in titles.enumerated() {
            let y0 = top + Double(index) * (panelHeight + gap)
            body.append("<rect x=\"\(left)\" y=\"\(y0)\" width=\"\(width - left - right)\" height=\"\(panelHeight)\" fill=\"#fafafa\" stroke=\"#ccc\"/>")
            body.append("<text x=\"\(left)\" y=\"\(y0 - 8)\" class=\"title\">\(escape(title))</text>")
        }
        func panel(_ index: Int, _ series: [[(UTCDay, Double)]], colours: [String], range: ClosedRange<Double>, log: Bool, labels: [String], zeroLine: Bool = false) {
            let y0 = top + Double(index) * (panelHeight + gap)
            let lower = log ? Foundation.log(max(range.lowerBound, 1e-9)) : range.lowerBound
            let upper = log ? Foundation.log(max(range.upperBound, 1e-9)) : range.upperBound
            func y(_ value: Double) -> Double {
                let v = log ? Foundation.log(max(value, 1e-9)) : value
                return y0 + panelHeight - panelHeight * (v - lower) / max(upper - lower, 1e-9)
            }
            let ticks = log ? ChartTicks.logarithmic(range) : ChartTicks.linear(range)
            let step = ticks.count > 1 ? ticks[1] - ticks[0] : 1
            for value in ticks {
                let yy = y(value)
                body.append("<line x1=\"\(left)\" x2=\"\(width - right)\" y1=\"\(f(yy))\" y2=\"\(f(yy))\" class=\"grid\"/>")
                body.append("<text x=\"\(left - 6)\" y=\"\(f(yy + 4))\" class=\"axis\" text-anchor=\"end\">\(ChartTicks.label(value, step: step))</text>")
            }
            for day in dateTicks {
                body.append("<line x1=\"\(f(x(day)))\" x2=\"\(f(x(day)))\" y1=\"\(f(y0))\" y2=\"\(f(y0 + panelHeight))\" class=\"grid\"/>")
                let anchor = x(day) > width - right - 40 ? "end" : x(day) < left + 40 ? "start" : "middle"
                body.append("<text x=\"\(f(x(day)))\" y=\"\(f(y0 + panelHeight + 13))\" class=\"axis\" text-anchor=\"\(anchor)\">\(ChartTicks.dayLabel(day))</text>")
            }
            for (start, end) in capitulations where index < 2 {
                body.append("<rect x=\"\(f(x(start)))\" y=\"\(f(y0))\" width=\"\(f(max(1, x(end) - x(start))))\" height=\"\(panelHeight)\" fill=\"#c0392b\" fill-opacity=\"0.08\"><title>hash-ribbon capitulation \(start.iso) … \(end.iso)</title></rect>")
            }
            if zeroLine, range.contains(0) { body.append("<line x1=\"\(left)\" x2=\"\(width - right)\" y1=\"\(f(y(0)))\" y2=\"\(f(y(0)))\" stroke=\"#888\"/>") }
            for (points, colour) in zip(series, colours) where points.count > 1 {
                let path = points.map { "\(f(x($0.0))),\(f(y($0.1)))" }.joined(separator: " ")
                body.append("<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.5\" points=\"\(path)\"/>")
            }
            for (offset, (label, colour)) in zip(labels, colours).enumerated() {
                body.append("<text x=\"\(f(left + 10 + Double(offset) * 140))\" y=\"\(f(y0 + 16))\" fill=\"\(colour)\" class=\"legend\">\(escape(label))</text>")
            }
        }
        func bounds(_ values: [Double], padding: Double = 0.05) -> ClosedRange<Double> {
            guard let low = values.min(), let high = values.max() else { return 0...1 }
            let margin = max((high - low) * padding, 1e-6)
            return (low - margin)...(high + margin)
        }
        let priceSeries = data.prices.map { ($0.day, $0.close) }, costSeries = data.productionCost.map { ($0.day, $0.usd) }
        let priceValues = (priceSeries + costSeries).map(\.1)
        panel(0, [priceSeries, costSeries], colours: ["#1f4e9c", "#c0392b"], range: max(1, (priceValues.min() ?? 1) * 0.9)...((priceValues.max() ?? 2) * 1.1),
              log: true, labels: ["close", "production cost"])
        let hashSeries = data.hashrate.map { ($0.day, $0.exahashesPerSecond) }
        panel(1, [hashSeries, data.ribbon30.map { ($0.day, $0.ehs) }, data.ribbon60.map { ($0.day, $0.ehs) }], colours: ["#bbbbbb", "#27ae60", "#8e44ad"],
              range: bounds(hashSeries.map(\.1)), log: false, labels: ["daily", "30-day", "60-day"])
        let b = data.history.compactMap { p in p.bullishness.map { (p.day, $0) } }, r = data.history.compactMap { p in p.regime.map { (p.day, $0) } }
        panel(2, [b, r], colours: ["#1f4e9c", "#c0392b"], range: -100...100, log: false, labels: ["B", "R"], zeroLine: true)
        let d = data.history.compactMap { p in p.divergence.map { (p.day, $0) } }
        panel(3, [d], colours: ["#d35400"], range: -100...100, log: false, labels: ["D"], zeroLine: true)

        let markerTop = top, markerBottom = top + 4 * panelHeight + 3 * gap
        // Events whose markers would overlap (within 16 px) share one numbered marker; the legend under the chart names each.
        var legendLines: [String] = []
        for (number, cluster) in clusters(data.events, x: x).enumerated() {
            let bearish = cluster.map { bearishKinds.contains($0.kind.rawValue) }
            let colour = bearish.allSatisfy { $0 } ? "#c0392b" : bearish.allSatisfy { !$0 } ? "#27ae60" : "#7f6a00"
            let xx = f(x(cluster[0].day))
            let names = cluster.map { "\($0.day.iso) \($0.kind.rawValue.replacingOccurrences(of: "_", with: " ")): \($0.detail)" }
            body.append("<line x1=\"\(xx)\" x2=\"\(xx)\" y1=\"\(f(markerTop))\" y2=\"\(f(markerBottom))\" stroke=\"\(colour)\" stroke-opacity=\"0.5\" stroke-dasharray=\"3,3\"/>")
            body.append("<circle cx=\"\(xx)\" cy=\"\(f(markerTop - 2))\" r=\"8\" fill=\"\(colour)\"><title>\(escape(names.joined(separator: "\n")))</title></circle>")
            body.append("<text x=\"\(xx)\" y=\"\(f(markerTop + 1.5))\" class=\"marker\" text-anchor=\"middle\">\(number + 1)\(cluster.count > 1 ? "+" : "")</text>")
            legendLines.append(contentsOf: names.enumerated().map { "\(number + 1)\($0.offset > 0 ? "+" : ".") \($0.element)" })
        }
        var legendY = markerBottom + 28
        body.append("<text x=\"\(left)\" y=\"\(f(legendY))\" class=\"legend\">Events (red bearish, green bullish, olive both; shaded: hash-ribbon capitulation)</text>")
        for line in legendLines {
            legendY += 15
            body.append("<text x=\"\(left)\" y=\"\(f(legendY))\" class=\"axis\">\(escape(line))</text>")
        }
        let height = legendY + 20
        return """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif">
            <style>.title{font-size:13px;font-weight:bold}.axis{font-size:10px;fill:#555}.legend{font-size:12px;font-weight:bold}.grid{stroke:#e3e3e3}.marker{font-size:9px;fill:white;font-weight:bold}</style>
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(left)" y="22" class="title">divergence \(data.from.iso) … \(data.to.iso) — numbered markers: market events, listed under the chart</text>
            \(body.joined(separator: "\n"))
            </svg>
            """
    }

    /// The SVG inside a minimal HTML page with a one-paragraph legend.
    public static func html(_ data: ChartData) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>divergence \(data.from.iso) … \(data.to.iso)</title></head>
        <body style="font-family:sans-serif;max-width:1120px;margin:20px auto">
        <p>Top to bottom: the BTC-USD close against miners' all-in production cost; network hashrate with its 30- and 60-day averages
        (capitulation while the 30-day is under the 60-day); institutional bullishness B against the technical regime R; and their
        divergence D = (B − R) / 2 — above zero, sentiment is more bullish than the technicals. Numbered markers are the market events
        listed under the chart (coinciding events share one marker); shaded spans are hash-ribbon capitulation.</p>
        \(svg(data))
        </body></html>
        """
    }

    static func f(_ value: Double) -> String { String(format: "%.1f", value) }
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
    /// Event kinds drawn red.
    static let bearishKinds: Set<String> = ["bearish_twist", "capitulation_start", "death_cross", "price_below_cost"]

    /// Events grouped left to right, each group within 16 px (a marker's width) of its first event.
    static func clusters(_ events: [MarketEvent], x: (UTCDay) -> Double) -> [[MarketEvent]] {
        var groups: [[MarketEvent]] = []
        for event in events.sorted(by: { $0.day < $1.day }) {
            if let first = groups.last?.first, x(event.day) - x(first.day) <= 16 { groups[groups.count - 1].append(event) } else { groups.append([event]) }
        }
        return groups
    }

    /// Runs of days with the 30-day hashrate average under the 60-day (capitulation), first and last day.
    static func capitulationSpans(_ data: ChartData) -> [(UTCDay, UTCDay)] {
        let sixty = Dictionary(data.ribbon60.map { ($0.day, $0.ehs) }, uniquingKeysWith: { $1 })
        var spans: [(UTCDay, UTCDay)] = []
        var start: UTCDay?, last: UTCDay?
        for point in data.ribbon30 {
            if let slow = sixty[point.day], point.ehs < slow {
                if start == nil { start = point.day }
                last = point.day
            } else if let open = start, let close = last {
                spans.append((open, close))
                start = nil
            }
        }
        if let open = start, let close = last { spans.append((open, close)) }
        return spans
    }
}
