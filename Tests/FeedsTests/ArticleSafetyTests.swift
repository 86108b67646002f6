import Foundation
import LoopbackHTTP
import Testing
@testable import Feeds

@Suite("Article safety: hostile and odd input")
struct ArticleSafetyTests {
    @Test("empty and blank pages are an empty-page error", arguments: ["", "   \n\t  "])
    func emptyPage(html: String) {
        #expect(throws: ArticleError.empty(source: ArticleFixtures.fetchedURL)) { try ArticleFixtures.extract(html) }
    }

    @Test("10,000 nested divs neither crash nor lose the article before them; the early stop is a warning")
    func deepNesting() throws {
        let html = "<html><body><article>" + ArticleFixtures.prose.map { "<p>\($0)</p>" }.joined() + "</article>"
            + String(repeating: "<div>", count: 10_000) + "deep" + String(repeating: "</div>", count: 10_000) + "</body></html>"
        let page = try ArticleFixtures.extract(html)
        #expect(page.text == ArticleFixtures.prose.joined(separator: "\n\n"))
        #expect(page.warnings.contains { $0.contains("stopped early") })
    }

    @Test("a 10 MB page with 60,000 teaser blocks is extracted in bounded time")
    func largePage() throws {
        var html = "<html><head><title>Big</title></head><body><article><div class=\"article-body\">"
            + ArticleFixtures.prose.map { "<p>\($0)</p>" }.joined() + "</div></article><div class=\"stream\">"
        let teaser = "<div class=\"teaser\"><h3><a href=\"/x\">Headline number</a></h3><p>Short summary of the story, with a comma, and more words here.</p></div>"
        html += String(repeating: teaser, count: 10_000_000 / teaser.utf8.count) + "</div></body></html>"
        #expect(html.utf8.count >= 10_000_000)
        let start = Date()
        let page = try ArticleFixtures.extract(html)
        #expect(Date().timeIntervalSince(start) < TestTime.bound(seconds: 30))
        #expect(page.text == ArticleFixtures.prose.joined(separator: "\n\n"))
    }

    @Test("external entities and DTDs are never loaded (no file or network access)")
    func noExternalEntities() throws {
        let html = "<!DOCTYPE html [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><html><body><div><p>&xxe;</p>"
            + ArticleFixtures.prose.map { "<p>\($0)</p>" }.joined() + "</div></body></html>"
        let page = try ArticleFixtures.extract(html)
        #expect(!page.text.contains("root:"))
        #expect(page.text.hasSuffix(ArticleFixtures.prose[2]))
    }

    @Test("charset: <meta charset=windows-1252> decodes curly quotes and the euro sign")
    func windows1252Meta() throws {
        var bytes = Array("<html><head><meta charset=\"windows-1252\"></head><body><div><p>".utf8)
        bytes += [0x93] + Array("Investors are de-risking,".utf8) + [0x94] + Array(" said the analyst of the ".utf8) + [0x80]
            + Array("410 million of outflows from funds in Z".utf8) + [0xFC] + Array("rich, a record for January.</p></div></body></html>".utf8)
        let page = try ArticlePage.extract(bytes, url: ArticleFixtures.fetchedURL)
        #expect(page.text == "\u{201C}Investors are de-risking,\u{201D} said the analyst of the \u{20AC}410 million of outflows from funds in Zürich, a record for January.")
    }

    @Test("charset: the Content-Type header wins over the page's own declaration; undeclared non-UTF-8 reads as windows-1252")
    func headerAndFallback() throws {
        let text = Array("<html><head><meta charset=\"utf-8\"></head><body><div><p>Caf".utf8) + [0xE9] + Array(" owners in Montreal switched off their bitcoin mining heaters this winter.</p></div></body></html>".utf8)
        let withHeader = try ArticlePage.extract(text, url: ArticleFixtures.fetchedURL, contentType: "text/html; charset=ISO-8859-1")
        #expect(withHeader.text.hasPrefix("Café owners"))
        let plain = Array("<html><body><div><p>Caf".utf8) + [0xE9] + Array(" owners in Montreal switched off their bitcoin mining heaters this winter.</p></div></body></html>".utf8)
        #expect(try ArticlePage.extract(plain, url: ArticleFixtures.fetchedURL).text.hasPrefix("Café owners"))
    }

    @Test("a UTF-8 byte-order mark is honoured")
    func byteOrderMark() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("<html><body><div><p>Zürich’s exchange admitted two new bitcoin products on Monday, bringing the total to 300.</p></div></body></html>".utf8)
        #expect(try ArticlePage.extract(bytes, url: ArticleFixtures.fetchedURL).text.hasPrefix("Zürich’s exchange"))
    }
}

@Suite("Article safety: hostile JSON-LD")
struct ArticleJSONLDSafetyTests {
    @Test("JSON-LD nested 200,000 deep is skipped without recursion, and the page still extracts")
    func deepJSONLD() throws {
        let deep = String(repeating: "[", count: 200_000) + String(repeating: "]", count: 200_000)
        let page = try ArticleFixtures.extract(ArticleFixtures.page(head: "<script type=\"application/ld+json\">\(deep)</script>"))
        #expect(page.text == ArticleFixtures.prose.joined(separator: "\n\n"))
        #expect(JSONLDArticle.nesting(deep) == 200_000)
        #expect(JSONLDArticle.nesting(#"{"a":"[[[{{{","b":[{"c":1}]}"#) == 3)
    }
}
