import DelimitedText
import Feeds
import Foundation
import Market

/// Reads daily ETF net flows: CSV long (`date,fund,flow_usd_m`) or wide (one column per ticker and `total`), or an
/// HTML table as flow trackers publish it.
public enum ETFFlowReader {
    /// Rows (days for wide layouts, fund-days for the long one) read from one file; more is refused, not truncated.
    public static let maxRows = 200_000
    /// Days in one HTML table; a tracker's full history is a few thousand.
    public static let maxTableRows = 20_000

    /// The layouts `layout =` names; `auto` picks long or wide CSV from the header.
    public static let layouts = ["auto", "long-csv", "wide-csv", "html-table"]

    /// Reads flows in the named layout (`auto` when nil: an HTML page is read as a table, a CSV by its header).
    public static func read(_ bytes: [UInt8], source: String, layout: String? = nil, tableXPath: String? = nil,
                            contentType: String? = nil) throws(SeriesError) -> SeriesImport<ETFFlow> {
        switch layout ?? "auto" {
        case "html-table": return try htmlTable(bytes, source: source, tableXPath: tableXPath ?? "//table", contentType: contentType)
        case "auto" where looksLikeHTML(bytes, contentType: contentType):
            return try htmlTable(bytes, source: source, tableXPath: tableXPath ?? "//table", contentType: contentType)
        default:
            let table: DelimitedTable
            do { table = try DelimitedTable(bytes: bytes, source: source) } catch { throw .unreadable(source: source, reason: error.reason) }
            guard table.records.count <= maxRows else { throw .unreadable(source: source, reason: "more than \(maxRows) rows") }
            let isLong = layout == "long-csv" || (layout != "wide-csv" && table.column("fund") != nil)
            let rows = table.records.map { ($0.line, $0.fields) }
            return isLong ? try long(header: table.header, rows: rows, source: source) : try wide(header: table.header, rows: rows, source: source, strictWidth: false)
        }
    }

    /// `date,fund,flow_usd_m` (also `ticker` for `fund`, `flow` or `net_flow_usd_m` for the flow).
    static func long(header: [String], rows: [(Int, [String])], source: String) throws(SeriesError) -> SeriesImport<ETFFlow> {
        guard let date = header.firstIndex(where: { ["date", "day"].contains($0) }) else { throw .unreadable(source: source, reason: "no date column") }
        guard let fund = header.firstIndex(where: { ["fund", "ticker"].contains($0) }) else { throw .unreadable(source: source, reason: "no fund column") }
        guard let flow = header.firstIndex(where: { ["flow_usd_m", "net_flow_usd_m", "flow"].contains($0) }) else {
            throw .unreadable(source: source, reason: "no flow_usd_m column")
        }
        var flows: [ETFFlow] = []
        var problems: [SeriesProblem] = []
        for (line, fields) in rows {
            guard fields.count > max(date, fund, flow) else { problems.append(.init(source: source, line: line, reason: "\(fields.count) field(s), the header has \(header.count)")); continue }
            guard let day = PositioningCells.day(fields[date]) else { problems.append(.init(source: source, line: line, reason: "unparseable date '\(fields[date].prefix(40))'")); continue }
            let ticker = fields[fund].trimmingCharacters(in: .whitespaces).uppercased()
            guard isTicker(ticker) else { problems.append(.init(source: source, line: line, reason: "'\(ticker.prefix(40))' is not a fund ticker")); continue }
            switch PositioningCells.number(fields[flow]) {
            case .value(let value): flows.append(ETFFlow(day: day, fund: ticker == "TOTAL" ? "ALL" : ticker, flowUSDMillions: value))
            case .noData: continue
            case .unreadable: problems.append(.init(source: source, line: line, reason: "unreadable flow '\(fields[flow].prefix(40))'"))
            }
        }
        return finish(flows, problems: problems, warnings: [], source: source)
    }

    /// A date column, one column per ticker, and optionally `total`: the total is stored only when no fund column exists,
    /// else checked against the funds' sum. Rows whose first cell is not a date (totals, averages, footnotes) are skipped;
    /// with `strictWidth`, a dated row with a different number of cells than the header (merged cells, a column count
    /// that changes mid-table) refuses the whole file, since its figures cannot be placed under the right fund.
    static func wide(header: [String], rows: [(Int, [String])], source: String, strictWidth: Bool) throws(SeriesError) -> SeriesImport<ETFFlow> {
        guard let date = header.firstIndex(where: { ["date", "day", ""].contains($0) }) else { throw .unreadable(source: source, reason: "no date column") }
        let total = header.firstIndex(of: "total")
        let funds = header.indices.filter { $0 != date && $0 != total && isTicker($0 < header.count ? header[$0].uppercased() : "") }
        guard !funds.isEmpty || total != nil else { throw .unreadable(source: source, reason: "no fund or total column") }
        var flows: [ETFFlow] = []
        var problems: [SeriesProblem] = []
        var warnings: [SeriesProblem] = []
        var skipped = 0
        let tickers = header.map { $0.uppercased() }
        for (line, fields) in rows {
            guard date < fields.count, let day = PositioningCells.day(fields[date]) else { skipped += 1; continue }
            if fields.count != header.count {
                let reason = "a dated row has \(fields.count) cell(s) but the header has \(header.count) (merged cells or a changed column count)"
                if strictWidth { throw .unreadable(source: source, reason: "row \(line): \(reason)") }
                problems.append(.init(source: source, line: line, reason: reason))
                continue
            }
            var sum = 0.0, any = false
            for column in funds {
                switch PositioningCells.number(fields[column]) {
                case .value(let value):
                    flows.append(ETFFlow(day: day, fund: tickers[column], flowUSDMillions: value))
                    sum += value
                    any = true
                case .noData: continue
                case .unreadable: problems.append(.init(source: source, line: line, reason: "\(tickers[column]): unreadable flow '\(fields[column].prefix(40))'"))
                }
            }
            if let total, case .value(let stated) = PositioningCells.number(fields[total]) {
                if funds.isEmpty {
                    flows.append(ETFFlow(day: day, fund: "ALL", flowUSDMillions: stated))
                } else if any, abs(stated - sum) > 1 {
                    warnings.append(.init(source: source, line: line, reason: "total \(stated) differs from the funds' sum \((sum * 10).rounded() / 10) on \(day.iso); the funds are stored"))
                }
            }
        }
        if skipped > 0 { warnings.append(.init(source: source, line: nil, reason: "\(skipped) row(s) without a date skipped (totals, averages or notes)")) }
        return finish(flows, problems: problems, warnings: warnings, source: source)
    }

    /// The first table `tableXPath` selects, read as the wide layout; the header is the first row with a fund column.
    static func htmlTable(_ bytes: [UInt8], source: String, tableXPath: String, contentType: String?) throws(SeriesError) -> SeriesImport<ETFFlow> {
        let rows: [[String]]
        do { rows = try HTMLTable.rows(bytes, url: source, contentType: contentType, tableXPath: tableXPath) } catch {
            let text = error.description
            throw .unreadable(source: source, reason: text.hasPrefix(source + ": ") ? String(text.dropFirst(source.count + 2)) : text)
        }
        guard rows.count <= maxTableRows else { throw .unreadable(source: source, reason: "the table has \(rows.count) rows, more than \(maxTableRows)") }
        guard let headerIndex = rows.prefix(10).firstIndex(where: { row in row.contains { isTicker($0.uppercased()) && $0.uppercased() != "DATE" } }) else {
            throw .unreadable(source: source, reason: "no header row with fund tickers in the table's first 10 rows")
        }
        var header = rows[headerIndex].map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        if !header.contains("date"), !header.isEmpty { header[0] = "date" }
        let body = rows[(headerIndex + 1)...].enumerated().map { (headerIndex + 2 + $0.offset, $0.element) }
        return try wide(header: header, rows: body, source: source, strictWidth: true)
    }

    static func isTicker(_ text: String) -> Bool {
        (1...8).contains(text.count) && text.allSatisfy { $0.isASCII && ($0.isUppercase || $0.isNumber) } && text != "DATE"
    }

    static func looksLikeHTML(_ bytes: [UInt8], contentType: String?) -> Bool {
        if contentType?.lowercased().contains("html") == true { return true }
        let head = String(decoding: bytes.prefix(1024), as: UTF8.self).lowercased()
        return head.contains("<html") || head.contains("<!doctype html") || head.contains("<table")
    }

    /// Orders by day and fund; a fund-day given twice keeps the last (a warning says so).
    static func finish(_ flows: [ETFFlow], problems: [SeriesProblem], warnings: [SeriesProblem], source: String) -> SeriesImport<ETFFlow> {
        var latest: [String: Int] = [:]
        for (index, flow) in flows.enumerated() { latest["\(flow.day.daysSinceEpoch)|\(flow.fund)"] = index }
        var warnings = warnings
        if latest.count < flows.count { warnings.append(.init(source: source, line: nil, reason: "\(flows.count - latest.count) fund-day(s) given twice; the last is kept")) }
        let kept = latest.values.sorted().map { flows[$0] }.sorted { ($0.day, $0.fund) < ($1.day, $1.fund) }
        return SeriesImport(points: kept, problems: problems, warnings: warnings)
    }
}
