import Foundation

/// One daily BTC-USD candle for a UTC day; prices in USD, volume in USD (nil when the source did not give one).
public struct PriceCandle: Sendable, Codable, Equatable {
    public var day: UTCDay
    public var open: Double
    public var high: Double
    public var low: Double
    public var close: Double
    public var volume: Double?

    /// A candle for `day` (UTC); prices and volume in USD.
    public init(day: UTCDay, open: Double, high: Double, low: Double, close: Double, volume: Double? = nil) {
        self.day = day
        self.open = open
        self.high = high
        self.low = low
        self.close = close
        self.volume = volume
    }
}

/// The network hashrate for one UTC day, in EH/s.
public struct HashrateSample: Sendable, Codable, Equatable {
    public var day: UTCDay
    public var exahashesPerSecond: Double

    /// A sample for `day` (UTC) in EH/s.
    public init(day: UTCDay, exahashesPerSecond: Double) {
        self.day = day
        self.exahashesPerSecond = exahashesPerSecond
    }
}

/// Units in which hashrate sources report, with conversion to EH/s.
public enum HashrateUnit: String, Sendable, CaseIterable {
    case hashesPerSecond = "H/s"
    case terahashesPerSecond = "TH/s"
    case exahashesPerSecond = "EH/s"

    /// Converts `value` in this unit to EH/s.
    public func toExahashes(_ value: Double) -> Double {
        switch self {
        case .hashesPerSecond: return value / 1e18
        case .terahashesPerSecond: return value / 1e6
        case .exahashesPerSecond: return value
        }
    }
}

/// What cleaning found in a daily series: replaced duplicate days, missing-day runs, out-of-order rows.
public struct SeriesReport: Sendable, Equatable {
    /// Days that appeared more than once (the last row for the day was kept), ascending.
    public var duplicates: [UTCDay]
    /// Runs of missing days between the first and last day, ascending; never interpolated.
    public var gaps: [ClosedRange<UTCDay>]
    /// Rows whose day was earlier than the row before them in the input.
    public var outOfOrder: Int
    /// Days of rows dropped for a non-finite, negative or (for prices) zero value, ascending.
    public var invalid: [UTCDay]

    /// A report with the given findings.
    public init(duplicates: [UTCDay] = [], gaps: [ClosedRange<UTCDay>] = [], outOfOrder: Int = 0,
                invalid: [UTCDay] = []) {
        self.duplicates = duplicates
        self.gaps = gaps
        self.outOfOrder = outOfOrder
        self.invalid = invalid
    }
}

/// Cleans daily series: sorts by day, keeps the last row for a duplicated day, reports gaps; no interpolation.
///
/// Rows with a non-finite or negative value, or a price ≤ 0, or a high below the low, are dropped and reported in
/// `invalid` (their day then shows as a gap).
public enum SeriesCleaning {
    /// Sorted, de-duplicated candles (last row wins for a day) and what was found.
    public static func clean(_ candles: [PriceCandle]) -> ([PriceCandle], SeriesReport) {
        clean(candles, day: \.day) { candle in
            let prices = [candle.open, candle.high, candle.low, candle.close]
            return prices.allSatisfy { $0.isFinite && $0 > 0 } && (candle.volume.map { $0.isFinite && $0 >= 0 } ?? true)
                && candle.high >= candle.low
        }
    }

    /// Sorted, de-duplicated hashrate samples (last row wins for a day) and what was found.
    public static func clean(_ samples: [HashrateSample]) -> ([HashrateSample], SeriesReport) {
        clean(samples, day: \.day) { $0.exahashesPerSecond.isFinite && $0.exahashesPerSecond >= 0 }
    }

    static func clean<Row>(_ input: [Row], day: (Row) -> UTCDay, valid: (Row) -> Bool) -> ([Row], SeriesReport) {
        let invalid = Array(Set(input.filter { !valid($0) }.map(day))).sorted()
        let rows = input.filter(valid)
        var outOfOrder = 0
        for index in rows.indices.dropFirst() where day(rows[index]) < day(rows[index - 1]) {
            outOfOrder += 1
        }
        // Stable sort by day; among rows for the same day the later input row wins.
        let order = rows.indices.sorted { a, b in
            let dayA = day(rows[a]), dayB = day(rows[b])
            return dayA != dayB ? dayA < dayB : a < b
        }
        var kept: [Row] = []
        kept.reserveCapacity(rows.count)
        var duplicates: [UTCDay] = []
        for index in order {
            let row = rows[index]
            if let last = kept.last, day(last) == day(row) {
                if duplicates.last != day(row) { duplicates.append(day(row)) }
                kept[kept.count - 1] = row
            } else {
                kept.append(row)
            }
        }
        var gaps: [ClosedRange<UTCDay>] = []
        for index in kept.indices.dropFirst() {
            let previous = day(kept[index - 1]), current = day(kept[index])
            if previous.days(to: current) > 1 {
                gaps.append(previous.adding(days: 1)...current.adding(days: -1))
            }
        }
        return (kept, SeriesReport(duplicates: duplicates, gaps: gaps, outOfOrder: outOfOrder, invalid: invalid))
    }
}
