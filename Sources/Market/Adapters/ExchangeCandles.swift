import Foundation

/// Daily BTC-USD candles from Bitstamp's public OHLC endpoint (`/api/v2/ohlc/btcusd/?step=86400&limit=1000&start=…`).
///
/// Shape: `{"data": {"pair": "BTC/USD", "ohlc": [{"timestamp": "1313625600", "open": "10.90", "high": …, "low": …,
/// "close": …, "volume": "…"}, …]}}`, oldest first, every field a decimal string; `timestamp` is the candle's UTC open
/// in Unix seconds, volume in BTC (converted to USD at the close). An error is `{"errors": [{"message": …}], "code": …}`
/// or `{"status": "error", "reason": …}`. The day still in progress is dropped.
public enum BitstampOHLC {
    /// Parses one Bitstamp OHLC page into complete daily candles.
    public static func candles(_ bytes: [UInt8], source: String, now: Date = Date()) throws(SeriesError) -> SeriesImport<PriceCandle> {
        guard let root = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw .unreadable(source: source, reason: "not a JSON object")
        }
        if let errors = root["errors"] as? [[String: Any]], !errors.isEmpty {
            throw .unreadable(source: source, reason: "Bitstamp error: \(errors.compactMap { $0["message"] as? String }.joined(separator: "; "))")
        }
        if root["status"] as? String == "error" {
            throw .unreadable(source: source, reason: "Bitstamp error: \(root["reason"].map { "\($0)" } ?? "unspecified")")
        }
        guard let data = root["data"] as? [String: Any], let rows = data["ohlc"] as? [[String: Any]] else {
            throw .unreadable(source: source, reason: "no data.ohlc array")
        }
        let names = ["timestamp", "open", "high", "low", "close", "volume"]
        let parsed = rows.enumerated().map { position, row in
            ExchangeCandles.Row(label: "ohlc[\(position)]", fields: names.map { row[$0] as Any }, layout: .init(time: 0, open: 1, high: 2, low: 3, close: 4, volume: 5))
        }
        return ExchangeCandles.assemble(parsed, source: source, validation: SeriesValidation(now: now))
    }
}

/// Daily BTC-USD candles from Coinbase Exchange's public candles endpoint
/// (`/products/BTC-USD/candles?granularity=86400&start=…&end=…`, at most 300 candles per call).
///
/// Shape: `[[time, low, high, open, close, volume], …]`, newest first, numbers; `time` is the candle's UTC open in Unix
/// seconds, volume in BTC (converted to USD at the close). An error is `{"message": …}`. The day still in progress is
/// dropped.
public enum CoinbaseCandles {
    /// Most candles one call returns.
    public static let maxRows = 300

    /// Parses one Coinbase candles page into complete daily candles, oldest first.
    public static func candles(_ bytes: [UInt8], source: String, now: Date = Date()) throws(SeriesError) -> SeriesImport<PriceCandle> {
        let root = try? JSONSerialization.jsonObject(with: Data(bytes))
        if let error = root as? [String: Any] {
            throw .unreadable(source: source, reason: "Coinbase error: \(error["message"].map { "\($0)" } ?? "an object instead of candles")")
        }
        guard let rows = root as? [[Any]] else { throw .unreadable(source: source, reason: "not a JSON array of candles") }
        let parsed = rows.enumerated().map { position, row in
            ExchangeCandles.Row(label: "candle[\(position)]", fields: row, layout: .init(time: 0, open: 3, high: 2, low: 1, close: 4, volume: 5))
        }
        return ExchangeCandles.assemble(parsed, source: source, validation: SeriesValidation(now: now))
    }
}

/// The shared part of reading exchange candles: fields by position, checks, order, outliers.
enum ExchangeCandles {
    /// Where each field sits in a row.
    struct Layout {
        var time, open, high, low, close, volume: Int
        /// The volume-weighted price, when the exchange gives one (volume is converted to USD at it, else at the close).
        var vwap: Int? = nil
    }

    /// One row as the exchange sent it, with a label for problems (`row 3`, `ohlc[3]`).
    struct Row {
        var label: String
        var fields: [Any]
        var layout: Layout

        /// Field `index` as a number: decimal text only, as in CSV files (`Double("0x10")` would read 16), or a JSON number.
        func number(_ index: Int?) -> Double? {
            guard let index, index < fields.count else { return nil }
            if let text = fields[index] as? String { return try? SeriesValidation.number(text, field: "").get() }
            return (fields[index] as? NSNumber)?.doubleValue
        }
    }

    /// Complete daily candles (before the day in progress) from `rows`, sorted, each checked by `validation`; volume in USD.
    static func assemble(_ rows: [Row], source: String, validation: SeriesValidation) -> SeriesImport<PriceCandle> {
        var candles: [PriceCandle] = []
        var problems: [SeriesProblem] = []
        let today = validation.lastDay.adding(days: -1)
        for row in rows {
            let layout = row.layout
            guard let time = row.number(layout.time), let open = row.number(layout.open), let high = row.number(layout.high),
                  let low = row.number(layout.low), let close = row.number(layout.close) else {
                problems.append(.init(source: source, line: nil, reason: "\(row.label): malformed OHLC row")); continue
            }
            guard let day = SeriesDates.day(unixSeconds: time) else {
                problems.append(.init(source: source, line: nil, reason: "\(row.label): time \(time) is out of range")); continue
            }
            if day >= today { continue }
            let volumeUSD = row.number(layout.volume).map { $0 * (row.number(layout.vwap).flatMap { $0 > 0 ? $0 : nil } ?? close) }
            let candle = PriceCandle(day: day, open: open, high: high, low: low, close: close, volume: volumeUSD)
            if let reason = validation.problem(with: candle) { problems.append(.init(source: source, line: nil, reason: "\(row.label): \(reason)")); continue }
            candles.append(candle)
        }
        let sorted = candles.sorted { $0.day < $1.day }
        let outliers = validation.outliers(sorted)
        for index in outliers.keys.sorted() { problems.append(.init(source: source, line: nil, reason: "\(sorted[index].day.iso): \(outliers[index]!)")) }
        let cleaned = SeriesOrdering.clean(sorted.indices.filter { outliers[$0] == nil }.map { sorted[$0] }, source: source)
        return SeriesImport(points: cleaned.points, problems: problems, warnings: cleaned.warnings, rowsRead: rows.count)
    }
}
