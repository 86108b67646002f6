import DelimitedText
import Foundation

extension SeriesCSV {
    /// Reads daily miner fees: `date,fees_btc` or `date,fees_usd` (also `fees_total_btc` / `fees_total_usd`), with an
    /// optional `blocks` (or `block_count`) column; a row with no fee value is rejected with its line.
    public static func fees(_ bytes: [UInt8], source: String) throws(SeriesError) -> SeriesImport<FeeSample> {
        let table = try readTable(bytes, source: source)
        guard let dateColumn = dateColumn(of: table) else { throw .unreadable(source: source, reason: "no date column (date, day, timestamp or time)") }
        let btcColumn = table.column("fees_btc") ?? table.column("fees_total_btc")
        let usdColumn = table.column("fees_usd") ?? table.column("fees_total_usd")
        guard btcColumn != nil || usdColumn != nil else {
            throw .unreadable(source: source, reason: "no fees column (fees_btc, fees_usd, fees_total_btc or fees_total_usd)")
        }
        let blocksColumn = table.column("blocks") ?? table.column("block_count")
        var samples: [FeeSample] = []
        var problems: [SeriesProblem] = []
        var warnings: [SeriesProblem] = []
        for record in table.records {
            guard let dateText = record[column: dateColumn] else { problems.append(.init(source: source, line: record.line, reason: "missing date")); continue }
            guard let (day, offUTC) = SeriesDates.day(dateText) else {
                problems.append(.init(source: source, line: record.line, reason: "unparseable date '\(dateText)'")); continue
            }
            if offUTC { warnings.append(.init(source: source, line: record.line, reason: "timestamp '\(dateText)' is not UTC midnight; filed under UTC day \(day.iso)")) }
            func amount(_ column: Int?) -> Double?? {
                guard let text = record[column: column], !text.isEmpty else { return .some(nil) }
                guard let value = Double(text), value.isFinite, value >= 0 else { return nil }
                return .some(value)
            }
            guard let btc = amount(btcColumn), let usd = amount(usdColumn) else {
                problems.append(.init(source: source, line: record.line, reason: "fees must be a non-negative number")); continue
            }
            guard btc != nil || usd != nil else { problems.append(.init(source: source, line: record.line, reason: "missing fees")); continue }
            var blocks: Int?
            if let text = record[column: blocksColumn], !text.isEmpty {
                guard let count = Int(text), count >= 0 else {
                    problems.append(.init(source: source, line: record.line, reason: "blocks '\(text)' is not a whole number")); continue
                }
                blocks = count
            }
            samples.append(FeeSample(day: day, btc: btc, usd: usd, blocks: blocks))
        }
        let (points, report) = SeriesCleaning.clean(samples)
        return SeriesImport(points: points, problems: problems, warnings: warnings + SeriesOrdering.warnings(report, source: source))
    }
}
