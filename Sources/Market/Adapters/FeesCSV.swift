import DelimitedText
import Foundation

extension SeriesCSV {
    /// Reads daily miner fees: `date,fees_btc` or `date,fees_usd` (also `fees_total_btc` / `fees_total_usd`), with an
    /// optional `blocks` (or `block_count`) column.
    ///
    /// Every field is checked by `validation`; a field that fails rejects its row (with its line and reason), a row with
    /// neither fee value is rejected, an empty `blocks` is stored as missing. A row whose quoted field never closes costs
    /// that row only.
    public static func fees(_ bytes: [UInt8], source: String, validation: SeriesValidation = SeriesValidation()) throws(SeriesError) -> SeriesImport<FeeSample> {
        let table = try readTable(bytes, source: source)
        guard let dateColumn = dateColumn(of: table) else { throw .unreadable(source: source, reason: "no date column (date, day, timestamp or time)") }
        let btcColumn = table.column("fees_btc") ?? table.column("fees_total_btc")
        let usdColumn = table.column("fees_usd") ?? table.column("fees_total_usd")
        guard btcColumn != nil || usdColumn != nil else {
            throw .unreadable(source: source, reason: "no fees column (fees_btc, fees_usd, fees_total_btc or fees_total_usd)")
        }
        let blocksColumn = table.column("blocks") ?? table.column("block_count")
        return daily(table, dateColumn: dateColumn, source: source, problem: validation.problem(with:), clean: SeriesCleaning.clean) { record, day, reject in
            /// An optional amount: nil inside when the field is empty, nil outside (after rejecting) when it is not a number.
            func amount(_ column: Int?, _ name: String) -> Double?? {
                guard let text = record[column: column], !text.isEmpty else { return .some(nil) }
                switch SeriesValidation.number(text, field: name) {
                case .success(let value): return .some(value)
                case .failure(let problem): reject(problem.reason); return nil
                }
            }
            guard let btc = amount(btcColumn, "fees_btc"), let usd = amount(usdColumn, "fees_usd") else { return nil }
            guard btc != nil || usd != nil else { reject("missing fees"); return nil }
            var blocks: Int?
            if let text = record[column: blocksColumn], !text.isEmpty {
                guard let count = Int(text), count >= 0 else { reject("blocks '\(text)' is not a whole number"); return nil }
                blocks = count
            }
            return FeeSample(day: day, btc: btc, usd: usd, blocks: blocks)
        }
    }
}

extension SeriesValidation {
    /// Why a fees sample cannot be stored (a day outside genesis…tomorrow, an amount not finite or negative), or nil.
    public func problem(with sample: FeeSample) -> String? {
        if let reason = problem(day: sample.day) { return reason }
        for (name, value) in [("fees_btc", sample.btc), ("fees_usd", sample.usd)] {
            guard let value else { continue }
            guard value.isFinite else { return "\(name) \(value) is not finite" }
            guard value >= 0 else { return "\(name) \(value) is negative" }
        }
        return nil
    }
}
