import Foundation
import Testing
@testable import Feeds

@Suite("Article fixtures: newsroom page shapes")
struct ArticleFixtureTests {
    @Test("the fixture set holds at least 30 pages, each with expected text and metadata")
    func fixtureSetIsComplete() {
        #expect(ArticleFixtures.names.count >= 30)
        for name in ArticleFixtures.names {
            #expect(ArticleFixtures.data(name + ".expected.txt") != nil, "\(name).expected.txt")
            #expect(ArticleFixtures.data(name + ".expected.json") != nil, "\(name).expected.json")
        }
    }

    @Test("metadata matches exactly and text reaches the page's token-F1 floor", arguments: ArticleFixtures.names)
    func fixturePage(name: String) throws {
        let html = try #require(ArticleFixtures.data(name + ".html"))
        let expectedText = String(decoding: try #require(ArticleFixtures.data(name + ".expected.txt")), as: UTF8.self)
        let json = try #require(ArticleFixtures.data(name + ".expected.json"))
        let meta = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        let url = try #require(meta["fetched_url"] as? String)
        let page = try ArticlePage.extract(Array(html), url: url, contentType: meta["content_type"] as? String)

        #expect(page.title == meta["title"] as? String)
        #expect(page.canonicalURL == meta["url"] as? String)
        #expect(page.author == meta["author"] as? String)
        #expect(page.published.map(FeedDates.iso8601) == meta["published"] as? String)
        let agreement = ArticleTokenAgreement(extracted: page.text, expected: expectedText)
        let floor = try #require(meta["f1_floor"] as? Double)
        #expect(agreement.f1 >= floor, "F1 \(agreement.f1) (P \(agreement.precision), R \(agreement.recall)) below \(floor)")
        #expect(!page.text.contains("\n\n\n"))
    }
}
