import Foundation
import Scoring
import Sentiment

/// Every story counted once: a feed entry and the article page it links to are one document, and a syndicated copy of
/// a stored story is kept as a document marked `duplicate_of` the first, with no units or claims of its own (its URL is
/// listed beside the first's in the evidence).
extension Store {
    /// Merges `document` into `stored`, the first document another source stored with the same normalised URL (the
    /// feed entry of a stored article page, the page of a stored entry, one story in two feeds).
    ///
    /// The fuller text wins: when the new text is longer, its units and claims replace the stored ones (a page enriching
    /// its entry); otherwise the stored document stays as it is. Either way the new key is recorded as an alias so the
    /// next fetch finds it stored, and the story is knowable from the earlier of the two instants.
    static func merge(_ document: NewDocument, into stored: StoredStory, knowable: Date, db: any SQLSession,
                      days: inout [SentenceDayMoments.Key: SentenceDayMoments.Sums]) throws {
        try db.execute(sql: "INSERT INTO document_alias (dedup_key, document_id) VALUES (?, ?) ON CONFLICT DO NOTHING", arguments: [document.dedupKey, stored.id])
        guard document.text.count > stored.text.count else { return }
        let earliest = min(knowable, Date(storeSeconds: stored.knowable))
        try removeContent(of: stored.id, db: db, days: &days)
        try db.execute(sql: """
            UPDATE document SET text = ?, title = COALESCE(title, ?), author = COALESCE(author, ?), sentiment = ?, relevant = ?, knowable = ? WHERE id = ?
            """, arguments: [document.text, document.title, document.author, document.sentiment, document.relevant, earliest.storeSeconds, stored.id])
        if stored.duplicateOf == nil {
            try insertContent(document, documentID: stored.id, knowable: earliest, db: db, days: &days)
            try db.execute(sql: "DELETE FROM story_band WHERE document_id = ?", arguments: [stored.id])
            try db.execute(sql: "DELETE FROM story_signature WHERE document_id = ?", arguments: [stored.id])
            if document.relevant, let signature = document.storySignature {
                try storeSignature(signature, documentID: stored.id, knowable: earliest, db: db)
            }
        }
    }

    /// Deletes a document's units and claims, taking its belief units out of `days`.
    static func removeContent(of documentID: Int64, db: any SQLSession, days: inout [SentenceDayMoments.Key: SentenceDayMoments.Sums]) throws {
        let rows = try SQLRow.fetchAll(db, sql: "SELECT score, knowable, speaker_type FROM sentence WHERE document_id = ? AND relevant = 1 AND topic = ?",
                                    arguments: [documentID, OpinionTopic.belief])
        for row in rows {
            let knowable: Double = row["knowable"]
            guard let day = SentenceDayMoments.day(of: knowable) else { continue }
            days[SentenceDayMoments.Key(day: day, speakerType: row["speaker_type"]), default: .init()].remove(score: row["score"], knowable: knowable, day: day)
        }
        try db.execute(sql: "DELETE FROM sentence WHERE document_id = ?", arguments: [documentID])
        try db.execute(sql: "DELETE FROM claim WHERE document_id = ?", arguments: [documentID])
    }

    /// Records a merged document's new signature and lists it in its bands.
    static func storeSignature(_ signature: [UInt64], documentID: Int64, knowable: Date, db: any SQLSession) throws {
        try db.execute(sql: "INSERT INTO story_signature (document_id, signature) VALUES (?, ?) ON CONFLICT (document_id) DO UPDATE SET signature = excluded.signature", arguments: [documentID, StorySignature.encode(signature)])
        try db.insertRows("INSERT INTO story_band (band, knowable, document_id) VALUES",
                          StorySignature.bands(signature).map { [$0, knowable.storeSeconds, documentID] },
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
