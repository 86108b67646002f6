import Foundation
import Testing
@testable import Settings

@Suite("TOML arrays of tables")
struct TOMLArrayOfTablesTests {
    @Test("3,000 [[source]] tables keep their order, keys and lines, with a nested table between them")
    func manyTables() throws {
        var text = "store = \"s.sqlite\"\n"
        for index in 0..<3_000 {
            text += "[[source]]\nname = \"n\(index)\"\nurl = \"https://f\(index).example/\"\n"
            if index == 1_500 { text += "[fetch]\ntimeout_seconds = 5\n" }
        }
        text += "[[source]]\nname = \"last\"\n"
        let root = try TOMLDocument.parse(text)
        guard case .array(let sources)? = root["source"]?.value else { Issue.record("no source array"); return }
        #expect(sources.count == 3_001)
        guard case .table(let first) = sources[0], case .table(let middle) = sources[2_000], case .table(let last) = sources[3_000] else {
            Issue.record("elements are not tables"); return
        }
        #expect(first["name"]?.value == .string("n0") && first.line == 2)
        // Three lines per source, plus the two of [fetch] after source 1,500.
        #expect(middle["url"]?.value == .string("https://f2000.example/") && middle.line == 2 + 3 * 2_000 + 2)
        #expect(last["name"]?.value == .string("last") && last["url"] == nil)
        guard case .table(let fetch)? = root["fetch"]?.value else { Issue.record("no fetch table"); return }
        #expect(fetch["timeout_seconds"]?.value == .integer(5))
    }

    @Test("a key defined twice in one array element is still refused with its line")
    func duplicateKey() {
        #expect(throws: TOMLSyntaxError(line: 5, reason: "key 'name' is defined twice")) {
            try TOMLDocument.parse("[[source]]\nname = \"a\"\n[[source]]\nname = \"b\"\nname = \"c\"\n")
        }
    }
}
