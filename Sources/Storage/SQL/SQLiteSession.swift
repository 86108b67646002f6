import Foundation
import GRDB
import GRDBSQLite

/// A `SQLSession` over one GRDB database connection.
///
/// Statements come from GRDB's per-connection cache; their values are bound and their rows read with SQLite's own
/// calls. Going through GRDB's `StatementArguments` and `Row` boxed every value and copied it twice more: on an ingest
/// of 1,000 feeds that was about 14% of the writer's CPU samples (perf).
struct SQLiteSession: SQLSession {
    let db: Database
    var dialect: SQLDialect { .sqlite }

    @discardableResult
    func execute(sql: String, arguments: SQLArguments) throws -> Int {
        try run(sql: sql, arguments: arguments) { _, _ in }
        return db.changesCount
    }

    func fetchRows(sql: String, arguments: SQLArguments) throws -> [SQLRow] {
        var rows: [SQLRow] = []
        // Most lookups on the ingest path find nothing: the column index is built only once there is a row.
        var columns: SQLColumns?
        try run(sql: sql, arguments: arguments) { statement, handle in
            let names = columns ?? SQLColumns(statement.columnNames)
            columns = names
            rows.append(SQLRow(columns: names, values: (0..<sqlite3_column_count(handle)).map { Self.value(of: handle, column: $0) }))
        }
        return rows
    }

    func fetchFlatRows(sql: String, arguments: SQLArguments) throws -> (width: Int, values: [SQLValue]) {
        var values: [SQLValue] = []
        let width = try run(sql: sql, arguments: arguments) { _, handle in
            for column in 0..<sqlite3_column_count(handle) { values.append(Self.value(of: handle, column: column)) }
        }
        return (width, values)
    }

    /// Runs `sql` with `arguments` to its end, calling `row` at each result row; returns the statement's column count.
    @discardableResult
    private func run(sql: String, arguments: SQLArguments, row: (Statement, OpaquePointer) throws -> Void) throws -> Int {
        let statement = try db.cachedStatement(sql: sql)
        let handle = try bind(arguments, to: statement)
        // The handle belongs to `statement`: keep it alive until the run is over (the cache holds it too).
        defer { withExtendedLifetime(statement) { Self.release(handle) } }
        while true {
            switch sqlite3_step(handle) {
            case SQLITE_DONE: return Int(sqlite3_column_count(handle))
            case SQLITE_ROW: try row(statement, handle)
            case let code: throw failure(code, sql: sql)
            }
        }
    }

    func tableExists(_ name: String) throws -> Bool { try db.tableExists(name) }

    /// Runs several statements separated by semicolons (schema scripts).
    func executeScript(_ sql: String) throws { try db.execute(sql: sql) }

    /// Resets `statement` and binds `arguments` to its parameters (copied: SQLite owns the copies until the next bind).
    private func bind(_ arguments: SQLArguments, to statement: Statement) throws -> OpaquePointer {
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        let expected = Int(sqlite3_bind_parameter_count(handle))
        guard arguments.values.count == expected else {
            throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "wrong number of statement arguments: \(arguments.values.count) for \(expected)", sql: statement.sql)
        }
        for (offset, value) in arguments.values.enumerated() {
            let position = Int32(offset + 1)
            let code: Int32
            switch value {
            case .null: code = sqlite3_bind_null(handle, position)
            case .integer(let number): code = sqlite3_bind_int64(handle, position, number)
            case .real(let number): code = sqlite3_bind_double(handle, position, number)
            case .text(var text):
                code = text.withUTF8 { bytes in
                    // An empty buffer has no address, and a null pointer would bind NULL instead of ''.
                    guard let base = bytes.baseAddress else { return sqlite3_bind_text(handle, position, "", 0, Self.transient) }
                    return sqlite3_bind_text(handle, position, base, Int32(bytes.count), Self.transient)
                }
            case .blob(let bytes):
                code = bytes.withUnsafeBytes { raw in
                    guard let base = raw.baseAddress else { return sqlite3_bind_zeroblob(handle, position, 0) }
                    return sqlite3_bind_blob(handle, position, base, Int32(raw.count), Self.transient)
                }
            }
            guard code == SQLITE_OK else { throw failure(code, sql: statement.sql) }
        }
        return handle
    }

    /// Ends a statement's run: a finished read holds no snapshot open, and the bound copies are freed.
    private static func release(_ handle: OpaquePointer) {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// The error SQLite reported for `sql`, as GRDB reports it (so `Store.classify` sees the same codes).
    private func failure(_ code: Int32, sql: String) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: sql)
    }

    /// Tells SQLite to copy a bound value (`SQLITE_TRANSIENT`).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// The value of `column` in the current row.
    static func value(of handle: OpaquePointer, column: Int32) -> SQLValue {
        switch sqlite3_column_type(handle, column) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, column))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, column))
        case SQLITE_TEXT:
            let count = Int(sqlite3_column_bytes(handle, column))
            guard let text = sqlite3_column_text(handle, column), count > 0 else { return .text("") }
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(handle, column))
            guard let blob = sqlite3_column_blob(handle, column), count > 0 else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: blob, count: count)))
        default: return .null(nil)
        }
    }
}
