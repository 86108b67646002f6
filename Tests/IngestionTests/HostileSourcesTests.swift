import Settings
import Foundation
import LoopbackHTTP
import Testing
@testable import Ingestion
@testable import Storage

/// Each hostile source is ingested beside a good one: it must fail or warn, naming itself, in bounded time, and the
/// good source's documents must be committed.
@Suite("Hostile sources during ingest", .serialized)
struct HostileSourcesTests {
    static let goodFeed = """
        <?xml version="1.0"?><rss version="2.0"><channel><title>Good</title><link>https://good.example/</link>
        <item><title>Bitcoin holds $60,000 support</title><link>https://good.example/a</link><guid>good-a</guid></item></channel></rss>
        """

    struct Hostile: Sendable, CustomTestStringConvertible {
        var name: String
        var route: LoopbackRoute
        /// A fragment of the failure reason, or nil when the source may be stored with warnings instead.
        var reasonContains: String?
        var testDescription: String { name }
    }

    static var gzipBomb: [UInt8] {
        let url = Bundle.module.url(forResource: "gzip-bomb-50MB-zeros", withExtension: "gz", subdirectory: "Fixtures")
        return url.flatMap { try? Data(contentsOf: $0) }.map(Array.init) ?? []
    }

    static let cases: [Hostile] = [
        Hostile(name: "XXE reading /etc/passwd", route: .respond(body: Array("""
            <?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
            <rss version="2.0"><channel><title>x</title><item><title>&xxe;</title><guid>x1</guid></item></channel></rss>
            """.utf8)), reasonContains: nil),
        Hostile(name: "billion laughs", route: .respond(body: Array(("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
            + (1...9).map { "<!ENTITY lol\($0) \"" + String(repeating: "&lol\($0 - 1 == 0 ? "" : String($0 - 1));", count: 10) + "\">" }.joined()
            + "]><rss version=\"2.0\"><channel><title>&lol9;</title><item><title>&lol9;</title><guid>b1</guid></item></channel></rss>").utf8)), reasonContains: nil),
        Hostile(name: "10,000-deep nesting", route: .respond(body: Array(("<rss version=\"2.0\"><channel>" + String(repeating: "<x>", count: 10_000)).utf8)), reasonContains: nil),
        Hostile(name: "100 MB document", route: .chunked(bytes: 100_000_000, chunkSize: 65_536), reasonContains: "20000000"),
        Hostile(name: "gzip bomb", route: .gzip(compressed: gzipBomb), reasonContains: "20000000"),
        Hostile(name: "redirect loop", route: .redirect(status: 302, location: "/hostile"), reasonContains: "redirect"),
        Hostile(name: "HTML page served as a feed", route: .respond(headers: [("Content-Type", "text/html")], body: Array("<!doctype html><html><body><h1>Welcome</h1></body></html>".utf8)), reasonContains: "/hostile"),
        Hostile(name: "error page", route: .respond(status: 502, body: Array("<html><body>Bad gateway</body></html>".utf8)), reasonContains: "502"),
        Hostile(name: "empty body", route: .respond(body: []), reasonContains: "/hostile"),
        Hostile(name: "binary garbage", route: .respond(body: (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ 13) }), reasonContains: "/hostile"),
    ]

    @Test("a hostile source fails or warns by name in bounded time, and the good source is still stored", arguments: cases)
    func hostileSource(_ hostile: Hostile) async throws {
        let harness = try IngestHarness(routes: ["/good.xml": .respond(body: Array(Self.goodFeed.utf8)), "/hostile": hostile.route])
        let config = try harness.config([("news", "/good.xml", ""), ("news", "/hostile", "")])
        let clock = ContinuousClock()
        let started = clock.now
        let results = try await harness.ingest(config, now: Date())
        #expect(clock.now - started < TestTime.bound(.seconds(20)))

        let good = try #require(results.first { $0.name == "/good.xml" })
        #expect(good.outcome == .stored({ var c = IngestCounts(); c.documentsInserted = 1; return c }()))
        let bad = try #require(results.first { $0.name == "/hostile" })
        if let fragment = hostile.reasonContains {
            guard case .failed(let reason) = bad.outcome else { Issue.record("expected failure, got \(bad.outcome)"); return }
            #expect(reason.contains(fragment), "\(reason)")
            #expect(!reason.contains("\n"))
        } else if case .stored = bad.outcome {
            let texts = try harness.store.documents(limit: 10).compactMap(\.title)
            #expect(!texts.contains { $0.contains("root:") }, "no local file content may leak into a title")
            #expect(texts.allSatisfy { $0.utf8.count < 100_000 }, "entities are not expanded without bound")
        }
        #expect(try harness.store.integrityCheck() == "ok")
    }
}
