import Foundation
import GRDB

/// Tells whether anything was committed to a store since the last look, by this process or any other.
///
/// Holds one read-only SQLite connection of its own and reads `PRAGMA data_version`, which changes whenever another
/// connection commits to the file (this connection never writes, so every commit counts). Cheap enough to call per
/// request: no table is read and no transaction is opened.
public final class StoreChangeCounter: Sendable {
    let queue: DatabaseQueue
    let path: String

    /// Opens a read-only connection to `store`'s file.
    public init(store: Store) throws(StoreError) {
        path = store.path
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        do {
            queue = try DatabaseQueue(path: store.path, configuration: configuration)
        } catch let error as DatabaseError {
            throw Store.classify(error, path: store.path)
        } catch {
            throw .database(path: store.path, reason: "\(error)")
        }
    }

    /// A value that differs from the previous call's whenever a commit happened in between; equal values mean none did.
    public func current() throws(StoreError) -> Int64 {
        do {
            return try queue.inDatabase { db in try Int64.fetchOne(db.cachedStatement(sql: "PRAGMA data_version")) ?? 0 }
        } catch let error as DatabaseError {
            throw Store.classify(error, path: path)
        } catch {
            throw .database(path: path, reason: "\(error)")
        }
    }
}
