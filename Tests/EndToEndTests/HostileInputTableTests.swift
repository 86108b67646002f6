import Foundation
import LoopbackHTTP
import Storage
import StoreTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// One hostile input for the real binary: a file or loopback-server behaviour behind a source, or a hostile store.
struct HostileInput: Sendable, CustomTestStringConvertible {
    /// What the hostile thing is.
    enum Kind: Sendable {
        /// A source of `kind` read from a local file the test generates (`fileName` keeps the extension readers sniff).
        case file(kind: String = "news", fileName: String, options: String = "", bytes: @Sendable () throws -> [UInt8])
        /// A news source fetched from `/hostile` on the loopback server.
        case server(route: @Sendable () throws -> LoopbackRoute)
        /// The config points the store at a directory the running user cannot write (run as `nobody` under root).
        case unwritableStoreDirectory
        /// Every file the process writes is capped at `bytes` while a 500-item feed is ingested.
        case fullDisk(bytes: Int)
        /// The store path holds a file that is not SQLite.
        case storeNotSQLite
    }

    /// How the run must end.
    enum Outcome: Sendable {
        /// Exit 0: the source is stored with a warning containing the fragment, adding documents within `added`.
        case warned(String, added: ClosedRange<Int>)
        /// Exit 3: the source fails with the fragment on its `FAILED` line; nothing is added.
        case failed(String)
        /// Exit 1: the command refuses on one `divergence: …` line with the fragment; nothing is added (the file is
        /// byte-identical when `untouched`).
        case refused(String, untouched: Bool)
    }

    var name: String
    var kind: Kind
    var outcome: Outcome
    /// Extra config tables, e.g. `[fetch]` limits.
    var fetch = ""
    var testDescription: String { name }
}

/// Everything hostile from the feeds and hardening issues, run through the real `divergence ingest` beside a good
/// source, against a store holding what an earlier good ingest wrote. Each run must end within the time and memory
/// bounds, say what happened on one line naming the source and the reason (no stack trace), and leave what was
/// already stored as it was.
@Suite("Hostile inputs through the real binary", .serialized)
struct HostileInputTableTests {
    /// Wall-clock bound per run: a debug build on a loaded 2-core machine, where the slowest row takes a few seconds
    /// (stretched by `DIVERGENCE_TEST_TIME_SCALE` under the sanitizers).
    static let timeBound = TestTime.bound(seconds: 30)
    /// Peak resident memory bound per run (the child's `VmHWM`); not checked under a sanitizer, whose shadow memory
    /// and quarantine are not the product's.
    static let memoryBoundMiB = 512.0

    static let goodFeed = """
        <?xml version="1.0"?><rss version="2.0"><channel><title>Good</title><link>https://good.example/</link>
        <item><title>Bitcoin holds $60,000 support</title><link>https://good.example/a</link><guid>good-a</guid></item></channel></rss>
        """

    /// A file whose contents an XXE entity would read; it must never reach the store or the output.
    static let secret = "HOSTILE-SECRET-\(UInt32.random(in: 100_000...999_999))"
    static let secretPath = FileManager.default.temporaryDirectory.appendingPathComponent("divergence-hostile-secret-\(UUID().uuidString)").path

    static let rows: [HostileInput] = [
        // The feeds issue's list, served by the loopback server.
        HostileInput(name: "XXE reading a local file", kind: .server(route: {
            .respond(body: Array("""
                <?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://\(secretPath)">]>
                <rss version="2.0"><channel><title>x</title><item><title>Bitcoin &xxe; leak</title><guid>x1</guid></item></channel></rss>
                """.utf8))
        }), outcome: .warned("external entity &xxe; not read", added: 1...1)),
        HostileInput(name: "billion laughs", kind: .server(route: {
            .respond(body: Array(("<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY lol0 \"lollollollollollollollollollol\">"
                + (1...9).map { "<!ENTITY lol\($0) \"" + String(repeating: "&lol\($0 - 1);", count: 10) + "\">" }.joined()
                + "]><rss version=\"2.0\"><channel><title>&lol9;</title><item><title>&lol9;</title><guid>b1</guid></item></channel></rss>").utf8))
        }), outcome: .warned("Detected an entity reference loop", added: 0...1)),
        HostileInput(name: "quadratic blowup", kind: .server(route: {
            .respond(body: Array(("<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY a \"" + String(repeating: "A", count: 50_000) + "\">]>"
                + "<rss version=\"2.0\"><channel><title>q</title><item><title>" + String(repeating: "&a;", count: 50_000)
                + "</title><guid>q1</guid></item></channel></rss>").utf8))
        }), outcome: .warned("entity expansion exceeded 64 KiB", added: 1...1)),
        HostileInput(name: "10,000-deep nesting", kind: .server(route: {
            .respond(body: Array(("<rss version=\"2.0\"><channel><title>deep</title><item><title>Bitcoin kept</title><guid>d1</guid></item><description>"
                + String(repeating: "<x>", count: 10_000) + String(repeating: "</x>", count: 10_000) + "</description></channel></rss>").utf8))
        }), outcome: .warned("recovered from malformed feed", added: 1...1)),
        HostileInput(name: "100 MB document", kind: .server(route: { .chunked(bytes: 100_000_000, chunkSize: 65_536) }),
                     outcome: .failed("body exceeds 20000000 bytes")),
        HostileInput(name: "gzip bomb (50 MB of zeros in 48 KB)", kind: .server(route: { .gzip(compressed: try gzipBomb()) }),
                     outcome: .failed("body exceeds 20000000 bytes")),
        HostileInput(name: "server trickling one byte a second", kind: .server(route: { .trickle(bytes: 4_096, interval: 1) }),
                     outcome: .failed("timed out after"), fetch: "[fetch]\ntimeout_seconds = 3\n"),
        HostileInput(name: "redirect loop", kind: .server(route: { .redirect(status: 302, location: "/hostile") }),
                     outcome: .failed("too many redirects")),
        HostileInput(name: "HTML page served as a feed", kind: .server(route: {
            .respond(headers: [("Content-Type", "text/html")], body: Array("<!doctype html><html><body><h1>Welcome</h1></body></html>".utf8))
        }), outcome: .failed("not a feed (an HTML page)")),
        HostileInput(name: "error page", kind: .server(route: { .respond(status: 502, body: Array("<html><body>Bad gateway</body></html>".utf8)) }),
                     outcome: .failed("HTTP 502")),
        HostileInput(name: "empty body", kind: .server(route: { .respond(body: []) }), outcome: .failed("empty")),
        HostileInput(name: "binary garbage", kind: .server(route: { .respond(body: (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ 13) }) }),
                     outcome: .failed("binary data, not text")),

        // Files.
        HostileInput(name: "malformed UTF-8", kind: .file(fileName: "bad-utf8.rss", bytes: {
            feed(items: Array("<item><title>Bitcoin ".utf8) + [0xFF, 0xFE, 0xC0, 0xAF, 0xED, 0xA0, 0x80] + Array(" bytes</title><guid>u8</guid></item>".utf8))
        }), outcome: .warned("not valid UTF-8; read as windows-1252", added: 1...1)),
        HostileInput(name: "malformed UTF-16 (lone surrogate, odd length)", kind: .file(fileName: "bad-utf16.rss", bytes: {
            var bytes: [UInt8] = [0xFF, 0xFE]
            let text = "<?xml version=\"1.0\" encoding=\"utf-16\"?><rss version=\"2.0\"><channel><title>T</title>"
                + "<item><title>Bitcoin ok</title><guid>w1</guid></item><item><title>Bitcoin \u{E000}</title><guid>w2</guid></item></channel></rss>"
            for unit in text.utf16 {
                // U+E000 stands in for an unpaired high surrogate.
                let value = unit == 0xE000 ? 0xD800 : unit
                bytes += [UInt8(value & 0xFF), UInt8(value >> 8)]
            }
            return bytes + [0x3C]
        }), outcome: .warned("recovered from 1 XML error(s)", added: 1...2)),
        HostileInput(name: "NUL bytes inside an item", kind: .file(fileName: "nul.rss", bytes: {
            feed(items: Array("<item><title>Bitcoin first</title><guid>n0</guid><description>".utf8) + Array(repeating: UInt8(ascii: "x"), count: 600)
                + Array("</description></item><item><title>Bitcoin".utf8) + [0, 0] + Array(" nul</title><guid>n1</guid></item>".utf8))
        }), outcome: .warned("Char 0x0 out of allowed range", added: 1...2)),
        HostileInput(name: "10 MB single text node", kind: .file(fileName: "big-text.rss", bytes: {
            feed(items: Array("<item><title>Bitcoin big</title><guid>t1</guid><description>".utf8)
                + Array(String(repeating: "bitcoin ", count: 10 * 1_048_576 / 8).utf8) + Array("</description></item>".utf8))
        }), outcome: .warned("entry text(s) longer than 1000000 bytes", added: 1...1)),
        HostileInput(name: "1 million entries (RSS)", kind: .file(fileName: "million.rss", bytes: {
            var items: [UInt8] = []
            items.reserveCapacity(30_000_000)
            for index in 0..<1_000_000 { items.append(contentsOf: "<item><guid>\(index)</guid></item>".utf8) }
            return feed(items: items)
        }), outcome: .warned("entries; only the first 10000 were read", added: 10_000...10_000), fetch: "[fetch]\nmax_bytes = 40000000\n"),
        HostileInput(name: "1 million entries (JSON Feed)", kind: .file(fileName: "million.json", bytes: {
            var bytes = Array(#"{"version":"https://jsonfeed.org/version/1.1","title":"M","items":["#.utf8)
            bytes.reserveCapacity(20_000_000)
            for index in 0..<1_000_000 { bytes.append(contentsOf: (index == 0 ? "{\"id\":\"\(index)\"}" : ",{\"id\":\"\(index)\"}").utf8) }
            return bytes + Array("]}".utf8)
        }), outcome: .warned("1000000 items; only the first 10000 were read", added: 10_000...10_000)),
        HostileInput(name: "5 million empty elements in 20 MB (feed)", kind: .file(fileName: "tags.rss", bytes: {
            feed(items: Array(String(repeating: "<a/>", count: 4_999_000).utf8))
        }), outcome: .warned("more than 1000000 tags", added: 0...0)),
        HostileInput(name: "4 million tags in 16 MB (article page)", kind: .file(kind: "article", fileName: "tags.html", bytes: {
            Array(("<!doctype html><html><head><title>Wide</title></head><body><article><h1>Wide</h1>"
                + "<p>Institutional investors call Bitcoin undervalued while miners sell below the production cost.</p>"
                + String(repeating: "<br>", count: 4_000_000) + "</article></body></html>").utf8)
        }), outcome: .warned("more than 200000 tags", added: 1...1)),
        HostileInput(name: "deeply nested HTML article", kind: .file(kind: "article", fileName: "deep.html", bytes: {
            let paragraph = "<p>Institutional investors call Bitcoin undervalued while miners sell below the production cost.</p>"
            return Array(("<!doctype html><html><head><title>Deep</title></head><body><article><h1>Deep</h1>" + paragraph
                + String(repeating: "<div>", count: 200_000) + "Bitcoin" + String(repeating: "</div>", count: 200_000) + paragraph + "</article></body></html>").utf8)
        }), outcome: .warned("nesting deeper than 256 elements", added: 1...1)),
        HostileInput(name: "CSV with 1 million columns", kind: .file(kind: "prices", fileName: "wide.csv", options: "format = \"csv\"\n", bytes: {
            var bytes = Array("date,close".utf8)
            bytes.reserveCapacity(10_000_000)
            for index in 0..<1_000_000 { bytes.append(contentsOf: ",c\(index)".utf8) }
            return bytes + Array("\n2026-02-01,64000".utf8) + Array(String(repeating: ",1", count: 1_000_000).utf8) + [0x0A]
        }), outcome: .failed("wide.csv: line 1: more than 10000 columns in one row")),

        // The store itself.
        HostileInput(name: "store directory without write permission", kind: .unwritableStoreDirectory,
                     outcome: .refused("cannot write: lock file", untouched: true)),
        HostileInput(name: "full disk (file-size limit)", kind: .fullDisk(bytes: 256 * 1024), outcome: .refused("cannot write", untouched: false)),
        HostileInput(name: "store file that is not SQLite", kind: .storeNotSQLite,
                     outcome: .refused("not a divergence store: the file is not a SQLite database", untouched: true)),
    ]

    /// An RSS 2.0 feed around `items`.
    static func feed(items: [UInt8]) -> [UInt8] {
        Array(#"<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Hostile</title><link>https://hostile.example/</link>"#.utf8)
            + items + Array("</channel></rss>".utf8)
    }

    /// 50 MB of zeros, gzip-compressed by the system's `gzip` (about 48 KB).
    static func gzipBomb() throws -> [UInt8] {
        let scratch = try ScratchDirectory()
        let zeros = scratch.path("zeros")
        FileManager.default.createFile(atPath: zeros, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: zeros))
        let block = Data(count: 1_048_576)
        for _ in 0..<50 { handle.write(block) }
        try handle.close()
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = ["-9", "-n", zeros]
        try gzip.run()
        gzip.waitUntilExit()
        return Array(try Data(contentsOf: URL(fileURLWithPath: zeros + ".gz")))
    }

    /// 500 distinct Bitcoin items of about 1.4 KB each: more than a 256 KB file-size limit lets SQLite write.
    static func bulkFeed() -> [UInt8] {
        let body = String(repeating: "Institutions remain bullish on Bitcoin while miners are under water. ", count: 20)
        return feed(items: (0..<500).flatMap { Array("<item><title>Bitcoin item \($0)</title><guid>bulk-\($0)</guid><description>\(body)</description></item>".utf8) })
    }

    static func sourceTable(name: String, kind: String, location: String, options: String = "") -> String {
        "[[source]]\nname = \"\(name)\"\nkind = \"\(kind)\"\n\(location)\npublisher_type = \"media\"\n\(options)\n"
    }

    /// What the store held: its documents and integrity, opened afresh as the next process would.
    static func contents(_ path: String) throws -> (documents: [StoredDocument], integrity: String) {
        let store = try Store(path: path)
        return (try store.documents(limit: 1_000_000), try store.integrityCheck())
    }

    /// `rows` without those that cannot run in this process: under ThreadSanitizer (`make test-tsan`) the instrumented
    /// binary dies with SIGBUS at start-up whenever RLIMIT_FSIZE is small (`prlimit --fsize=262144 divergence --help`),
    /// so the full-disk row runs everywhere else.
    static var runnableRows: [HostileInput] {
        rows.filter { row in
            if case .fullDisk = row.kind { return TestTime.sanitizer != "thread" }
            return true
        }
    }

    @Test("a hostile input ends in bounded time and memory with one clear line, and what was stored stays stored", arguments: runnableRows)
    func hostileInput(_ row: HostileInput) async throws {
        try Self.secret.write(toFile: Self.secretPath, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: Self.secretPath) }
        let scratch = try ScratchDirectory()
        let storeDirectory = scratch.path("store")
        try FileManager.default.createDirectory(atPath: storeDirectory, withIntermediateDirectories: true)
        let store = scratch.path("store/divergence.sqlite")
        let goodPath = scratch.path("good.rss")
        try Self.goodFeed.write(toFile: goodPath, atomically: true, encoding: .utf8)
        let good = Self.sourceTable(name: "good", kind: "news", location: "path = \"\(goodPath)\"")

        // The store as an earlier good ingest left it.
        let goodConfig = scratch.path("good.toml")
        try good.write(toFile: goodConfig, atomically: true, encoding: .utf8)
        let first = try await MeasuredRun.run(["ingest", "--config", goodConfig, "--store", store], scratch: scratch)
        try #require(first.status == 0, "\(first.stderr)")
        let before = try Self.contents(store)
        #expect(before.documents.count == 1)

        var config = row.fetch + good
        var arguments = ["ingest", "--config", scratch.path("hostile.toml"), "--store", store]
        var launch = MeasuredRun.Launch(limit: TestTime.bound(seconds: 120))
        var server: LoopbackHTTPServer?
        switch row.kind {
        case .file(let kind, let fileName, let options, let bytes):
            let path = scratch.path(fileName)
            try Data(try bytes()).write(to: URL(fileURLWithPath: path))
            config += Self.sourceTable(name: "hostile", kind: kind, location: "path = \"\(path)\"", options: options)
        case .server(let route):
            let loopback = try LoopbackHTTPServer(routes: ["/hostile": try route()])
            server = loopback
            config += Self.sourceTable(name: "hostile", kind: "news", location: "url = \"\(loopback.url("/hostile"))\"", options: "allow_private_network = true\n")
        case .unwritableStoreDirectory:
            // The config names the store; the directory and the files in it belong to root (or are read-only).
            config = "store = \"\(store)\"\n" + config
            arguments = ["ingest", "--config", scratch.path("hostile.toml")]
            launch.wrapper = MeasuredRun.Launch.unprivileged.wrapper
            if getuid() != 0 {
                for name in try FileManager.default.contentsOfDirectory(atPath: storeDirectory) {
                    try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: storeDirectory + "/" + name)
                }
                try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: storeDirectory)
            }
        case .fullDisk(let bytes):
            let path = scratch.path("bulk.rss")
            try Data(Self.bulkFeed()).write(to: URL(fileURLWithPath: path))
            config += Self.sourceTable(name: "bulk", kind: "news", location: "path = \"\(path)\"")
            launch.wrapper = MeasuredRun.Launch.fileSizeLimit(bytes).wrapper
        case .storeNotSQLite:
            var generator = SystemRandomNumberGenerator()
            try Data((0..<65_536).map { _ in UInt8.random(in: 0...255, using: &generator) }).write(to: URL(fileURLWithPath: store))
        }
        try config.write(toFile: scratch.path("hostile.toml"), atomically: true, encoding: .utf8)
        let storeBytes = FileManager.default.contents(atPath: store)

        let run = try await MeasuredRun.run(arguments, scratch: scratch, launch: launch)
        server?.stop()
        if getuid() != 0 { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: storeDirectory) }
        print("hostile input: \(row.name): exit \(run.status), \(String(format: "%.2f", run.seconds)) s, peak \(String(format: "%.0f", run.peakMiB)) MiB")

        #expect(!run.timedOut)
        #expect(run.seconds < Self.timeBound, "\(row.name) took \(run.seconds) s")
        if TestTime.sanitizer == nil { #expect(run.peakMiB < Self.memoryBoundMiB, "\(row.name) peaked at \(run.peakMiB) MiB") }
        for crash in ["Fatal error", "Backtrace", "Stack dump", "Segmentation fault", "Illegal instruction", "Current stack trace"] {
            #expect(!run.stderr.contains(crash), "\(run.stderr.prefix(2_000))")
        }
        #expect(!run.stderr.contains(Self.secret) && !run.stdout.contains(Self.secret))
        let lines = run.stderr.split(separator: "\n").map(String.init)
        #expect(lines.allSatisfy { $0.count <= 400 }, "every diagnostic stays one readable line")

        switch row.outcome {
        case .warned(let fragment, let added):
            #expect(run.status == 0, "\(run.stderr.prefix(2_000))")
            #expect(lines.contains { $0.hasPrefix("ok       hostile: ") }, "\(run.stderr.prefix(2_000))")
            #expect(lines.contains { $0.hasPrefix("         warning: ") && $0.contains(fragment) }, "\(run.stderr.prefix(2_000))")
            let after = try Self.contents(store)
            #expect(after.integrity == "ok")
            #expect(before.documents.allSatisfy(after.documents.contains), "documents stored earlier are unchanged")
            #expect(added.contains(after.documents.count - before.documents.count), "\(after.documents.count - before.documents.count) documents added")
            #expect(!after.documents.contains { ($0.title ?? "").contains(Self.secret) || ($0.title ?? "").utf8.count > 70_000 })
        case .failed(let fragment):
            #expect(run.status == 3, "\(run.stderr.prefix(2_000))")
            let failures = lines.filter { $0.hasPrefix("FAILED   hostile: ") }
            #expect(failures.count == 1 && failures[0].contains(fragment), "\(run.stderr.prefix(2_000))")
            #expect(lines.contains { $0.hasPrefix("ok       good: ") })
            let after = try Self.contents(store)
            #expect(after.integrity == "ok")
            #expect(after.documents == before.documents, "nothing added, nothing changed")
        case .refused(let fragment, let untouched):
            #expect(run.status == 1, "\(run.stderr.prefix(2_000))")
            #expect(lines.count == 1 && lines[0].hasPrefix("divergence: store \(store): ") && lines[0].contains(fragment), "\(run.stderr.prefix(2_000))")
            #expect(run.stdout.isEmpty)
            if untouched {
                #expect(FileManager.default.contents(atPath: store) == storeBytes, "the store file is byte-identical")
            } else {
                let after = try Self.contents(store)
                #expect(after.integrity == "ok")
                #expect(after.documents == before.documents, "nothing added, nothing changed")
            }
        }
    }
}

/// A hostile bulk input for one command of the real binary: a poisoned store, a huge OPML file, thousands of sources.
struct BulkHostileInput: Sendable, CustomTestStringConvertible {
    var name: String
    /// Writes the inputs into the scratch folder and returns the command's arguments (a loopback server it starts is kept
    /// alive in `servers` until the run ends).
    var prepare: @Sendable (ScratchDirectory, inout [LoopbackHTTPServer]) throws -> [String]
    /// The exit status the command must end with.
    var status: Int32
    /// A fragment of the one line on stdout that says what happened.
    var stdout: String
    /// A fragment of the one line on stderr, or nil when stderr must stay empty.
    var stderr: String?
    /// A run of the same command on a tenth of the input: instead of a wall-clock bound (a debug build on a loaded
    /// machine), the full run must take less than `maxRatio` times as long — linear is 10×, quadratic 100×.
    var control: (@Sendable (ScratchDirectory) throws -> [String])? = nil
    var maxRatio = 30.0
    var testDescription: String { name }
}

extension HostileInputTableTests {
    /// `folders` × 1,000 distinct feeds in folders of 1,000, plus one feed listed 1,000 times more.
    static func hugeOPML(folders: Int = 200) -> [UInt8] {
        var text = "<?xml version=\"1.0\"?><opml version=\"2.0\"><head><title>big</title></head><body>"
        text.reserveCapacity(folders * 120_000)
        for folder in 0..<folders {
            text += "<outline text=\"folder \(folder)\">"
            for item in 0..<1_000 { text += "<outline type=\"rss\" text=\"F\(folder)-\(item)\" xmlUrl=\"https://f\(folder).example/\(item).xml\"/>" }
            text += "</outline>"
        }
        for _ in 0..<1_000 { text += "<outline type=\"rss\" text=\"again\" xmlUrl=\"https://f0.example/0.xml\"/>" }
        return Array((text + "</body></opml>").utf8)
    }

    static let bulkRows: [BulkHostileInput] = [
        BulkHostileInput(name: "poisoned store: report", prepare: { scratch, _ in
            try PoisonedStore.cases[2].write(to: scratch.path("poisoned.sqlite"))
            try "".write(toFile: scratch.path("empty.toml"), atomically: true, encoding: .utf8)
            return ["report", "--config", scratch.path("empty.toml"), "--store", scratch.path("poisoned.sqlite")]
        }, status: 0, stdout: "divergence report", stderr: nil),
        BulkHostileInput(name: "poisoned store: doctor names the rows", prepare: { scratch, _ in
            try PoisonedStore.cases[0].write(to: scratch.path("poisoned.sqlite"))
            try "".write(toFile: scratch.path("empty.toml"), atomically: true, encoding: .utf8)
            return ["doctor", "--skip-sources", "--config", scratch.path("empty.toml"), "--store", scratch.path("poisoned.sqlite")]
        }, status: 1, stdout: "FAIL  series  btc_usd ", stderr: nil),
        BulkHostileInput(name: "OPML of 200,000 outlines", prepare: { scratch, _ in
            try Data(hugeOPML()).write(to: URL(fileURLWithPath: scratch.path("big.opml")))
            try "".write(toFile: scratch.path("empty.toml"), atomically: true, encoding: .utf8)
            return ["sources", "import-opml", scratch.path("big.opml"), "--config", scratch.path("empty.toml"), "--store", scratch.path("s.sqlite")]
        }, status: 0, stdout: "imported 200000 feed(s) from", stderr: "duplicate outline: https://f0.example/0.xml is listed more than once",
        control: { scratch in
            try Data(hugeOPML(folders: 20)).write(to: URL(fileURLWithPath: scratch.path("tenth.opml")))
            try "".write(toFile: scratch.path("empty.toml"), atomically: true, encoding: .utf8)
            return ["sources", "import-opml", scratch.path("tenth.opml"), "--config", scratch.path("empty.toml"), "--store", scratch.path("tenth.sqlite")]
        }),
        BulkHostileInput(name: "doctor with 5,000 unreachable sources", prepare: { scratch, servers in
            // Every feed hangs: only the sample is fetched, and the time budget cancels what is still waiting.
            let server = try LoopbackHTTPServer(routes: Dictionary(uniqueKeysWithValues: (0..<5_000).map {
                ("/f\($0).xml", LoopbackRoute.delayed(seconds: 600, then: .respond(body: [])))
            }))
            servers.append(server)
            let config = (0..<5_000).map { "[[source]]\nkind = \"news\"\nurl = \"\(server.url("/f\($0).xml"))\"\nallow_private_network = true\n" }
                .joined(separator: "\n")
            try config.write(toFile: scratch.path("many.toml"), atomically: true, encoding: .utf8)
            return ["doctor", "--config", scratch.path("many.toml"), "--store", scratch.path("none.sqlite"), "--probe-budget", "3"]
        }, status: 1, stdout: "SKIP  sources 4950 of 5000 source(s) not probed (--max-probes 50), 50 probe(s) unanswered within 3 s", stderr: nil),
    ]

    @Test("a hostile bulk input ends in bounded time and memory with one clear line", arguments: bulkRows)
    func bulkInput(_ row: BulkHostileInput) async throws {
        let scratch = try ScratchDirectory()
        var servers: [LoopbackHTTPServer] = []
        let arguments = try row.prepare(scratch, &servers)
        let launch = MeasuredRun.Launch(limit: TestTime.bound(seconds: 300))
        var control: MeasuredRun?
        if let tenth = row.control { control = try await MeasuredRun.run(try tenth(scratch), scratch: scratch, launch: launch) }
        let run = try await MeasuredRun.run(arguments, scratch: scratch, launch: launch)
        for server in servers { server.stop() }
        print("hostile input: \(row.name): exit \(run.status), \(String(format: "%.2f", run.seconds)) s, peak \(String(format: "%.0f", run.peakMiB)) MiB"
              + (control.map { " (a tenth of the input: \(String(format: "%.2f", $0.seconds)) s, \(String(format: "%.0f", $0.peakMiB)) MiB)" } ?? ""))

        #expect(!run.timedOut)
        if let control {
            #expect(control.status == row.status && run.seconds < row.maxRatio * control.seconds,
                    "\(row.name) took \(run.seconds) s, a tenth of it \(control.seconds) s")
        } else {
            #expect(run.seconds < Self.timeBound, "\(row.name) took \(run.seconds) s")
        }
        if TestTime.sanitizer == nil { #expect(run.peakMiB < Self.memoryBoundMiB, "\(row.name) peaked at \(run.peakMiB) MiB") }
        for crash in PoisonedStoreTests.crashMarkers { #expect(!run.stderr.contains(crash), "\(run.stderr.prefix(2_000))") }
        #expect(run.status == row.status, "\(run.stderr.prefix(2_000))")
        #expect(run.stdout.split(separator: "\n").contains { $0.contains(row.stdout) }, "\(run.stdout.prefix(2_000))")
        let errors = run.stderr.split(separator: "\n")
        if let fragment = row.stderr {
            #expect(errors.count == 1 && errors[0].contains(fragment), "\(run.stderr.prefix(2_000))")
        } else {
            #expect(errors.isEmpty, "\(run.stderr.prefix(2_000))")
        }
    }
}
