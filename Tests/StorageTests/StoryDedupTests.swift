import Feeds
import Foundation
import Scoring
import Sentiment
import StoreTestSupport
import Synchronization
import Testing
@testable import Storage

@Suite("Every story counted once")
struct StoryDedupTests {
    let published = Date(timeIntervalSince1970: 1_770_206_400)  // 2026-02-04T12:00Z
    var asOf: Date { published.addingTimeInterval(86_400) }

    func document(_ key: String, url: String?, text: String, units: [(String, Double)], claims: [Claim] = [], at: Date? = nil) -> NewDocument {
        NewDocument(dedupKey: key, url: url, title: nil, author: nil, published: at ?? published, fetched: (at ?? published).addingTimeInterval(600), text: text,
                    sentiment: nil, relevant: true, speakerType: .media,
                    sentences: units.map { NewSentence(text: $0.0, score: $0.1, relevant: true, speakerType: .institutional) }, claims: claims)
    }

    /// A store with a feed source and an article source; returns the feed's id and the article's.
    func store(_ backend: StoreBackendKind) throws -> (TemporaryStore, Int64, Int64) {
        let temporary = try TemporaryStore(backend)
        try temporary.store.syncConfiguredSources([
            SourceDefinition(location: "https://x.example/feed", name: "X", kind: .news, publisherType: .media, intervalSeconds: 3600),
            SourceDefinition(location: "https://news.example/research/survey", name: "Page", kind: .article, publisherType: .media, intervalSeconds: 3600),
        ])
        let sources = try temporary.store.sources()
        return (temporary, try #require(sources.first { $0.kind == .news }?.id), try #require(sources.first { $0.kind == .article }?.id))
    }

    func commit(_ documents: [NewDocument], _ store: Store, _ sourceID: Int64) throws -> IngestCounts {
        var batch = IngestBatch()
        batch.documents = documents
        return try store.commit(batch, sourceID: sourceID, fetchState: nil)
    }

    /// The news sums read through the per-day moments must equal the units actually stored (removals included).
    func expectSumsMatchUnits(_ store: Store) throws {
        let parameters = BullishnessParameters()
        let sql = try store.newsAggregate(asOf: asOf.addingTimeInterval(3 * 86_400), maxAge: 56 * 86_400, parameters: parameters, evidence: 0)
        let memory = NewsAggregate(try store.relevantSentences(asOf: asOf.addingTimeInterval(3 * 86_400), maxAge: 56 * 86_400), asOf: asOf.addingTimeInterval(3 * 86_400), parameters: parameters)
        for (type, sums) in memory.bySpeaker {
            #expect(sql.bySpeaker[type]?.count == sums.count)
            #expect(abs((sql.bySpeaker[type]?.decayedScore ?? .nan) - sums.decayedScore) < 1e-9)
        }
        #expect(sql.count == memory.count)
    }

    @Test("a feed entry and the article page it links to are one document: the page's fuller text replaces the entry's units and claims", arguments: StoreBackendKind.available)
    func entryThenPage(_ backend: StoreBackendKind) throws {
        let (temporary, sourceID, pageSourceID) = try store(backend)
        let store = temporary.store
        let claim = Claim(population: .institutions, share: 0.7, proposition: .undervalued, stance: 1, sampleSize: nil, hedged: false, quote: "70%")
        let entry = document("entry-1", url: "https://news.example/research/survey?utm_source=rss", text: "Survey: institutions bullish.",
                             units: [("Survey: institutions bullish.", 0.5)], claims: [claim])
        let page = document("article:https://news.example/research/survey", url: "http://www.news.example/research/survey/",
                            text: "Survey: institutions bullish. Seventy percent see value; allocators keep buying.",
                            units: [("Seventy percent see value", 0.6), ("allocators keep buying", 0.4)], claims: [claim], at: published.addingTimeInterval(3_600))
        #expect(try commit([entry], store, sourceID).documentsInserted == 1)
        let counts = try commit([page], store, pageSourceID)
        #expect(counts.documentsInserted == 0 && counts.documentsAlreadyStored == 1)
        #expect(try store.summary().documents == 1 && store.summary().claims == 1)
        let units = try store.relevantSentences(asOf: asOf, maxAge: 30 * 86_400)
        #expect(units.map(\.text) == ["Seventy percent see value", "allocators keep buying"])
        #expect(units.allSatisfy { $0.published == published }, "the story is knowable from the earlier of the two instants")
        try expectSumsMatchUnits(store)
        // Fetched again, neither the entry nor the page is new.
        #expect(try store.storedDedupKeys([entry.dedupKey, page.dedupKey]).count == 2)
        #expect(try commit([entry], store, sourceID).documentsAlreadyStored == 1)
        #expect(try commit([page], store, pageSourceID).documentsAlreadyStored == 1)
        #expect(try store.relevantSentences(asOf: asOf, maxAge: 30 * 86_400).count == 2)
    }

    @Test("an entry arriving after its stored page adds nothing: the page's text is already the fuller one", arguments: StoreBackendKind.available)
    func pageThenEntry(_ backend: StoreBackendKind) throws {
        let (temporary, sourceID, pageSourceID) = try store(backend)
        let store = temporary.store
        let page = document("article:https://news.example/a", url: "https://news.example/a", text: "Allocators keep buying bitcoin through the drawdown, desks say.",
                            units: [("Allocators keep buying bitcoin", 0.6)])
        let entry = document("entry-a", url: "https://news.example/a", text: "Allocators keep buying.", units: [("Allocators keep buying.", 0.9)])
        _ = try commit([page], store, pageSourceID)
        #expect(try commit([entry], store, sourceID).documentsAlreadyStored == 1)
        #expect(try store.relevantSentences(asOf: asOf, maxAge: 30 * 86_400).map(\.score) == [0.6])
        try expectSumsMatchUnits(store)
    }

    @Test("within one feed, two entries linking to the same page stay two documents", arguments: StoreBackendKind.available)
    func sameLinkWithinOneFeed(_ backend: StoreBackendKind) throws {
        let (temporary, sourceID, _) = try store(backend)
        let first = document("home-1", url: "https://news.example/", text: "Pension funds add bitcoin.", units: [("Pension funds add bitcoin.", 0.5)])
        let second = document("home-2", url: "https://news.example/", text: "Endowments trim bitcoin.", units: [("Endowments trim bitcoin.", -0.4)])
        #expect(try commit([first, second], temporary.store, sourceID).documentsInserted == 2)
        #expect(try temporary.store.relevantSentences(asOf: asOf, maxAge: 30 * 86_400).map(\.score) == [0.5, -0.4])
    }

    @Test("a syndicated copy counts once in B, with both sources listed as evidence", arguments: StoreBackendKind.available)
    func syndicatedCopy(_ backend: StoreBackendKind) throws {
        let (temporary, sourceID, _) = try store(backend)
        let store = temporary.store
        let (first, second) = SyndicationFixtures.copies[0]
        let original = document("wire-1", url: "https://wire.example/miners", text: first, units: [("miners sold reserves", -0.5)])
        let copy = document("paper-1", url: "https://paper.example/markets/miners", text: second, units: [("miners sold reserves", -0.5)],
                            at: published.addingTimeInterval(2 * 3_600))
        let other = document("paper-2", url: "https://paper.example/markets/etfs", text: SyndicationFixtures.distinct[2].0, units: [("inflows", 0.4)])
        let counts = try commit([original, copy, other], store, sourceID)
        #expect(counts.documentsInserted == 3, "the copy is stored (so it is not fetched again) but marked")
        let units = try store.relevantSentences(asOf: asOf, maxAge: 30 * 86_400)
        #expect(units.map(\.score) == [-0.5, 0.4], "the copy's units are not counted")
        #expect(units.first?.copies == ["https://paper.example/markets/miners"])
        let score = BullishnessIndex.compute(surveys: [], claims: [], sentences: units, asOf: asOf, parameters: BullishnessParameters())
        let news = try #require(score.components.first { $0.id == "news" })
        #expect(news.evidence.contains { $0.reference == "https://wire.example/miners · also https://paper.example/markets/miners" })
        try expectSumsMatchUnits(store)
    }

    @Test("near-duplicate rule on the hand-written fixtures: every copy merges, no distinct story does")
    func falseMergeRate() {
        // Measured: estimated Jaccard of each pair's 3-word-shingle MinHash signatures against the 0.6 threshold.
        let copyScores = SyndicationFixtures.copies.map { StorySignature.similarity(StorySignature.signature($0.0)!, StorySignature.signature($0.1)!) }
        let distinctScores = SyndicationFixtures.distinct.map { StorySignature.similarity(StorySignature.signature($0.0)!, StorySignature.signature($0.1)!) }
        let falseMerges = distinctScores.filter { $0 >= StorySignature.threshold }.count
        let missed = copyScores.filter { $0 < StorySignature.threshold }.count
        #expect(falseMerges == 0, "false merges \(falseMerges) of \(distinctScores.count): \(distinctScores)")
        #expect(missed == 0, "missed copies \(missed) of \(copyScores.count): \(copyScores)")
        // The estimate tracks the exact Jaccard of the shingle sets (64 hashes: standard error ≤ 0.0625).
        for (a, b) in SyndicationFixtures.copies + SyndicationFixtures.distinct {
            let x = StorySignature.shingles(a), y = StorySignature.shingles(b)
            let exact = Double(x.intersection(y).count) / Double(x.union(y).count)
            #expect(abs(StorySignature.similarity(StorySignature.signature(a)!, StorySignature.signature(b)!) - exact) < 0.2)
        }
    }

    @Test("a flood of look-alike items keeps each band short, and a copy of an early story is still found after it", arguments: StoreBackendKind.available)
    func lookAlikeFlood(_ backend: StoreBackendKind) throws {
        let (temporary, sourceID, pageSourceID) = try store(backend)
        let store = temporary.store
        // One template with a block of words of its own per item: every item shares about 34 shingles with every other
        // and has about 22 of its own (Jaccard ≈ 34 / (34 + 2 × 22) ≈ 0.44): an estimate reaching the 0.6 threshold is
        // rare (2.6 standard errors of a 64-hash estimate), so most items are stories of their own, yet their minimum
        // hashes mostly come from the shared shingles, so they crowd the same bands (without the cap, measured: one band
        // listed 143 of them).
        func item(_ n: Int) -> String {
            let own = (0..<20).map { "k\(n)q\($0)" }.joined(separator: " ")
            return "Institutions surveyed still call bitcoin undervalued while the weekly cloud turns red and miners sell below their "
                + "production cost as the hash ribbon signals capitulation and desks watch the support zone near sixty thousand dollars "
                + "for a bounce. \(own)."
        }
        let original = "Exclusive: a sovereign fund doubles its bitcoin allocation as institutions surveyed still call the asset undervalued "
            + "and miners sell below their production cost while the weekly cloud turns red for the first time since 2022."
        _ = try commit([document("original", url: "https://x.example/original", text: original, units: [("original", 0.5)])], store, sourceID)
        _ = try commit((0..<400).map { document("item-\($0)", url: "https://x.example/\($0)", text: item($0), units: [("item", 0.1)]) }, store, sourceID)
        let (signatures, longestBand): (Int, Int) = try store.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM story_signature") ?? 0,
             try Int.fetchOne(db, sql: "SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM story_band GROUP BY band) AS sizes") ?? 0)
        }
        // The flood is stored as stories of their own, and no band lists more than its capacity (all items are knowable at
        // one instant, so one window holds them all).
        #expect(signatures > 300, "stories stored: \(signatures)")
        #expect(longestBand <= StorySignature.bandCapacity, "longest band: \(longestBand)")
        // A syndicated copy of the first story, with its own lead-in, still merges into it.
        let copy = "Syndicated. " + original
        #expect(try commit([document("copy", url: "https://elsewhere.example/copy", text: copy, units: [("copy", 0.5)])], store, pageSourceID).documentsInserted == 1)
        let duplicateOf: Int64? = try store.read { db in try Int64.fetchOne(db, sql: "SELECT duplicate_of FROM document WHERE dedup_key = 'copy'") }
        let originalID: Int64? = try store.read { db in try Int64.fetchOne(db, sql: "SELECT id FROM document WHERE dedup_key = 'original'") }
        #expect(duplicateOf != nil && duplicateOf == originalID)
    }

    /// A story of its own: words no other story in these tests uses.
    func distinctStory(_ n: Int) -> String {
        "Desk note \(n): " + (0..<24).map { "w\(n)x\($0)" }.joined(separator: " ") + " about bitcoin."
    }

    @Test("one batch larger than a chunk: copies of its own earlier documents are marked, in the same chunk and across chunks, and ids follow the feed's order",
          arguments: StoreBackendKind.available)
    func copiesWithinOneBatch(_ backend: StoreBackendKind) throws {
        let (temporary, sourceID, _) = try store(backend)
        let store = temporary.store
        let (original, copy) = SyndicationFixtures.copies[0]
        // 600 documents: three chunks of 256. The original is the first; a copy follows in its chunk (position 5) and
        // two chunks later (position 540), and every other document is a story of its own.
        let documents = (0..<600).map { n -> NewDocument in
            let text = n == 0 ? original : (n == 5 || n == 540) ? copy : distinctStory(n)
            return document("batch-\(n)", url: "https://x.example/b/\(n)", text: text, units: [("unit \(n)", 0.1)])
        }
        let counts = try commit(documents, store, sourceID)
        #expect(counts.documentsInserted == 600 && counts.documentsAlreadyStored == 0)
        let rows: [(String, Int64, Int64?)] = try store.read { db in
            try SQLRow.fetchAll(db, sql: "SELECT dedup_key, id, duplicate_of FROM document ORDER BY id").map { ($0["dedup_key"], $0["id"], $0["duplicate_of"]) }
        }
        #expect(rows.map(\.0) == (0..<600).map { "batch-\($0)" }, "ids follow the feed's order")
        let originalID = try #require(rows.first?.1)
        #expect(rows.filter { $0.2 != nil }.map(\.0) == ["batch-5", "batch-540"])
        #expect(rows.compactMap(\.2).allSatisfy { $0 == originalID })
        // Copies keep no units of their own; the other 598 documents keep theirs.
        #expect(try store.relevantSentences(asOf: asOf, maxAge: 30 * 86_400).count == 598)
        // Sent again, the whole batch is already stored and nothing changes.
        let again = try commit(documents, store, sourceID)
        #expect(again.documentsInserted == 0 && again.documentsAlreadyStored == 600)
        #expect(try store.summary().documents == 600)
        try expectSumsMatchUnits(store)
    }

    @Test("a document another worker stores while a batch is being written is counted as stored, and the rest of the batch lands (PostgreSQL)",
          .enabled(if: StoreBackendKind.available.contains(.postgresql), "PostgreSQL is not installed here (CI installs it)"))
    func storedMeanwhile() throws {
        let (temporary, sourceID, otherSourceID) = try store(.postgresql)
        let store = temporary.store
        let other = try Store(path: store.path)
        let (original, copy) = SyndicationFixtures.copies[0]
        // The other worker's transaction stores "raced" and stays open until this batch's insert waits for it.
        let inserted = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0), otherDone = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            _ = try? other.write { db in
                try db.execute(sql: """
                    INSERT INTO document (source_id, dedup_key, fetched, knowable, text, relevant, speaker_type) VALUES (?, 'raced', 0, 0, 'stored by another worker', 0, 'media')
                    """, arguments: [otherSourceID])
                inserted.signal()
                release.wait()
            }
            otherDone.signal()
        }
        inserted.wait()
        // This batch: "raced" is the original of "raced-copy", which follows it.
        let batch = [document("before", url: "https://x.example/before", text: distinctStory(1), units: [("before", 0.2)]),
                     document("raced", url: "https://x.example/raced", text: original, units: [("raced", 0.3)]),
                     document("raced-copy", url: "https://x.example/raced-copy", text: copy, units: [("copy", 0.4)]),
                     document("after", url: "https://x.example/after", text: distinctStory(2), units: [("after", 0.5)])]
        let result = Mutex<Result<IngestCounts, any Error>?>(nil)
        let committed = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let outcome = Result { try commit(batch, store, sourceID) }
            result.withLock { $0 = outcome }
            committed.signal()
        }
        // Let the other transaction commit only once this batch's insert is waiting on its row lock. Waited on state, not
        // on a time: the batch either reaches the lock (seen in pg_stat_activity) or ends without ever waiting for it.
        let watcher = try Store(path: store.path)
        var waiting = 0
        while waiting == 0, committed.wait(timeout: .now() + .milliseconds(100)) == .timedOut {
            waiting = try watcher.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'") ?? 0
            }
        }
        #expect(waiting == 1, "the batch's insert never waited for the other worker's row")
        release.signal()
        otherDone.wait()
        if waiting == 1 { committed.wait() }
        let counts = try #require(try result.withLock { $0 }?.get())
        #expect(counts.documentsInserted == 3 && counts.documentsAlreadyStored == 1)
        let rows: [String: (Int64, Int64?)] = try store.read { db in
            Dictionary(uniqueKeysWithValues: try SQLRow.fetchAll(db, sql: "SELECT dedup_key, source_id, duplicate_of FROM document").map { ($0["dedup_key"], ($0["source_id"], $0["duplicate_of"])) })
        }
        #expect(rows["raced"]?.0 == otherSourceID, "the other worker's row is the stored one")
        // Decided again without its original, the copy is a story of its own.
        #expect(rows["raced-copy"].map { $0.0 == sourceID && $0.1 == nil } == true)
        #expect(Set(rows.keys) == ["before", "raced", "raced-copy", "after"])
        #expect(try store.relevantSentences(asOf: asOf, maxAge: 30 * 86_400).map(\.text).sorted() == ["after", "before", "copy"])
        try expectSumsMatchUnits(store)
    }

    @Test("on PostgreSQL a process refreshes the planner's statistics once it has stored 1,000 documents, then each time they double",
          .enabled(if: StoreBackendKind.available.contains(.postgresql), "PostgreSQL is not installed here (CI installs it)"))
    func plannerStatistics() throws {
        let (temporary, sourceID, _) = try store(.postgresql)
        let store = temporary.store
        // Autovacuum stays out of it, so every ANALYZE seen is the store's. pg_class.reltuples is -1 until the table is
        // first analyzed, then the row count ANALYZE saw.
        try store.write { db in try db.execute(sql: "ALTER TABLE document SET (autovacuum_enabled = false)") }
        func analyzedRows() throws -> Double {
            try store.read { db in try Double.fetchOne(db, sql: "SELECT reltuples FROM pg_class WHERE relname = 'document'") ?? .nan }
        }
        func batch(_ range: Range<Int>) -> [NewDocument] {
            range.map { document("stat-\($0)", url: "https://x.example/s/\($0)", text: distinctStory($0), units: []) }
        }
        _ = try commit(batch(0..<999), store, sourceID)
        #expect(try analyzedRows() == -1, "not yet: 999 documents stored")
        _ = try commit(batch(999..<1_000), store, sourceID)
        #expect(try analyzedRows() == 1_000)
        _ = try commit(batch(1_000..<1_999), store, sourceID)
        #expect(try analyzedRows() == 1_000, "not again before the documents stored have doubled")
        _ = try commit(batch(1_999..<2_000), store, sourceID)
        #expect(try analyzedRows() == 2_000)
    }

    @Test("shingles hashed off the words laid end to end are FNV-1a over each run of three words, by definition")
    func shingleHashesFollowTheDefinition() throws {
        // The definition, written plainly: each run of three words, each word's bytes then a space, hashed with FNV-1a 64.
        func reference(_ text: String) -> Set<UInt64> {
            let words = WordRuns.bytes(text)
            guard words.count >= 3 else { return [] }
            var hashes: Set<UInt64> = []
            for start in 0...(words.count - 3) {
                var bytes: [UInt8] = []
                for word in words[start..<(start + 3)] { bytes += word + [0x20] }
                var hash: UInt64 = 0xCBF2_9CE4_8422_2325
                for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
                hashes.insert(hash)
            }
            return hashes
        }
        for text in SyndicationFixtures.copies.map(\.0) + ["Zürich desks say bitcoin miners sell, and sell again, and sell again", "two words", ""] {
            #expect(StorySignature.shingles(text) == reference(text), "\(text)")
            #expect(StorySignature.shingleHashes(text) == reference(text).sorted())
        }
    }

    @Test("keys prepared ahead of the commit are used only for the text and URL they were computed from")
    func preparedKeys() throws {
        let (original, copy) = SyndicationFixtures.copies[1]
        var prepared = document("k", url: "https://news.example/a?utm_source=rss", text: original, units: [])
        let plain = prepared
        prepared.prepareForCommit()
        #expect(prepared == plain, "prepared keys are a cache, not part of the document")
        #expect(prepared.storySignature == StorySignature.signature(original) && prepared.urlKey == EntryDedup.normalise("https://news.example/a?utm_source=rss"))
        prepared.text = copy
        prepared.url = "https://elsewhere.example/b"
        #expect(prepared.storySignature == StorySignature.signature(copy))
        #expect(prepared.urlKey == EntryDedup.normalise("https://elsewhere.example/b"))
    }

    @Test("ASCII text is split into words straight off its bytes exactly as the Unicode path splits it")
    func asciiWordRuns() throws {
        let texts = ["Miners SELL below cost; the 2026 cloud turns red -- again!", "  Tabs\tand\nnew-lines,  ETF_flows and 3.5% yields ",
                     "ALL CAPS HEADLINE WITH 12 WORDS OF PLAIN ASCII TEXT IN IT", "<p>markup&amp;remnants</p>\r\n", ""]
        for text in texts {
            #expect(try #require(WordRuns.ascii(text)) == WordRuns.unicode(text), "\(text)")
        }
        #expect(WordRuns.ascii("Zürich desks") == nil)
        #expect(WordRuns.normalised("Zürich DESKS, 2026!") == "zürich desks 2026")
        #expect(WordRuns.normalised(texts[0]) == "miners sell below cost the 2026 cloud turns red again")
        #expect(StorySignature.shingles(texts[0]).count == 8)  // 10 words: 8 runs of three
    }

    @Test("a bare headline is never merged: too short to tell a copy from a similar headline")
    func shortTexts() {
        #expect(StorySignature.signature("Bitcoin falls below $65,000") == nil)
    }
}
