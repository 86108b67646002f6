import DelimitedText
import Foundation

/// A row or value that could not be imported, with where it was.
public struct SeriesProblem: Sendable, Equatable, CustomStringConvertible {
    public var source: String
    public var line: Int?
    public var reason: String

    public init(source: String, line: Int?, reason: String) {
        self.source = source
        self.line = line
        self.reason = reason
    }

    public var description: String { line.map { "\(source):\($0): \(reason)" } ?? "\(source): \(reason)" }
}

/// Why a series file or API response could not be read at all.
public enum SeriesError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(source: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let source, let reason): "\(source): \(reason)"
        }
    }
}

/// Points read from a file or response, with rejected rows and what cleaning found.
public struct SeriesImport<Point: Sendable>: Sendable {
    public var points: [Point]
    /// Rejected rows, each with its line (or position) and the field that failed.
    public var problems: [SeriesProblem]
    /// Non-fatal findings: duplicate days (last wins), out-of-order rows, gaps, timestamps not at UTC midnight.
    public var warnings: [SeriesProblem]
    /// Data rows read (header excluded): `points.count + superseded + problems.count` when every problem is one row.
    public var rowsRead = 0
    /// Rows that passed the checks but were replaced by a later row for the same day.
    public var superseded = 0

    /// Creates an import result from parsed points and findings.
    public init(points: [Point], problems: [SeriesProblem], warnings: [SeriesProblem], rowsRead: Int = 0, superseded: Int = 0) {
        self.points = points
        self.problems = problems
        self.warnings = warnings
        self.rowsRead = rowsRead
        self.superseded = superseded
    }
}

/// Reads daily series from CSV: BTC-USD OHLCV and hashrate.
public enum SeriesCSV {
    /// Reads `date,open,high,low,close[,volume]` (a `close`-only or `price` column is accepted too: open = high = low = close).
    ///
    /// Every field is checked by `validation`; a field that fails rejects its row (with its line and reason). An empty
    /// volume is stored as missing. A row whose quoted field never closes costs that row only.
    public static func prices(_ bytes: [UInt8], source: String, validation: SeriesValidation = SeriesValidation()) throws(SeriesError) -> SeriesImport<PriceCandle> {
        let table = try readTable(bytes, source: source)
        guard let dateColumn = dateColumn(of: table) else { throw .unreadable(source: source, reason: "no date column (date, day, timestamp or time)") }
        guard let closeColumn = table.column("close") ?? table.column("price") ?? table.column("price_usd") else {
            throw .unreadable(source: source, reason: "no close or price column")
        }
        let open = table.column("open"), high = table.column("high"), low = table.column("low"), volume = table.column("volume")
        var rows: [(candle: PriceCandle, line: Int)] = []
        var problems = unclosed(table, source: source)
        var warnings: [SeriesProblem] = []
        for record in table.records {
            func reject(_ reason: String) { problems.append(.init(source: source, line: record.line, reason: reason)) }
            guard let (day, offUTC) = day(record, column: dateColumn, source: source, reject: reject) else { continue }
            /// A price field: required when its column exists; the close stands in only when the file has no such column.
            func price(_ column: Int?, _ name: String, fallback: Double?) -> Double? {
                guard let column else { return fallback }
                guard let text = record[column: column] else { reject("missing \(name)"); return nil }
                switch SeriesValidation.number(text, field: name) {
                case .success(let value): return value
                case .failure(let problem): reject(problem.reason); return nil
                }
            }
            guard let close = price(closeColumn, "close", fallback: nil), let openValue = price(open, "open", fallback: close),
                  let highValue = price(high, "high", fallback: close), let lowValue = price(low, "low", fallback: close) else { continue }
            var volumeValue: Double?
            if let text = record[column: volume] {
                switch SeriesValidation.number(text, field: "volume") {
                case .success(let value): volumeValue = value
                case .failure(let problem): reject(problem.reason); continue
                }
            }
            let candle = PriceCandle(day: day, open: openValue, high: highValue, low: lowValue, close: close, volume: volumeValue)
            if let reason = validation.problem(with: candle) { reject(reason); continue }
            if offUTC { warnings.append(.init(source: source, line: record.line, reason: "timestamp is not UTC midnight; filed under UTC day \(day.iso)")) }
            rows.append((candle, record.line))
        }
        warnings += outOfOrder(rows.map { (day: $0.candle.day, line: $0.line) }, source: source)
        let sorted = rows.enumerated().sorted { ($0.element.candle.day, $0.offset) < ($1.element.candle.day, $1.offset) }.map(\.element)
        let outliers = validation.outliers(sorted.map(\.candle))
        for index in outliers.keys.sorted() { problems.append(.init(source: source, line: sorted[index].line, reason: outliers[index]!)) }
        let kept = sorted.indices.filter { outliers[$0] == nil }.map { sorted[$0].candle }
        let cleaned = SeriesOrdering.clean(kept, source: source)
        return SeriesImport(points: cleaned.points, problems: problems.sorted { ($0.line ?? 0) < ($1.line ?? 0) },
                            warnings: warnings + cleaned.warnings, rowsRead: table.records.count + table.unclosedQuoteLines.count,
                            superseded: kept.count - cleaned.points.count)
    }

    /// Reads `date,<value>` hashrate in the declared unit, or the unit named by the column (`_ehs`, `_ths`, `_hs`), else EH/s.
    public static func hashrate(_ bytes: [UInt8], source: String, unit declared: HashrateUnit? = nil,
                                validation: SeriesValidation = SeriesValidation()) throws(SeriesError) -> SeriesImport<HashrateSample> {
        let table = try readTable(bytes, source: source)
        guard let dateColumn = dateColumn(of: table) else { throw .unreadable(source: source, reason: "no date column (date, day, timestamp or time)") }
        let candidates: [(String, HashrateUnit?)] = [("hashrate_ehs", .exahashesPerSecond), ("hashrate_ths", .terahashesPerSecond),
                                                      ("hashrate_hs", .hashesPerSecond), ("hashrate", nil), ("value", nil)]
        guard let (valueColumn, columnUnit) = candidates.lazy.compactMap({ name, unit in table.column(name).map { ($0, unit) } }).first else {
            throw .unreadable(source: source, reason: "no hashrate column (hashrate_ehs, hashrate_ths, hashrate_hs, hashrate or value)")
        }
        let unit = declared ?? columnUnit ?? .exahashesPerSecond
        return daily(table, dateColumn: dateColumn, source: source, problem: validation.problem(with:), clean: SeriesCleaning.clean) { record, day, reject in
            guard let text = record[column: valueColumn] else { reject("missing hashrate"); return nil }
            switch SeriesValidation.number(text, field: "hashrate") {
            case .success(let value): return HashrateSample(day: day, exahashesPerSecond: unit.toExahashes(value))
            case .failure(let problem): reject(problem.reason); return nil
            }
        }
    }

    /// The loop every one-value-per-day file shares: each record's date read, its point made by `point` (which rejects
    /// with a reason or returns nil), checked by `problem`, a timestamp off UTC midnight and out-of-order rows warned
    /// about, then cleaned (sorted, the later row winning a day); rows read, rejected and superseded add up.
    static func daily<Point>(_ table: DelimitedTable, dateColumn: Int, source: String, problem: (Point) -> String?,
                             clean: ([Point]) -> ([Point], SeriesReport),
                             point: (DelimitedRecord, UTCDay, (String) -> Void) -> Point?) -> SeriesImport<Point> {
        var samples: [Point] = []
        var lines: [(day: UTCDay, line: Int)] = []
        var problems = unclosed(table, source: source)
        var warnings: [SeriesProblem] = []
        for record in table.records {
            func reject(_ reason: String) { problems.append(.init(source: source, line: record.line, reason: reason)) }
            guard let (day, offUTC) = day(record, column: dateColumn, source: source, reject: reject), let sample = point(record, day, reject) else { continue }
            if let reason = problem(sample) { reject(reason); continue }
            if offUTC { warnings.append(.init(source: source, line: record.line, reason: "timestamp is not UTC midnight; filed under UTC day \(day.iso)")) }
            samples.append(sample)
            lines.append((day: day, line: record.line))
        }
        warnings += outOfOrder(lines, source: source)
        let (points, report) = clean(samples)
        return SeriesImport(points: points, problems: problems.sorted { ($0.line ?? 0) < ($1.line ?? 0) },
                            warnings: warnings + SeriesOrdering.warnings(report, source: source),
                            rowsRead: table.records.count + table.unclosedQuoteLines.count, superseded: samples.count - points.count)
    }

    /// The row's UTC day and whether its timestamp was off UTC midnight; nil (after rejecting the row) when missing or unreadable.
    static func day(_ record: DelimitedRecord, column: Int, source: String, reject: (String) -> Void) -> (UTCDay, Bool)? {
        guard let text = record[column: column] else { reject("missing date"); return nil }
        guard let parsed = SeriesDates.day(text) else { reject("unparseable date '\(text)'"); return nil }
        return parsed
    }

    /// One problem per line dropped for a quote that never closes.
    static func unclosed(_ table: DelimitedTable, source: String) -> [SeriesProblem] {
        table.unclosedQuoteLines.map { SeriesProblem(source: source, line: $0, reason: "quoted field never closes; row skipped") }
    }

    /// A warning per row dated before the row above it (the rows are sorted before storing).
    static func outOfOrder(_ rows: [(day: UTCDay, line: Int)], source: String) -> [SeriesProblem] {
        var warnings: [SeriesProblem] = []
        var latest: UTCDay?
        for row in rows {
            if let latest, row.day < latest {
                warnings.append(.init(source: source, line: row.line, reason: "\(row.day.iso) comes after \(latest.iso) in the file (out of order; sorted)"))
            }
            latest = max(latest ?? row.day, row.day)
        }
        return warnings
    }

    static func readTable(_ bytes: [UInt8], source: String) throws(SeriesError) -> DelimitedTable {
        do { return try DelimitedTable(bytes: bytes, source: source, skipUnclosedQuotes: true) } catch { throw .unreadable(source: source, reason: error.reason) }
    }

    static func dateColumn(of table: DelimitedTable) -> Int? {
        table.column("date") ?? table.column("day") ?? table.column("timestamp") ?? table.column("time")
    }
}

/// Dates in series files: `YYYY-MM-DD`, ISO 8601 date-times with offsets, or Unix seconds/milliseconds.
enum SeriesDates {
    /// The UTC day, and whether the instant was not at UTC midnight (a non-UTC daily timestamp).
    static func day(_ text: String) -> (UTCDay, Bool)? {
        let body = text.trimmingCharacters(in: .whitespaces)
        if body.count == 10, let day = UTCDay(iso: body) { return (day, false) }
        if let date = try? Date(body, strategy: .iso8601) { return instant(date) }
        if let number = Double(body), number > 0 {
            let seconds = number > 1e11 ? number / 1000 : number
            // Up to 9999-12-31: `1e400` reads as infinity, and neither it nor a huge count fits a day number.
            guard seconds < maxUnixSeconds else { return nil }
            return instant(Date(timeIntervalSince1970: seconds))
        }
        return nil
    }

    /// 10000-01-01T00:00:00Z in Unix seconds.
    static let maxUnixSeconds = 253_402_300_800.0

    /// The UTC day containing `seconds` after 1970, or nil when it is not finite or more than 9999 years either way.
    static func day(unixSeconds seconds: Double) -> UTCDay? {
        guard abs(seconds) < maxUnixSeconds else { return nil }
        return UTCDay(containing: Date(timeIntervalSince1970: seconds))
    }

    static func instant(_ date: Date) -> (UTCDay, Bool) {
        let day = UTCDay(containing: date)
        return (day, date != day.start)
    }
}

/// Turns the cleaning report of `SeriesCleaning` into warnings naming the source; nothing is interpolated.
enum SeriesOrdering {
    static func clean(_ candles: [PriceCandle], source: String) -> (points: [PriceCandle], warnings: [SeriesProblem]) {
        let (points, report) = SeriesCleaning.clean(candles)
        return (points, warnings(report, source: source))
    }

    static func clean(_ samples: [HashrateSample], source: String) -> (points: [HashrateSample], warnings: [SeriesProblem]) {
        let (points, report) = SeriesCleaning.clean(samples)
        return (points, warnings(report, source: source))
    }

    static func warnings(_ report: SeriesReport, source: String) -> [SeriesProblem] {
        var warnings: [SeriesProblem] = []
        if report.outOfOrder > 0 { warnings.append(.init(source: source, line: nil, reason: "\(report.outOfOrder) row(s) out of date order; sorted")) }
        if let first = report.duplicates.first {
            warnings.append(.init(source: source, line: nil, reason: "\(report.duplicates.count) duplicate day(s), the later row wins (first: \(first.iso))"))
        }
        if let first = report.invalid.first {
            warnings.append(.init(source: source, line: nil, reason: "\(report.invalid.count) invalid row(s) dropped (non-finite, negative, or high < low; first: \(first.iso))"))
        }
        if let first = report.gaps.first {
            let missing = report.gaps.reduce(0) { $0 + $1.upperBound.daysSinceEpoch - $1.lowerBound.daysSinceEpoch + 1 }
            warnings.append(.init(source: source, line: nil, reason: "\(missing) missing day(s) in \(report.gaps.count) gap(s), not interpolated (first: \(first.lowerBound.iso)…\(first.upperBound.iso))"))
        }
        return warnings
    }
}

extension MarketHistory {
    /// Loads `btc-usd-daily-ohlcv.csv` and `btc-hashrate-daily.csv` (EH/s) from a folder, as laid out in `../shared/data/market`.
    public static func load(directory: URL) throws -> MarketHistory {
        func bytes(_ name: String) throws -> [UInt8] { Array(try Data(contentsOf: directory.appendingPathComponent(name))) }
        let prices = try SeriesCSV.prices(try bytes("btc-usd-daily-ohlcv.csv"), source: "btc-usd-daily-ohlcv.csv")
        let hashrate = try SeriesCSV.hashrate(try bytes("btc-hashrate-daily.csv"), source: "btc-hashrate-daily.csv", unit: .exahashesPerSecond)
        return MarketHistory(prices: prices.points, hashrate: hashrate.points)
    }
}
