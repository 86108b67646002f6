import Foundation

/// One MACD reading: the MACD line, its signal line and the histogram (line − signal), in price units (USD).
public struct MACDPoint: Sendable, Codable, Equatable {
    public var macd: Double
    public var signal: Double
    public var histogram: Double
}

/// A moving-average cross: `golden` when the fast average goes above the slow one, `death` when it goes below.
public enum CrossKind: String, Sendable, Codable {
    case golden, death
}

/// A cross event at `index` of the input series (the first bar on the new side).
public struct CrossEvent: Sendable, Equatable {
    public var index: Int
    public var kind: CrossKind
}

/// Causal technical indicators over index-aligned series.
///
/// Warm-up rule: every function returns an array the length of its input; element `i` is `nil` until enough values
/// exist, and depends only on elements `0...i` (no look-ahead), so a prefix of the input gives a prefix of the output.
public enum Indicators {
    /// Simple moving average of the last `period` values; non-nil from index `period − 1`.
    public static func sma(_ values: [Double], period: Int) -> [Double?] {
        var result = [Double?](repeating: nil, count: values.count)
        guard period > 0 else { return result }
        var sum = 0.0
        for index in values.indices {
            sum += values[index]
            if index >= period { sum -= values[index - period] }
            if index >= period - 1 { result[index] = sum / Double(period) }
        }
        return result
    }

    /// Exponential moving average, α = 2/(period+1), seeded at index `period − 1` with the SMA of the first `period`.
    public static func ema(_ values: [Double], period: Int) -> [Double?] {
        var result = [Double?](repeating: nil, count: values.count)
        guard period > 0, values.count >= period else { return result }
        let alpha = 2.0 / Double(period + 1)
        var value = values[0..<period].reduce(0, +) / Double(period)
        result[period - 1] = value
        for index in period..<values.count {
            value += alpha * (values[index] - value)
            result[index] = value
        }
        return result
    }

    /// Wilder RSI (0–100), seeded with the simple mean of the first `period` changes; non-nil from index `period`.
    ///
    /// Then avg = (avg × (period − 1) + current) / period for gains and losses; RSI = 100 − 100 / (1 + gain/loss),
    /// 100 when the average loss is 0 and 50 when both averages are 0.
    public static func rsi(_ closes: [Double], period: Int = 14) -> [Double?] {
        var result = [Double?](repeating: nil, count: closes.count)
        guard period > 0, closes.count > period else { return result }
        var gain = 0.0, loss = 0.0
        for index in 1...period {
            let change = closes[index] - closes[index - 1]
            gain += max(change, 0)
            loss += max(-change, 0)
        }
        gain /= Double(period)
        loss /= Double(period)
        func value() -> Double {
            if loss == 0 { return gain == 0 ? 50 : 100 }
            return 100 - 100 / (1 + gain / loss)
        }
        result[period] = value()
        let weight = Double(period - 1)
        for index in (period + 1)..<closes.count {
            let change = closes[index] - closes[index - 1]
            gain = (gain * weight + max(change, 0)) / Double(period)
            loss = (loss * weight + max(-change, 0)) / Double(period)
            result[index] = value()
        }
        return result
    }

    /// MACD(fast, slow, signal): EMA(fast) − EMA(slow); signal = EMA(signal) of the MACD line seeded with the SMA of
    /// its first `signal` values. Non-nil from index `slow + signal − 2` (33 for 12/26/9).
    public static func macd(_ closes: [Double], fast: Int = 12, slow: Int = 26, signal: Int = 9) -> [MACDPoint?] {
        var result = [MACDPoint?](repeating: nil, count: closes.count)
        let fastEMA = ema(closes, period: fast), slowEMA = ema(closes, period: slow)
        let start = max(fast, slow) - 1
        guard closes.count > start else { return result }
        let line = (start..<closes.count).map { fastEMA[$0]! - slowEMA[$0]! }
        let signalLine = ema(line, period: signal)
        for (offset, value) in signalLine.enumerated() {
            guard let value else { continue }
            result[start + offset] = MACDPoint(macd: line[offset], signal: value, histogram: line[offset] - value)
        }
        return result
    }

    /// Mayer multiple: close / SMA(period) of closes (200-day by default); non-nil from index `period − 1`.
    public static func mayerMultiple(_ closes: [Double], period: Int = 200) -> [Double?] {
        let average = sma(closes, period: period)
        return closes.indices.map { index in average[index].map { closes[index] / $0 } }
    }

    /// Drawdown: close / running maximum close − 1 (0 at a new high, −0.5 at half the high).
    public static func drawdown(_ closes: [Double]) -> [Double] {
        var peak = -Double.infinity
        return closes.map { close in
            peak = max(peak, close)
            return close / peak - 1
        }
    }

    /// Crosses of `fast` over `slow` (e.g. 50- and 200-day SMAs): index of the first bar on the new side.
    ///
    /// Bars where either is nil, or where they are equal, do not change side.
    public static func crosses(fast: [Double?], slow: [Double?]) -> [CrossEvent] {
        var events: [CrossEvent] = []
        var above: Bool?
        for index in 0..<min(fast.count, slow.count) {
            guard let f = fast[index], let s = slow[index], f != s else { continue }
            let now = f > s
            if let was = above, was != now { events.append(CrossEvent(index: index, kind: now ? .golden : .death)) }
            above = now
        }
        return events
    }
}

/// A complete Monday–Sunday UTC week of prices, labelled by its Sunday (`weekEnding`); USD.
public struct WeeklyCandle: Sendable, Codable, Equatable {
    public var weekEnding: UTCDay
    public var open: Double
    public var high: Double
    public var low: Double
    public var close: Double

    /// A week labelled by its Sunday `weekEnding` (UTC); prices in USD.
    public init(weekEnding: UTCDay, open: Double, high: Double, low: Double, close: Double) {
        self.weekEnding = weekEnding
        self.open = open
        self.high = high
        self.low = low
        self.close = close
    }

    /// Aggregates sorted daily candles into weeks; only weeks whose Sunday ended at or before `asOf` are returned.
    ///
    /// A week missing some days is built from the days present (first open, max high, min low, last close).
    public static func weeks(from daily: [PriceCandle], asOf: Date? = nil) -> [WeeklyCandle] {
        var weeks: [WeeklyCandle] = []
        for candle in daily {
            let label = candle.day.weekEnding
            if let last = weeks.last, last.weekEnding == label {
                weeks[weeks.count - 1].high = max(last.high, candle.high)
                weeks[weeks.count - 1].low = min(last.low, candle.low)
                weeks[weeks.count - 1].close = candle.close
            } else {
                weeks.append(WeeklyCandle(weekEnding: label, open: candle.open, high: candle.high,
                                          low: candle.low, close: candle.close))
            }
        }
        let cutoff = asOf ?? (daily.last.map { $0.day.end } ?? .distantPast)
        while let last = weeks.last, last.weekEnding.end > cutoff { weeks.removeLast() }
        return weeks
    }

    /// Simple average of the last `period` weekly closes (200-week average by default); nil before `period` weeks.
    public static func movingAverage(_ weeks: [WeeklyCandle], period: Int = 200) -> [Double?] {
        Indicators.sma(weeks.map(\.close), period: period)
    }
}
