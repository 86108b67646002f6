import Feeds
import GRDB

/// Schema v6: sentence rows become opinion units (a holder and a topic each), and every story is counted once.
///
/// - `claim.conditional`: an intention stated with a condition ("would cut allocations if prices fell another 10%").
/// - `sentence.holder` / `sentence.topic`: who holds the view and whether it is a `belief` about Bitcoin's value or
///   `technical` commentary (R's evidence, never B's); rows stored before v6 are whole sentences read as beliefs.
/// - `document.url_key`: the normalised URL, so a feed entry and the article page it links to are one document.
/// - `document_alias`: dedup keys merged into another document (the entry of a stored page, or the page of an entry).
/// - `document.duplicate_of`, `story_band`, `story_signature`: syndicated copies found by MinHash (see `StorySignature`).
enum StoryMigration {
    static func apply(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE claim ADD COLUMN conditional INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE sentence ADD COLUMN holder TEXT;
            ALTER TABLE sentence ADD COLUMN topic TEXT NOT NULL DEFAULT 'belief';
            DROP INDEX sentence_relevant_knowable;
            CREATE INDEX sentence_belief_knowable ON sentence(relevant, topic, knowable, speaker_type, score);
            ALTER TABLE document ADD COLUMN url_key TEXT;
            ALTER TABLE document ADD COLUMN duplicate_of INTEGER REFERENCES document(id) ON DELETE SET NULL;
            CREATE INDEX document_duplicate_of ON document(duplicate_of) WHERE duplicate_of IS NOT NULL;
            CREATE TABLE document_alias (
                dedup_key TEXT PRIMARY KEY,
                document_id INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE
            ) WITHOUT ROWID;
            CREATE INDEX document_alias_document ON document_alias(document_id);
            CREATE TABLE story_signature (
                document_id INTEGER PRIMARY KEY REFERENCES document(id) ON DELETE CASCADE,
                signature BLOB NOT NULL
            );
            CREATE TABLE story_band (
                band INTEGER NOT NULL,
                knowable REAL NOT NULL,
                document_id INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
                PRIMARY KEY (band, knowable, document_id)
            ) WITHOUT ROWID;
            CREATE INDEX story_band_document ON story_band(document_id);
            """)
        let rows = try Row.fetchAll(db, sql: "SELECT id, url FROM document WHERE url IS NOT NULL")
        let update = try db.makeStatement(sql: "UPDATE document SET url_key = ? WHERE id = ?")
        for row in rows {
            try update.execute(arguments: [EntryDedup.normalise(row["url"] as String), row["id"] as Int64])
        }
        try db.execute(sql: "CREATE INDEX document_url_key ON document(url_key) WHERE url_key IS NOT NULL")
    }
}
