import Foundation
import StoreTestSupport
import Testing

@Suite("Bad config, bad flags, unreachable sources", .serialized)
struct BadInputTests {
    @Test("a bad config fails with one line naming file, line, key and reason; exit 2; the store untouched")
    func badConfig() async throws {
        let scratch = try ScratchDirectory()
        let store = scratch.path("store.sqlite")
        #expect(try await Binary.run(["ingest", "--config", "feeds/demo/divergence.toml", "--store", store]).status == 0)
        let before = try #require(FileManager.default.contents(atPath: store))

        let cases: [(String, String)] = [
            ("store = \"x.sqlite\"\ncolour = true\n", ":2: colour: unknown key"),
            ("[production_cost]\nelectricity_usd_per_kwh = \"cheap\"\n", ":2: production_cost.electricity_usd_per_kwh: must be a number, got string"),
            ("[[source]]\nkind = \"news\"\nurl = \"https://x.example/feed\"\ninterval = 15\n", ":4: source.interval: must be a string, got integer"),
        ]
        for (text, expected) in cases {
            let config = scratch.path("bad.toml")
            try text.write(toFile: config, atomically: true, encoding: .utf8)
            let run = try await Binary.run(["run", "--config", config, "--store", store])
            #expect(run.status == 2)
            #expect(run.stdout.isEmpty)
            let lines = run.stderr.split(separator: "\n")
            #expect(lines.count == 1, "\(run.stderr)")
            #expect(lines.first?.hasPrefix("divergence: \(config)\(expected)") == true, "\(run.stderr)")
        }
        let missing = try await Binary.run(["report", "--config", scratch.path("nope.toml"), "--store", store])
        #expect(missing.status == 2)
        #expect(missing.stderr == "divergence: \(scratch.path("nope.toml")): no such file\n")
        #expect(FileManager.default.contents(atPath: store) == before)
    }

    @Test("bad flags exit 64 with a message naming the flag", arguments: [
        ["report", "--as-of", "yesterday"],
        ["report", "--format", "xml"],
        ["sources", "add", "https://x.example/feed", "--kind", "podcast"],
        ["ingest", "--log-level", "loud"],
    ])
    func badFlags(_ arguments: [String]) async throws {
        let run = try await Binary.run(arguments)
        #expect(run.status == 64)
        #expect(run.stderr.contains("Error:"))
        #expect(run.stdout.isEmpty)
    }

    @Test("a missing local source file is named in the user's words, not as a curl error")
    func missingLocalFile() async throws {
        let scratch = try ScratchDirectory()
        let config = scratch.path("local.toml")
        try "[[source]]\nname = \"gone\"\nkind = \"news\"\npath = \"feeds/x.xml\"\n".write(toFile: config, atomically: true, encoding: .utf8)
        let run = try await Binary.run(["ingest", "--config", config, "--store", scratch.path("s.sqlite")])
        #expect(run.status == 3)
        #expect(run.stderr.contains("FAILED   gone: \(scratch.path("feeds/x.xml")): no such file"), "\(run.stderr)")
        #expect(!run.stderr.contains("curl"))
    }

    @Test("unreachable sources are listed with their reason; the report still prints; exit 3; no stack trace")
    func unreachableSources() async throws {
        let scratch = try ScratchDirectory()
        let config = scratch.path("offline.toml")
        // Port 9 (discard) on loopback is closed here; the guarded source is refused before any connection is made.
        try """
            [[source]]
            name = "closed port"
            kind = "news"
            url = "http://127.0.0.1:9/feed.xml"
            allow_private_network = true

            [[source]]
            name = "guarded"
            kind = "news"
            url = "http://127.0.0.1:9/other.xml"
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let run = try await Binary.run(["run", "--config", config, "--store", scratch.path("s.sqlite")])
        #expect(run.status == 3)
        #expect(run.stderr.contains("FAILED   closed port: http://127.0.0.1:9/feed.xml:"))
        #expect(run.stderr.contains("FAILED   guarded: "))
        #expect(run.stderr.contains("is empty: nothing to report yet"))
        #expect(run.stdout.contains("No verdict"))
        #expect(!run.stderr.contains("Fatal") && !run.stderr.contains("Backtrace"))

        let list = try await Binary.run(["sources", "list", "--config", config, "--store", scratch.path("s.sqlite")])
        #expect(list.status == 0)
        #expect(list.stdout.contains("last error: http://127.0.0.1:9/feed.xml:"))

        // The next run skips the sources while they back off, but they are still broken: listed, and still exit 3.
        let again = try await Binary.run(["ingest", "--config", config, "--store", scratch.path("s.sqlite")])
        #expect(again.status == 3, "\(again.stderr)")
        #expect(again.stderr.contains("FAILED   closed port: still failing, backing off after 1 failure(s)"))
    }

    @Test("sources add, list and remove round-trip through the store", arguments: StoreBackendKind.available)
    func sourcesRoundTrip(_ backend: StoreBackendKind) async throws {
        let scratch = try ScratchDirectory()
        let config = scratch.path("empty.toml")
        try "# no sources\n".write(toFile: config, atomically: true, encoding: .utf8)
        let store = try backend.freshLocation("s", in: scratch)
        let feed = Binary.packageRoot.appendingPathComponent("feeds/demo/news/markets-wire.atom").path
        let add = try await Binary.run(["sources", "add", feed, "--kind", "news", "--publisher-type", "media", "--name", "Wire", "--config", config, "--store", store])
        #expect(add.status == 0, "\(add.stderr)")
        #expect(add.stdout == "added news source Wire\n")
        let duplicate = try await Binary.run(["sources", "add", feed, "--kind", "news", "--config", config, "--store", store])
        #expect(duplicate.status == 1)
        #expect(duplicate.stderr.contains("already listed"))
        let ingest = try await Binary.run(["ingest", "--config", config, "--store", store])
        #expect(ingest.status == 0)
        #expect(ingest.stderr.contains("ok       Wire: 3 new document(s)"))
        let list = try await Binary.run(["sources", "list", "--format", "json", "--config", config, "--store", store])
        let sources = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        #expect(sources.count == 1)
        #expect(sources.first?["origin"] as? String == "cli")
        #expect(sources.first?["last_status"] as? Int == 200)
        #expect(try await Binary.run(["sources", "remove", feed, "--config", config, "--store", store]).status == 0)
        let after = try await Binary.run(["sources", "list", "--format", "json", "--config", config, "--store", store])
        #expect(after.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[\n\n]" || after.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
    }
}
