import Foundation

/// The storage type of a bound or read value, the same on both backends (SQLite INTEGER/REAL/TEXT/BLOB,
/// PostgreSQL bigint/double precision/text/bytea).
enum SQLType: Sendable, Equatable {
    case integer, real, text, blob
}

/// A value bound to or read from a statement; a NULL carries its type when Swift knows it (PostgreSQL infers a
/// parameter's type from its first use otherwise, and one parameter used twice must have one type).
enum SQLValue: Sendable, Equatable {
    case null(SQLType?)
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    var isNull: Bool { if case .null = self { true } else { false } }
}

/// A Swift value that can be bound to a statement.
protocol SQLBindable {
    var sqlValue: SQLValue { get }
    static var sqlType: SQLType { get }
}

extension Int: SQLBindable {
    var sqlValue: SQLValue { .integer(Int64(self)) }
    static var sqlType: SQLType { .integer }
}
extension Int64: SQLBindable {
    var sqlValue: SQLValue { .integer(self) }
    static var sqlType: SQLType { .integer }
}
extension Bool: SQLBindable {
    var sqlValue: SQLValue { .integer(self ? 1 : 0) }
    static var sqlType: SQLType { .integer }
}
extension Double: SQLBindable {
    /// NaN is stored as NULL, as SQLite does.
    var sqlValue: SQLValue { isNaN ? .null(.real) : .real(self) }
    static var sqlType: SQLType { .real }
}
extension String: SQLBindable {
    var sqlValue: SQLValue { .text(self) }
    static var sqlType: SQLType { .text }
}
extension Data: SQLBindable {
    var sqlValue: SQLValue { .blob([UInt8](self)) }
    static var sqlType: SQLType { .blob }
}
extension Optional: SQLBindable where Wrapped: SQLBindable {
    var sqlValue: SQLValue { self?.sqlValue ?? .null(Wrapped.sqlType) }
    static var sqlType: SQLType { Wrapped.sqlType }
}

/// The arguments of one statement, in order (`?` or `?N` in the SQL).
struct SQLArguments: Sendable, ExpressibleByArrayLiteral {
    var values: [SQLValue]

    init(_ values: [SQLValue] = []) { self.values = values }
    init(arrayLiteral elements: (any SQLBindable)?...) { values = elements.map { $0?.sqlValue ?? .null(nil) } }
    init<S: Sequence>(_ elements: S) where S.Element: SQLBindable { values = elements.map(\.sqlValue) }

    static func + (lhs: SQLArguments, rhs: SQLArguments) -> SQLArguments { SQLArguments(lhs.values + rhs.values) }
    static func += (lhs: inout SQLArguments, rhs: SQLArguments) { lhs.values += rhs.values }
}

/// A Swift value a column can be read as; a value of another kind (text in a number column, NULL) reads as nil.
protocol SQLReadable {
    init?(sqlValue: SQLValue)
    /// What a non-optional read of NULL or of an unreadable value gives, so a hostile store never traps a read.
    static var fallback: Self { get }
}

extension Int64: SQLReadable {
    init?(sqlValue: SQLValue) {
        switch sqlValue {
        case .integer(let value): self = value
        case .real(let value) where value.rounded() == value && abs(value) < 9.2e18: self = Int64(value)
        default: return nil
        }
    }
    static var fallback: Int64 { 0 }
}
extension Int: SQLReadable {
    init?(sqlValue: SQLValue) {
        guard let value = Int64(sqlValue: sqlValue) else { return nil }
        self = Int(value)
    }
    static var fallback: Int { 0 }
}
extension Bool: SQLReadable {
    init?(sqlValue: SQLValue) {
        switch sqlValue {
        case .integer(let value): self = value != 0
        case .real(let value): self = value != 0
        default: return nil
        }
    }
    static var fallback: Bool { false }
}
extension Double: SQLReadable {
    init?(sqlValue: SQLValue) {
        switch sqlValue {
        case .integer(let value): self = Double(value)
        case .real(let value): self = value
        default: return nil
        }
    }
    static var fallback: Double { .nan }
}
extension String: SQLReadable {
    init?(sqlValue: SQLValue) {
        switch sqlValue {
        case .text(let value): self = value
        case .blob(let bytes): self = String(decoding: bytes, as: UTF8.self)
        default: return nil
        }
    }
    static var fallback: String { "" }
}
extension Data: SQLReadable {
    init?(sqlValue: SQLValue) {
        switch sqlValue {
        case .blob(let bytes): self = Data(bytes)
        case .text(let value): self = Data(value.utf8)
        default: return nil
        }
    }
    static var fallback: Data { Data() }
}
extension Optional: SQLReadable where Wrapped: SQLReadable {
    init?(sqlValue: SQLValue) { self = Wrapped(sqlValue: sqlValue) }
    static var fallback: Wrapped? { nil }
}

/// One result row, read by column name or position.
struct SQLRow: Sendable {
    /// Column positions by name, shared by every row of one result.
    let columns: SQLColumns
    let values: [SQLValue]

    subscript<T: SQLReadable>(_ name: String) -> T { self[columns.index[name] ?? -1] }

    subscript<T: SQLReadable>(_ position: Int) -> T {
        guard values.indices.contains(position) else { return T.fallback }
        return T(sqlValue: values[position]) ?? T.fallback
    }

    /// The raw value of a column (NULL when there is no such column).
    func value(_ name: String) -> SQLValue {
        guard let position = columns.index[name], values.indices.contains(position) else { return .null(nil) }
        return values[position]
    }
}

/// The column names of a result, in order.
final class SQLColumns: Sendable {
    let names: [String]
    let index: [String: Int]

    init(_ names: [String]) {
        self.names = names
        var index: [String: Int] = [:]
        for (position, name) in names.enumerated() where index[name] == nil { index[name] = position }
        self.index = index
    }
}

/// `?, ?, ?` for `count` parameters.
func sqlQuestionMarks(count: Int) -> String {
    Array(repeating: "?", count: count).joined(separator: ", ")
}

/// A closed vocabulary stored as its word (a source kind, a speaker type): bound as its raw value, so call sites bind
/// the word itself. Reading one back goes through `Store.storedWord`, which names the row when the word is unknown.
protocol SQLWord: SQLBindable, RawRepresentable, CaseIterable where RawValue == String {}

extension SQLWord {
    var sqlValue: SQLValue { .text(rawValue) }
    static var sqlType: SQLType { .text }
}
