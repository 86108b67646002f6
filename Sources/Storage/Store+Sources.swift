import Foundation
import JSONOutput
import Vocabulary

extension Store {
    /// Creates or refreshes sources from the config file; config sources no longer listed become inactive.
    public func syncConfiguredSources(_ definitions: [SourceDefinition], now: Date = Date()) throws(StoreError) {
        try write { db in
            for definition in definitions {
                try upsert(definition, origin: "config", db: db, now: now)
            }
            // Compared here rather than in `NOT IN (?, …)`: SQLite caps the variables of one statement (32,766).
            let keep = Set(definitions.map(\.location))
            let listed = try SQLRow.fetchAll(db, sql: "SELECT id, location FROM source WHERE origin = 'config' AND active = 1")
            for row in listed where !keep.contains(row["location"] as String) {
                try db.execute(sql: "UPDATE source SET active = 0 WHERE id = ?", arguments: [row["id"] as Int64])
            }
        }
    }

    /// Adds a source from the command line; fails when the location is already stored.
    @discardableResult
    public func addSource(_ definition: SourceDefinition, now: Date = Date()) throws(StoreError) -> StoredSource {
        try write { db in
            if let existing = try SQLRow.fetchOne(db, sql: "SELECT origin, active FROM source WHERE location = ?", arguments: [definition.location]),
               (existing["active"] as Int) == 1 {
                throw StoreError.database(path: path, reason: "source \(definition.location) is already listed (from \(existing["origin"] as String))")
            }
            try upsert(definition, origin: "cli", db: db, now: now)
        }
        guard let source = try sources().first(where: { $0.location == definition.location }) else {
            throw .notFound(path: path, what: "source \(definition.location)")
        }
        return source
    }

    /// Removes a source added from the command line, keeping its documents; config sources must be removed from the config.
    public func removeSource(location: String) throws(StoreError) {
        try write { db in
            guard let row = try SQLRow.fetchOne(db, sql: "SELECT origin FROM source WHERE location = ? AND active = 1", arguments: [location]) else {
                throw StoreError.notFound(path: path, what: "source \(location)")
            }
            if (row["origin"] as String) == "config" {
                throw StoreError.database(path: path, reason: "source \(location) comes from the config file; remove it there")
            }
            try db.execute(sql: "UPDATE source SET active = 0 WHERE location = ?", arguments: [location])
        }
    }

    /// Every active source, in the order they were added.
    public func sources(includeInactive: Bool = false) throws(StoreError) -> [StoredSource] {
        try read { db in
            let rows = try SQLRow.fetchAll(db, sql: "SELECT * FROM source \(includeInactive ? "" : "WHERE active = 1") ORDER BY id")
            return try rows.map(source(from:))
        }
    }

    /// Records a fetch outcome for a source without touching its data.
    public func recordFetchState(sourceID: Int64, _ update: FetchStateUpdate, metrics: IngestMetricsUpdate? = nil) throws(StoreError) {
        try write { db in try Self.record(update, sourceID: sourceID, metrics: metrics, db: db) }
    }

    /// A fetch's new state and, when given, its metrics, inside the caller's transaction.
    static func record(_ update: FetchStateUpdate, sourceID: Int64, metrics: IngestMetricsUpdate?, db: any SQLSession) throws {
        try apply(update, sourceID: sourceID, db: db)
        if let metrics { try apply(metrics, db: db) }
    }

    static func apply(_ update: FetchStateUpdate, sourceID: Int64, db: any SQLSession) throws {
        // The fetch is recorded, so its lease (PostgreSQL: see `leaseSources`) ends with it.
        let endLease = db.dialect == .postgresql ? ", lease_owner = NULL, lease_until = NULL" : ""
        try db.execute(sql: """
            UPDATE source SET etag = ?, last_modified = ?, last_status = ?, last_error = ?, consecutive_failures = ?,
                next_fetch = ?, last_success = COALESCE(?, last_success), disabled = ?\(endLease)
            WHERE id = ?
            """, arguments: [update.etag, update.lastModified, update.lastStatus, update.lastError, update.consecutiveFailures,
                             update.nextFetch?.storeSeconds, update.succeededAt?.storeSeconds, update.disabled, sourceID])
        if let location = update.location {
            let taken = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM source WHERE location = ? AND id != ?", arguments: [location, sourceID]) ?? 0
            if taken == 0 { try db.execute(sql: "UPDATE source SET location = ? WHERE id = ?", arguments: [location, sourceID]) }
        }
    }

    func upsert(_ definition: SourceDefinition, origin: String, db: any SQLSession, now: Date) throws {
        let options = String(decoding: try JSONEncoding.encode(definition.options, layout: .compact, keys: .asDeclared), as: UTF8.self)
        try db.execute(sql: """
            INSERT INTO source (location, name, kind, publisher_type, interval_seconds, origin, options, active, added_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)
            ON CONFLICT(location) DO UPDATE SET name = excluded.name, kind = excluded.kind, publisher_type = excluded.publisher_type,
                interval_seconds = excluded.interval_seconds, origin = excluded.origin, options = excluded.options, active = 1
            """, arguments: [definition.location, definition.name, definition.kind, definition.publisherType,
                             definition.intervalSeconds, origin, options, now.storeSeconds])
    }

    /// A `source` row as a record; a kind or publisher type this version does not know is an error naming the row.
    func source(from row: SQLRow) throws(StoreError) -> StoredSource {
        let optionsText: String = row["options"]
        let options = (try? JSONDecoder().decode([String: String].self, from: Data(optionsText.utf8))) ?? [:]
        return StoredSource(
            id: row["id"], location: row["location"], name: row["name"],
            kind: try sourceWord(row, "kind"), publisherType: try sourceWord(row, "publisher_type"),
            intervalSeconds: row["interval_seconds"], origin: row["origin"], options: options, active: row["active"],
            etag: row["etag"], lastModified: row["last_modified"], lastStatus: row["last_status"], lastError: row["last_error"],
            consecutiveFailures: row["consecutive_failures"],
            nextFetch: (row["next_fetch"] as Double?).map(Date.init(storeSeconds:)),
            lastSuccess: (row["last_success"] as Double?).map(Date.init(storeSeconds:)),
            disabled: row["disabled"])
    }

    /// The `source` row's `column` as one of the shared words; a value outside them is `StoreError.unreadableRow`
    /// naming the source, never a default (a `podcast` row does not quietly ingest as news).
    func sourceWord<Word: SQLWord>(_ row: SQLRow, _ column: String) throws(StoreError) -> Word {
        try storedWord(row[column], column: column, row: "source \(row["id"] as Int64) (\(row["location"] as String))", fix: "fix the row or remove the source")
    }
}
