import Foundation
import Market

extension ChartRendering {
    /// A small SVG of the under-water curve: share of hashrate under water (0–100%) against the BTC price, all-in and
    /// electricity only, with the close and the −10% / −15% prices marked.
    public static func minerCurveSVG(_ stress: MinerStress) -> String {
        let width = 420.0, height = 220.0, left = 48.0, right = 12.0, top = 28.0, bottom = 30.0
        guard let first = stress.curve.first?.price, let last = stress.curve.last?.price, last > first else { return "" }
        func x(_ price: Double) -> Double { left + (width - left - right) * (price - first) / (last - first) }
        func y(_ share: Double) -> Double { top + (height - top - bottom) * (1 - share) }
        var body: [String] = [
            "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(width - left - right)\" height=\"\(height - top - bottom)\" fill=\"#fafafa\" stroke=\"#ccc\"/>",
            "<text x=\"\(left)\" y=\"16\" class=\"title\">Hashrate under water vs BTC price</text>",
        ]
        for tick in stride(from: 0.0, through: 1.0, by: 0.25) {
            body.append("<text x=\"\(f(left - 4))\" y=\"\(f(y(tick) + 4))\" class=\"axis\" text-anchor=\"end\">\(Int(tick * 100))%</text>")
        }
        for price in [first, (first + last) / 2, last] {
            body.append("<text x=\"\(f(x(price)))\" y=\"\(f(height - 12))\" class=\"axis\" text-anchor=\"middle\">\(ChartAxes.dollars(price))</text>")
        }
        for (drop, label) in [(1.0, "close"), (0.90, "−10%"), (0.85, "−15%")] {
            let xx = f(x(stress.price * drop))
            body.append("<line x1=\"\(xx)\" x2=\"\(xx)\" y1=\"\(f(top))\" y2=\"\(f(height - bottom))\" stroke=\"#888\" stroke-dasharray=\"2,3\"><title>\(label) \(ChartAxes.dollars(stress.price * drop))</title></line>")
        }
        for (values, colour, label, offset) in [(stress.curve.map(\.allIn), "#c0392b", "all-in", 0.0), (stress.curve.map(\.electricityOnly), "#e67e22", "electricity only", 90.0)] {
            let points = zip(stress.curve, values).map { "\(f(x($0.price))),\(f(y($1)))" }.joined(separator: " ")
            body.append("<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.5\" points=\"\(points)\"/>")
            body.append("<text x=\"\(f(width - right - 160 + offset))\" y=\"\(f(top + 14))\" fill=\"\(colour)\" class=\"legend\">\(label)</text>")
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif">
            <style>.title{font-size:13px;font-weight:bold}.axis{font-size:10px;fill:#555}.legend{font-size:11px;font-weight:bold}</style>
            \(body.joined(separator: "\n"))
            </svg>
            """
    }
}
