import Foundation
import Testing
@testable import Feeds

@Suite("Article text: readability-style main text")
struct ArticleTextTests {
    static let body = ArticleFixtures.prose.joined(separator: "\n\n")

    @Test("paragraphs are joined by one blank line and the headline is left out")
    func paragraphBreaks() throws {
        #expect(try ArticleFixtures.extract(ArticleFixtures.page()).text == Self.body)
    }

    /// Each row is page chrome placed next to or inside the body; its marker word must not reach the text.
    @Test("page chrome is dropped", arguments: [
        ("<script>var marker = 1;</script><style>.marker{}</style>", "inside"),
        ("<nav><a href=\"/\">Markerhome</a> <a href=\"/m\">Markets</a></nav>", "before"),
        ("<aside><p>Markeraside paragraph with enough words to look like real article prose, honestly.</p></aside>", "inside"),
        ("<footer><p>Markerfooter about the newsroom and its long history of covering the markets.</p></footer>", "after"),
        ("<div class=\"share-tools\"><a href=\"#\">Share on X</a> Markershare</div>", "inside"),
        ("<div class=\"related-articles\"><p>Markerrelated: miners weigh bankruptcy as hashprice sinks to a record low.</p></div>", "inside"),
        ("<div id=\"cookie-consent\"><p>Markercookie: we and our partners use cookies to personalise content and ads, and to measure traffic.</p></div>", "before"),
        ("<div class=\"newsletter-signup\"><h3>Brief</h3><p>Markernewsletter: everything about hashrate, delivered every Tuesday and Friday morning.</p></div>", "inside"),
        ("<figure><img src=\"a.jpg\"><figcaption>Markercaption: mining racks in a facility near Odessa, Texas.</figcaption></figure>", "inside"),
        ("<aside class=\"pullquote\"><p>Markerpull quote repeated from the body text.</p></aside>", "inside"),
        ("<div style=\"display: none\"><p>Markerhidden offer: half price on premium market data for a whole year.</p></div>", "inside"),
        ("<div hidden><p>Markerhidden session notice asking you to log in again to continue.</p></div>", "inside"),
        ("<noscript><p>Markernoscript: please enable JavaScript to view the chart.</p></noscript>", "inside"),
        ("<div class=\"ad-slot\"><span>Markerad</span></div><p>Advertisement</p>", "inside"),
        ("<p><strong>Read more:</strong> <a href=\"/x\">Markerlink headline about miners weighing bankruptcy</a></p>", "inside"),
        ("<p>By Markerbyline</p>", "inside"),
        ("<p><em>Sign up for Markerpromo, our twice-weekly newsletter on miner economics.</em></p>", "inside"),
        ("<h3>Forward-Looking Statements</h3><p>Markersafeharbor: this release contains forward-looking statements subject to risks.</p>", "inside"),
        ("<div class=\"disclaimer\"><p>Markerdisclaimer: this article is not investment advice and the author may hold positions.</p></div>", "inside"),
        ("<div class=\"comment-thread\"><p>Markercomment: I have been mining since 2017 and this is the worst I have seen it, honestly.</p></div>", "inside"),
        ("<div class=\"video-player\"><div>Markervideo: what a margin call means for holders</div></div>", "inside"),
        ("<div><span>Markermin</span> <span>5 min read</span></div>", "before"),
        ("<blockquote class=\"twitter-tweet\"><p>Markertweet: skew is the most negative since the exchange collapse.</p></blockquote>", "inside"),
    ])
    func chromeDropped(chrome: String, position: String) throws {
        let html = switch position {
        case "before": ArticleFixtures.page(before: chrome)
        case "after": ArticleFixtures.page(after: chrome)
        default: ArticleFixtures.page(extra: chrome)
        }
        let page = try ArticleFixtures.extract(html)
        #expect(!page.text.lowercased().contains("marker"), "\(page.text)")
        #expect(page.text.hasPrefix(ArticleFixtures.prose[0]))
    }

    @Test("a reader-comment section longer than the article is not taken as the article")
    func longComments() throws {
        let comment = "I have been mining since 2017 and this is the worst I have seen, our site runs at four cents and barely breaks even, honestly, truly."
        let comments = "<section id=\"comments\"><ol>" + (0..<12).map { "<li class=\"comment\"><p>\(comment) Number \($0).</p></li>" }.joined() + "</ol></section>"
        let page = try ArticleFixtures.extract(ArticleFixtures.page(after: comments))
        #expect(page.text == Self.body)
    }

    @Test("a rail of teaser cards (headline links with summaries) is not merged into a short article")
    func teaserRail() throws {
        let cards = (0..<7).map { "<div class=\"card\"><h3><a href=\"/s/\($0)\">Teaser headline \($0)</a></h3><p>Investors pulled a net $1.3 billion from spot bitcoin funds last week, the fourth week of redemptions, as prices slid, number \($0).</p></div>" }.joined()
        let html = "<html><body><div class=\"grid\"><div class=\"article-body\"><h1>Difficulty falls</h1><p>\(ArticleFixtures.prose[0])</p><p>\(ArticleFixtures.prose[1])</p></div><div class=\"stream\">\(cards)</div></div></body></html>"
        let page = try ArticleFixtures.extract(html)
        #expect(page.text == ArticleFixtures.prose[0] + "\n\n" + ArticleFixtures.prose[1])
    }

    @Test("text split across many divs and spans is one paragraph per div")
    func splitDivs() throws {
        let divs = ArticleFixtures.prose.map { p -> String in
            let words = p.split(separator: " ")
            return "<div class=\"paragraph\"><span>\(words.prefix(6).joined(separator: " ")) </span><span>\(words.dropFirst(6).joined(separator: " "))</span></div>"
        }.joined()
        let page = try ArticleFixtures.extract("<html><body><div class=\"blocks\">\(divs)</div></body></html>")
        #expect(page.text == Self.body)
    }

    @Test("two <br> end a paragraph; one <br> is a space")
    func lineBreaks() throws {
        let html = "<html><body><div class=\"entry\">\(ArticleFixtures.prose[0])<br><br>\(ArticleFixtures.prose[1])<br>\(ArticleFixtures.prose[2])</div></body></html>"
        let page = try ArticleFixtures.extract(html)
        #expect(page.text == ArticleFixtures.prose[0] + "\n\n" + ArticleFixtures.prose[1] + " " + ArticleFixtures.prose[2])
    }

    @Test("table rows become paragraphs with cells separated by spaces")
    func tableRows() throws {
        let table = "<table><tr><th>Answer</th><th>Share</th></tr><tr><td>Undervalued</td><td>70%</td></tr></table>"
        let page = try ArticleFixtures.extract(ArticleFixtures.page(extra: table))
        #expect(page.text == Self.body + "\n\nAnswer Share\n\nUndervalued 70%")
    }

    @Test("subheadings and genuine blockquotes inside the body are kept")
    func headingsAndQuotes() throws {
        let extra = "<h2>What managers say</h2><blockquote><p>Both can be true for a while, but not forever.</p></blockquote>"
        let page = try ArticleFixtures.extract(ArticleFixtures.page(extra: extra))
        #expect(page.text == Self.body + "\n\nWhat managers say\n\nBoth can be true for a while, but not forever.")
    }

    @Test("when the next article is appended below, the one under the page's headline is taken")
    func nextArticleAppended() throws {
        let longer = (ArticleFixtures.prose + ArticleFixtures.prose).map { "<p>\($0) Again, and again, and again.</p>" }.joined()
        let head = "<meta property=\"og:title\" content=\"First story\">"
        let html = "<html><head>\(head)</head><body><article><h1>First story</h1><div class=\"story-body\"><p>\(ArticleFixtures.prose[0])</p><p>\(ArticleFixtures.prose[1])</p></div></article>"
            + "<article><h1>Next story</h1><div class=\"story-body\">\(longer)</div></article></body></html>"
        let page = try ArticleFixtures.extract(html)
        #expect(page.text == ArticleFixtures.prose[0] + "\n\n" + ArticleFixtures.prose[1])
    }

    @Test("a page with only navigation has no article text")
    func noText() {
        let html = "<html><body><nav><a href=\"/\">Home</a></nav><footer>© 2026</footer></body></html>"
        #expect(throws: ArticleError.noText(source: ArticleFixtures.fetchedURL)) { try ArticleFixtures.extract(html) }
    }
}
