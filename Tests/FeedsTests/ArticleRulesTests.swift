import Foundation
import Testing
@testable import Feeds

@Suite("Article rules: per-site XPaths override the heuristic")
struct ArticleRulesTests {
    static let html = ArticleFixtures.page(
        extra: "<p class=\"kicker\">Kicker line the site wants dropped, long enough to be kept by the heuristic.</p>",
        after: "<div class=\"share-wrapper\"><p>Text the site keeps in a share-classed wrapper.</p></div>")

    @Test("bodyXPath selects the body even where the heuristic would drop it")
    func bodyXPath() throws {
        let page = try ArticleFixtures.extract(Self.html, rules: ArticleRules(bodyXPath: "//div[@class='share-wrapper']"))
        #expect(page.text == "Text the site keeps in a share-classed wrapper.")
    }

    @Test("dropXPaths remove blocks the heuristic keeps")
    func dropXPaths() throws {
        let heuristic = try ArticleFixtures.extract(Self.html)
        #expect(heuristic.text.contains("Kicker line"))
        let page = try ArticleFixtures.extract(Self.html, rules: ArticleRules(dropXPaths: ["//p[@class='kicker']"]))
        #expect(page.text == ArticleFixtures.prose.joined(separator: "\n\n"))
    }

    @Test("body and drop XPaths combine; several body matches are read in document order")
    func bodyAndDrop() throws {
        let rules = ArticleRules(bodyXPath: "//div[@class='article-body']/p", dropXPaths: ["//div[@class='article-body']/p[2]", "//p[@class='kicker']"])
        let page = try ArticleFixtures.extract(Self.html, rules: rules)
        #expect(page.text == ArticleFixtures.prose[0] + "\n\n" + ArticleFixtures.prose[2])
    }

    @Test("a body XPath that matches nothing falls back to the heuristic with a warning")
    func noMatch() throws {
        let page = try ArticleFixtures.extract(Self.html, rules: ArticleRules(bodyXPath: "//div[@id='nothing']"))
        #expect(page.text.hasPrefix(ArticleFixtures.prose[0]))
        #expect(page.warnings.contains { $0.contains("matched nothing") })
    }

    @Test("an XPath that does not compile, or is not a node set, is a rule error naming it", arguments: ["//div[", "count(//p)"])
    func invalidXPath(expression: String) {
        #expect(throws: ArticleError.invalidRule(source: ArticleFixtures.fetchedURL, xpath: expression)) {
            try ArticleFixtures.extract(Self.html, rules: ArticleRules(bodyXPath: expression))
        }
        #expect(throws: ArticleError.invalidRule(source: ArticleFixtures.fetchedURL, xpath: expression)) {
            try ArticleFixtures.extract(Self.html, rules: ArticleRules(dropXPaths: [expression]))
        }
    }
}
