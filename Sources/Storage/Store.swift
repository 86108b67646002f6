import Foundation
import GRDB
import GRDBSQLite
import Market
import Scoring
import Surveys

/// The divergence store: one SQLite file in WAL mode, migrated on open.
///
/// Every ingest of one source is one transaction: a failure leaves everything else committed and nothing half-written.
public final class Store: Sendable {
    /// How a process uses the store: the ingest side writes, every reader only reads.
    public enum Access: Sendable, Equatable {
        /// Creates the file when needed, migrates it, and writes.
        case readWrite
        /// Opens an existing, current store with read-only connections that still see other processes' WAL commits:
        /// nothing is created, migrated or written, so a user without write permission on the file can read it.
        case readOnly
    }

    /// The file path.
    public let path: String
    /// Whether this process may write.
    public let access: Access
    let pool: DatabasePool
    /// SQLite was built with its math functions (`pow`), which are faster than the registered `divergence_decay`.
    let hasNativeMath: Bool

    /// Opens the store at `path`: with `.readWrite` (the default) creating and migrating it when needed; with
    /// `.readOnly` an existing store on the current schema, never written.
    public init(path: String, access: Access = .readWrite) throws(StoreError) {
        self.path = path
        self.access = access
        if let scheme = Self.urlScheme(path) {
            throw .notAStore(path: path, reason: "a \(scheme):// URL, not a file path; this build stores in SQLite files only")
        }
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
            pool = try DatabasePool(path: path, configuration: configuration)
            if try pool.read(Self.isForeign) { throw StoreError.notAStore(path: path, reason: Self.foreignReason) }
            if access == .readWrite {
                try StoreSchema.migrator.migrate(pool)
            } else if try !pool.read({ db in try StoreSchema.migrator.hasCompletedMigrations(db) }) {
                throw StoreError.notCurrent(path: path, reason: "its schema is older than this build's: run `divergence ingest` once as the store's owner to migrate it")
            }
            let native = (try? pool.read { db in try Double.fetchOne(db, sql: "SELECT pow(0.5, 2.0)") }) == 0.25
            hasNativeMath = native
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
        return try Store(path: path, access: access)
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

    func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try pool.write(body) }
        catch let error as DatabaseError { throw Self.classify(error, path: path) }
        catch let error as StoreError { throw error }
        catch { throw .database(path: path, reason: "\(error)") }
    }

    func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try pool.read(body) }
        catch let error as DatabaseError { throw Self.classify(error, path: path) }
        catch let error as StoreError { throw error }
        catch { throw .database(path: path, reason: "\(error)") }
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

    /// `PRAGMA integrity_check`; "ok" when the file is sound.
    public func integrityCheck() throws(StoreError) -> String {
        try read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? "unknown" }
    }
}

extension Store {
    /// SQL for 0.5^(age / half-life) of `column`, taking two parameters: the as-of instant and the half-life, in seconds.
    func decaySQL(_ column: String) -> String {
        hasNativeMath ? "pow(0.5, max(0.0, ? - \(column)) / ?)" : "divergence_decay(? - \(column), ?)"
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
