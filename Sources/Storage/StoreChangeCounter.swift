import Foundation
import GRDB

/// Tells whether anything was committed to a store since the last look, by this process or any other.
///
/// On SQLite, holds one read-only connection of its own and reads `PRAGMA data_version`, which changes whenever another
/// connection commits to the file (this connection never writes, so every commit counts). On PostgreSQL, reads the
/// `store_change` sequence every write moves after its commit. Cheap enough to call per request: no table is read.
public final class StoreChangeCounter: Sendable {
    enum Source: Sendable {
        case sqlite(DatabaseQueue)
        case postgresql(PostgresBackend)
    }

    let source: Source
    let path: String

    /// Opens a read-only connection to `store`'s file, or shares its PostgreSQL connections.
    public init(store: Store) throws(StoreError) {
        path = store.path
        switch store.backend {
        case .postgresql(let connections):
            source = .postgresql(connections)
        case .sqlite:
            var configuration = Configuration()
            configuration.readonly = true
            configuration.busyMode = .timeout(10)
            do {
                source = .sqlite(try DatabaseQueue(path: store.path, configuration: configuration))
            } catch let error as DatabaseError {
                throw Store.classify(error, path: store.path)
            } catch {
                throw .database(path: store.path, reason: "\(error)")
            }
        }
    }

    /// A value that differs from the previous call's whenever a commit happened in between; equal values mean none did.
    public func current() throws(StoreError) -> Int64 {
        switch source {
        case .postgresql(let connections):
            return try connections.withConnection { session in
                try Int64.fetchOne(session, sql: "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM store_change") ?? 0
            }
        case .sqlite(let queue):
            do {
                return try queue.inDatabase { db in try Int64.fetchOne(db.cachedStatement(sql: "PRAGMA data_version")) ?? 0 }
            } catch let error as DatabaseError {
                throw Store.classify(error, path: path)
            } catch {
                throw .database(path: path, reason: "\(error)")
            }
        }
    }
}
