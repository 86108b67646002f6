import Foundation
import Scoring

/// One source's new documents stored a chunk at a time: what a chunk needs to know from the store is read in a few
/// queries, each document is decided in order in memory (already stored, merged into another source's document with
/// the same URL, a syndicated copy of a stored story, or a new story), and the rows are written with multi-row
/// statements.
///
/// The decisions are the ones storing the documents one at a time would make: each document sees the documents before
/// it in the batch, and a merge that replaces a stored document's content first stores the documents before it. Per
/// chunk of `chunkSize` documents the statements are a fixed handful plus one per 100 rows written, where storing them
/// one at a time took five or more per document (and, on PostgreSQL, as many round trips).
struct DocumentChunkCommit {
    /// Documents decided together; their band keys (16 each) stay well under both backends' limit on a statement's
    /// arguments.
    static let chunkSize = 256
    /// Rows per multi-row statement.
    static let rowsPerStatement = 100

    let sourceID: Int64
    let db: any SQLSession
    /// The belief units added and removed, by day and speaker type (see `SentenceDayMoments`).
    var days: [SentenceDayMoments.Key: SentenceDayMoments.Sums] = [:]
    private(set) var inserted = 0
    private(set) var alreadyStored = 0

    init(sourceID: Int64, db: any SQLSession) {
        self.sourceID = sourceID
        self.db = db
    }

    /// Stores `documents` in order.
    mutating func store(_ documents: [NewDocument]) throws {
        for start in stride(from: 0, to: documents.count, by: Self.chunkSize) {
            try storeChunk(documents[start..<min(documents.count, start + Self.chunkSize)])
        }
    }

    /// A document decided new, waiting to be written with the others of its chunk.
    private struct Pending {
        var document: NewDocument
        /// When the story was knowable: a date-only `published` at the end of its day (`PointInTime`), bounded by
        /// the fetch instant.
        var knowable: Double
        var urlKey: String?
    }

    private mutating func storeChunk(_ chunk: ArraySlice<NewDocument>) throws {
        let keys = Array(Set(chunk.map(\.dedupKey)))
        var aliases = Set(try String.fetchAll(db, sql: "SELECT dedup_key FROM document_alias WHERE dedup_key IN (\(sqlQuestionMarks(count: keys.count)))",
                                              arguments: SQLArguments(keys)))
        var claimed = try Self.storedKeys(keys, db: db)
        let urlKeys = chunk.map(\.urlKey)
        var sameURL = try Self.firstDocuments(withURLKeys: Array(Set(urlKeys.compactMap { $0 })), notFrom: sourceID, db: db)
        var pending: [Pending] = []
        for (document, urlKey) in zip(chunk, urlKeys) {
            if aliases.contains(document.dedupKey) {
                alreadyStored += 1
                continue
            }
            let knowable = min(document.published.map(PointInTime.knowable(published:)) ?? document.fetched, document.fetched).storeSeconds
            // A feed entry and the article page it links to, or one story in two feeds, are one document (the first
            // stored with that URL by another source; within one source, entries sharing a link stay apart).
            if let urlKey, var stored = sameURL[urlKey], stored.dedupKey != document.dedupKey {
                let replacesContent = document.text.count > stored.text.count
                // The merge rewrites the stored story's units and bands: the documents before it are stored first,
                // so they are compared with the story as it was.
                if replacesContent { try flush(&pending) }
                try Store.merge(document, into: stored, knowable: Date(storeSeconds: knowable), db: db, days: &days)
                aliases.insert(document.dedupKey)
                if replacesContent {
                    stored.text = document.text
                    stored.knowable = min(knowable, stored.knowable)
                    sameURL[urlKey] = stored
                }
                alreadyStored += 1
                continue
            }
            // Stored already, pruned, or earlier in this batch.
            guard claimed.insert(document.dedupKey).inserted else {
                alreadyStored += 1
                continue
            }
            pending.append(Pending(document: document, knowable: knowable, urlKey: urlKey))
        }
        try flush(&pending)
    }

    /// For each URL key, the first document (lowest id) stored with it by a source other than `sourceID`.
    private static func firstDocuments(withURLKeys urlKeys: [String], notFrom sourceID: Int64, db: any SQLSession) throws -> [String: StoredStory] {
        guard !urlKeys.isEmpty else { return [:] }
        let rows = try SQLRow.fetchAll(db, sql: """
            SELECT id, dedup_key, text, knowable, duplicate_of, url_key FROM document WHERE id IN (
                SELECT MIN(id) FROM document WHERE url_key IN (\(sqlQuestionMarks(count: urlKeys.count))) AND source_id != ? GROUP BY url_key)
            """, arguments: SQLArguments(urlKeys) + [sourceID])
        var first: [String: StoredStory] = [:]
        for row in rows {
            first[row["url_key"]] = StoredStory(id: row["id"], dedupKey: row["dedup_key"], text: row["text"], knowable: row["knowable"],
                                                duplicateOf: row["duplicate_of"])
        }
        return first
    }

    /// Writes the pending documents (each syndicated copy marked with its original) and the others' signatures, bands,
    /// units and claims; empties `pending`.
    ///
    /// Ids are drawn before anything is written, so a copy is written with its original in one insert. If a document
    /// turns out to be stored meanwhile (another worker on a shared store stored the same item since the chunk was read),
    /// the flush is rolled back to its savepoint and decided again without it.
    private mutating func flush(_ pending: inout [Pending]) throws {
        guard !pending.isEmpty else { return }
        defer { pending.removeAll(keepingCapacity: true) }
        var attempt = pending
        // On SQLite this transaction is the only writer: nothing can store a document meanwhile, and a savepoint would
        // copy every page the flush touches into its sub-journal.
        let guarded = db.dialect == .postgresql
        while !attempt.isEmpty {
            if guarded { try db.execute(sql: "SAVEPOINT document_chunk") }
            var days = self.days
            if try write(attempt, days: &days) {
                if guarded { try db.execute(sql: "RELEASE SAVEPOINT document_chunk") }
                self.days = days
                inserted += attempt.count
                return
            }
            guard guarded else { throw SQLStatementError(message: "documents of source \(sourceID) were not inserted, though this transaction is the store's only writer") }
            try db.execute(sql: "ROLLBACK TO SAVEPOINT document_chunk")
            try db.execute(sql: "RELEASE SAVEPOINT document_chunk")
            let keys = attempt.map(\.document.dedupKey)
            let stored = try Self.storedKeys(keys, db: db)
            // Rows went missing, yet none of their keys is stored: retrying would only fail the same way.
            guard !stored.isEmpty else { throw SQLStatementError(message: "documents of source \(sourceID) were not inserted, and no other writer stored them") }
            alreadyStored += attempt.count { stored.contains($0.document.dedupKey) }
            attempt.removeAll { stored.contains($0.document.dedupKey) }
        }
    }

    /// Decides and writes `attempt`, adding its belief units to `days`; false when fewer documents were inserted than
    /// sent (the caller rolls back).
    private func write(_ attempt: [Pending], days: inout [SentenceDayMoments.Key: SentenceDayMoments.Sums]) throws -> Bool {
        let ids = try Self.reserveDocumentIDs(attempt.count, db: db)
        let signatures = attempt.map { $0.document.relevant ? $0.document.storySignature : nil }
        // Each story's distinct band keys: a key repeated within one signature must not count a listed document twice.
        let bands = signatures.map { $0.map { Self.distinct(StorySignature.bands($0)) } }
        var index = try StoryBandIndex(near: zip(bands, attempt).compactMap { bands, item in bands.map { ($0, item.knowable) } }, db: db)
        var originals: [Int64?] = Array(repeating: nil, count: attempt.count)
        var units: [SQLArguments] = []
        var claims: [SQLArguments] = []
        for (position, item) in attempt.enumerated() {
            if let signature = signatures[position], let bands = bands[position] {
                if let original = try index.copyOriginal(of: signature, bands: bands, knowable: item.knowable, db: db) {
                    originals[position] = original
                    continue
                }
                index.add(signature, bands: bands, documentID: ids[position], knowable: item.knowable)
            }
            Store.appendContent(of: item.document, documentID: ids[position], knowable: item.knowable, units: &units, claims: &claims, days: &days)
        }
        // Originals first: a copy's `duplicate_of` may name a document of this chunk.
        let stories = attempt.indices.filter { originals[$0] == nil }
        let copies = attempt.indices.filter { originals[$0] != nil }
        for group in [stories, copies] {
            for start in stride(from: 0, to: group.count, by: Self.rowsPerStatement) {
                let slice = group[start..<min(group.count, start + Self.rowsPerStatement)]
                var arguments = SQLArguments()
                arguments.values.reserveCapacity(slice.count * 15)
                for position in slice {
                    let item = attempt[position], document = item.document
                    arguments += [ids[position], sourceID, document.dedupKey, document.url, document.title, document.author, document.published?.storeSeconds,
                                  document.fetched.storeSeconds, item.knowable, document.text, document.sentiment, document.relevant, document.speakerType,
                                  item.urlKey, originals[position]]
                }
                // A key stored meanwhile by another worker inserts nothing (and on PostgreSQL, a key pruned meanwhile:
                // its `document_not_pruned` trigger).
                let added = try db.execute(sql: """
                    INSERT INTO document (id, source_id, dedup_key, url, title, author, published, fetched, knowable, text, sentiment, relevant,
                                          speaker_type, url_key, duplicate_of)
                    VALUES \(Self.valueRows(count: slice.count, width: 15)) ON CONFLICT DO NOTHING
                    """, arguments: arguments)
                if added != slice.count { return false }
            }
        }
        try db.insertRows("INSERT INTO story_signature (document_id, signature) VALUES", index.newSignatures,
                          suffix: "ON CONFLICT (document_id) DO UPDATE SET signature = excluded.signature")
        try db.insertRows("INSERT INTO story_band (band, knowable, document_id) VALUES", index.newBands, suffix: "ON CONFLICT DO NOTHING")
        try Store.insertUnits(units, db: db)
        try Store.insertClaims(claims, db: db)
        return true
    }

    /// `count` unused document ids, ascending: after the highest stored id on SQLite (one writer at a time), from the
    /// id sequence on PostgreSQL (whose other writers draw from it too).
    static func reserveDocumentIDs(_ count: Int, db: any SQLSession) throws -> [Int64] {
        switch db.dialect {
        case .sqlite:
            let highest = try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM document") ?? 0
            return (1...Int64(count)).map { highest + $0 }
        case .postgresql:
            return try Int64.fetchAll(db, sql: "SELECT nextval(pg_get_serial_sequence('document', 'id')) FROM generate_series(1, ?)", arguments: [count]).sorted()
        }
    }

    /// Those of `keys` stored as documents or pruned (`pruned_document`: never stored again).
    static func storedKeys(_ keys: [String], db: any SQLSession) throws -> Set<String> {
        let marks = sqlQuestionMarks(count: keys.count)
        return Set(try String.fetchAll(db, sql: "SELECT dedup_key FROM document WHERE dedup_key IN (\(marks)) UNION ALL SELECT dedup_key FROM pruned_document WHERE dedup_key IN (\(marks))",
                                       arguments: SQLArguments(keys + keys)))
    }

    /// `keys` without repeats, in their order. A signature has `StorySignature.bandCount` keys: a linear scan beats
    /// hashing them into a set.
    static func distinct(_ keys: [Int64]) -> [Int64] {
        var unique: [Int64] = []
        unique.reserveCapacity(keys.count)
        for key in keys where !unique.contains(key) { unique.append(key) }
        return unique
    }

    /// `(?, ?), (?, ?)`: `count` rows of `width` arguments for a VALUES list.
    static func valueRows(count: Int, width: Int) -> String {
        let row = "(" + sqlQuestionMarks(count: width) + ")"
        return Array(repeating: row, count: count).joined(separator: ", ")
    }
}

/// The first document stored with a URL, as a merge needs it.
struct StoredStory {
    var id: Int64
    var dedupKey: String
    var text: String
    var knowable: Double
    var duplicateOf: Int64?
}

/// The story bands listing documents near a chunk's new stories, read once and kept up to date as the chunk's stories
/// are added, so each new story is looked up in memory.
///
/// The work per story is bounded whatever the store holds: a band lists at most `StorySignature.bandCapacity`
/// documents in any window half (`add` lists a story only in bands with room), so a lookup counts at most 2 × capacity
/// entries per band, and only the `StorySignature.comparedCandidates` documents sharing the most bands are compared.
/// Without the cap, feeds of look-alike items (a template with a counter in it) put every item in the same few bands
/// and made each lookup read every earlier item: quadratic ingest.
struct StoryBandIndex {
    /// Per band, the documents it lists and when each was knowable.
    private var listed: [Int64: [(knowable: Double, documentID: Int64)]] = [:]
    /// Signatures read or added so far.
    private var signatures: [Int64: [UInt64]] = [:]
    /// Rows to write: signatures and bands of the stories added.
    private(set) var newSignatures: [SQLArguments] = []
    private(set) var newBands: [SQLArguments] = []

    /// Reads the bands of `stories` (each story's band keys and knowable instant) within the window around each.
    init(near stories: [(bands: [Int64], knowable: Double)], db: any SQLSession) throws {
        guard let earliest = stories.map(\.knowable).min(), let latest = stories.map(\.knowable).max() else { return }
        let bands = Array(Set(stories.flatMap(\.bands)))
        for start in stride(from: 0, to: bands.count, by: 4_000) {
            let slice = bands[start..<min(bands.count, start + 4_000)]
            // Flat: these rows number in the thousands per chunk.
            let (width, values) = try db.fetchFlatRows(sql: """
                SELECT band, knowable, document_id FROM story_band WHERE band IN (\(sqlQuestionMarks(count: slice.count))) AND knowable >= ? AND knowable <= ?
                """, arguments: SQLArguments(slice) + [earliest - StorySignature.window, latest + StorySignature.window])
            guard width == 3 else { continue }
            for start in stride(from: 0, to: values.count, by: 3) {
                guard let band = Int64(sqlValue: values[start]), let knowable = Double(sqlValue: values[start + 1]),
                      let documentID = Int64(sqlValue: values[start + 2]) else { continue }
                listed[band, default: []].append((knowable, documentID))
            }
        }
    }

    /// The stored story `signature` (whose distinct band keys are `bands`) is a syndicated copy of, or nil: of the
    /// `StorySignature.comparedCandidates` documents sharing the most bands with it within the window (ties: the earliest
    /// stored), the most similar one at or above `StorySignature.threshold`.
    mutating func copyOriginal(of signature: [UInt64], bands: [Int64], knowable: Double, db: any SQLSession) throws -> Int64? {
        // At most bandCount × 2 × capacity entries: a linear count beats hashing.
        var shared: [(documentID: Int64, bands: Int)] = []
        shared.reserveCapacity(2 * StorySignature.bandCapacity)
        let lowest = knowable - StorySignature.window, highest = knowable + StorySignature.window
        for band in bands {
            for entry in listed[band] ?? [] where entry.knowable >= lowest && entry.knowable <= highest {
                if let found = shared.firstIndex(where: { $0.documentID == entry.documentID }) { shared[found].bands += 1 } else { shared.append((entry.documentID, 1)) }
            }
        }
        guard !shared.isEmpty else { return nil }
        shared.sort { $0.bands != $1.bands ? $0.bands > $1.bands : $0.documentID < $1.documentID }
        let candidates = shared.prefix(StorySignature.comparedCandidates).map(\.documentID)
        if candidates.contains(where: { signatures[$0] == nil }) {
            let unread = candidates.filter { signatures[$0] == nil }
            for row in try SQLRow.fetchAll(db, sql: "SELECT document_id, signature FROM story_signature WHERE document_id IN (\(sqlQuestionMarks(count: unread.count)))",
                                           arguments: SQLArguments(unread)) {
                signatures[row["document_id"]] = StorySignature.decode(row["signature"])
            }
        }
        var best: (id: Int64, similarity: Double)?
        for candidate in candidates {
            // A listed document without a signature row (never, unless edited by hand) is not compared.
            guard let stored = signatures[candidate] else { continue }
            let similarity = StorySignature.similarity(signature, stored)
            if similarity >= StorySignature.threshold, similarity > (best?.similarity ?? 0) { best = (candidate, similarity) }
        }
        return best?.id
    }

    /// Records a new story's signature and lists it in those of its distinct `bands` that have room: a band already listing
    /// `StorySignature.bandCapacity` documents within the window around `knowable` lists no more.
    mutating func add(_ signature: [UInt64], bands: [Int64], documentID: Int64, knowable: Double) {
        signatures[documentID] = signature
        newSignatures.append([documentID, StorySignature.encode(signature)])
        let lowest = knowable - StorySignature.window, highest = knowable + StorySignature.window
        for band in bands {
            let within = (listed[band] ?? []).lazy.filter { $0.knowable >= lowest && $0.knowable <= highest }.count
            guard within < StorySignature.bandCapacity else { continue }
            listed[band, default: []].append((knowable, documentID))
            newBands.append([band, knowable, documentID])
        }
    }
}
