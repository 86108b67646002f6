import Market
import Testing
@testable import Positioning

@Suite("ETF flow reader")
struct ETFFlowReaderTests {
    static func flows(_ result: SeriesImport<ETFFlow>) -> [String] {
        result.points.map { "\($0.day.iso) \($0.fund) \($0.flowUSDMillions)" }
    }

    @Test("long CSV: one row per fund and day, a dash is no data")
    func longCSV() throws {
        let csv = "date,fund,flow_usd_m\n2026-02-02,IBIT,-120.5\n2026-02-02,FBTC,-\n2026-02-03,ibit,\"1,002.0\"\n"
        let result = try ETFFlowReader.read(Array(csv.utf8), source: "long.csv")
        #expect(Self.flows(result) == ["2026-02-02 IBIT -120.5", "2026-02-03 IBIT 1002.0"])
        #expect(result.problems.isEmpty)
    }

    @Test("wide CSV: a column per ticker; the total is checked against the funds, not stored beside them")
    func wideCSV() throws {
        let csv = "date,IBIT,FBTC,GBTC,total\n2026-02-02,10,(5.5),-,4.5\n2026-02-03,1,2,3,99\n"
        let result = try ETFFlowReader.read(Array(csv.utf8), source: "wide.csv")
        #expect(Self.flows(result) == ["2026-02-02 FBTC -5.5", "2026-02-02 IBIT 10.0", "2026-02-03 FBTC 2.0", "2026-02-03 GBTC 3.0", "2026-02-03 IBIT 1.0"])
        #expect(result.warnings.map(\.reason) == ["total 99.0 differs from the funds' sum 6.0 on 2026-02-03; the funds are stored"])
    }

    @Test("a wide CSV with only a total column stores the day's total as fund ALL")
    func totalOnly() throws {
        let result = try ETFFlowReader.read(Array("date,total\n2026-02-02,-250\n".utf8), source: "totals.csv")
        #expect(Self.flows(result) == ["2026-02-02 ALL -250.0"])
    }

    static let trackerPage = """
        <html><body><table id="flows">
        <tr><th></th><th>IBIT</th><th>FBTC</th><th>GBTC</th><th>Total</th></tr>
        <tr><td>02 Feb 2026</td><td>(1,234.5)</td><td>12.0</td><td>-</td><td>(1,222.5)</td></tr>
        <tr><td>03 Feb 2026</td><td>300.0</td><td>—</td><td>(20.0)</td><td>280.0</td></tr>
        <tr><td>Total</td><td>(934.5)</td><td>12.0</td><td>(20.0)</td><td>(942.5)</td></tr>
        <tr><td colspan="5">Source: issuers' websites. Flows in US$ millions.</td></tr>
        </table></body></html>
        """

    @Test("an HTML tracker table: parentheses, dashes, thousands separators, totals and footnote rows")
    func htmlTable() throws {
        let result = try ETFFlowReader.read(Array(Self.trackerPage.utf8), source: "https://tracker.example/btc", layout: "html-table", tableXPath: "//table[@id='flows']")
        #expect(Self.flows(result) == ["2026-02-02 FBTC 12.0", "2026-02-02 IBIT -1234.5", "2026-02-03 GBTC -20.0", "2026-02-03 IBIT 300.0"])
        #expect(result.problems.isEmpty)
        #expect(result.warnings.map(\.reason) == ["2 row(s) without a date skipped (totals, averages or notes)"])
    }

    @Test("an HTML page is recognised without a layout option")
    func sniffsHTML() throws {
        let result = try ETFFlowReader.read(Array(Self.trackerPage.utf8), source: "https://tracker.example/btc", contentType: "text/html")
        #expect(result.points.count == 4)
    }

    @Test("a dated row with merged cells refuses the whole table: its figures cannot be placed under the right fund")
    func mergedCells() {
        let page = Self.trackerPage.replacingOccurrences(of: "<td>300.0</td><td>—</td>", with: "<td colspan=\"2\">300.0</td>")
        #expect(throws: SeriesError.unreadable(source: "t", reason: "row 3: a dated row has 4 cell(s) but the header has 5 (merged cells or a changed column count)")) {
            try ETFFlowReader.read(Array(page.utf8), source: "t", layout: "html-table")
        }
    }

    @Test("a column count that changes mid-table refuses the table")
    func changingColumns() {
        let page = Self.trackerPage.replacingOccurrences(of: "<td>280.0</td></tr>", with: "<td>280.0</td><td>5.0</td></tr>")
        #expect(throws: SeriesError.self) { try ETFFlowReader.read(Array(page.utf8), source: "t", layout: "html-table") }
    }

    @Test("a table of 100,000 rows is refused with its size, not read")
    func hugeTable() {
        var page = "<html><body><table><tr><th>Date</th><th>IBIT</th></tr>"
        page.reserveCapacity(4_000_000)
        for _ in 0..<100_000 { page += "<tr><td>2026-02-03</td><td>1</td></tr>" }
        page += "</table></body></html>"
        // The page parser stops at its tag cap (ArticlePage.maxTags), so the count is of the rows read before it, still over the limit.
        #expect {
            try ETFFlowReader.read(Array(page.utf8), source: "big", layout: "html-table")
        } throws: { error in
            guard case SeriesError.unreadable(let source, let reason) = error else { return false }
            return source == "big" && reason.hasPrefix("the table has ") && reason.hasSuffix(" rows, more than \(ETFFlowReader.maxTableRows)")
        }
    }

    @Test("unreadable figures are reported per fund and row, readable ones kept")
    func badCell() throws {
        let result = try ETFFlowReader.read(Array("date,IBIT,FBTC\n2026-02-02,abc,3\n".utf8), source: "w.csv")
        #expect(Self.flows(result) == ["2026-02-02 FBTC 3.0"])
        #expect(result.problems.map(\.description) == ["w.csv:2: IBIT: unreadable flow 'abc'"])
    }
}
