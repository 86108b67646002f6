import Foundation
import JSONOutput
import Market

/// The chart's data as JSON (`divergence.chart/1`), read by the interactive chart in the dashboard and in `chart --out
/// FILE.html`. Days are `YYYY-MM-DD` (UTC); prices and cost in USD; hashrate in EH/s; scores on −100…+100.
public struct ChartJSON: Codable, Sendable {
    public struct Point: Codable, Sendable { public var day: String; public var value: Double }
    public struct Score: Codable, Sendable {
        public var day: String
        public var bullishness: Double?, regime: Double?, divergence: Double?, percentile: Double?
        /// Stated Bₛ and revealed Bᵣ, present when positioning data is stored (B is then their mix).
        public var stated: Double?, revealed: Double?
    }
    public struct Event: Codable, Sendable {
        public var day: String, kind: String, code: String, colour: String, meaning: String, detail: String, bearish: Bool
    }
    public struct Episode: Codable, Sendable { public var start: String; public var end: String? }
    public struct Zone: Codable, Sendable { public var low: Double, high: Double; public var touches: Int }

    public var schema = "divergence.chart/1"
    public var from: String, to: String
    public var close: [Point], productionCost: [Point], hashrate: [Point], ribbon30: [Point], ribbon60: [Point]
    public var scores: [Score]
    public var events: [Event]
    public var capitulations: [Episode]
    public var supportZones: [Zone]

    /// The JSON form of `data`; non-finite values are left out (JSON has no NaN).
    public init(_ data: ChartData) {
        func points(_ series: [(UTCDay, Double)]) -> [Point] { series.filter { $0.1.isFinite }.map { Point(day: $0.0.iso, value: $0.1) } }
        func finite(_ value: Double?) -> Double? { value.flatMap { $0.isFinite ? $0 : nil } }
        from = data.from.iso
        to = data.to.iso
        close = points(data.prices.map { ($0.day, $0.close) })
        productionCost = points(data.productionCost.map { ($0.day, $0.usd) })
        hashrate = points(data.hashrate.map { ($0.day, $0.exahashesPerSecond) })
        ribbon30 = points(data.ribbon30.map { ($0.day, $0.ehs) })
        ribbon60 = points(data.ribbon60.map { ($0.day, $0.ehs) })
        scores = data.history.map { Score(day: $0.day.iso, bullishness: finite($0.bullishness), regime: finite($0.regime),
                                          divergence: finite($0.divergence), percentile: finite($0.percentile),
                                          stated: $0.revealed == nil ? nil : finite($0.stated), revealed: finite($0.revealed)) }
        events = data.events.map { event in
            let style = ChartEventStyle.of(event.kind)
            return Event(day: event.day.iso, kind: event.kind.rawValue, code: style.code, colour: style.colour, meaning: style.meaning,
                         detail: event.detail, bearish: style.bearish)
        }
        capitulations = data.capitulations.map { Episode(start: $0.start.iso, end: $0.end?.iso) }
        supportZones = data.supportZones.filter { $0.low.isFinite && $0.high.isFinite }.map { Zone(low: $0.low, high: $0.high, touches: $0.touches) }
    }

    /// The JSON text on one line, keys sorted and in snake_case like every public document.
    public func encoded() throws(JSONEncodingError) -> String {
        String(decoding: try JSONEncoding.encode(self, layout: .compact), as: UTF8.self)
    }
}
