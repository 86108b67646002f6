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
        // Cleaned as every reading cleans them: a point a store holds but no import accepts (non-finite, ≤ 0) is not drawn.
        let market = MarketHistory(prices: try store.prices().filter { $0.day <= to }, hashrate: try store.hashrate().filter { $0.day <= to })
        let allPrices = market.prices, allHashrate = market.hashrate
        let values = allHashrate.map(\.exahashesPerSecond)
        let mean7 = Indicators.sma(values, period: 7), sma30 = Indicators.sma(values, period: 30), sma60 = Indicators.sma(values, period: 60)
        var cost: [(UTCDay, Double)] = [], ribbon30: [(UTCDay, Double)] = [], ribbon60: [(UTCDay, Double)] = []
        for (index, sample) in allHashrate.enumerated() where sample.day >= from {
            if let mean = mean7[index] { cost.append((sample.day, config.productionCost.cost(on: sample.day, hashrateEHs: mean).allInUSD)) }
            if let value = sma30[index] { ribbon30.append((sample.day, value)) }
            if let value = sma60[index] { ribbon60.append((sample.day, value)) }
        }
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
            for tick in 0...4 {
                let fraction = Double(tick) / 4
                let value = log ? exp(lower + (upper - lower) * fraction) : lower + (upper - lower) * fraction
                let yy = y0 + panelHeight - panelHeight * fraction
                body.append("<line x1=\"\(left)\" x2=\"\(width - right)\" y1=\"\(f(yy))\" y2=\"\(f(yy))\" class=\"grid\"/>")
                body.append("<text x=\"\(left - 6)\" y=\"\(f(yy + 4))\" class=\"axis\" text-anchor=\"end\">\(axisLabel(value))</text>")
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
        /// The finite values' span with a margin; 0…1 when none is finite (a store may hold anything).
        func bounds(_ values: [Double], padding: Double = 0.05) -> ClosedRange<Double> {
            let finite = values.filter(\.isFinite)
            guard let low = finite.min(), let high = finite.max() else { return 0...1 }
            let margin = max((high - low) * padding, 1e-6)
            let lower = low - margin, upper = high + margin
            return lower.isFinite && upper.isFinite ? lower...upper : low...high
        }
        let priceSeries = data.prices.map { ($0.day, $0.close) }, costSeries = data.productionCost.map { ($0.day, $0.usd) }
        let priceValues = (priceSeries + costSeries).map(\.1)
        let positive = priceValues.filter { $0.isFinite && $0 > 0 }
        let priceFloor = max(1, (positive.min() ?? 1) * 0.9)
        let priceCeiling = min(max(priceFloor * 2, (positive.max() ?? 2) * 1.1), .greatestFiniteMagnitude)
        panel(0, [priceSeries, costSeries], colours: ["#1f4e9c", "#c0392b"], range: priceFloor...priceCeiling,
              log: true, labels: ["close", "production cost"])
        let hashSeries = data.hashrate.map { ($0.day, $0.exahashesPerSecond) }
        panel(1, [hashSeries, data.ribbon30.map { ($0.day, $0.ehs) }, data.ribbon60.map { ($0.day, $0.ehs) }], colours: ["#bbbbbb", "#27ae60", "#8e44ad"],
              range: bounds(hashSeries.map(\.1)), log: false, labels: ["daily", "30-day", "60-day"])
        let b = data.history.compactMap { p in p.bullishness.map { (p.day, $0) } }, r = data.history.compactMap { p in p.regime.map { (p.day, $0) } }
        panel(2, [b, r], colours: ["#1f4e9c", "#c0392b"], range: -100...100, log: false, labels: ["B", "R"], zeroLine: true)
        let d = data.history.compactMap { p in p.divergence.map { (p.day, $0) } }
        panel(3, [d], colours: ["#d35400"], range: -100...100, log: false, labels: ["D"], zeroLine: true)

        let markerTop = top, markerBottom = top + 4 * panelHeight + 3 * gap
        for event in data.events {
            let colour = ["bearish_twist", "capitulation_start", "death_cross", "price_below_cost"].contains(event.kind.rawValue) ? "#c0392b" : "#27ae60"
            let xx = f(x(event.day))
            body.append("<line x1=\"\(xx)\" x2=\"\(xx)\" y1=\"\(f(markerTop))\" y2=\"\(f(markerBottom))\" stroke=\"\(colour)\" stroke-opacity=\"0.35\" stroke-dasharray=\"3,3\"><title>\(event.day.iso) \(escape(event.kind.rawValue)): \(escape(event.detail))</title></line>")
        }
        for tick in 0...6 {
            let day = UTCDay(daysSinceEpoch: data.from.daysSinceEpoch + Int(span * Double(tick) / 6))
            body.append("<text x=\"\(f(x(day)))\" y=\"\(f(markerBottom + 16))\" class=\"axis\" text-anchor=\"middle\">\(day.iso)</text>")
        }
        let height = markerBottom + 40
        return """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif">
            <style>.title{font-size:13px;font-weight:bold}.axis{font-size:10px;fill:#555}.legend{font-size:12px;font-weight:bold}.grid{stroke:#e3e3e3}</style>
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(left)" y="22" class="title">divergence \(data.from.iso) … \(data.to.iso) — dashed lines: market events (red bearish, green bullish)</text>
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
        divergence D = (B − R) / 2 — above zero, sentiment is more bullish than the technicals. Hover a dashed line for its event.</p>
        \(svg(data))
        </body></html>
        """
    }

    static func f(_ value: Double) -> String { String(format: "%.1f", value) }
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
    static func axisLabel(_ value: Double) -> String {
        abs(value) >= 10_000 ? String(format: "%.0fk", value / 1000) : abs(value) >= 100 ? String(format: "%.0f", value) : String(format: "%.1f", value)
    }
}
