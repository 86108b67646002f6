import Foundation

/// The checks every series value passes where it enters (CSV files, market APIs): a failing field rejects its row,
/// it is never replaced by another value.
///
/// Rules: every number finite; prices positive; low ≤ open, close ≤ high; hashrate ≥ 0; days from the genesis block
/// (2009-01-03) to tomorrow (UTC). Plausibility, unless `allowOutliers`: a price at most `maxPlausibleUSD`, hashrate at
/// most `maxPlausibleEHs`, and a daily close within 0.1×–10× the median close of its neighbours (up to three rows on
/// each side in the same import).
public struct SeriesValidation: Sendable {
    /// The genesis block's day: no Bitcoin series has a point before it.
    public static let firstDay = UTCDay(year: 2009, month: 1, day: 3)
    /// A close more than this many times its neighbours' median (or less than its inverse) is an outlier.
    public static let outlierFactor = 10.0
    /// Rows on each side whose median close is a close's reference.
    public static let outlierNeighbours = 3
    /// USD per BTC above which a price is implausible (a billion dollars per coin).
    public static let maxPlausibleUSD = 1e9
    /// EH/s above which a hashrate is implausible (a million times the ~1 ZH/s of 2025).
    public static let maxPlausibleEHs = 1e9

    /// The last acceptable day: tomorrow (UTC) of the `now` given.
    public var lastDay: UTCDay
    /// Whether plausibility bounds and neighbour outliers are kept instead of rejected.
    public var allowOutliers: Bool

    /// Checks relative to `now` (days up to tomorrow, UTC).
    public init(now: Date = Date(), allowOutliers: Bool = false) {
        lastDay = UTCDay(containing: now).adding(days: 1)
        self.allowOutliers = allowOutliers
    }

    /// Why a day cannot hold Bitcoin data, or nil.
    public func problem(day: UTCDay) -> String? {
        if day < Self.firstDay { return "day \(day.iso) is before the genesis block (2009-01-03)" }
        if day > lastDay { return "day \(day.iso) is in the future" }
        return nil
    }

    /// Why a candle cannot be stored, naming the first failing field, or nil.
    public func problem(with candle: PriceCandle) -> String? {
        if let reason = problem(day: candle.day) { return reason }
        for (name, value) in [("open", candle.open), ("high", candle.high), ("low", candle.low), ("close", candle.close)] {
            if let reason = problem(price: value, field: name) { return reason }
        }
        if let volume = candle.volume, !(volume.isFinite && volume >= 0) { return "volume \(volume) is not a finite non-negative number" }
        if candle.low > min(candle.open, candle.close) { return "low \(candle.low) is above the open or close" }
        if candle.high < max(candle.open, candle.close) { return "high \(candle.high) is below the open or close" }
        return nil
    }

    /// Why a hashrate sample cannot be stored, or nil.
    public func problem(with sample: HashrateSample) -> String? {
        if let reason = problem(day: sample.day) { return reason }
        let value = sample.exahashesPerSecond
        guard value.isFinite else { return "hashrate \(value) is not finite" }
        guard value >= 0 else { return "hashrate \(value) is negative" }
        if !allowOutliers && value > Self.maxPlausibleEHs {
            return "hashrate \(value) EH/s is above the plausible \(Int(Self.maxPlausibleEHs)) EH/s (--allow-outliers keeps it)"
        }
        return nil
    }

    func problem(price value: Double, field: String) -> String? {
        guard value.isFinite else { return "\(field) \(value) is not finite" }
        guard value > 0 else { return "\(field) \(value) is not positive" }
        if !allowOutliers && value > Self.maxPlausibleUSD {
            return "\(field) \(value) is above the plausible $\(Int(Self.maxPlausibleUSD)) per BTC (--allow-outliers keeps it)"
        }
        return nil
    }

    /// Positions (in `candles`, sorted by day) whose close is more than `outlierFactor` away from the median close of its
    /// neighbours, with the reason; empty when `allowOutliers`.
    public func outliers(_ candles: [PriceCandle]) -> [Int: String] {
        guard !allowOutliers, candles.count > 1 else { return [:] }
        var found: [Int: String] = [:]
        for index in candles.indices {
            let lower = max(candles.startIndex, index - Self.outlierNeighbours), upper = min(candles.endIndex, index + Self.outlierNeighbours + 1)
            let neighbours = (lower..<upper).filter { $0 != index }.map { candles[$0].close }.sorted()
            let median = neighbours.count % 2 == 1 ? neighbours[neighbours.count / 2]
                : (neighbours[neighbours.count / 2 - 1] + neighbours[neighbours.count / 2]) / 2
            let ratio = candles[index].close / median
            guard ratio.isFinite, ratio > Self.outlierFactor || ratio < 1 / Self.outlierFactor else { continue }
            found[index] = "close \(candles[index].close) is \(ratio > 1 ? "more than 10×" : "less than 0.1×") the median close \(median) of its neighbours (--allow-outliers keeps it)"
        }
        return found
    }

    /// A decimal number field (`64478.5`, `-1`, `1e308`, `nan`, `inf`), or why it is not one; hex and grouping commas are refused.
    static func number(_ text: String, field: String) -> Result<Double, FieldProblem> {
        let allowed = text.utf8.allSatisfy { byte in
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
                || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
        }
        let lowered = text.lowercased()
        let special = ["nan", "-nan", "+nan", "inf", "-inf", "+inf", "infinity", "-infinity", "+infinity"].contains(lowered)
        guard allowed || special, let value = Double(text) else { return .failure(FieldProblem(reason: "\(field) '\(text)' is not a number")) }
        return .success(value)
    }
}

/// Why one field of a row was refused.
struct FieldProblem: Error {
    var reason: String
}
