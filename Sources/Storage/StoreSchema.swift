import GRDB

/// The store's tables, created and upgraded by numbered migrations.
enum StoreSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE source (
                    id INTEGER PRIMARY KEY,
                    location TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    publisher_type TEXT NOT NULL,
                    interval_seconds REAL NOT NULL,
                    origin TEXT NOT NULL,
                    options TEXT NOT NULL DEFAULT '{}',
                    active INTEGER NOT NULL DEFAULT 1,
                    etag TEXT, last_modified TEXT, last_status INTEGER, last_error TEXT,
                    consecutive_failures INTEGER NOT NULL DEFAULT 0,
                    next_fetch REAL, last_success REAL,
                    disabled INTEGER NOT NULL DEFAULT 0,
                    added_at REAL NOT NULL
                );
                CREATE TABLE document (
                    id INTEGER PRIMARY KEY,
                    source_id INTEGER NOT NULL REFERENCES source(id),
                    dedup_key TEXT NOT NULL UNIQUE,
                    url TEXT, title TEXT, author TEXT,
                    published REAL,
                    fetched REAL NOT NULL,
                    knowable REAL NOT NULL,
                    text TEXT NOT NULL,
                    sentiment REAL,
                    relevant INTEGER NOT NULL,
                    speaker_type TEXT NOT NULL
                );
                CREATE INDEX document_knowable ON document(knowable);
                CREATE TABLE sentence (
                    document_id INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
                    position INTEGER NOT NULL,
                    text TEXT NOT NULL,
                    score REAL NOT NULL,
                    relevant INTEGER NOT NULL,
                    speaker_type TEXT NOT NULL,
                    PRIMARY KEY (document_id, position)
                );
                CREATE TABLE claim (
                    id INTEGER PRIMARY KEY,
                    document_id INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
                    population TEXT NOT NULL,
                    share REAL NOT NULL,
                    proposition TEXT NOT NULL,
                    stance INTEGER NOT NULL,
                    sample_size INTEGER,
                    hedged INTEGER NOT NULL,
                    quote TEXT NOT NULL
                );
                CREATE INDEX claim_document ON claim(document_id);
                CREATE TABLE survey_observation (
                    id INTEGER PRIMARY KEY,
                    source_id INTEGER REFERENCES source(id),
                    survey TEXT NOT NULL,
                    publisher TEXT NOT NULL,
                    population TEXT NOT NULL,
                    metric TEXT NOT NULL,
                    share REAL NOT NULL,
                    sample_size INTEGER,
                    field_start REAL, field_end REAL,
                    published REAL NOT NULL,
                    UNIQUE (survey, population, metric, published)
                );
                CREATE TABLE series_point (
                    series TEXT NOT NULL,
                    day TEXT NOT NULL,
                    open REAL, high REAL, low REAL, close REAL, volume REAL,
                    value REAL,
                    PRIMARY KEY (series, day)
                ) WITHOUT ROWID;
                CREATE TABLE score_snapshot (
                    as_of REAL PRIMARY KEY,
                    bullishness REAL, regime REAL, divergence REAL, label TEXT,
                    snapshot TEXT NOT NULL,
                    computed_at REAL NOT NULL
                );
                """)
        }
        // v2: per-source ingest metrics for /metrics, and tombstones so pruned documents are not ingested again.
        migrator.registerMigration("v2") { db in
            try db.execute(sql: """
                CREATE TABLE source_metrics (
                    source_id INTEGER PRIMARY KEY REFERENCES source(id) ON DELETE CASCADE,
                    fetches INTEGER NOT NULL DEFAULT 0,
                    failures INTEGER NOT NULL DEFAULT 0,
                    items_new INTEGER NOT NULL DEFAULT 0,
                    items_seen INTEGER NOT NULL DEFAULT 0,
                    last_attempt REAL,
                    last_success REAL,
                    last_failure REAL,
                    last_items_new INTEGER,
                    last_fetch_seconds REAL,
                    fetch_seconds_total REAL NOT NULL DEFAULT 0
                );
                CREATE TABLE pruned_document (
                    dedup_key TEXT PRIMARY KEY,
                    pruned_at REAL NOT NULL
                ) WITHOUT ROWID;
                CREATE TRIGGER document_not_pruned BEFORE INSERT ON document
                WHEN EXISTS (SELECT 1 FROM pruned_document WHERE dedup_key = NEW.dedup_key)
                BEGIN SELECT RAISE(IGNORE); END;
                """)
        }
        migrator.registerMigration("v3-alerts") { db in
            try db.execute(sql: """
                CREATE TABLE alert_state (
                    name TEXT PRIMARY KEY,
                    value TEXT,
                    evaluated_at REAL NOT NULL,
                    fired_at REAL
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v4-knowable-on-sentences-and-claims") { db in
            // Report queries read sentences and claims by when they became knowable; copying the instant from the
            // document lets them use one index range instead of joining every document in the window.
            try db.execute(sql: """
                ALTER TABLE sentence ADD COLUMN knowable REAL;
                UPDATE sentence SET knowable = (SELECT knowable FROM document WHERE document.id = sentence.document_id);
                CREATE INDEX sentence_relevant_knowable ON sentence(relevant, knowable, speaker_type, score);
                ALTER TABLE claim ADD COLUMN knowable REAL;
                UPDATE claim SET knowable = (SELECT knowable FROM document WHERE document.id = claim.document_id);
                CREATE INDEX claim_knowable ON claim(knowable);
                """)
        }
        migrator.registerMigration("v5-sentence-day-moments") { db in
            // The news component's decayed sum reads one row per whole day from here (see SentenceDayMoments).
            try db.execute(sql: SentenceDayMoments.createTable + " WITHOUT ROWID")
            if let last = try Double.fetchOne(db, sql: "SELECT MAX(knowable) FROM sentence WHERE relevant = 1"), let lastDay = SentenceDayMoments.day(of: last) {
                try SentenceDayMoments.rebuild(days: 0..<(lastDay + 1), db: SQLiteSession(db: db))
            }
        }
        migrator.registerMigration("v6-opinion-units-and-stories") { db in
            try StoryMigration.apply(db)
        }
        migrator.registerMigration("v7-positioning") { db in
            // ETF net flows per fund per day and CFTC TFF rows per market and report date; a revision replaces its row.
            try db.execute(sql: PositioningTables.create)
        }
        migrator.registerMigration("v8-pruned-keys-checked-per-chunk") { db in
            // Documents are stored only by `DocumentChunkCommit` and `StoreCopy`, which both leave out pruned keys in the
            // same transaction as the insert, and SQLite has one writer at a time: the per-row trigger checked them a
            // second time (1.6–3 µs a row, measured on the same schema in Python's sqlite3). PostgreSQL keeps its trigger: a prune in another process can
            // commit between a chunk's query and its insert there.
            try db.execute(sql: "DROP TRIGGER IF EXISTS document_not_pruned")
        }
        return migrator
    }
}
