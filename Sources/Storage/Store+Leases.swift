import Foundation

/// Many ingest workers on one PostgreSQL store share its due sources: each leases the sources it fetches, until it
/// commits them or the lease expires (a worker that died loses its leases then, and another picks the sources up).
///
/// On SQLite one process writes at a time (the writer lock), so every source asked for is granted.
extension Store {
    /// `pg_advisory_xact_lock` key serialising lease grants, so the per-host count holds across workers.
    static let leaseLock: Int64 = 0x6469_7665_7267_0003

    /// Leases those of `sourceIDs` not leased by another worker (and, with `onlyIfDue`, still due at `now`: not fetched
    /// by another worker since the caller looked), at most `perHost` per host counting every worker's unexpired
    /// leases (local files have no host and no limit); returns the IDs granted, which `owner` holds until
    /// `now + duration`, and those held back only by their host's limit (to ask for again once leases end).
    public func leaseSources(_ sourceIDs: [Int64], owner: String, now: Date, duration: TimeInterval, perHost: Int,
                             onlyIfDue: Bool = false) throws(StoreError) -> (granted: Set<Int64>, heldBack: [Int64]) {
        guard case .postgresql = backend, !sourceIDs.isEmpty else { return (Set(sourceIDs), []) }
        return try write { db in
            try db.execute(sql: "SELECT pg_advisory_xact_lock(?)", arguments: [Self.leaseLock])
            var perHostLeased: [String: Int] = [:]
            for location in try String.fetchAll(db, sql: "SELECT location FROM source WHERE lease_until > ? AND lease_owner <> ?",
                                                arguments: [now.storeSeconds, owner]) {
                perHostLeased[Self.host(of: location), default: 0] += 1
            }
            var granted: Set<Int64> = [], heldBack: [Int64] = []
            for chunk in stride(from: 0, to: sourceIDs.count, by: 1_000).map({ Array(sourceIDs[$0..<min(sourceIDs.count, $0 + 1_000)]) }) {
                let candidates = try SQLRow.fetchAll(db, sql: """
                    SELECT id, location FROM source
                    WHERE id IN (\(sqlQuestionMarks(count: chunk.count))) AND active = 1
                      AND (lease_until IS NULL OR lease_until <= ? OR lease_owner = ?)
                      AND (? = 0 OR next_fetch IS NULL OR next_fetch <= ?)
                    ORDER BY id FOR UPDATE SKIP LOCKED
                    """, arguments: SQLArguments(chunk) + [now.storeSeconds, owner, onlyIfDue, now.storeSeconds])
                for row in candidates {
                    let host = Self.host(of: row["location"])
                    guard host.isEmpty || perHostLeased[host, default: 0] < perHost else { heldBack.append(row["id"]); continue }
                    perHostLeased[host, default: 0] += 1
                    granted.insert(row["id"])
                }
            }
            for chunk in stride(from: 0, to: granted.count, by: 1_000).map({ Array(granted.sorted()[$0..<min(granted.count, $0 + 1_000)]) }) {
                try db.execute(sql: "UPDATE source SET lease_owner = ?, lease_until = ? WHERE id IN (\(sqlQuestionMarks(count: chunk.count)))",
                               arguments: [owner, (now + duration).storeSeconds] + SQLArguments(chunk))
            }
            return (granted, heldBack)
        }
    }

    /// Gives back the leases `owner` still holds (sources it did not commit: a cancelled round).
    public func releaseLeases(owner: String) throws(StoreError) {
        guard case .postgresql = backend else { return }
        try write { db in
            try db.execute(sql: "UPDATE source SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ?", arguments: [owner])
        }
    }

    /// The sources leased now, by owner (for `doctor` and tests).
    public func leases(at now: Date) throws(StoreError) -> [Int64: String] {
        guard case .postgresql = backend else { return [:] }
        return try read { db in
            var leases: [Int64: String] = [:]
            for row in try SQLRow.fetchAll(db, sql: "SELECT id, lease_owner FROM source WHERE lease_until > ?", arguments: [now.storeSeconds]) {
                leases[row["id"]] = row["lease_owner"]
            }
            return leases
        }
    }

    /// Runs `body` while no other process runs its own `exclusively` body on this store: the per-round work (score
    /// snapshot, alert evaluation) that must happen once at a time across workers, so an alert never fires twice.
    ///
    /// PostgreSQL: a session advisory lock on a connection held for the duration (released if the process dies);
    /// SQLite: the writer lock the caller holds already serialises it.
    public func exclusively<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        guard case .postgresql(let connections) = backend else { return try await body() }
        let connection = try connections.checkout()
        let session = PostgresSession(connection: connection)
        do {
            try session.execute(sql: "SELECT pg_advisory_lock(?)", arguments: [PostgresSchema.roundLock])
        } catch {
            connections.release(connection)
            throw connections.classify(error)
        }
        defer {
            _ = try? session.execute(sql: "SELECT pg_advisory_unlock(?)", arguments: [PostgresSchema.roundLock])
            connections.release(connection)
        }
        return try await body()
    }

    /// The host a source location counts against for politeness ("" for a file path).
    static func host(of location: String) -> String {
        URLComponents(string: location)?.host?.lowercased() ?? ""
    }
}
