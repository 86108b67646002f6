import Foundation
import Market

/// A stored series point that fails the checks imports apply today (written by an older version or by hand).
public struct InvalidSeriesPoint: Sendable, Equatable, CustomStringConvertible {
    /// The stored series name: `btc_usd`, `hashrate_ehs` or `fees`.
    public var series: String
    /// The stored day text (a `YYYY-MM-DD` date unless that is what is wrong).
    public var day: String
    /// What fails, naming the field.
    public var reason: String

    /// `btc_usd 2026-01-02: high inf is not finite`.
    public var description: String { "\(series) \(day): \(reason)" }
}

extension Store {
    /// Every stored series point that `validation` would refuse at import, oldest first within each series.
    public func invalidSeriesPoints(validation: SeriesValidation = SeriesValidation()) throws(StoreError) -> [InvalidSeriesPoint] {
        try read { db in
            var found: [InvalidSeriesPoint] = []
            var candles: [PriceCandle] = []
            let rows = try SQLRow.fetchAll(db, sql: "SELECT series, day, open, high, low, close, volume, value FROM series_point ORDER BY series, day")
            for row in rows {
                let series = Self.text(row, "series"), dayText = Self.text(row, "day")
                func invalid(_ reason: String) { found.append(InvalidSeriesPoint(series: series, day: dayText, reason: reason)) }
                guard let day = UTCDay(iso: dayText) else { invalid("day '\(dayText)' is not a date"); continue }
                switch series {
                case "btc_usd":
                    let fields = ["open", "high", "low", "close"].map { ($0, Self.number(row, $0)) }
                    if let missing = fields.first(where: { $0.1 == nil }) { invalid("\(missing.0) is not a number (missing, NaN or text)"); continue }
                    let values = fields.map { $0.1! }
                    let candle = PriceCandle(day: day, open: values[0], high: values[1], low: values[2], close: values[3], volume: Self.number(row, "volume"))
                    if let reason = validation.problem(with: candle) { invalid(reason) } else { candles.append(candle) }
                case "hashrate_ehs":
                    guard let value = Self.number(row, "value") else { invalid("hashrate is not a number (missing, NaN or text)"); continue }
                    if let reason = validation.problem(with: HashrateSample(day: day, exahashesPerSecond: value)) { invalid(reason) }
                case "fees":
                    let sample = FeeSample(day: day, btc: Self.number(row, "value"), usd: Self.number(row, "close"))
                    if sample.btc == nil && sample.usd == nil { invalid("fees are not a number (missing, NaN or text)"); continue }
                    if let reason = validation.problem(with: sample) { invalid(reason) }
                default:
                    continue
                }
            }
            let outliers = validation.outliers(candles)
            for index in outliers.keys.sorted() {
                found.append(InvalidSeriesPoint(series: "btc_usd", day: candles[index].day.iso, reason: outliers[index]!))
            }
            return found.sorted { ($0.series, $0.day) < ($1.series, $1.day) }
        }
    }

    /// A numeric column read without trapping: nil for NULL (SQLite's NaN) and for text a hand edit left in it.
    static func number(_ row: SQLRow, _ column: String) -> Double? {
        row[column] as Double?
    }

    /// A text column read without trapping: a number stored there is shown as its digits, NULL as empty.
    static func text(_ row: SQLRow, _ column: String) -> String {
        switch row.value(column) {
        case .null: ""
        case .integer(let number): String(number)
        case .real(let number): "\(number)"
        case .text(let text): text
        case .blob(let bytes): String(decoding: bytes, as: UTF8.self)
        }
    }

    /// Deletes the points of `series` (`btc_usd` or `hashrate_ehs`) from `from` to `to`, inclusive; returns how many.
    @discardableResult
    public func deleteSeriesPoints(series: String, from: UTCDay, to: UTCDay) throws(StoreError) -> Int {
        try write { db in
            try db.execute(sql: "DELETE FROM series_point WHERE series = ? AND day >= ? AND day <= ?", arguments: [series, from.iso, to.iso])
        }
    }

    /// Deletes points of `series` whose stored day is not a date at all (a hand-edited store); returns how many.
    @discardableResult
    public func deleteSeriesPoints(series: String, day text: String) throws(StoreError) -> Int {
        try write { db in
            try db.execute(sql: "DELETE FROM series_point WHERE series = ? AND day = ?", arguments: [series, text])
        }
    }
}
