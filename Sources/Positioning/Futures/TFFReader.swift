import DelimitedText
import Foundation
import Market

/// Reads CFTC Traders in Financial Futures rows (futures only) for CME Bitcoin and Micro Bitcoin: the CFTC public API's
/// JSON rows, and the weekly comma-delimited text/CSV files (the CFTC's column names, or this project's short names).
public enum TFFReader {
    /// Bytes of a JSON body parsed at all; the whole Bitcoin history is well under 1 MB.
    public static let maxJSONBytes = 16 << 20
    /// Rows read from one file (every financial future of a year is a few thousand).
    public static let maxRows = 200_000
    /// The markets kept by default: CME Bitcoin and CME Micro Bitcoin.
    public static let bitcoinMarkets: Set<String> = [TFFReport.cmeBitcoin, TFFReport.cmeMicroBitcoin]

    /// Column names accepted for each field, lower-cased: the CFTC API's, the weekly files', and short ones.
    static let aliases: [Field: [String]] = [
        .market: ["cftc_contract_market_code", "contract_market_code", "market_code"],
        .marketName: ["market_and_exchange_names", "market"],
        .reportDate: ["report_date_as_yyyy_mm_dd", "report_date_as_yyyy-mm-dd", "report_date", "as_of_date_in_form_yymmdd", "report_date_as_mm_dd_yyyy", "date"],
        .openInterest: ["open_interest_all", "open_interest", "open_interest_btc"],
        .dealerLong: ["dealer_positions_long_all", "dealer_long", "dealer_long_btc"],
        .dealerShort: ["dealer_positions_short_all", "dealer_short", "dealer_short_btc"],
        .assetManagerLong: ["asset_mgr_positions_long", "asset_mgr_positions_long_all", "asset_manager_long", "asset_manager_long_btc"],
        .assetManagerShort: ["asset_mgr_positions_short", "asset_mgr_positions_short_all", "asset_manager_short", "asset_manager_short_btc"],
        .leveragedLong: ["lev_money_positions_long", "lev_money_positions_long_all", "leveraged_funds_long", "leveraged_funds_long_btc"],
        .leveragedShort: ["lev_money_positions_short", "lev_money_positions_short_all", "leveraged_funds_short", "leveraged_funds_short_btc"],
        .otherLong: ["other_rept_positions_long", "other_rept_positions_long_all", "other_reportable_long", "other_reportable_long_btc"],
        .otherShort: ["other_rept_positions_short", "other_rept_positions_short_all", "other_reportable_short", "other_reportable_short_btc"],
        .nonReportableLong: ["nonrept_positions_long_all", "nonrept_positions_long", "non_reportable_long", "non_reportable_long_btc"],
        .nonReportableShort: ["nonrept_positions_short_all", "nonrept_positions_short", "non_reportable_short", "non_reportable_short_btc"],
    ]

    enum Field: CaseIterable { case market, marketName, reportDate, openInterest, dealerLong, dealerShort, assetManagerLong, assetManagerShort,
                               leveragedLong, leveragedShort, otherLong, otherShort, nonReportableLong, nonReportableShort }

    /// Reads a JSON array of API rows, or a CSV / comma-delimited text file, chosen by the first non-blank byte.
    ///
    /// Rows of other markets are skipped (the weekly files carry every financial future); `markets` narrows the kept ones.
    public static func read(_ bytes: [UInt8], source: String, markets: Set<String> = bitcoinMarkets) throws(SeriesError) -> SeriesImport<TFFReport> {
        let first = bytes.first { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }
        if first == UInt8(ascii: "[") || first == UInt8(ascii: "{") { return try json(bytes, source: source, markets: markets) }
        var records: [DelimitedRecord]
        do { records = try DelimitedTable.records(in: bytes, source: source) } catch { throw .unreadable(source: source, reason: error.reason) }
        guard records.count <= maxRows + 1 else { throw .unreadable(source: source, reason: "more than \(maxRows) rows") }
        guard let first = records.first else { throw .unreadable(source: source, reason: "no header row") }
        // The CFTC's current-week file has no header row: its first field is a market name and its second a YYMMDD date.
        let headerless = first.fields.count >= weeklyColumns.count && first.fields[1].count == 6 && first.fields[1].allSatisfy(\.isNumber)
        let header = headerless ? weeklyColumns + Array(repeating: "", count: first.fields.count - weeklyColumns.count) : first.fields
        if !headerless { records.removeFirst() }
        return try rows(header: header, rows: records.map { ($0.line, $0.fields) }, source: source, markets: markets)
    }

    /// The leading columns of the CFTC's TFF futures-only comma-delimited files, in order (the yearly files' header).
    static let weeklyColumns = [
        "market_and_exchange_names", "as_of_date_in_form_yymmdd", "report_date_as_yyyy-mm-dd", "cftc_contract_market_code", "cftc_market_code",
        "cftc_region_code", "cftc_commodity_code", "open_interest_all", "dealer_positions_long_all", "dealer_positions_short_all",
        "dealer_positions_spread_all", "asset_mgr_positions_long_all", "asset_mgr_positions_short_all", "asset_mgr_positions_spread_all",
        "lev_money_positions_long_all", "lev_money_positions_short_all", "lev_money_positions_spread_all", "other_rept_positions_long_all",
        "other_rept_positions_short_all", "other_rept_positions_spread_all", "tot_rept_positions_long_all", "tot_rept_positions_short_all",
        "nonrept_positions_long_all", "nonrept_positions_short_all",
    ]

    /// The CFTC API's JSON: an array of objects whose values are strings or numbers.
    static func json(_ bytes: [UInt8], source: String, markets: Set<String>) throws(SeriesError) -> SeriesImport<TFFReport> {
        guard bytes.count <= maxJSONBytes else { throw .unreadable(source: source, reason: "JSON body of \(bytes.count) bytes, more than \(maxJSONBytes)") }
        let parsed: Any
        do { parsed = try JSONSerialization.jsonObject(with: Data(bytes)) } catch { throw .unreadable(source: source, reason: "not JSON") }
        guard let objects = parsed as? [[String: Any]] else { throw .unreadable(source: source, reason: "expected a JSON array of row objects") }
        guard objects.count <= maxRows else { throw .unreadable(source: source, reason: "more than \(maxRows) rows") }
        let header = Array(Set(objects.flatMap { $0.keys.map { $0.lowercased() } })).sorted()
        let index = Dictionary(uniqueKeysWithValues: header.enumerated().map { ($1, $0) })
        let rows = objects.enumerated().map { offset, object in
            var fields = [String](repeating: "", count: header.count)
            for (key, value) in object {
                guard let column = index[key.lowercased()] else { continue }
                switch value {
                case let text as String: fields[column] = text
                case let number as NSNumber: fields[column] = number.stringValue
                default: continue
                }
            }
            return (offset + 1, fields)
        }
        return try self.rows(header: header, rows: rows, source: source, markets: markets)
    }

    static func rows(header: [String], rows: [(Int, [String])], source: String, markets: Set<String>) throws(SeriesError) -> SeriesImport<TFFReport> {
        let normalized = header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        func column(_ field: Field) -> Int? { aliases[field]?.lazy.compactMap { normalized.firstIndex(of: $0) }.first }
        let required: [Field] = [.reportDate, .openInterest, .assetManagerLong, .assetManagerShort, .leveragedLong, .leveragedShort, .dealerLong, .dealerShort]
        for field in required where column(field) == nil {
            throw .unreadable(source: source, reason: "missing column \(aliases[field]?.first ?? "\(field)")")
        }
        let unit: PositionUnit = normalized.contains { $0.hasSuffix("_btc") } ? .btc : .contracts
        var reports: [TFFReport] = []
        var problems: [SeriesProblem] = []
        var otherMarkets = 0
        for (line, fields) in rows {
            func cell(_ field: Field) -> String? { column(field).flatMap { $0 < fields.count ? fields[$0] : nil } }
            let market = Self.market(code: cell(.market), name: cell(.marketName), unit: unit)
            guard market == "cme_bitcoin_btc_equivalent" || markets.contains(market) else { otherMarkets += 1; continue }
            guard let dateText = cell(.reportDate), let day = PositioningCells.day(dateText) else {
                problems.append(.init(source: source, line: line, reason: "unparseable report date '\((cell(.reportDate) ?? "").prefix(40))'")); continue
            }
            var values: [Field: Double] = [:]
            var bad: String?
            for field in Field.allCases where field != .market && field != .marketName && field != .reportDate {
                guard let text = cell(field) else { continue }
                switch PositioningCells.number(text) {
                case .value(let value) where value >= 0: values[field] = value
                case .noData: continue
                default: bad = bad ?? "\(aliases[field]?.first ?? "\(field)") '\(text.prefix(40))' is not a non-negative number"
                }
            }
            if let bad { problems.append(.init(source: source, line: line, reason: bad)); continue }
            guard let openInterest = values[.openInterest], openInterest > 0 else {
                problems.append(.init(source: source, line: line, reason: "no positive open interest")); continue
            }
            guard let amLong = values[.assetManagerLong], let amShort = values[.assetManagerShort], let lfLong = values[.leveragedLong],
                  let lfShort = values[.leveragedShort], let dLong = values[.dealerLong], let dShort = values[.dealerShort] else {
                problems.append(.init(source: source, line: line, reason: "a required position is empty")); continue
            }
            reports.append(TFFReport(market: market, reportDate: day, unit: unit, openInterest: openInterest, assetManagerLong: amLong, assetManagerShort: amShort,
                                     leveragedFundsLong: lfLong, leveragedFundsShort: lfShort, dealerLong: dLong, dealerShort: dShort,
                                     otherReportableLong: values[.otherLong], otherReportableShort: values[.otherShort],
                                     nonReportableLong: values[.nonReportableLong], nonReportableShort: values[.nonReportableShort]))
        }
        var warnings: [SeriesProblem] = []
        if otherMarkets > 0 { warnings.append(.init(source: source, line: nil, reason: "\(otherMarkets) row(s) of other markets skipped")) }
        var latest: [String: Int] = [:]
        for (index, report) in reports.enumerated() { latest["\(report.market)|\(report.reportDate.daysSinceEpoch)"] = index }
        if latest.count < reports.count { warnings.append(.init(source: source, line: nil, reason: "\(reports.count - latest.count) report(s) given twice; the last is kept")) }
        let kept = latest.values.sorted().map { reports[$0] }.sorted { ($0.market, $0.reportDate) < ($1.market, $1.reportDate) }
        return SeriesImport(points: kept, problems: problems, warnings: warnings)
    }

    /// The market code from the code column, else from the CFTC market name; a file without either (Bitcoin-equivalent
    /// positions of CME Bitcoin and Micro together) is `cme_bitcoin_btc_equivalent`.
    static func market(code: String?, name: String?, unit: PositionUnit) -> String {
        if let code = code?.trimmingCharacters(in: .whitespaces), !code.isEmpty { return code.uppercased() }
        if let name = name?.uppercased(), !name.isEmpty {
            if name.contains("MICRO BITCOIN") { return TFFReport.cmeMicroBitcoin }
            if name.hasPrefix("BITCOIN") && name.contains("CHICAGO MERCANTILE") { return TFFReport.cmeBitcoin }
            return name
        }
        return unit == .btc ? "cme_bitcoin_btc_equivalent" : TFFReport.cmeBitcoin
    }
}
