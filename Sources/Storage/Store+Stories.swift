import Foundation
import Scoring

/// Every story counted once: a feed entry and the article page it links to are one document, and a syndicated copy of
/// a stored story is kept as a document marked `duplicate_of` the first, with no units or claims of its own (its URL is
/// listed beside the first's in the evidence).
extension Store {
    /// True when `dedupKey` was merged into another document.
    static func isAlias(_ dedupKey: String, db: any SQLSession) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM document_alias WHERE dedup_key = ?", arguments: [dedupKey]) ?? false
    }

    /// Merges `document` into a stored document from another source with the same normalised URL (the feed entry of a
    /// stored article page, the page of a stored entry, one story in two feeds); false when there is none. Within one
    /// source, entries sharing a link (a feed that links every item to its home page) stay apart.
    ///
    /// The fuller text wins: when the new text is longer, its units and claims replace the stored ones (a page enriching
    /// its entry); otherwise the stored document stays as it is. Either way the new key is recorded as an alias so the
    /// next fetch finds it stored, and the story is knowable from the earlier of the two instants.
    static func mergeSameURL(_ document: NewDocument, sourceID: Int64, urlKey: String, knowable: Date, db: any SQLSession,
                             days: inout [SentenceDayMoments.Key: SentenceDayMoments.Sums]) throws -> Bool {
        guard let stored = try SQLRow.fetchOne(db, sql: """
                SELECT id, dedup_key, text, knowable, duplicate_of FROM document WHERE url_key = ? AND source_id != ? ORDER BY id LIMIT 1
                """, arguments: [urlKey, sourceID]),
              (stored["dedup_key"] as String) != document.dedupKey else { return false }
        let id: Int64 = stored["id"]
        try db.execute(sql: "INSERT INTO document_alias (dedup_key, document_id) VALUES (?, ?) ON CONFLICT DO NOTHING", arguments: [document.dedupKey, id])
        let storedText: String = stored["text"]
        guard document.text.count > storedText.count else { return true }
        let earliest = min(knowable, Date(storeSeconds: stored["knowable"]))
        try removeContent(of: id, db: db, days: &days)
        try db.execute(sql: """
            UPDATE document SET text = ?, title = COALESCE(title, ?), author = COALESCE(author, ?), sentiment = ?, relevant = ?, knowable = ? WHERE id = ?
            """, arguments: [document.text, document.title, document.author, document.sentiment, document.relevant, earliest.storeSeconds, id])
        if (stored["duplicate_of"] as Int64?) == nil {
            try insertContent(document, documentID: id, knowable: earliest, db: db, days: &days)
            try db.execute(sql: "DELETE FROM story_band WHERE document_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM story_signature WHERE document_id = ?", arguments: [id])
            if document.relevant, let signature = StorySignature.signature(document.text) {
                try storeSignature(signature, documentID: id, knowable: earliest, db: db)
            }
        }
        return true
    }

    /// Deletes a document's units and claims, taking its belief units out of `days`.
    static func removeContent(of documentID: Int64, db: any SQLSession, days: inout [SentenceDayMoments.Key: SentenceDayMoments.Sums]) throws {
        let rows = try SQLRow.fetchAll(db, sql: "SELECT score, knowable, speaker_type FROM sentence WHERE document_id = ? AND relevant = 1 AND topic = ?",
                                    arguments: [documentID, SentenceDayMoments.beliefTopic])
        for row in rows {
            let knowable: Double = row["knowable"]
            guard let day = SentenceDayMoments.day(of: knowable) else { continue }
            days[SentenceDayMoments.Key(day: day, speakerType: row["speaker_type"]), default: .init()].remove(score: row["score"], knowable: knowable, day: day)
        }
        try db.execute(sql: "DELETE FROM sentence WHERE document_id = ?", arguments: [documentID])
        try db.execute(sql: "DELETE FROM claim WHERE document_id = ?", arguments: [documentID])
    }

    /// Marks a just-inserted document as a syndicated copy of a stored story (see `StorySignature`) and returns true;
    /// otherwise records its signature so later copies find it, and returns false.
    ///
    /// The work per document is bounded whatever the store holds: a band lists at most `StorySignature.bandCapacity`
    /// documents in any window half (`storeSignature` adds a document only to bands with room), so the band lookup reads
    /// at most 2 × capacity rows per band, and only the `StorySignature.comparedCandidates` documents sharing the most
    /// bands are compared. Without the cap, feeds of look-alike items (a template with a counter in it) put every item
    /// in the same few bands and made each lookup read every earlier item: quadratic ingest.
    static func markIfSyndicatedCopy(_ documentID: Int64, text: String, relevant: Bool, knowable: Date, db: any SQLSession) throws -> Bool {
        guard relevant, let signature = StorySignature.signature(text) else { return false }
        let bands = StorySignature.bands(signature)
        let listed = "band IN (\(sqlQuestionMarks(count: bands.count))) AND knowable >= ? AND knowable <= ?"
        let listedArguments = SQLArguments(bands) + [knowable.storeSeconds - StorySignature.window, knowable.storeSeconds + StorySignature.window]
        let candidates = try SQLRow.fetchAll(db, sql: """
            SELECT s.document_id, s.signature FROM (
                SELECT document_id, COUNT(*) AS shared FROM story_band WHERE \(listed)
                GROUP BY document_id ORDER BY shared DESC, document_id LIMIT \(StorySignature.comparedCandidates)) AS c
            JOIN story_signature s ON s.document_id = c.document_id ORDER BY c.shared DESC, c.document_id
            """, arguments: listedArguments)
        var best: (id: Int64, similarity: Double)?
        for row in candidates {
            let similarity = StorySignature.similarity(signature, StorySignature.decode(row["signature"]))
            if similarity >= StorySignature.threshold, similarity > (best?.similarity ?? 0) { best = (row["document_id"], similarity) }
        }
        if let best {
            try db.execute(sql: "UPDATE document SET duplicate_of = ? WHERE id = ?", arguments: [best.id, documentID])
            return true
        }
        let fullBands = try SQLRow.fetchAll(db, sql: "SELECT band FROM story_band WHERE \(listed) GROUP BY band HAVING COUNT(*) >= ?",
                                            arguments: listedArguments + [StorySignature.bandCapacity]).map { $0["band"] as Int64 }
        try storeSignature(signature, documentID: documentID, knowable: knowable, db: db, fullBands: Set(fullBands))
        return false
    }

    /// Records a document's signature and lists it in its bands, except in `fullBands` (bands already listing
    /// `StorySignature.bandCapacity` documents within the window around `knowable`).
    static func storeSignature(_ signature: [UInt64], documentID: Int64, knowable: Date, db: any SQLSession, fullBands: Set<Int64> = []) throws {
        try db.execute(sql: "INSERT INTO story_signature (document_id, signature) VALUES (?, ?) ON CONFLICT (document_id) DO UPDATE SET signature = excluded.signature", arguments: [documentID, StorySignature.encode(signature)])
        try db.insertRows("INSERT INTO story_band (band, knowable, document_id) VALUES",
                          StorySignature.bands(signature).filter { !fullBands.contains($0) }.map { [$0, knowable.storeSeconds, documentID] },
                          suffix: "ON CONFLICT DO NOTHING")
    }

    /// The SQL of a document's syndicated copies' URLs, newline-separated, for a query aliasing the document as `alias`.
    func copiesSQL(_ alias: String) -> String { copiesSQL(ofDocument: "\(alias).id") }

    /// The same for the document whose id is the SQL expression `documentID`.
    func copiesSQL(ofDocument documentID: String) -> String {
        "(SELECT \(dialect.newlineJoined("url")) FROM (SELECT c.url FROM document c WHERE c.duplicate_of = \(documentID) AND c.url IS NOT NULL ORDER BY c.id) AS copy) AS copies"
    }

    /// The copies column of a row read with `copiesSQL`.
    static func copies(_ row: SQLRow) -> [String] {
        (row["copies"] as String?)?.split(separator: "\n").map(String.init) ?? []
    }
}
