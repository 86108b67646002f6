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
        let parsed = rows.enumerated().map { position, row in
            ExchangeCandles.Row(label: "row \(position)", fields: row, layout: .init(time: 0, open: 1, high: 2, low: 3, close: 4, volume: 6, vwap: 5))
        }
        return ExchangeCandles.assemble(parsed, source: source, validation: validation)
    }
}

/// Daily hashrate from blockchain.com's charts API (`/charts/hash-rate?timespan=1year&format=json&sampled=false`).
///
/// Shape: `{"status": "ok", "unit": "Hash Rate TH/s", "period": "day", "values": [{"x": unix seconds, "y": TH/s}, …]}`.
public enum BlockchainChartsHashrate {
    /// Parses a charts response into daily samples in EH/s.
    public static func samples(_ bytes: [UInt8], source: String, validation: SeriesValidation = SeriesValidation()) throws(SeriesError) -> SeriesImport<HashrateSample> {
        var chart = try BlockchainChart(bytes, source: source)
        let unitText = chart.unit ?? "TH/s"
        let unit: HashrateUnit = unitText.contains("EH/s") ? .exahashesPerSecond : unitText.contains("TH/s") ? .terahashesPerSecond : .hashesPerSecond
        let samples = chart.valid({ HashrateSample(day: $0, exahashesPerSecond: unit.toExahashes($1)) }, problem: validation.problem(with:))
        let cleaned = SeriesOrdering.clean(samples, source: source)
        return SeriesImport(points: cleaned.points, problems: chart.problems, warnings: cleaned.warnings, rowsRead: chart.rowsRead)
    }
}

/// Daily transaction fees paid to miners from blockchain.com charts (`/charts/transaction-fees`, BTC per day).
public enum BlockchainChartsFees {
    /// Parses a charts response into daily fee totals in BTC.
    public static func samples(_ bytes: [UInt8], source: String, validation: SeriesValidation = SeriesValidation()) throws(SeriesError) -> SeriesImport<FeeSample> {
        var chart = try BlockchainChart(bytes, source: source)
        let samples = chart.valid({ FeeSample(day: $0, btc: $1) }, problem: validation.problem(with:))
        let (points, report) = SeriesCleaning.clean(samples)
        return SeriesImport(points: points, problems: chart.problems, warnings: SeriesOrdering.warnings(report, source: source),
                            rowsRead: chart.rowsRead)
    }
}

/// A blockchain.com charts response: `{"unit": …, "values": [{"x": Unix seconds, "y": value}]}`.
struct BlockchainChart {
    var source: String
    var unit: String?
    var points: [(position: Int, day: UTCDay, value: Double)] = []
    var problems: [SeriesProblem] = []
    var rowsRead = 0

    init(_ bytes: [UInt8], source: String) throws(SeriesError) {
        self.source = source
        guard let root = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
              let values = root["values"] as? [[String: Any]] else {
            throw .unreadable(source: source, reason: "no \"values\" array")
        }
        unit = root["unit"] as? String
        rowsRead = values.count
        for (position, value) in values.enumerated() {
            guard let x = (value["x"] as? NSNumber)?.doubleValue, let y = (value["y"] as? NSNumber)?.doubleValue else {
                problems.append(.init(source: source, line: nil, reason: "values[\(position)]: missing x or y")); continue
            }
            guard let day = SeriesDates.day(unixSeconds: x) else {
                problems.append(.init(source: source, line: nil, reason: "values[\(position)]: x \(x) is out of range")); continue
            }
            points.append((position, day, y))
        }
    }

    /// The points made into `Point`s, keeping those `problem` accepts and recording the others with their position.
    mutating func valid<Point>(_ make: (UTCDay, Double) -> Point, problem: (Point) -> String?) -> [Point] {
        var kept: [Point] = []
        for point in points {
            let made = make(point.day, point.value)
            if let reason = problem(made) {
                problems.append(.init(source: source, line: nil, reason: "values[\(point.position)]: \(reason)")); continue
            }
            kept.append(made)
        }
        return kept
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
