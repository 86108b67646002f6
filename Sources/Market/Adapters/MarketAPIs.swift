import Foundation

/// Daily BTC-USD candles from Kraken's public `OHLC` endpoint (`/0/public/OHLC?pair=XBTUSD&interval=1440`).
///
/// Shape: `{"error": [], "result": {"XXBTZUSD": [[time, "open", "high", "low", "close", "vwap", "volume", count], …], "last": t}}`;
/// `time` is the candle's UTC open in Unix seconds; volume is in BTC and is converted to USD with the candle's VWAP.
/// Kraken's last candle is the day still in progress; it is dropped.
public enum KrakenOHLC {
    /// Parses a Kraken OHLC response into complete daily candles.
    public static func candles(_ bytes: [UInt8], source: String, now: Date = Date(), allowOutliers: Bool = false) throws(SeriesError) -> SeriesImport<PriceCandle> {
        let validation = SeriesValidation(now: now, allowOutliers: allowOutliers)
        guard let root = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw .unreadable(source: source, reason: "not a JSON object")
        }
        if let errors = root["error"] as? [String], !errors.isEmpty { throw .unreadable(source: source, reason: "Kraken error: \(errors.joined(separator: "; "))") }
        guard let result = root["result"] as? [String: Any],
              let rows = result.first(where: { $0.key != "last" })?.value as? [[Any]] else {
            throw .unreadable(source: source, reason: "no OHLC rows in result")
        }
        var candles: [PriceCandle] = []
        var problems: [SeriesProblem] = []
        let today = UTCDay(containing: now)
        for (position, row) in rows.enumerated() {
            func number(_ index: Int) -> Double? {
                guard index < row.count else { return nil }
                // Decimal only, as in CSV files: `Double("0x10")` would read 16.
                if let text = row[index] as? String { return try? SeriesValidation.number(text, field: "").get() }
                return (row[index] as? NSNumber)?.doubleValue
            }
            guard let time = number(0), let open = number(1), let high = number(2), let low = number(3), let close = number(4) else {
                problems.append(.init(source: source, line: nil, reason: "row \(position): malformed OHLC row")); continue
            }
            guard let day = SeriesDates.day(unixSeconds: time) else {
                problems.append(.init(source: source, line: nil, reason: "row \(position): time \(time) is out of range")); continue
            }
            if day >= today { continue }
            let volumeUSD = number(6).map { $0 * (number(5).flatMap { $0 > 0 ? $0 : nil } ?? close) }
            let candle = PriceCandle(day: day, open: open, high: high, low: low, close: close, volume: volumeUSD)
            if let reason = validation.problem(with: candle) { problems.append(.init(source: source, line: nil, reason: "row \(position): \(reason)")); continue }
            candles.append(candle)
        }
        let sorted = candles.sorted { $0.day < $1.day }
        let outliers = validation.outliers(sorted)
        for index in outliers.keys.sorted() { problems.append(.init(source: source, line: nil, reason: "\(sorted[index].day.iso): \(outliers[index]!)")) }
        let cleaned = SeriesOrdering.clean(sorted.indices.filter { outliers[$0] == nil }.map { sorted[$0] }, source: source)
        return SeriesImport(points: cleaned.points, problems: problems, warnings: cleaned.warnings, rowsRead: rows.count)
    }
}

/// Daily hashrate from blockchain.com's charts API (`/charts/hash-rate?timespan=1year&format=json&sampled=false`).
///
/// Shape: `{"status": "ok", "unit": "Hash Rate TH/s", "period": "day", "values": [{"x": unix seconds, "y": TH/s}, …]}`.
public enum BlockchainChartsHashrate {
    /// Parses a charts response into daily samples in EH/s.
    public static func samples(_ bytes: [UInt8], source: String, validation: SeriesValidation = SeriesValidation()) throws(SeriesError) -> SeriesImport<HashrateSample> {
        guard let root = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
              let values = root["values"] as? [[String: Any]] else {
            throw .unreadable(source: source, reason: "no \"values\" array")
        }
        let unitText = (root["unit"] as? String ?? "TH/s")
        let unit: HashrateUnit = unitText.contains("EH/s") ? .exahashesPerSecond : unitText.contains("TH/s") ? .terahashesPerSecond : .hashesPerSecond
        var samples: [HashrateSample] = []
        var problems: [SeriesProblem] = []
        for (position, value) in values.enumerated() {
            guard let x = (value["x"] as? NSNumber)?.doubleValue, let y = (value["y"] as? NSNumber)?.doubleValue else {
                problems.append(.init(source: source, line: nil, reason: "values[\(position)]: missing x or y")); continue
            }
            guard let day = SeriesDates.day(unixSeconds: x) else {
                problems.append(.init(source: source, line: nil, reason: "values[\(position)]: x \(x) is out of range")); continue
            }
            let sample = HashrateSample(day: day, exahashesPerSecond: unit.toExahashes(y))
            if let reason = validation.problem(with: sample) { problems.append(.init(source: source, line: nil, reason: "values[\(position)]: \(reason)")); continue }
            samples.append(sample)
        }
        let cleaned = SeriesOrdering.clean(samples, source: source)
        return SeriesImport(points: cleaned.points, problems: problems, warnings: cleaned.warnings, rowsRead: values.count)
    }
}

/// Daily hashrate from mempool.space (`/api/v1/mining/hashrate/1y`).
///
/// Shape: `{"hashrates": [{"timestamp": unix seconds, "avgHashrate": H/s}, …], "difficulty": […], "currentHashrate": H/s}`.
public enum MempoolHashrate {
    /// Parses a mempool.space hashrate response into daily samples in EH/s.
    public static func samples(_ bytes: [UInt8], source: String, validation: SeriesValidation = SeriesValidation()) throws(SeriesError) -> SeriesImport<HashrateSample> {
        guard let root = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
              let rows = root["hashrates"] as? [[String: Any]] else {
            throw .unreadable(source: source, reason: "no \"hashrates\" array")
        }
        var samples: [HashrateSample] = []
        var problems: [SeriesProblem] = []
        for (position, row) in rows.enumerated() {
            guard let time = (row["timestamp"] as? NSNumber)?.doubleValue, let rate = (row["avgHashrate"] as? NSNumber)?.doubleValue else {
                problems.append(.init(source: source, line: nil, reason: "hashrates[\(position)]: missing timestamp or avgHashrate")); continue
            }
            guard let day = SeriesDates.day(unixSeconds: time) else {
                problems.append(.init(source: source, line: nil, reason: "hashrates[\(position)]: timestamp \(time) is out of range")); continue
            }
            let sample = HashrateSample(day: day, exahashesPerSecond: HashrateUnit.hashesPerSecond.toExahashes(rate))
            if let reason = validation.problem(with: sample) { problems.append(.init(source: source, line: nil, reason: "hashrates[\(position)]: \(reason)")); continue }
            samples.append(sample)
        }
        let cleaned = SeriesOrdering.clean(samples, source: source)
        return SeriesImport(points: cleaned.points, problems: problems, warnings: cleaned.warnings, rowsRead: rows.count)
    }
}
