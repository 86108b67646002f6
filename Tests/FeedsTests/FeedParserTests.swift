import Foundation
import Testing
@testable import Feeds

@Suite("FeedParser formats and fields")
struct FeedParserTests {
    @Test("format is sniffed from content", arguments: [
        ("<rss version=\"0.91\"><channel><title>t</title></channel></rss>", FeedFormat.rss091),
        ("<rss version=\"0.92\"><channel><title>t</title></channel></rss>", .rss092),
        ("<rss version=\"2.0\"><channel><title>t</title></channel></rss>", .rss20),
        ("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns=\"http://purl.org/rss/1.0/\"><channel><title>t</title></channel></rdf:RDF>", .rss10),
        ("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns=\"http://my.netscape.com/rdf/simple/0.9/\"><channel><title>t</title></channel></rdf:RDF>", .rss090),
        ("<feed version=\"0.3\" xmlns=\"http://purl.org/atom/ns#\"><title>t</title></feed>", .atom03),
        ("<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>t</title></feed>", .atom10),
        ("{\"version\":\"https://jsonfeed.org/version/1\",\"title\":\"t\",\"items\":[]}", .json10),
        ("  {\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"t\",\"items\":[]}", .json11),
    ])
    func sniffing(_ body: String, _ format: FeedFormat) throws {
        let doc = try parse(body)
        #expect(doc.format == format)
        #expect(doc.feed.title == "t")
    }

    @Test("RSS 2.0 item fields: guid, link, date, author, plain summary, sanitised HTML, categories, enclosure")
    func rss20Fields() throws {
        let doc = try FeedParser.parse(try fixture("rss20-item-fields.xml"), source: "https://notes.example/feed.xml")
        #expect(doc.format == .rss20)
        #expect(doc.bozo == false)
        #expect(doc.feed == FeedMetadata(title: "Hash Notes", link: "https://notes.example/", id: nil,
                                         updated: FeedDates.parse("2026-02-07T05:00:00Z"), language: "en-gb"))
        let first = try #require(doc.entries.first)
        #expect(first.id == "post-7")
        #expect(first.title == "Miners capitulate")
        #expect(first.link == "https://notes.example/posts/capitulation?utm_source=rss&id=7")
        #expect(iso(first.published) == "2026-02-07T04:22:00Z")
        #expect(first.author == "editor@notes.example (Ada Stone)")
        #expect(first.summary == "Hash ribbons crossed today. chart bad")
        let html = try #require(first.summaryHTML)
        #expect(!html.contains("script") && !html.contains("onclick") && !html.contains("javascript:"))
        #expect(html.contains("<a href=\"https://notes.example/charts/ribbon\">chart</a>"))
        #expect(first.content == "Full text here & there")
        #expect(first.categories == ["mining", "hashrate"])
        #expect(first.enclosureURL == "https://notes.example/audio/7.mp3")
        let second = try #require(doc.entries.last)
        #expect(second.link == "https://notes.example/posts/second")
        #expect(second.author == "Ben Ortiz")
        #expect(iso(second.updated) == "2026-02-06T09:00:00Z")
    }

    @Test("Atom: rel=alternate link resolved against nested xml:base, author name (email), typed text constructs")
    func atomFields() throws {
        let doc = try FeedParser.parse(try fixture("atom-xml-base-relative-links.xml"), source: "fixture")
        #expect(doc.format == .atom10)
        #expect(doc.feed.title == "Cloud & Ribbon")
        #expect(doc.feed.link == "https://blog.example/")
        #expect(doc.feed.id == "urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6")
        let entry = try #require(doc.entries.first)
        #expect(entry.link == "https://blog.example/2026/02/kumo-twist.html")
        #expect(entry.enclosureURL == "https://blog.example/2026/02/kumo.png")
        #expect(entry.title == "Kumo <em>twist</em>")
        #expect(entry.author == "Chen Wu (chen@blog.example)")
        // 18:30:02 at UTC-5 is 23:30:02 UTC.
        #expect(iso(entry.published) == "2026-02-05T23:30:02Z")
        #expect(entry.summary == "Plain <not a tag> summary")
        #expect(entry.summaryHTML == "Plain &lt;not a tag&gt; summary")
        #expect(entry.content == "The cloud turned.")
        #expect(entry.contentHTML?.contains("href=\"https://blog.example/2026/02/cloud.html\"") == true)
    }

    @Test("JSON Feed 1.1: authors, summary and content_html become plain text")
    func jsonFeed() throws {
        let body = """
        {"version":"https://jsonfeed.org/version/1.1","title":"J","home_page_url":"https://j.example/",
         "items":[{"id":"1","url":"https://j.example/1","title":"One","content_html":"<p>Hi &amp; <b>bye</b></p>",
         "summary":"Short","date_published":"2026-02-07T04:22:00Z","authors":[{"name":"Dee"}],"tags":["a"]}]}
        """
        let doc = try parse(body)
        let entry = try #require(doc.entries.first)
        #expect(entry.content == "Hi & bye")
        #expect(entry.summary == "Short")
        #expect(entry.author == "Dee")
        #expect(entry.categories == ["a"])
        #expect(iso(entry.published) == "2026-02-07T04:22:00Z")
    }

    @Test("JSON Feed members of the wrong type read as absent; numeric ids read as their text; only the first 10,000 items are read")
    func jsonFeedLenient() throws {
        let body = """
        {"version":"https://jsonfeed.org/version/1","title":5,"items":[1,"s",null,
         {"id":42,"title":["x"],"url":"https://j.example/a","tags":["t",1,null,"u"],"authors":[{"name":5},{"name":" Ann "}],
          "attachments":[{"url":"https://j.example/a.mp3"}]},
         {"id":" b ","author":{"name":"Bob"},"content_text":" two  words "}]}
        """
        let doc = try parse(body)
        #expect(doc.feed.title == nil)
        #expect(doc.entries.map(\.id) == ["42", "b"])
        #expect(doc.entries[0].title == nil && doc.entries[0].link == "https://j.example/a")
        #expect(doc.entries[0].categories == ["t", "u"])
        #expect(doc.entries[0].author == "Ann" && doc.entries[1].author == "Bob")
        #expect(doc.entries[0].enclosureURL == "https://j.example/a.mp3")
        #expect(doc.entries[1].content == "two words")
        #expect(!doc.bozo)

        let many = "{\"version\":\"https://jsonfeed.org/version/1.1\",\"items\":[" + (0..<10_005).map { "{\"id\":\"\($0)\"}" }.joined(separator: ",") + "]}"
        let capped = try parse(many)
        #expect(capped.entries.count == FeedParser.maxEntries)
        #expect(capped.entries.last?.id == "9999")
        #expect(capped.bozo && capped.warnings == ["10005 items; only the first 10000 were read"])
    }

    @Test("an unparseable date is a warning and the entry is kept")
    func badDateWarns() throws {
        let doc = try parse("<rss version=\"2.0\"><channel><item><title>a</title><pubDate>someday soon</pubDate></item></channel></rss>")
        #expect(doc.entries.count == 1)
        #expect(doc.entries[0].published == nil)
        #expect(doc.warnings.contains { $0.contains("someday soon") })
    }

    @Test("guid without isPermaLink=false becomes the link when there is none; last dc:creator wins")
    func guidIsLink() throws {
        let doc = try parse("""
        <rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><item><guid>https://x.example/a</guid>
        <dc:creator>First</dc:creator><dc:creator>Second</dc:creator></item></channel></rss>
        """)
        #expect(doc.entries[0].link == "https://x.example/a")
        #expect(doc.entries[0].author == "Second")
    }

    @Test("relative links resolve against the feed URL when the source is http(s)")
    func relativeAgainstFeedURL() throws {
        let doc = try parse("<rss version=\"2.0\"><channel><link>/home</link><item><link>posts/1</link></item></channel></rss>",
                            source: "https://site.example/feeds/main.xml")
        #expect(doc.feed.link == "https://site.example/home")
        #expect(doc.entries[0].link == "https://site.example/feeds/posts/1")
    }

    @Test("without xml:base or a feed URL, relative entry links resolve against the channel link")
    func relativeAgainstChannelLink() throws {
        let doc = try parse("<rss version=\"2.0\"><channel><link>https://c.example/blog/</link><item><link>/p/1</link><enclosure url=\"a.mp3\"/></item></channel></rss>",
                            source: "local-file.xml")
        #expect(doc.entries[0].link == "https://c.example/p/1")
        #expect(doc.entries[0].enclosureURL == "https://c.example/blog/a.mp3")
    }

    @Test("concurrent parses on many tasks give identical documents")
    func concurrent() async throws {
        let bytes = try fixture("rss20-item-fields.xml")
        let reference = try FeedParser.parse(bytes, source: "c")
        let results = await withTaskGroup(of: [FeedEntry]?.self) { group in
            for _ in 0..<32 {
                group.addTask { try? FeedParser.parse(bytes, source: "c").entries }
            }
            var all: [[FeedEntry]?] = []
            for await result in group { all.append(result) }
            return all
        }
        #expect(results.count == 32)
        #expect(results.allSatisfy { $0 == reference.entries })
    }

    @Test("ParsedFeedJSON has a fixed key order and ISO 8601 UTC dates")
    func parsedJSON() throws {
        let doc = try parse("<rss version=\"2.0\"><channel><title>T</title><item><title>\"q\"</title><pubDate>Sat, 07 Feb 2026 04:22:00 GMT</pubDate></item></channel></rss>")
        let json = String(decoding: ParsedFeedJSON.encode(doc, source: "s"), as: UTF8.self)
        #expect(json == #"{"source":"s","format":"rss20","bozo":false,"warnings":[],"feed":{"title":"T","link":null,"id":null,"updated":null},"entries":[{"id":null,"title":"\"q\"","link":null,"published":"2026-02-07T04:22:00Z","updated":null,"author":null,"summary":null,"content":null}]}"#)
    }
}

@Suite("Text")
struct TextTests {
    @Test("plain text: tags become spaces, entities decode, whitespace collapses, stray < stays", arguments: [
        ("<p>a<b>b</b></p>", "a b"),
        ("x &amp; y&nbsp;z", "x & y\u{A0}z".replacingOccurrences(of: "\u{A0}", with: " ")),
        ("1 < 2 and <a href=", "1 < 2 and <a href="),
        ("keep<script>drop()</script>this", "keep this"),
        ("  lots \n of\tspace ", "lots of space"),
        ("&#8217;&#x2019;&#146;", "’’’"),
    ])
    func plainText(_ html: String, _ expected: String) {
        #expect(HTMLText.plainText(fromHTML: html) == expected)
    }

    @Test("sanitiser drops scripts, handlers and javascript: URLs and keeps formatting")
    func sanitise() {
        let out = HTMLSanitizer.sanitize("<p onclick=\"x()\">Hi <b>you</b><iframe src=\"https://e.example\"></iframe><a href=\"javascript:x()\">a</a><img src=\"p.png\"></p>", base: "https://b.example/d/")
        #expect(out == "<p>Hi <b>you</b><a>a</a><img src=\"https://b.example/d/p.png\" /></p>")
    }

    @Test("sanitiser balances and filters elements", arguments: [
        ("<BLOCKQUOTE cite=\"/q\">q</BLOCKQUOTE>", "<blockquote cite=\"https://b.example/q\">q</blockquote>"),
        ("<figure><figcaption>c</figcaption></figure>", "<figure><figcaption>c</figcaption></figure>"),
        ("<customelement x=\"1\">kept text</customelement>", "kept text"),
        ("<p><b>open", "<p><b>open</b></p>"),
        ("a</i>b", "ab"),
        ("<xhtml:em>ns</xhtml:em>", "<em>ns</em>"),
        ("<style>p{}</style><SCRIPT>x()</SCRIPT>t", "t"),
        ("<a href=\"https://e.example/?a=1&amp;b=2\" title='x > y'>l</a>", "<a href=\"https://e.example/?a=1&amp;b=2\" title=\"x &gt; y\">l</a>"),
    ])
    func balance(_ html: String, _ expected: String) {
        #expect(HTMLSanitizer.sanitize(html, base: "https://b.example/d/") == expected)
    }
}

@Suite("EntryDedup")
struct EntryDedupTests {
    @Test("key is stable across http/https, www, utm_* parameters, fragments and trailing slashes")
    func stable() {
        let a = EntryDedup.key(id: nil, link: "http://www.news.example/a/b/?utm_source=x&utm_medium=rss&p=2#top", title: "T", published: nil)
        let b = EntryDedup.key(id: nil, link: "https://news.example/a/b?p=2", title: "Other title", published: nil)
        #expect(a == b)
        #expect(a != EntryDedup.key(id: nil, link: "https://news.example/a/b?p=3", title: nil, published: nil))
    }

    @Test("re-sent entries with the same guid share a key; entries without id or link key on title and date")
    func resend() throws {
        let body = "<rss version=\"2.0\"><channel><item><guid>g1</guid><title>a</title></item><item><guid>g1</guid><title>a (edited)</title></item><item><title>n</title></item></channel></rss>"
        let doc = try parse(body)
        #expect(doc.entries[0].dedupKey == doc.entries[1].dedupKey)
        #expect(doc.entries[2].dedupKey == EntryDedup.key(id: nil, link: nil, title: "n", published: nil))
        #expect(doc.entries[0].dedupKey.count == 16)
    }
}
