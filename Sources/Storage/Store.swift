import Foundation
import Synchronization
import GRDB
import GRDBSQLite
import Market
import Scoring
import Surveys

/// The divergence store: one SQLite file in WAL mode, or one PostgreSQL database shared by many processes; migrated on open.
///
/// Every ingest of one source is one transaction: a failure leaves everything else committed and nothing half-written.
/// The queries are written once, in the SQL both backends speak (`SQLSession`); `SQLDialect` covers the few differences.
public final class Store: Sendable {
    /// How a process uses the store: the ingest side writes, every reader only reads.
    public enum Access: Sendable, Equatable {
        /// Creates the file when needed, migrates it, and writes.
        case readWrite
        /// Opens an existing, current store with read-only connections that still see other processes' WAL commits:
        /// nothing is created, migrated or written, so a user without write permission on the file can read it.
        case readOnly
    }

    /// The connections behind the store.
    enum Backend: Sendable {
        /// A WAL file; `nativeMath` when SQLite was built with its math functions (`pow`), faster than the registered
        /// `divergence_decay`.
        case sqlite(DatabasePool, nativeMath: Bool)
        case postgresql(PostgresBackend)
    }

    /// The file path, or the PostgreSQL URL without its password: how messages name the store.
    public let path: String
    /// Where the store is.
    public let location: StoreLocation
    /// Whether this process may write.
    public let access: Access
    let backend: Backend
    /// Documents this process has stored, and how many it had stored when it last refreshed PostgreSQL's planner
    /// statistics (see `refreshPlannerStatisticsIfDue`).
    let documentsStored = Mutex<(total: Int, atLastAnalyze: Int)>((0, 0))

    /// Opens the store at `path` (a file, or a `postgresql://` URL with its password from the URL or `PGPASSWORD`):
    /// with `.readWrite` (the default) creating and migrating it when needed; with `.readOnly` an existing store on
    /// the current schema, never written.
    public convenience init(path: String, access: Access = .readWrite) throws(StoreError) {
        try self.init(location: StoreLocation.parse(path), access: access)
    }

    /// Opens the store at `location`; see `init(path:access:)`.
    public convenience init(location: StoreLocation, access: Access = .readWrite) throws(StoreError) {
        switch location {
        case .sqlite(let path):
            self.init(location: location, access: access, backend: try Self.openSQLite(path: path, access: access))
        case .postgresql(let postgres):
            self.init(location: location, access: access, backend: try Self.openPostgreSQL(try PostgresBackend(location: postgres), at: postgres, access: access))
        }
    }

    private init(location: StoreLocation, access: Access, backend: Backend) {
        self.location = location
        self.access = access
        self.backend = backend
        path = location.description
    }

    /// The store over `connections`: migrated when it is opened for writing; otherwise checked to be a current store
    /// (`applied`, the migrations the database holds, when the caller has already read them).
    static func openPostgreSQL(_ connections: PostgresBackend, at postgres: PostgresLocation, access: Access, applied: [String]? = nil) throws(StoreError) -> Backend {
        if access == .readWrite {
            try PostgresSchema.migrate(connections)
            return .postgresql(connections)
        }
        let applied = if let applied { applied } else { try connections.withConnection { session in try PostgresSchema.applied(session) } }
        if applied.isEmpty {
            throw StoreError.notFound(path: postgres.redacted, what: "a divergence store (the database has no divergence tables): run `divergence ingest` once with a role that may create them")
        }
        if !Set(PostgresSchema.identifiers).isSubset(of: Set(applied)) {
            throw StoreError.notCurrent(path: postgres.redacted, reason: "its schema is older than this build's: run `divergence ingest` once with a role that may migrate it")
        }
        return .postgresql(connections)
    }

    /// The SQL dialect of the backend.
    var dialect: SQLDialect {
        switch backend {
        case .sqlite: .sqlite
        case .postgresql: .postgresql
        }
    }

    static func openSQLite(path: String, access: Access) throws(StoreError) -> Backend {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if access == .readOnly {
            guard FileManager.default.fileExists(atPath: path) else { throw .notFound(path: path, what: "the store file") }
        } else {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw .notWritable(path: path, reason: "cannot create \(directory)")
            }
        }
        if FileManager.default.fileExists(atPath: path) {
            try Self.checkHeader(path: path)
            try Self.checkNotForeign(path: path)
        } else if !FileManager.default.isWritableFile(atPath: directory) {
            throw .notWritable(path: path, reason: "directory \(directory) is not writable")
        }
        var configuration = Configuration()
        configuration.readonly = access == .readOnly
        configuration.busyMode = .timeout(10)
        configuration.foreignKeysEnabled = true
        // WAL with synchronous=NORMAL: a crashed or killed process never corrupts the file or loses a committed
        // transaction; only a power loss can drop the last commits.
        configuration.prepareDatabase { db in
            if access == .readWrite {
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                // Keep the -wal and -shm files after the last connection closes, so that a reader without write
                // permission on the folder (the API's own user) can still open the store read-only.
                var persist: Int32 = 1
                _ = sqlite3_file_control(db.sqliteConnection, "main", SQLITE_FCNTL_PERSIST_WAL, &persist)
            }
            db.add(function: Store.decayFunction)
        }
        do {
            let pool = try DatabasePool(path: path, configuration: configuration)
            if try pool.read(Self.isForeign) { throw StoreError.notAStore(path: path, reason: Self.foreignReason) }
            if access == .readWrite {
                try StoreSchema.migrator.migrate(pool)
            } else if try !pool.read({ db in try StoreSchema.migrator.hasCompletedMigrations(db) }) {
                throw StoreError.notCurrent(path: path, reason: "its schema is older than this build's: run `divergence ingest` once as the store's owner to migrate it")
            }
            let native = (try? pool.read { db in try Double.fetchOne(db, sql: "SELECT pow(0.5, 2.0)") }) == 0.25
            return .sqlite(pool, nativeMath: native)
        } catch let error as DatabaseError where access == .readOnly && error.resultCode == .SQLITE_READONLY {
            throw .notWritable(path: path, reason: "cannot be read without write access to its folder: it has no -wal/-shm files beside it "
                + "(last written by an older build); run `divergence ingest` once as the store's owner")
        } catch let error as DatabaseError {
            throw Self.classify(error, path: path)
        } catch let error as StoreError {
            throw error
        } catch {
            throw .database(path: path, reason: "\(error)")
        }
    }

    static let foreignReason = "a SQLite database of another application (it has tables, none of them divergence's)"

    /// True when the database has a schema that the store's migrator never wrote (no `grdb_migrations`).
    static func isForeign(_ db: Database) throws -> Bool {
        try !db.tableExists("grdb_migrations") && (Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master") ?? 0) > 0
    }

    /// Refuses another application's database through a read-only connection, before the pool would switch it to WAL
    /// and touch it (when that connection cannot be opened, the pool's own check still refuses it).
    static func checkNotForeign(path: String) throws(StoreError) {
        var configuration = Configuration()
        configuration.readonly = true
        guard let queue = try? DatabaseQueue(path: path, configuration: configuration) else { return }
        defer { try? queue.close() }
        if (try? queue.read(isForeign)) == true { throw .notAStore(path: path, reason: foreignReason) }
    }

    /// Opens an existing store (read-only unless `access` says otherwise); nil when no file exists at `path` (nothing
    /// is created).
    public static func openIfPresent(path: String, access: Access = .readOnly) throws(StoreError) -> Store? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return try Store(location: .sqlite(path: path), access: access)
    }

    /// Opens an existing store at `location`; nil when there is none (no file, or a PostgreSQL database without
    /// divergence's tables; nothing is created).
    public static func openIfPresent(location: StoreLocation, access: Access = .readOnly) throws(StoreError) -> Store? {
        switch location {
        case .sqlite(let path):
            return try openIfPresent(path: path, access: access)
        case .postgresql(let postgres):
            // The probe's connection is the store's: one connection, not one to look and another to open.
            let connections = try PostgresBackend(location: postgres)
            let applied = try connections.withConnection { session in try PostgresSchema.applied(session) }
            if applied.isEmpty { return nil }
            return Store(location: location, access: access, backend: try openPostgreSQL(connections, at: postgres, access: access, applied: applied))
        }
    }

    /// The scheme of a `scheme://…` location, which is never a file name; nil for a path.
    static func urlScheme(_ location: String) -> String? {
        guard let range = location.range(of: "://") else { return nil }
        let scheme = location[..<range.lowerBound]
        guard let first = scheme.first, first.isASCII, first.isLetter,
              scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+.-".contains($0)) }) else { return nil }
        return String(scheme)
    }

    /// Refuses a file that is not SQLite before GRDB touches it.
    static func checkHeader(path: String) throws(StoreError) {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw .notAStore(path: path, reason: "cannot be read") }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        if header.isEmpty { return }
        if header != Data("SQLite format 3\0".utf8) { throw .notAStore(path: path, reason: "the file is not a SQLite database") }
    }

    static func classify(_ error: DatabaseError, path: String) -> StoreError {
        switch error.resultCode {
        case .SQLITE_NOTADB, .SQLITE_CORRUPT: .notAStore(path: path, reason: error.message ?? "\(error.resultCode)")
        case .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_FULL, .SQLITE_IOERR:
            .notWritable(path: path, reason: error.message ?? "\(error.resultCode)")
        default: .database(path: path, reason: error.message ?? "\(error)")
        }
    }

    /// Runs a GRDB call, turning its errors into `StoreError`s that name the store.
    func classifyingSQLiteErrors<T>(_ body: () throws -> T) throws(StoreError) -> T {
        do { return try body() }
        catch let error as DatabaseError { throw Self.classify(error, path: path) }
        catch let error as StoreError { throw error }
        catch { throw .database(path: path, reason: "\(error)") }
    }

    /// Runs `body` in one write transaction.
    @discardableResult
    func write<T>(_ body: (any SQLSession) throws -> T) throws(StoreError) -> T {
        switch backend {
        case .sqlite(let pool, _):
            return try classifyingSQLiteErrors { try pool.write { db in try body(SQLiteSession(db: db)) } }
        case .postgresql(let connections):
            if access == .readOnly { throw .notWritable(path: path, reason: "opened read-only") }
            let result = try connections.transaction(readOnly: false, body)
            // Every write moves the change counter API replicas poll (see `StoreChangeCounter`), after its commit, so a
            // replica that sees the new value also sees the data.
            try connections.withConnection { session in try session.execute(sql: "SELECT nextval('store_change')") }
            return result
        }
    }

    /// Runs `body` in one read transaction (a consistent snapshot).
    func read<T>(_ body: (any SQLSession) throws -> T) throws(StoreError) -> T {
        switch backend {
        case .sqlite(let pool, _):
            return try classifyingSQLiteErrors { try pool.read { db in try body(SQLiteSession(db: db)) } }
        case .postgresql(let connections):
            return try connections.transaction(readOnly: true, body)
        }
    }

    /// Counts of everything stored.
    public func summary() throws(StoreError) -> StoreSummary {
        try read { db in
            func count(_ sql: String) throws -> Int { try Int.fetchOne(db, sql: sql) ?? 0 }
            return StoreSummary(
                sources: try count("SELECT COUNT(*) FROM source WHERE active = 1"),
                documents: try count("SELECT COUNT(*) FROM document"),
                claims: try count("SELECT COUNT(*) FROM claim"),
                surveyObservations: try count("SELECT COUNT(*) FROM survey_observation"),
                pricePoints: try count("SELECT COUNT(*) FROM series_point WHERE series = 'btc_usd'"),
                hashratePoints: try count("SELECT COUNT(*) FROM series_point WHERE series = 'hashrate_ehs'"),
                snapshots: try count("SELECT COUNT(*) FROM score_snapshot"))
        }
    }

    /// `PRAGMA integrity_check` on SQLite ("ok" when the file is sound); on PostgreSQL, "ok" when the server answers a
    /// read of every table (the server keeps its own files consistent).
    public func integrityCheck() throws(StoreError) -> String {
        switch dialect {
        case .sqlite: return try read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? "unknown" }
        case .postgresql:
            _ = try summary()
            return "ok"
        }
    }
}

extension Store {
    /// SQL for 0.5^(age / half-life) of `column`, taking two parameters: the as-of instant and the half-life, in seconds.
    func decaySQL(_ column: String) -> String {
        switch backend {
        case .sqlite(_, let nativeMath): nativeMath ? "pow(0.5, max(0.0, ? - \(column)) / ?)" : "divergence_decay(? - \(column), ?)"
        case .postgresql: "pow(0.5, GREATEST(0.0, ? - \(column)) / ?)"
        }
    }

    /// `divergence_decay(age_seconds, half_life_seconds)` = 0.5^(age / half-life): the age decay of the scores, in SQL.
    static let decayFunction = DatabaseFunction("divergence_decay", argumentCount: 2, pure: true) { values in
        guard let age = Double.fromDatabaseValue(values[0]), let halfLife = Double.fromDatabaseValue(values[1]), halfLife > 0 else { return 1.0 }
        return pow(0.5, max(0, age) / halfLife)
    }
}

extension Date {
    var storeSeconds: Double { timeIntervalSince1970 }
    init(storeSeconds: Double) { self.init(timeIntervalSince1970: storeSeconds) }
}
