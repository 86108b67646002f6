import Foundation
import Testing
@testable import Feeds

/// The page families that public extractor test suites show going wrong, one fixture page each (Fixtures/articles).
@Suite("Article families: retries, repetition, sections, galleries, formulas, references, metadata")
struct ArticleFamilyTests {
    static func fixture(_ name: String, url: String? = nil) throws -> ArticlePage {
        let html = try #require(ArticleFixtures.data(name + ".html"))
        return try ArticlePage.extract(Array(html), url: url ?? "https://news.example/fixtures/\(name)")
    }

    static func expectedParagraphs(_ name: String) throws -> [String] {
        let text = String(decoding: try #require(ArticleFixtures.data(name + ".expected.txt")), as: UTF8.self)
        return text.trimmingCharacters(in: .whitespacesAndNewlines).components(separatedBy: "\n\n")
    }

    @Test("five identical paragraphs inside one article stay five")
    func repeatedParagraphs() throws {
        let page = try Self.fixture("repeated-identical-paragraphs")
        let refrain = "The fans kept spinning and the hashrate held, whatever the price did that morning."
        #expect(page.text.components(separatedBy: "\n\n").filter { $0 == refrain }.count == 5)
        #expect(page.text.components(separatedBy: "\n\n") == (try Self.expectedParagraphs("repeated-identical-paragraphs")))
    }

    @Test("every headed section of a documentation page is kept, in order, without the sidebar")
    func multiSection() throws {
        let page = try Self.fixture("multi-section-documentation")
        #expect(page.text.components(separatedBy: "\n\n") == (try Self.expectedParagraphs("multi-section-documentation")))
    }

    @Test("a gallery of thirty captioned slides does not displace the article it sits in")
    func galleryBesideArticle() throws {
        let page = try Self.fixture("photo-gallery-beside-article")
        #expect(!page.text.contains("Caption number"))
        #expect(page.text.components(separatedBy: "\n\n") == (try Self.expectedParagraphs("photo-gallery-beside-article")))
    }

    @Test("MathML in a paragraph reads as its visible symbols, without the TeX annotation")
    func mathML() throws {
        let page = try Self.fixture("mathml-formula-in-paragraph")
        #expect(page.text.hasPrefix("The production cost per coin is the energy bill divided by the coins mined, which the desk writes as C=Hep144s for one day"))
        #expect(!page.text.contains("frac"))
    }

    @Test("an encyclopedia page keeps its reference list (“Retrieved …”)")
    func referenceList() throws {
        let page = try Self.fixture("encyclopedia-reference-list")
        #expect(page.text.components(separatedBy: "\n\n").filter { $0.contains("Retrieved") }.count == 3)
        #expect(page.title == "Hash ribbon")
    }

    @Test("article text wrapped in a link is read by the relaxed pass instead of coming back empty")
    func relaxedPass() throws {
        let page = try Self.fixture("article-text-inside-links")
        #expect(page.text.components(separatedBy: "\n\n") == (try Self.expectedParagraphs("article-text-inside-links")))
    }

    @Test("a section front of headline links yields its few words with a warning, not an error")
    func sectionFront() throws {
        let links = (1...5).map { "<li><a href=\"/story/\($0)\">Headline number \($0) about the market</a></li>" }.joined()
        let html = "<html><head><title>Markets</title></head><body><h1>Markets</h1><ul class=\"river\">\(links)</ul></body></html>"
        let page = try ArticleFixtures.extract(html)
        #expect(page.text.contains("Headline number 1 about the market"))
        #expect(page.warnings.contains { $0.hasPrefix("little article text") })
    }

    @Test("a page that has text nowhere is still an error")
    func noTextAnywhere() {
        #expect(throws: ArticleError.noText(source: ArticleFixtures.fetchedURL)) { try ArticleFixtures.extract("<html><body><div><img src=\"a.png\"></div></body></html>") }
    }

    @Test("a normal article is read in the first pass and carries no short-text warning")
    func firstPassSuffices() throws {
        let page = try ArticleFixtures.extract(ArticleFixtures.page())
        #expect(!page.warnings.contains { $0.hasPrefix("little article text") })
    }

    @Test("JSON-LD name beats a headline that is a description, judged against <title>")
    func headlineDescription() throws {
        let page = try Self.fixture("jsonld-headline-is-description")
        #expect(page.title == "Difficulty adjustment")
        #expect(page.author == "Encyclopedia contributors")
    }

    @Test("JSON-LD headline still wins when name is the site's name")
    func headlineOverSiteName() throws {
        let ld = #"<script type="application/ld+json">{"@type":"NewsArticle","name":"The Ledger Post","headline":"Miners sell reserves"}</script>"#
        let page = try ArticleFixtures.extract(ArticleFixtures.page(head: "<title>Miners sell reserves | The Ledger Post</title>" + ld))
        #expect(page.title == "Miners sell reserves")
    }

    @Test("a Dublin Core creator named in a multi-field property beats a decoy meta author")
    func decoyAuthor() throws {
        let page = try Self.fixture("meta-author-decoy-dc-creator")
        #expect(page.author == "Mara Quinlan")
    }

    @Test("a byline block loses its date, time and “Follow @handle”")
    func bylineTail() throws {
        #expect(try Self.fixture("byline-with-date-and-follow").author == "Jonas Weller")
    }

    @Test("byline clean-up", arguments: [
        ("By Erin Castle March 18 at 3:57 PM Follow @erincastle", "Erin Castle"),
        ("Steven Marsh 12/03/2026", "Steven Marsh"),
        ("By Ana Ruiz Updated Feb. 9, 2026", "Ana Ruiz"),
        ("Mike Conley", "Mike Conley"),
    ])
    func bylineCleanUp(raw: String, expected: String) {
        #expect(ArticleMetadata.cleanAuthor(raw) == expected)
    }

    @Test("a <title> without a separator is kept over a differing <h1>")
    func titleOverHeading() throws {
        let html = "<html><head><title>Share buttons removal test</title></head><body><article><h1>Lorem ipsum dolor</h1>"
            + ArticleFixtures.prose.map { "<p>\($0)</p>" }.joined() + "</article></body></html>"
        #expect(try ArticleFixtures.extract(html).title == "Share buttons removal test")
    }

    @Test("url is null for a relative input path without a canonical link, absolute when a canonical link is given", arguments: [
        ("", nil as String?),
        (#"<link rel="canonical" href="/a/miners">"#, nil),
        (#"<link rel="canonical" href="https://ledger.example/a/miners">"#, "https://ledger.example/a/miners"),
    ])
    func relativeInputPath(head: String, expected: String?) throws {
        let page = try ArticlePage.extract(Array(ArticleFixtures.page(head: head).utf8), url: "001/source.html")
        #expect(page.canonicalURL == expected)
    }
}
