import Testing
@testable import DelimitedText

@Suite("Delimited text tables")
struct DelimitedTableTests {
    @Test("quoted fields keep separators, doubled quotes and newlines, and lines are counted")
    func quotedFields() throws {
        let text = "Name,Note\n\"a,b\",\"say \"\"hi\"\"\"\n\"multi\nline\",x\n\nlast,y\n"
        let table = try DelimitedTable(bytes: Array(text.utf8), source: "t.csv")
        #expect(table.header == ["name", "note"])
        #expect(table.records.map(\.fields) == [["a,b", "say \"hi\""], ["multi\nline", "x"], ["last", "y"]])
        #expect(table.records.map(\.line) == [2, 3, 6])
    }

    @Test("a byte-order mark and CRLF line ends are ignored")
    func bomAndCRLF() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("date,close\r\n2026-02-07,64478\r\n".utf8)
        let table = try DelimitedTable(bytes: bytes, source: "p.csv")
        #expect(table.header == ["date", "close"])
        #expect(table.records.first?.fields == ["2026-02-07", "64478"])
    }

    @Test("an unterminated quote names the line it started on")
    func unterminatedQuote() {
        #expect(throws: DelimitedTextError.unterminatedQuote(source: "bad.csv", line: 2)) {
            try DelimitedTable(bytes: Array("a,b\n\"open,1\n".utf8), source: "bad.csv")
        }
    }

    @Test("invalid UTF-8 and an empty file are refused")
    func refusals() {
        #expect(throws: DelimitedTextError.notText(source: "x")) { try DelimitedTable(bytes: [0x61, 0xFF, 0xFE], source: "x") }
        #expect(throws: DelimitedTextError.missingHeader(source: "e")) { try DelimitedTable(bytes: [], source: "e") }
    }

    @Test("a record of more than 10,000 columns is refused with its line; 10,000 are read")
    func tooManyColumns() throws {
        let wide = Array(repeating: "1", count: DelimitedTable.maxColumns + 1).joined(separator: ",")
        #expect(throws: DelimitedTextError.tooManyColumns(source: "wide.csv", line: 2, limit: 10_000)) {
            try DelimitedTable(bytes: Array("date,close\n\(wide)\n".utf8), source: "wide.csv")
        }
        let widest = Array(repeating: "1", count: DelimitedTable.maxColumns).joined(separator: ",")
        #expect(try DelimitedTable(bytes: Array("a\n\(widest)\n".utf8), source: "ok.csv").records.first?.fields.count == 10_000)
    }

    @Test("tab-separated files read with a tab separator")
    func tabSeparated() throws {
        let table = try DelimitedTable(bytes: Array("label\tsentence\npositive\tProfit rose, sharply.\n".utf8), source: "s.tsv", separator: UInt8(ascii: "\t"))
        #expect(table.records.first?.fields == ["positive", "Profit rose, sharply."])
    }
}

@Suite("Delimited text: unclosed quotes skipped line by line")
struct UnclosedQuoteTests {
    @Test("with skipUnclosedQuotes, a quote that never closes drops its own line only and names it")
    func skipsTheLine() throws {
        let text = "date,close\n2026-01-01,100\n2026-01-02,\"101\n2026-01-03,102\n"
        let table = try DelimitedTable(bytes: Array(text.utf8), source: "p.csv", skipUnclosedQuotes: true)
        #expect(table.records.map(\.fields) == [["2026-01-01", "100"], ["2026-01-03", "102"]])
        #expect(table.records.map(\.line) == [2, 4])
        #expect(table.unclosedQuoteLines == [3])
    }

    @Test("without it, the file is still refused, naming the line")
    func strictRefuses() {
        #expect(throws: DelimitedTextError.unterminatedQuote(source: "p.csv", line: 3)) {
            try DelimitedTable(bytes: Array("date,close\n2026-01-01,100\n2026-01-02,\"101\n2026-01-03,102\n".utf8), source: "p.csv")
        }
    }
}
