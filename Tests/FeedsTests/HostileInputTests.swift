import Foundation
import LoopbackHTTP
import Testing
@testable import Feeds

@Suite("Hostile input")
struct HostileInputTests {
    static let secret = "TOP-SECRET-\(UInt32.random(in: 1000...9999))"

    @Test("external entities never read local files", arguments: [
        "<!DOCTYPE rss [<!ENTITY xxe SYSTEM \"file://PATH\">]><rss version=\"2.0\"><channel><title>a&xxe;b</title><item><title>&xxe;</title></item></channel></rss>",
        "<!DOCTYPE rss [<!ENTITY % pe SYSTEM \"file://PATH\"> %pe;]><rss version=\"2.0\"><channel><title>ab</title></channel></rss>",
        "<!DOCTYPE rss SYSTEM \"file://PATH\"><rss version=\"2.0\"><channel><title>ab</title></channel></rss>",
    ])
    func xxe(_ template: String) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("feeds-xxe-\(UUID().uuidString).txt").path
        try HostileInputTests.secret.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let body = template.replacingOccurrences(of: "PATH", with: path)
        let json: String
        do {
            let doc = try parse(body, source: "xxe")
            #expect(doc.feed.title == "ab")
            json = String(decoding: ParsedFeedJSON.encode(doc, source: nil), as: UTF8.self) + doc.warnings.joined()
        } catch {
            json = error.description
        }
        #expect(!json.contains(HostileInputTests.secret))
    }

    static func laughs() -> String {
        var dtd = "<!ENTITY lol0 \"lollollollollollollollollollol\">"
        for level in 1...9 {
            dtd += "<!ENTITY lol\(level) \"" + String(repeating: "&lol\(level - 1);", count: 10) + "\">"
        }
        return "<?xml version=\"1.0\"?><!DOCTYPE rss [\(dtd)]><rss version=\"2.0\"><channel><title>&lol9;</title><item><title>&lol9;</title></item></channel></rss>"
    }

    static func quadratic() -> String {
        let big = String(repeating: "A", count: 50_000)
        let refs = String(repeating: "&a;", count: 50_000)
        return "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY a \"\(big)\">]><rss version=\"2.0\"><channel><title>\(refs)</title></channel></rss>"
    }

    @Test("entity expansion attacks finish quickly without expanding", arguments: ["billion laughs", "quadratic blowup"])
    func entityBombs(_ kind: String) {
        let body = kind == "billion laughs" ? HostileInputTests.laughs() : HostileInputTests.quadratic()
        let clock = ContinuousClock()
        let start = clock.now
        let outcome = Result { try parse(body, source: kind) }
        // What proves the defence is the state below (no value near the 2.5–3·10^9 characters of a full expansion).
        // The bound only tells "stopped" from "kept expanding": about 0.1 s alone, and a busy machine may stretch that
        // several times but not to a 30 s bound (scaled under the sanitizers).
        #expect(clock.now - start < TestTime.bound(.seconds(30)))
        switch outcome {
        case .success(let doc):
            // A full expansion would be 3·10^9 (laughs) or 2.5·10^9 (quadratic) characters; the budget is 64 KiB per value.
            #expect((doc.feed.title ?? "").utf8.count <= 65_536)
            #expect(doc.entries.allSatisfy { ($0.title ?? "").utf8.count <= 65_536 })
            #expect(doc.bozo)
        case .failure(let error):
            #expect((error as? FeedError)?.description.hasPrefix(kind) == true)
        }
    }

    @Test("10,000-deep nesting is rejected or recovered with a warning, without stack exhaustion")
    func deepNesting() {
        let body = "<rss version=\"2.0\"><channel><title>deep</title><item><title>kept</title></item><description>"
            + String(repeating: "<x>", count: 10_000) + String(repeating: "</x>", count: 10_000) + "</description></channel></rss>"
        do {
            let doc = try parse(body, source: "deep.xml")
            #expect(doc.bozo)
            #expect(!doc.warnings.isEmpty)
        } catch {
            #expect(error.description.hasPrefix("deep.xml: "))
        }
    }

    @Test("non-feeds give a FeedError naming the source", arguments: [
        ("<!DOCTYPE html><html><head><title>Home</title></head><body><p>Welcome</p></body></html>", "not a feed"),
        ("<html><body><h1>502 Bad Gateway</h1></body></html>", "not a feed"),
        ("", "empty"),
        ("  \n\t ", "empty"),
        ("\u{0}\u{1}\u{2}\u{FF}garbage\u{0}\u{7}binary", "binary"),
        ("Service Unavailable", "malformed"),
        ("<!-- unterminated\ncomment\nacross lines", "malformed"),
        ("<?xml version=\"1.0\"?><config><a/></config>", "not a feed"),
        ("{\"error\": \"rate limited\"}", "not a feed"),
    ])
    func notFeeds(_ body: String, _ expected: String) {
        #expect {
            _ = try parse(body, source: "https://bad.example/x")
        } throws: { error in
            let message = (error as? FeedError)?.description ?? ""
            return message.hasPrefix("https://bad.example/x: ") && message.contains(expected) && !message.contains("\n")
        }
    }

    @Test("random binary bytes never crash the parser")
    func binaryGarbage() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let bytes = (0..<512).map { _ in UInt8.random(in: 0...255, using: &generator) }
            do {
                _ = try FeedParser.parse(bytes, source: "garbage.bin")
            } catch {
                #expect(error.description.hasPrefix("garbage.bin: "))
            }
        }
    }
}

@Suite("Ill-formed XML and encodings")
struct RecoveryTests {
    @Test("ill-formed documents are recovered, flagged bozo with a reason, and keep their entries", arguments: [
        ("<rss version=\"2.0\"><channel><title>Tom & Jerry</title><item><title>a</title></item></channel></rss>", "Tom & Jerry", "unescaped"),
        ("<rss version=\"2.0\"><channel><title>a&nbsp;b</title><item><title>a</title></item></channel></rss>", "a\u{A0}b", "undefined entity &nbsp;"),
        ("junk\n<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title><item><title>a</title></item></channel></rss>", "t", "junk"),
        ("<rss version=\"2.0\"><channel><title>t</title><item><title>a</title></item></channel>", "t", "XML error"),
        ("<rss version=\"2.0\"><channel><title>t</title><item><title>a<b></title></item></channel></rss>", "t", "XML error"),
    ])
    func recovered(_ body: String, _ title: String, _ reason: String) throws {
        let doc = try parse(body)
        #expect(doc.bozo)
        #expect(doc.feed.title == title)
        #expect(doc.entries.count == 1)
        #expect(doc.warnings.contains { $0.contains(reason) })
    }

    static let item = "<rss version=\"2.0\"><channel><title>caf\u{E9} \u{2019}</title></channel></rss>"

    @Test("encodings: BOM, declaration, HTTP charset, wrong declaration and undeclared Windows-1252")
    func encodings() throws {
        let utf8 = Array(RecoveryTests.item.utf8)
        #expect(try FeedParser.parse([0xEF, 0xBB, 0xBF] + utf8, source: "bom").feed.title == "café ’")

        var utf16: [UInt8] = [0xFF, 0xFE]
        for unit in RecoveryTests.item.utf16 { utf16 += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        #expect(try FeedParser.parse(utf16, source: "utf16").feed.title == "café ’")

        // "café" in ISO-8859-1 is 63 61 66 E9.
        let latin1 = Array("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss version=\"2.0\"><channel><title>caf".utf8) + [0xE9] + Array("</title></channel></rss>".utf8)
        #expect(try FeedParser.parse(latin1, source: "latin1").feed.title == "café")

        // Same bytes without a declaration, labelled by HTTP.
        let undeclared = Array("<rss version=\"2.0\"><channel><title>caf".utf8) + [0xE9] + Array("</title></channel></rss>".utf8)
        let viaHeader = try FeedParser.parse(undeclared, source: "hdr", contentType: "application/rss+xml; charset=\"iso-8859-1\"")
        #expect(viaHeader.feed.title == "café")

        // Declared UTF-8 but Windows-1252 bytes: 0x92 is ’ in Windows-1252.
        let wrong = Array("<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>don".utf8) + [0x92] + Array("t</title></channel></rss>".utf8)
        let recovered = try FeedParser.parse(wrong, source: "wrong")
        #expect(recovered.feed.title == "don’t")
        #expect(recovered.bozo)
        #expect(recovered.warnings.contains { $0.contains("windows-1252") })

        let unknown = Array("<?xml version=\"1.0\" encoding=\"no-such-charset\"?><rss version=\"2.0\"><channel><title>ok</title></channel></rss>".utf8)
        let fallback = try FeedParser.parse(unknown, source: "unknown")
        #expect(fallback.feed.title == "ok")
        #expect(fallback.bozo)
    }
}

@Suite("OPML")
struct OPMLTests {
    @Test("nested outlines import with folder paths")
    func importNested() throws {
        let outlines = try OPML.parse(try fixture("opml-nested-folders.opml"), source: "subs.opml")
        #expect(outlines == [
            OPMLOutline(title: "Chain Daily", xmlURL: "https://chain.example/feed", htmlURL: "https://chain.example/", category: ["Markets", "Crypto"], type: "rss"),
            OPMLOutline(title: "Macro Weekly", xmlURL: "https://macro.example/rss", htmlURL: nil, category: ["Markets"], type: "rss"),
            OPMLOutline(title: "Loose", xmlURL: "https://loose.example/atom.xml", htmlURL: nil, category: [], type: "rss"),
        ])
    }

    @Test("export then import round-trips folders, titles and URLs, escaping markup characters")
    func roundTrip() throws {
        // Export writes a folder's own feeds before its subfolders, so this order survives the round trip.
        let outlines = [
            OPMLOutline(title: "C", xmlURL: "https://c.example/atom", htmlURL: nil, category: [], type: "rss"),
            OPMLOutline(title: "D", xmlURL: "https://d.example/rss", htmlURL: nil, category: ["Top"], type: "rss"),
            OPMLOutline(title: "A & B <news>", xmlURL: "https://a.example/f?x=1&y=2", htmlURL: "https://a.example/", category: ["Top", "Sub"], type: "rss"),
        ]
        let text = OPML.export(outlines, title: "Mine")
        #expect(try OPML.parse(Array(text.utf8), source: "export") == outlines)
    }

    @Test("a non-OPML document is rejected naming the source")
    func rejects() {
        #expect(throws: FeedError.notAFeed(source: "x.opml", reason: "root element <rss> is not opml")) {
            _ = try OPML.parse(Array("<rss/>".utf8), source: "x.opml")
        }
    }
}
