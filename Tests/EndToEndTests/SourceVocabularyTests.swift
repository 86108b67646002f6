import Foundation
import GRDB
import StoreTestSupport
import Testing

/// The shared source words at the command line: flags list their choices, and a store row holding a word this version
/// does not know fails the reading command with one line naming the row, never read as news.
@Suite("Source kinds and publisher types at the command line")
struct SourceVocabularyTests {
    static let kinds = "news, article, survey, prices, hashrate, fees, etf_flows, cftc_tff"

    @Test("a bad --kind or --publisher-type is refused with exit 64 and the list of choices")
    func badFlagListsChoices() async throws {
        let kind = try await Binary.run(["sources", "add", "https://x.example/feed", "--kind", "podcast"])
        #expect(kind.status == 64)
        #expect(kind.stderr.hasPrefix("Error: The value 'podcast' is invalid for '--kind <kind>'"), "\(kind.stderr)")
        #expect(kind.stderr.contains(Self.kinds.split(separator: ",").map { "  - \($0.trimmingCharacters(in: .whitespaces))" }.joined(separator: "\n")), "\(kind.stderr)")
        let publisher = try await Binary.run(["sources", "import-opml", "x.opml", "--publisher-type", "oracle"])
        #expect(publisher.status == 64)
        #expect(publisher.stderr.contains("Please provide one of 'institutional', 'analyst', 'media', 'retail' or 'miner'."), "\(publisher.stderr)")
        let help = try await Binary.run(["sources", "add", "--help"])
        let words = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(words.contains("(values: \(Self.kinds))"), "\(help.stdout)")
    }

    @Test("a stored kind another program wrote fails `sources list` and `doctor` naming the row; `sources remove` still clears it")
    func hostileStoredKind() async throws {
        let scratch = try ScratchDirectory()
        let config = scratch.path("empty.toml")
        try "# no sources\n".write(toFile: config, atomically: true, encoding: .utf8)
        let store = scratch.path("s.sqlite")
        let global = ["--config", config, "--store", store]
        let feed = "https://wire.example/feed.xml"
        #expect(try await Binary.run(["sources", "add", feed, "--kind", "news"] + global).status == 0)
        let queue = try DatabaseQueue(path: store)
        try await queue.write { db in try db.execute(sql: "UPDATE source SET kind = 'podcast' WHERE location = ?", arguments: [feed]) }

        let expected = "store \(store): source 1 (\(feed)): stored kind 'podcast' is not one of \(Self.kinds); fix the row or remove the source"
        let list = try await Binary.run(["sources", "list"] + global)
        #expect(list.status == 1)
        #expect(list.stdout.isEmpty)
        #expect(list.stderr == "divergence: \(expected)\n")
        let doctor = try await Binary.run(["doctor", "--skip-sources"] + global)
        #expect(doctor.status == 1)
        #expect(doctor.stdout.contains("FAIL  sources \(expected)\n"), "\(doctor.stdout)")
        #expect(doctor.stdout.contains("FAIL  words   source.kind 'podcast' in 1 row(s): reading the source fails; fix the row or remove the source\n"), "\(doctor.stdout)")
        #expect(try await queue.read { db in try String.fetchAll(db, sql: "SELECT kind FROM source") } == ["podcast"], "the row is left as it was")
        try queue.close()

        #expect(try await Binary.run(["sources", "remove", feed] + global).status == 0)
        let after = try await Binary.run(["sources", "list"] + global)
        #expect(after.status == 0, "\(after.stderr)")
        #expect(after.stdout == "KIND      PUBLISHER      ORIGIN  STATUS  NAME / LOCATION\n")
        // A removed source is no longer read, so its word no longer fails doctor.
        let again = try await Binary.run(["doctor", "--skip-sources"] + global)
        #expect(again.status == 0, "\(again.stdout)")
        #expect(again.stdout.contains("PASS  words   every stored source kind, publisher type, survey population and metric, claim population and proposition, speaker type and topic is known\n"), "\(again.stdout)")
    }
}
