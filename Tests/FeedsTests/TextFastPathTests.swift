import Foundation
import Testing
@testable import Feeds

/// The parser's word-at-a-time paths (eight bytes per step in the HTML scanner, escaping and XHTML clean-up) must
/// give exactly what the byte-at-a-time rules give; these inputs put the cases at the edges of an eight-byte word.
@Suite("Text fast paths")
struct TextFastPathTests {
    @Test("plain text collapses spaces wherever they fall in an eight-byte word", arguments: [
        // A double space straddling the first word boundary (bytes 7 and 8).
        ("abcdefg  hijklmn", "abcdefg hijklmn"),
        // A space in the last lane followed by a tag, then by a newline.
        ("abcdefg <b>x</b>", "abcdefg x"),
        ("abcdefg \nhijklmnop", "abcdefg hijklmnop"),
        // A leading space at a run start, and trailing spaces at the end.
        (" abcdefghijklmnop   ", "abcdefghijklmnop"),
        // Non-ASCII letters and a no-break space (U+00A0) and ideographic space (U+3000) inside long runs.
        ("caf\u{E9} cr\u{E8}me br\u{FB}l\u{E9}e \u{2019}quoted\u{2019} word", "caf\u{E9} cr\u{E8}me br\u{FB}l\u{E9}e \u{2019}quoted\u{2019} word"),
        ("abcdefgh\u{A0}ijklmnop\u{3000}\u{3000}qrstuvwx", "abcdefgh ijklmnop qrstuvwx"),
        // Quotes and > are text in plain mode; & and < still start references and tags.
        ("say \"abcdefgh\" > 1 &amp; <i>done</i>", "say \"abcdefgh\" > 1 & done"),
    ])
    func plainTextAcrossWords(_ html: String, _ expected: String) {
        #expect(HTMLText.plainText(fromHTML: html) == expected)
    }

    @Test("without tags or references, plain text is the whitespace-collapsed input and HTML the trimmed input")
    func tagFreeTextMatchesCollapse() {
        // Deterministic pseudo-random strings over letters, spaces, tabs, newlines and Unicode spaces and letters.
        let alphabet: [String] = ["a", "b", "c", "d", "e", "f", "g", "h", " ", " ", "\n", "\t", "\u{A0}", "\u{2003}", "\u{E9}", "\u{2019}", "1", "."]
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        for _ in 0..<500 {
            var text = ""
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let length = Int(state >> 58) + 1
            for _ in 0..<length {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                text += alphabet[Int(state >> 33) % alphabet.count]
            }
            let fragment = HTMLFragment.render(text, base: nil)
            #expect(fragment.text == HTMLText.collapseWhitespace(text), "text of \(text.debugDescription)")
            #expect(fragment.html == HTMLText.trim(text), "html of \(text.debugDescription)")
        }
    }

    @Test("URLs in kept attributes: web schemes kept as written, others resolved, decoded or dropped", arguments: [
        ("<a href=\"HTTPS://E.example/A?x=1\">l</a>", "<a href=\"HTTPS://E.example/A?x=1\">l</a>"),
        ("<a href=\"mailto:desk@e.example\">l</a>", "<a href=\"mailto:desk@e.example\">l</a>"),
        ("<a href=\"https://e.example/?a=1&amp;b=&quot;2&quot;\">l</a>", "<a href=\"https://e.example/?a=1&amp;b=&quot;2&quot;\">l</a>"),
        ("<a href=\" https://e.example/pad \">l</a>", "<a href=\"https://e.example/pad\">l</a>"),
        ("<a href=\"../up\">l</a>", "<a href=\"https://b.example/up\">l</a>"),
        ("<a href=\"JavaScript:alert(1)\">l</a>", "<a>l</a>"),
        ("<img src=\"data:image/png;base64,AAAA\" alt='a \"b\" &lt;c&gt;'>", "<img alt=\"a &quot;b&quot; &lt;c&gt;\" />"),
    ])
    func urlAttributes(_ html: String, _ expected: String) {
        #expect(HTMLSanitizer.sanitize(html, base: "https://b.example/d/") == expected)
    }

    @Test("XHTML clean-up drops namespace declarations only", arguments: [
        ("<div xmlns=\"http://www.w3.org/1999/xhtml\">x</div>", "<div>x</div>"),
        ("<p xmlns:h='urn:h' class=\"c\" xmlns=\"u\">y</p>", "<p class=\"c\">y</p>"),
        ("<p data-xmlnsish=\"1\">the xmlns attribute, xmlns=\"not-an-attribute\" in text</p>",
         "<p data-xmlnsish=\"1\">the xmlns attribute, in text</p>"),
        ("<p xmlns=\"unterminated>z</p>", "<p xmlns=\"unterminated>z</p>"),
    ])
    func namespaceDeclarations(_ markup: String, _ expected: String) {
        var out: [UInt8] = []
        var copy = markup
        copy.withUTF8 { XMLFeedReader.dropNamespaceDeclarations($0, into: &out) }
        #expect(String(decoding: out, as: UTF8.self) == expected)
    }

    @Test("repair keeps XML's five entities and declared ones, converts HTML names and escapes bare ampersands")
    func repairEntities() {
        var warnings: [String] = []
        let input = "<r>Wow! &amp;&lt;&gt;&quot;&apos; &nbsp; &mine; &lt &x; <!-- & --> <![CDATA[&]]> a & b</r>"
        let repaired = String(decoding: XMLRepair.repair(Array(input.utf8), warnings: &warnings), as: UTF8.self)
        #expect(repaired == "<r>Wow! &amp;&lt;&gt;&quot;&apos; &#160; &amp;mine; &amp;lt &amp;x; <!-- & --> <![CDATA[&]]> a &amp; b</r>")
        #expect(warnings.contains("undefined entity &nbsp; read as HTML"))
        #expect(warnings.contains("4 unescaped '&' read as text"))
    }
}

@Suite("Text constructs read in place")
struct TextConstructReadingTests {
    @Test("an entity in a description that a later one replaces is still reported, in document order")
    func replacedDescriptionKeepsItsWarnings() throws {
        let body = """
        <!DOCTYPE rss [<!ENTITY ext SYSTEM "file:///nonexistent/divergence-test">]>
        <rss version="2.0"><channel><title>t</title><item><title>i</title>
        <description>a &ext; b</description><description>&lt;p&gt;second&lt;/p&gt;</description></item></channel></rss>
        """
        for html in [false, true] {
            let doc = try FeedParser.parse(Array(body.utf8), source: "test-feed", sanitizedHTML: html)
            #expect(doc.entries.first?.summary == "second")
            #expect(doc.warnings.contains { $0.hasPrefix("external entity &ext; not read") }, "\(doc.warnings)")
            #expect(doc.bozo)
        }
    }

    @Test("a description is the same whether it is one CDATA section, escaped text, or split around a comment", arguments: [
        "<description><![CDATA[<p>One &amp; <b>two</b></p>]]></description>",
        "<description>&lt;p&gt;One &amp;amp; &lt;b&gt;two&lt;/b&gt;&lt;/p&gt;</description>",
        "<description>&lt;p&gt;One &amp;amp; <!-- c -->&lt;b&gt;two&lt;/b&gt;&lt;/p&gt;</description>",
    ])
    func descriptionForms(_ description: String) throws {
        let doc = try parse("<rss version=\"2.0\"><channel><item>\(description)</item></channel></rss>")
        #expect(doc.entries.first?.summary == "One & two")
        #expect(doc.entries.first?.summaryHTML == "<p>One &amp; <b>two</b></p>")
    }
}

@Suite("EntryDedup normalisation")
struct EntryDedupNormalisationTests {
    @Test("URLs lose scheme, www., default ports, fragment, trailing slashes and utm_* parameters only", arguments: [
        ("HTTPS://WWW.News.Example:443/A/b//?utm_Source=x&&p=2&UTM_medium=y&q#frag", "news.example/A/b?p=2&q"),
        ("http://news.example:80/", "news.example"),
        ("http://news.example/a?utm_source=x", "news.example/a"),
        ("  tag:news.example,2026:1  ", "tag:news.example,2026:1"),
        ("https://news.example/a#x?y", "news.example/a"),
    ])
    func normalise(_ raw: String, _ expected: String) {
        #expect(EntryDedup.normalise(raw) == expected)
    }

    @Test("the key is FNV-1a 64 of the prefixed basis in sixteen hex digits")
    func fnv() {
        // FNV-1a 64 of the empty string is the offset basis cbf29ce484222325; of "a" it is af63dc4c8601ec8c.
        #expect(EntryDedup.fnv1a("") == "cbf29ce484222325")
        #expect(EntryDedup.fnv1a("a") == "af63dc4c8601ec8c")
        #expect(EntryDedup.key(id: "https://www.news.example/x/", link: nil, title: nil, published: nil) == EntryDedup.fnv1a("id:news.example/x"))
    }
}
