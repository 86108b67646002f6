import Foundation
import Testing
@testable import Feeds

@Suite("ParsedArticleJSON: the `divergence parse` form of an HTML page")
struct ArticleJSONTests {
    static let page = ArticlePage(title: "Miners \"sell\"", canonicalURL: "https://ledger.example/a", author: nil, section: "Mining",
                                  published: Date(timeIntervalSince1970: 1_770_438_120), modified: nil, text: "One.\n\nTwo.", warnings: ["w"])

    /// 1_770_438_120 s after the epoch is 2026-02-07T04:22:00Z (20,491 days × 86,400 s + 4 h 22 min).
    @Test("sorted keys, nulls kept, ISO 8601 UTC dates, escaped strings")
    func encodeWithoutSource() {
        let json = String(decoding: ParsedArticleJSON.encode(Self.page, source: nil), as: UTF8.self)
        #expect(json == #"{"author":null,"format":"html","published":"2026-02-07T04:22:00Z","text":"One.\n\nTwo.","title":"Miners \"sell\"","url":"https://ledger.example/a","warnings":["w"]}"#)
    }

    @Test("source is included in key order when given")
    func encodeWithSource() throws {
        let bytes = ParsedArticleJSON.encode(Self.page, source: "page.html")
        let json = String(decoding: bytes, as: UTF8.self)
        #expect(json.contains(#""published":"2026-02-07T04:22:00Z","source":"page.html","text""#))
        let parsed = try JSONSerialization.jsonObject(with: Data(bytes))
        let object = try #require(parsed as? [String: Any])
        #expect(Set(object.keys) == ["author", "format", "published", "source", "text", "title", "url", "warnings"])
    }
}
