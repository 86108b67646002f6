import Foundation
import GRDB

/// A `SQLSession` over one GRDB database connection.
struct SQLiteSession: SQLSession {
    let db: Database
    var dialect: SQLDialect { .sqlite }

    @discardableResult
    func execute(sql: String, arguments: SQLArguments) throws -> Int {
        let statement = try db.cachedStatement(sql: sql)
        try statement.execute(arguments: Self.arguments(arguments))
        return db.changesCount
    }

    func fetchRows(sql: String, arguments: SQLArguments) throws -> [SQLRow] {
        let statement = try db.cachedStatement(sql: sql)
        let cursor = try Row.fetchCursor(statement, arguments: Self.arguments(arguments))
        // Most lookups on the ingest path find nothing: the column index is built only once there is a row.
        guard let first = try cursor.next() else { return [] }
        let columns = SQLColumns(statement.columnNames)
        var rows = [SQLRow(columns: columns, values: first.databaseValues.map(Self.value))]
        while let row = try cursor.next() {
            rows.append(SQLRow(columns: columns, values: row.databaseValues.map(Self.value)))
        }
        return rows
    }

    func tableExists(_ name: String) throws -> Bool { try db.tableExists(name) }

    /// Runs several statements separated by semicolons (schema scripts).
    func executeScript(_ sql: String) throws { try db.execute(sql: sql) }

    /// GRDB's arguments for `arguments`, built through its existential initialiser: the generic one maps with a key
    /// path that is instantiated at run time on every call (8% of an ingest's CPU, measured with perf).
    static func arguments(_ arguments: SQLArguments) -> StatementArguments {
        StatementArguments(arguments.values.map { value -> (any DatabaseValueConvertible)? in
            switch value {
            case .null: DatabaseValue.null
            case .integer(let number): number.databaseValue
            case .real(let number): number.databaseValue
            case .text(let text): text.databaseValue
            case .blob(let bytes): Data(bytes).databaseValue
            }
        })
    }

    static func value(_ value: DatabaseValue) -> SQLValue {
        switch value.storage {
        case .null: .null(nil)
        case .int64(let number): .integer(number)
        case .double(let number): .real(number)
        case .string(let text): .text(text)
        case .blob(let data): .blob([UInt8](data))
        }
    }
}
