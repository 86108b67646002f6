import Foundation

/// The SQL spoken by a backend: the few constructs that differ between SQLite and PostgreSQL.
enum SQLDialect: Sendable, Equatable {
    case sqlite, postgresql

    /// The larger of two values (`max(a, b)` in SQLite, `GREATEST(a, b)` in PostgreSQL).
    func greatest(_ a: String, _ b: String) -> String {
        self == .sqlite ? "max(\(a), \(b))" : "GREATEST(\(a), \(b))"
    }

    /// The values of `column` over a group joined by newlines.
    func newlineJoined(_ column: String) -> String {
        self == .sqlite ? "group_concat(\(column), char(10))" : "string_agg(\(column), E'\\n')"
    }

    /// The whole UTC day number of an instant in store seconds (non-negative).
    func dayNumber(_ seconds: String) -> String {
        self == .sqlite ? "CAST(\(seconds) / 86400.0 AS INTEGER)" : "CAST(floor(\(seconds) / 86400.0) AS BIGINT)"
    }
}

/// One connection inside one transaction (or one read): the only thing the store's queries talk to, on either backend.
protocol SQLSession {
    var dialect: SQLDialect { get }
    /// Runs a statement and returns how many rows it changed.
    @discardableResult
    func execute(sql: String, arguments: SQLArguments) throws -> Int
    /// Runs a query and returns its rows.
    func fetchRows(sql: String, arguments: SQLArguments) throws -> [SQLRow]
    /// Runs a query and returns every row's values laid end to end (row after row, `width` values each): for queries
    /// whose rows number in the thousands, without an array and a column index per row.
    func fetchFlatRows(sql: String, arguments: SQLArguments) throws -> (width: Int, values: [SQLValue])
    /// True when the table exists.
    func tableExists(_ name: String) throws -> Bool
}

extension SQLSession {
    @discardableResult
    func execute(sql: String) throws -> Int { try execute(sql: sql, arguments: []) }

    func fetchFlatRows(sql: String, arguments: SQLArguments) throws -> (width: Int, values: [SQLValue]) {
        let rows = try fetchRows(sql: sql, arguments: arguments)
        return (rows.first?.values.count ?? 0, rows.flatMap(\.values))
    }

    /// Inserts `rows` with `insert` (`INSERT INTO t (a, b) VALUES`) and `suffix` (e.g. `ON CONFLICT DO NOTHING`): one
    /// cached single-row statement per row on SQLite (in-process, no round trip), one multi-row statement per 100 rows
    /// on PostgreSQL (each statement is a round trip to the server).
    func insertRows(_ insert: String, _ rows: [SQLArguments], suffix: String = "") throws {
        guard let width = rows.first?.values.count else { return }
        let row = "(" + sqlQuestionMarks(count: width) + ")"
        if dialect == .sqlite {
            let single = insert + " " + row + (suffix.isEmpty ? "" : " " + suffix)
            for values in rows { try execute(sql: single, arguments: values) }
            return
        }
        let batch = 100
        for start in stride(from: 0, to: rows.count, by: batch) {
            let slice = rows[start..<min(rows.count, start + batch)]
            try execute(sql: insert + " " + Array(repeating: row, count: slice.count).joined(separator: ", ") + (suffix.isEmpty ? "" : " " + suffix),
                        arguments: SQLArguments(slice.flatMap(\.values)))
        }
    }
}

extension SQLRow {
    /// Every row of a query.
    static func fetchAll(_ db: some SQLSession, sql: String, arguments: SQLArguments = []) throws -> [SQLRow] {
        try db.fetchRows(sql: sql, arguments: arguments)
    }

    /// The first row of a query, or nil.
    static func fetchOne(_ db: some SQLSession, sql: String, arguments: SQLArguments = []) throws -> SQLRow? {
        try db.fetchRows(sql: sql, arguments: arguments).first
    }
}

extension SQLReadable {
    /// The first column of every row, rows whose value cannot be read as `Self` left out.
    static func fetchAll(_ db: some SQLSession, sql: String, arguments: SQLArguments = []) throws -> [Self] {
        let (width, values) = try db.fetchFlatRows(sql: sql, arguments: arguments)
        guard width > 0 else { return [] }
        return stride(from: 0, to: values.count, by: width).compactMap { Self(sqlValue: values[$0]) }
    }

    /// The first column of the first row, or nil (no row, or NULL).
    static func fetchOne(_ db: some SQLSession, sql: String, arguments: SQLArguments = []) throws -> Self? {
        try db.fetchRows(sql: sql, arguments: arguments).first?.values.first.flatMap(Self.init(sqlValue:))
    }
}

/// An error a backend reported for one statement.
struct SQLStatementError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
