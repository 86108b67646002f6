import Foundation
import GRDB
import Market
import Scoring
import Surveys

/// The divergence store: one SQLite file in WAL mode, migrated on open.
///
/// Every ingest of one source is one transaction: a failure leaves everything else committed and nothing half-written.
public final class Store: Sendable {
    /// The file path.
    public let path: String
    let pool: DatabasePool
    /// SQLite was built with its math functions (`pow`), which are faster than the registered `divergence_decay`.
    let hasNativeMath: Bool

    /// Opens (creating when needed) the store at `path` and migrates it.
    public init(path: String) throws(StoreError) {
        self.path = path
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .notWritable(path: path, reason: "cannot create \(directory)")
        }
        if FileManager.default.fileExists(atPath: path) {
            try Self.checkHeader(path: path)
            try Self.checkNotForeign(path: path)
        } else if !FileManager.default.isWritableFile(atPath: directory) {
            throw .notWritable(path: path, reason: "directory \(directory) is not writable")
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.foreignKeysEnabled = true
        // WAL with synchronous=NORMAL: a crashed or killed process never corrupts the file or loses a committed
        // transaction; only a power loss can drop the last commits.
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            db.add(function: Store.decayFunction)
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            if try pool.read(Self.isForeign) { throw StoreError.notAStore(path: path, reason: Self.foreignReason) }
            try StoreSchema.migrator.migrate(pool)
            let native = (try? pool.read { db in try Double.fetchOne(db, sql: "SELECT pow(0.5, 2.0)") }) == 0.25
            hasNativeMath = native
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

    /// Opens an existing store for reading; nil when no file exists at `path` (nothing is created).
    public static func openIfPresent(path: String) throws(StoreError) -> Store? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return try Store(path: path)
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
