import Foundation
import GRDB
import Vocabulary

/// One source's ingest history, for `/metrics` and `doctor` (dates UTC, durations in seconds).
public struct SourceIngestMetrics: Sendable, Codable, Equatable {
    public var sourceID: Int64
    public var location: String
    public var name: String
    public var kind: SourceKind
    /// Fetch attempts that reached an outcome (success, not modified, failure).
    public var fetches: Int
    /// Attempts that failed (fetch or parse).
    public var failures: Int
    /// Failures since the last success (drives the backoff).
    public var consecutiveFailures: Int
    /// Documents, survey rows and series points newly stored, summed over every fetch.
    public var itemsNew: Int
    /// Items the source delivered, new or already stored, summed over every fetch.
    public var itemsSeen: Int
    public var lastAttempt: Date?
    public var lastSuccess: Date?
    public var lastFailure: Date?
    /// Items newly stored by the last successful fetch.
    public var lastItemsNew: Int?
    /// Duration of the last transfer.
    public var lastFetchSeconds: Double?
    /// Sum of every transfer's duration (divide by `fetches` for the mean).
    public var fetchSecondsTotal: Double
}

/// The outcome of one fetch of one source, to add to its metrics.
public struct IngestMetricsUpdate: Sendable, Equatable {
    public var sourceID: Int64
    public var at: Date
    public var succeeded: Bool
    public var itemsNew: Int
    public var itemsSeen: Int
    /// Transfer duration; nil when no transfer happened.
    public var fetchSeconds: Double?

    public init(sourceID: Int64, at: Date, succeeded: Bool, itemsNew: Int = 0, itemsSeen: Int = 0, fetchSeconds: Double?) {
        self.sourceID = sourceID
        self.at = at
        self.succeeded = succeeded
        self.itemsNew = itemsNew
        self.itemsSeen = itemsSeen
        self.fetchSeconds = fetchSeconds
    }
}

/// What `prune` removed.
public struct PruneCounts: Sendable, Equatable, Codable {
    public var documents = 0
    public var sentences = 0
    public var claims = 0
    public init() {}
}

/// A store file examined without migrating or writing it (for `doctor`).
public struct StoreInspection: Sendable, Equatable {
    public var path: String
    public var exists: Bool
    /// "ok" when sound, else SQLite's first finding or why the file could not be read.
    public var integrity: String?
    /// Migrations recorded in the file, oldest first.
    public var appliedMigrations: [String]
    /// Migrations this build knows that the file has not had yet (applied on the next write).
    public var pendingMigrations: [String]
    /// Migrations recorded in the file that this build does not know (a newer build wrote it).
    public var unknownMigrations: [String]
    public var documents: Int
    /// The latest fetch time recorded for a document (to spot a clock that went backwards).
    public var latestFetch: Date?
}

extension Store {
    /// The SQLite migration identifiers this build knows, oldest first.
    public static var knownMigrations: [String] { StoreSchema.migrator.migrations }

    /// The migration identifiers this build knows for this store's backend, oldest first.
    public var knownMigrations: [String] {
        switch backend {
        case .sqlite: StoreSchema.migrator.migrations
        case .postgresql: PostgresSchema.identifiers
        }
    }

    /// Migrations recorded in this store, oldest first.
    public func appliedMigrations() throws(StoreError) -> [String] {
        switch backend {
        case .sqlite(let pool, _):
            do { return try pool.read { db in try StoreSchema.migrator.appliedMigrations(db) } }
            catch let error as DatabaseError { throw Self.classify(error, path: path) }
            catch { throw .database(path: path, reason: "\(error)") }
        case .postgresql(let connections):
            return try connections.withConnection { session in try PostgresSchema.applied(session) }
        }
    }

    /// Adds one fetch outcome to the source's metrics in its own transaction.
    public func recordIngestMetrics(_ update: IngestMetricsUpdate) throws(StoreError) {
        try write { db in try Self.apply(update, db: db) }
    }

    /// Adds one fetch outcome to the source's metrics inside the caller's transaction.
    static func apply(_ update: IngestMetricsUpdate, db: any SQLSession) throws {
        try db.execute(sql: """
            INSERT INTO source_metrics AS m (source_id, fetches, failures, items_new, items_seen, last_attempt, last_success, last_failure,
                                        last_items_new, last_fetch_seconds, fetch_seconds_total)
            VALUES (?1, 1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, COALESCE(?9, 0))
            ON CONFLICT(source_id) DO UPDATE SET
                fetches = m.fetches + 1, failures = m.failures + ?2, items_new = m.items_new + ?3, items_seen = m.items_seen + ?4,
                last_attempt = ?5, last_success = COALESCE(?6, m.last_success), last_failure = COALESCE(?7, m.last_failure),
                last_items_new = COALESCE(?8, m.last_items_new), last_fetch_seconds = COALESCE(?9, m.last_fetch_seconds),
                fetch_seconds_total = m.fetch_seconds_total + COALESCE(?9, 0)
            """, arguments: [update.sourceID, update.succeeded ? 0 : 1, update.itemsNew, update.itemsSeen, update.at.storeSeconds,
                             update.succeeded ? update.at.storeSeconds : nil, update.succeeded ? nil : update.at.storeSeconds,
                             update.succeeded ? update.itemsNew : nil, update.fetchSeconds])
    }

    /// Every active source's ingest metrics, in source order; sources never fetched have zero counts and no dates.
    public func ingestMetrics() throws(StoreError) -> [SourceIngestMetrics] {
        try read { db in
            try SQLRow.fetchAll(db, sql: """
                SELECT s.id, s.location, s.name, s.kind, s.consecutive_failures, s.last_success AS source_last_success,
                       m.fetches, m.failures, m.items_new, m.items_seen, m.last_attempt, m.last_success, m.last_failure,
                       m.last_items_new, m.last_fetch_seconds, m.fetch_seconds_total
                FROM source s LEFT JOIN source_metrics m ON m.source_id = s.id
                WHERE s.active = 1 ORDER BY s.id
                """).map { row in
                let lastSuccess = (row["last_success"] as Double?) ?? (row["source_last_success"] as Double?)
                return SourceIngestMetrics(
                    sourceID: row["id"], location: row["location"], name: row["name"], kind: try sourceWord(row, "kind"),
                    fetches: row["fetches"] ?? 0, failures: row["failures"] ?? 0, consecutiveFailures: row["consecutive_failures"],
                    itemsNew: row["items_new"] ?? 0, itemsSeen: row["items_seen"] ?? 0,
                    lastAttempt: (row["last_attempt"] as Double?).map(Date.init(storeSeconds:)),
                    lastSuccess: lastSuccess.map(Date.init(storeSeconds:)),
                    lastFailure: (row["last_failure"] as Double?).map(Date.init(storeSeconds:)),
                    lastItemsNew: row["last_items_new"], lastFetchSeconds: row["last_fetch_seconds"],
                    fetchSecondsTotal: row["fetch_seconds_total"] ?? 0)
            }
        }
    }

    /// Deletes documents knowable before `cutoff` with their sentences and claims, in one transaction.
    ///
    /// Series points, survey observations, sources and score snapshots are kept. The dedup keys of deleted documents
    /// are remembered so a feed still serving an old item does not bring it back.
    @discardableResult
    public func prune(olderThan cutoff: Date, now: Date = Date()) throws(StoreError) -> PruneCounts {
        try write { db in
            var counts = PruneCounts()
            let old = "SELECT id FROM document WHERE knowable < ?"
            counts.sentences = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sentence WHERE document_id IN (\(old))", arguments: [cutoff.storeSeconds]) ?? 0
            counts.claims = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM claim WHERE document_id IN (\(old))", arguments: [cutoff.storeSeconds]) ?? 0
            try db.execute(sql: "INSERT INTO pruned_document (dedup_key, pruned_at) SELECT dedup_key, ? FROM document WHERE knowable < ? ON CONFLICT DO NOTHING",
                           arguments: [now.storeSeconds, cutoff.storeSeconds])
            // Keys merged into a pruned document (its feed entry or page) stay away too.
            try db.execute(sql: "INSERT INTO pruned_document (dedup_key, pruned_at) SELECT dedup_key, ? FROM document_alias WHERE document_id IN (\(old)) ON CONFLICT DO NOTHING",
                           arguments: [now.storeSeconds, cutoff.storeSeconds])
            try db.execute(sql: "DELETE FROM sentence WHERE document_id IN (\(old))", arguments: [cutoff.storeSeconds])
            try db.execute(sql: "DELETE FROM claim WHERE document_id IN (\(old))", arguments: [cutoff.storeSeconds])
            counts.documents = try db.execute(sql: "DELETE FROM document WHERE knowable < ?", arguments: [cutoff.storeSeconds])
            if let cutoffDay = SentenceDayMoments.day(of: cutoff.storeSeconds) {
                try db.execute(sql: "DELETE FROM sentence_day WHERE day < ?", arguments: [cutoffDay])
                try SentenceDayMoments.rebuild(days: cutoffDay..<(cutoffDay + 1), beliefOnly: true, db: db)
            }
            return counts
        }
    }

    /// Rewrites the file without free pages (`VACUUM`) and truncates the WAL; take the writer lock first. On PostgreSQL,
    /// `VACUUM ANALYZE` (autovacuum normally does this).
    public func compact() throws(StoreError) {
        let pool: DatabasePool
        switch backend {
        case .sqlite(let sqlite, _): pool = sqlite
        case .postgresql(let connections):
            try connections.withConnection { session in try session.execute(sql: "VACUUM ANALYZE") }
            return
        }
        do {
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "VACUUM")
                try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            }
        } catch let error as DatabaseError {
            throw Self.classify(error, path: path)
        } catch {
            throw .database(path: path, reason: "\(error)")
        }
    }

    /// Examines the store at `location` without creating, migrating or writing it.
    public static func inspect(location: StoreLocation) -> StoreInspection {
        guard case .postgresql(let postgres) = location else {
            if case .sqlite(let path) = location { return inspect(path: path) }
            return inspect(path: location.description)
        }
        var inspection = StoreInspection(path: postgres.redacted, exists: false, integrity: nil, appliedMigrations: [], pendingMigrations: [],
                                         unknownMigrations: [], documents: 0, latestFetch: nil)
        do {
            try PostgresBackend(location: postgres).withConnection { session in
                let applied = try PostgresSchema.applied(session)
                inspection.exists = !applied.isEmpty
                inspection.appliedMigrations = applied
                inspection.pendingMigrations = PostgresSchema.identifiers.filter { !applied.contains($0) }
                inspection.unknownMigrations = applied.filter { !PostgresSchema.identifiers.contains($0) }
                inspection.integrity = "ok"
                if try session.tableExists("document") {
                    inspection.documents = try Int.fetchOne(session, sql: "SELECT COUNT(*) FROM document") ?? 0
                    inspection.latestFetch = try Double.fetchOne(session, sql: "SELECT MAX(fetched) FROM document").map(Date.init(storeSeconds:))
                }
            }
        } catch {
            inspection.exists = true
            inspection.integrity = error.description
        }
        return inspection
    }

    /// Examines the file at `path` without creating, migrating or writing it.
    public static func inspect(path: String) -> StoreInspection {
        var inspection = StoreInspection(path: path, exists: FileManager.default.fileExists(atPath: path), integrity: nil,
                                         appliedMigrations: [], pendingMigrations: [], unknownMigrations: [], documents: 0, latestFetch: nil)
        guard inspection.exists else { return inspection }
        do {
            try checkHeader(path: path)
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            try queue.read { db in
                inspection.integrity = try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? "unknown"
                let applied = try db.tableExists("grdb_migrations") ? try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid") : []
                inspection.appliedMigrations = applied
                inspection.pendingMigrations = knownMigrations.filter { !applied.contains($0) }
                inspection.unknownMigrations = applied.filter { !knownMigrations.contains($0) }
                if try db.tableExists("document") {
                    inspection.documents = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM document") ?? 0
                    inspection.latestFetch = try Double.fetchOne(db, sql: "SELECT MAX(fetched) FROM document").map(Date.init(storeSeconds:))
                }
            }
        } catch let error as StoreError {
            inspection.integrity = error.description
        } catch let error as DatabaseError {
            inspection.integrity = error.message ?? "\(error.resultCode)"
        } catch {
            inspection.integrity = "\(error)"
        }
        return inspection
    }
}

extension Store {
    /// Recomputes every day's news moments from the stored belief units (after a bulk load that wrote units directly).
    public func rebuildDayMoments() throws(StoreError) {
        try write { db in
            guard let last = try Double.fetchOne(db, sql: "SELECT MAX(knowable) FROM sentence WHERE relevant = 1"),
                  let lastDay = SentenceDayMoments.day(of: last) else { return }
            try SentenceDayMoments.rebuild(days: 0..<(lastDay + 1), beliefOnly: true, db: db)
        }
    }
}
