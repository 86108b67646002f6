import Foundation

/// Why the store could not be opened, read or written.
public enum StoreError: Error, Sendable, CustomStringConvertible {
    /// The directory for the store cannot be created or written.
    case notWritable(path: String, reason: String)
    /// The file exists but is not a SQLite database of this tool.
    case notAStore(path: String, reason: String)
    /// A read or write failed.
    case database(path: String, reason: String)
    /// A record refers to something that is not in the store.
    case notFound(path: String, what: String)
    /// A read-only opening found a store that needs migrations first.
    case notCurrent(path: String, reason: String)
    /// A stored row holds a value this version does not know (e.g. a source kind written by another program).
    case unreadableRow(path: String, row: String, reason: String)

    public var description: String {
        switch self {
        case .notWritable(let path, let reason): "store \(path): cannot write: \(reason)"
        case .notAStore(let path, let reason): "store \(path): not a divergence store: \(reason)"
        case .database(let path, let reason): "store \(path): \(reason)"
        case .notFound(let path, let what): "store \(path): \(what) not found"
        case .notCurrent(let path, let reason): "store \(path): \(reason)"
        case .unreadableRow(let path, let row, let reason): "store \(path): \(row): \(reason)"
        }
    }
}
