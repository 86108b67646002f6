import Foundation
import Testing
@testable import Feeds

@Suite("Article metadata: sources in order of trust, UTC dates")
struct ArticleMetadataTests {
    static let ld = #"<script type="application/ld+json">{"@type":"NewsArticle","headline":"LD headline","datePublished":"2026-02-07T04:22:00Z","author":{"@type":"Person","name":"Mara Quint"},"url":"https://ledger.example/ld"}</script>"#
    static let og = #"<meta property="og:title" content="OG headline"><meta property="article:published_time" content="2026-02-06T10:00:00Z"><meta property="og:url" content="https://ledger.example/og">"#
    static let metaDate = #"<meta name="date" content="2026-02-05 08:30:00"><meta name="author" content="Tomas Reyes">"#
    static let time = #"<time datetime="2026-02-04T12:00:00Z">Feb 4</time>"#

    /// Each row removes the most trusted source of the row above; the published time must come from the best one left.
    @Test("published time: JSON-LD, then OpenGraph, then <meta name=date>, then <time datetime>", arguments: [
        (ld + og + metaDate, "2026-02-07T04:22:00Z"),
        (og + metaDate, "2026-02-06T10:00:00Z"),
        (metaDate, "2026-02-05T08:30:00Z"),
        ("", "2026-02-04T12:00:00Z"),
    ])
    func publishedOrderOfTrust(head: String, expected: String) throws {
        let page = try ArticleFixtures.extract(ArticleFixtures.page(head: head, before: Self.time))
        #expect(page.published.map(FeedDates.iso8601) == expected)
    }

    @Test("title: JSON-LD headline, then og:title, then the <h1>, then <title> without its site suffix", arguments: [
        (ld + og, "<title>Tab title | Site</title>", "LD headline"),
        (og, "<title>Tab title | Site</title>", "OG headline"),
        ("", "<title>Tab title | Site</title>", "Miners sell reserves"),
    ])
    func titleOrderOfTrust(head: String, title: String, expected: String) throws {
        let page = try ArticleFixtures.extract(ArticleFixtures.page(head: head + title))
        #expect(page.title == expected)
    }

    @Test("title from <title> drops a ' | Site' suffix when there is no heading")
    func titleSuffix() throws {
        let html = "<html><head><title>Hashrate slides 20% from its peak | Hashwire</title></head><body><div>"
            + ArticleFixtures.prose.map { "<p>\($0)</p>" }.joined() + "</div></body></html>"
        #expect(try ArticleFixtures.extract(html).title == "Hashrate slides 20% from its peak")
    }

    @Test("offsets are normalised to UTC: +05:30, -05:00, date only, fractional seconds", arguments: [
        ("2026-02-09T10:00:00+05:30", "2026-02-09T04:30:00Z"),
        ("2026-02-09T13:30:00-05:00", "2026-02-09T18:30:00Z"),
        ("2026-02-09", "2026-02-09T00:00:00Z"),
        ("2026-02-06T19:30:00.000Z", "2026-02-06T19:30:00Z"),
        ("Sat, 07 Feb 2026 14:00:00 GMT", "2026-02-07T14:00:00Z"),
    ])
    func utcNormalisation(value: String, expected: String) throws {
        let page = try ArticleFixtures.extract(ArticleFixtures.page(head: "<meta property=\"article:published_time\" content=\"\(value)\">"))
        #expect(page.published.map(FeedDates.iso8601) == expected)
    }

    @Test("JSON-LD in @graph with the author given by @id resolves the Person's name")
    func graphAuthorReference() throws {
        let graph = ##"<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebPage","name":"Page"},{"@type":"Article","headline":"Graph headline","author":{"@id":"#p1"},"datePublished":"2026-02-06T18:45:12+00:00"},{"@type":"Person","@id":"#p1","name":"Tomas Reyes"}]}</script>"##
        let page = try ArticleFixtures.extract(ArticleFixtures.page(head: graph))
        #expect(page.title == "Graph headline")
        #expect(page.author == "Tomas Reyes")
        #expect(page.published.map(FeedDates.iso8601) == "2026-02-06T18:45:12Z")
    }

    @Test("JSON-LD as a top-level array, @type as an array, authors as an array of objects or strings", arguments: [
        (#"[{"@type":"Organization","name":"Org"},{"@type":"NewsArticle","headline":"H","author":[{"@type":"Person","name":"Priya Natarajan"},{"@type":"Person","name":"Jonah Whitcombe"}]}]"#, "Priya Natarajan, Jonah Whitcombe"),
        (#"{"@type":["NewsArticle","ReportageNewsArticle"],"headline":"H","author":["Sofia Lindqvist","Aaron Feld"]}"#, "Sofia Lindqvist, Aaron Feld"),
        (#"{"@type":"WebPage","mainEntity":{"@type":"NewsArticle","headline":"H","author":"By Mara Quint"}}"#, "Mara Quint"),
    ])
    func jsonLDShapes(json: String, author: String) throws {
        let page = try ArticleFixtures.extract(ArticleFixtures.page(head: "<script type=\"application/ld+json\">\(json)</script>"))
        #expect(page.title == "H")
        #expect(page.author == author)
    }

    @Test("JSON-LD wrapped in an HTML comment with a raw newline in a string still parses")
    func dirtyJSONLD() throws {
        let script = "<script type=\"application/ld+json\"><!--\n{\"@type\":\"NewsArticle\",\"headline\":\"Advisers circle\nminers\"}\n--></script>"
        #expect(try ArticleFixtures.extract(ArticleFixtures.page(head: script)).title == "Advisers circle miners")
    }

    @Test("unparseable JSON-LD is ignored and OpenGraph is used")
    func brokenJSONLD() throws {
        let broken = #"<script type="application/ld+json">{"@type":"NewsArticle","headline":"Old"</script>"#
        let page = try ArticleFixtures.extract(ArticleFixtures.page(head: broken + Self.og))
        #expect(page.title == "OG headline")
        #expect(page.published.map(FeedDates.iso8601) == "2026-02-06T10:00:00Z")
    }

    @Test("canonical URL: JSON-LD url, then <link rel=canonical> (resolved), then og:url, then the fetched URL", arguments: [
        (ld + "<link rel=\"canonical\" href=\"/canon\">" + og, "https://ledger.example/ld"),
        ("<link rel=\"canonical\" href=\"/canon\">" + og, "https://news.example/canon"),
        (og, "https://ledger.example/og"),
        ("", ArticleFixtures.fetchedURL),
        ("<base href=\"https://mirror.example/news/\"><link rel=\"canonical\" href=\"story-1\">", "https://mirror.example/news/story-1"),
    ])
    func canonicalOrder(head: String, expected: String) throws {
        #expect(try ArticleFixtures.extract(ArticleFixtures.page(head: head)).canonicalURL == expected)
    }

    @Test("author: a URL in article:author is skipped for <meta name=author>; byline markup and a 'By' line are fallbacks", arguments: [
        (#"<meta property="article:author" content="https://facebook.example/x"><meta name="author" content="Helena Brandt">"#, "", "Helena Brandt"),
        ("", #"<div class="byline">Reporting by <a rel="author" href="/p">Lena Vasquez</a></div>"#, "Lena Vasquez"),
        ("", #"<span itemprop="author" itemscope><span itemprop="name">Aaron Feld</span></span>"#, "Aaron Feld"),
        ("", #"<div class="meta-line">By Daniel Okafor · Feb 4</div>"#, "Daniel Okafor"),
    ])
    func authorSources(head: String, before: String, expected: String) throws {
        #expect(try ArticleFixtures.extract(ArticleFixtures.page(head: head, before: before)).author == expected)
    }

    @Test("a <time> inside a comment section is not the publication time; the one nearest before the body is")
    func timeChoice() throws {
        let ticker = #"<div class="latest"><time datetime="2026-02-12T01:15:00Z">01:15</time></div><div class="info"><time datetime="2026-02-04T16:45:00Z">Feb 4</time></div>"#
        let comments = #"<section class="comments"><time datetime="2026-02-13T00:00:00Z">x</time><p>First comment text that is long enough to count as a paragraph here.</p></section>"#
        let page = try ArticleFixtures.extract(ArticleFixtures.page(before: ticker, after: comments))
        #expect(page.published.map(FeedDates.iso8601) == "2026-02-04T16:45:00Z")
    }

    @Test("section: JSON-LD articleSection (first of an array), then article:section; modified time from JSON-LD", arguments: [
        (#"<script type="application/ld+json">{"@type":"Article","headline":"H","articleSection":["Markets","Mining"],"dateModified":"2026-02-07T06:10:00+01:00"}</script><meta property="article:section" content="Other">"#, "Markets", "2026-02-07T05:10:00Z"),
        (#"<meta property="article:section" content="Mining"><meta property="article:modified_time" content="2026-02-08T00:00:00Z">"#, "Mining", "2026-02-08T00:00:00Z"),
    ])
    func sectionAndModified(head: String, section: String, modified: String) throws {
        let page = try ArticleFixtures.extract(ArticleFixtures.page(head: head))
        #expect(page.section == section)
        #expect(page.modified.map(FeedDates.iso8601) == modified)
    }

    @Test("og:site_name is removed from og:title; a one-word site-logo <h1> does not beat <title>", arguments: [
        (#"<meta property="og:site_name" content="The Ledger Post"><meta property="og:title" content="Miners sell reserves - The Ledger Post">"#, "", "Miners sell reserves"),
        (#"<title>Hashrate slides 20% from its peak | Hashwire</title>"#, "<h1 class=\"logo\">Hashwire</h1>", "Hashrate slides 20% from its peak"),
    ])
    func siteNames(head: String, before: String, expected: String) throws {
        let html = "<html><head>\(head)</head><body>\(before)<div>" + ArticleFixtures.prose.map { "<p>\($0)</p>" }.joined() + "</div></body></html>"
        #expect(try ArticleFixtures.extract(html).title == expected)
    }

    @Test("a <title> with a site prefix yields the heading it contains")
    func titlePrefix() throws {
        let html = "<html><head><title>Sat Stacker: Notes on the hash ribbon</title></head><body><div class=\"post\"><h3>Notes on the hash ribbon</h3><div>"
            + ArticleFixtures.prose.map { "<p>\($0)</p>" }.joined() + "</div></div></body></html>"
        let page = try ArticleFixtures.extract(html)
        #expect(page.title == "Notes on the hash ribbon")
        #expect(page.text == ArticleFixtures.prose.joined(separator: "\n\n"))
    }

    @Test("a page without any date says so in its warnings")
    func missingDateWarning() throws {
        let page = try ArticleFixtures.extract(ArticleFixtures.page())
        #expect(page.published == nil)
        #expect(page.warnings.contains("no published date found"))
    }

    @Test("isAccessibleForFree false adds a teaser warning")
    func paywallWarning() throws {
        let ld = #"<script type="application/ld+json">{"@type":"NewsArticle","headline":"H","isAccessibleForFree":false}</script>"#
        #expect(try ArticleFixtures.extract(ArticleFixtures.page(head: ld)).warnings.contains { $0.contains("teaser") })
    }
}
