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
    /// True when the table exists.
    func tableExists(_ name: String) throws -> Bool
}

extension SQLSession {
    @discardableResult
    func execute(sql: String) throws -> Int { try execute(sql: sql, arguments: []) }
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
        try db.fetchRows(sql: sql, arguments: arguments).compactMap { row in row.values.first.flatMap(Self.init(sqlValue:)) }
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
