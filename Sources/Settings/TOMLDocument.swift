import Foundation

/// A value read from a TOML file, with the line it was written on.
public indirect enum TOMLValue: Sendable, Equatable {
    case string(String)
    case integer(Int)
    case float(Double)
    case boolean(Bool)
    case array([TOMLValue])
    case table(TOMLTable)

    /// The TOML type name, for error messages.
    public var typeName: String {
        switch self {
        case .string: "string"
        case .integer: "integer"
        case .float: "float"
        case .boolean: "boolean"
        case .array: "array"
        case .table: "table"
        }
    }
}

/// A TOML table: keys in file order, each with its value and line.
public struct TOMLTable: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var key: String
        public var value: TOMLValue
        public var line: Int
    }
    public var entries: [Entry] = []
    /// The line of the table's header (`[name]`), or 0 for the root.
    public var line: Int = 0

    public subscript(key: String) -> Entry? { entries.first { $0.key == key } }

    mutating func set(_ key: String, _ value: TOMLValue, line: Int) {
        if let index = entries.firstIndex(where: { $0.key == key }) { entries[index] = Entry(key: key, value: value, line: line) }
        else { entries.append(Entry(key: key, value: value, line: line)) }
    }
}

extension TOMLValue {
    /// The table, leaving a placeholder behind so the caller holds its only copy; nil (and unchanged) for other values.
    mutating func takeTable() -> TOMLTable? {
        guard case .table(let table) = self else { return nil }
        self = .boolean(false)
        return table
    }

    /// The array, leaving a placeholder behind so the caller holds its only copy; nil (and unchanged) for other values.
    mutating func takeArray() -> [TOMLValue]? {
        guard case .array(let items) = self else { return nil }
        self = .boolean(false)
        return items
    }
}

/// A TOML syntax error with its line.
public struct TOMLSyntaxError: Error, Sendable, Equatable {
    public var line: Int
    public var reason: String
}

/// Reads the subset of TOML 1.0 the config uses: tables, arrays of tables, bare and quoted keys, basic and literal
/// strings, integers, floats, booleans, and (multi-line) arrays. Dotted keys, inline tables and dates are refused
/// with a clear error (write dates as strings).
public enum TOMLDocument {
    /// Parses TOML text into its root table.
    public static func parse(_ text: String) throws(TOMLSyntaxError) -> TOMLTable {
        var parser = TOMLParser(text: text)
        return try parser.parseDocument()
    }
}

struct TOMLParser {
    let bytes: [UInt8]
    var index = 0
    var line = 1
    var root = TOMLTable()
    /// Path of the current table: each element is a key and, for arrays of tables, the index of the element.
    var currentPath: [(key: String, element: Int?)] = []
    var definedTables: Set<String> = []
    /// Arrays open around the value being parsed; nesting is capped so that hostile input cannot exhaust the stack.
    var arrayDepth = 0
    static let maxArrayDepth = 32

    init(text: String) { bytes = Array(text.utf8) }

    mutating func parseDocument() throws(TOMLSyntaxError) -> TOMLTable {
        while true {
            skipWhitespaceAndComments(newlines: true)
            guard index < bytes.count else { return root }
            if bytes[index] == UInt8(ascii: "[") {
                try parseTableHeader()
            } else {
                try parseKeyValue()
            }
            try expectEndOfLine()
        }
    }

    // MARK: Tables

    mutating func parseTableHeader() throws(TOMLSyntaxError) {
        let headerLine = line
        index += 1
        let isArray = peek() == UInt8(ascii: "[")
        if isArray { index += 1 }
        skipSpaces()
        var keys: [String] = [try parseKey()]
        skipSpaces()
        while peek() == UInt8(ascii: ".") {
            index += 1
            skipSpaces()
            keys.append(try parseKey())
            skipSpaces()
        }
        guard peek() == UInt8(ascii: "]") else { throw fail("expected ']' to close the table header") }
        index += 1
        if isArray {
            guard peek() == UInt8(ascii: "]") else { throw fail("expected ']]' to close the array-of-tables header") }
            index += 1
        }
        let name = keys.joined(separator: ".")
        if !isArray {
            guard definedTables.insert(name).inserted else { throw TOMLSyntaxError(line: headerLine, reason: "table [\(name)] is defined twice") }
        }
        // Resolve all but the last key to existing or implicit tables (the last element of an array of tables).
        var path: [(key: String, element: Int?)] = []
        for key in keys.dropLast() {
            let existing = lookup(path + [(key, nil)])
            if case .array(let items)? = existing { path.append((key, items.count - 1)) }
            else if case .table? = existing { path.append((key, nil)) }
            else if existing == nil { try insert(.table(TOMLTable(line: headerLine)), at: path, key: key, line: headerLine); path.append((key, nil)) }
            else { throw TOMLSyntaxError(line: headerLine, reason: "key '\(key)' is not a table") }
        }
        let last = keys[keys.count - 1]
        // Only the shape of what is there is kept: holding the value itself would make the append below copy the array.
        let existing = shape(lookup(path + [(last, nil)]))
        if isArray {
            switch existing {
            case .none:
                try insert(.array([.table(TOMLTable(line: headerLine))]), at: path, key: last, line: headerLine)
                path.append((last, 0))
            case .array(let count):
                // Appended in place: copying the array for every `[[source]]` made 10,000 sources quadratic.
                try modify(at: path, line: headerLine) { table in
                    guard let position = table.entries.firstIndex(where: { $0.key == last }), var items = table.entries[position].value.takeArray() else { return false }
                    items.append(.table(TOMLTable(line: headerLine)))
                    table.entries[position].value = .array(items)
                    return true
                }
                path.append((last, count))
            case .table, .value:
                throw TOMLSyntaxError(line: headerLine, reason: "key '\(name)' is not an array of tables")
            }
        } else {
            switch existing {
            case .none: try insert(.table(TOMLTable(line: headerLine)), at: path, key: last, line: headerLine)
            case .table: break
            case .array, .value: throw TOMLSyntaxError(line: headerLine, reason: "key '\(name)' is already a value")
            }
            path.append((last, nil))
        }
        currentPath = path
    }

    /// What a looked-up value is, without keeping it.
    enum Shape { case none, table, array(count: Int), value }

    func shape(_ value: TOMLValue?) -> Shape {
        switch value {
        case nil: .none
        case .table?: .table
        case .array(let items)?: .array(count: items.count)
        case _?: .value
        }
    }

    func lookup(_ path: [(key: String, element: Int?)]) -> TOMLValue? {
        var table = root
        for (position, step) in path.enumerated() {
            guard let entry = table[step.key] else { return nil }
            if position == path.count - 1, step.element == nil { return entry.value }
            switch entry.value {
            case .table(let inner): table = inner
            case .array(let items):
                guard let element = step.element, case .table(let inner) = items[element] else { return entry.value }
                if position == path.count - 1 { return items[element] }
                table = inner
            default: return entry.value
            }
        }
        return .table(table)
    }

    mutating func insert(_ value: TOMLValue, at path: [(key: String, element: Int?)], key: String, line: Int) throws(TOMLSyntaxError) {
        do {
            try modify(at: path, line: line) { table in
                table.set(key, value, line: line)
                return true
            }
        } catch {
            throw TOMLSyntaxError(line: line, reason: "cannot place key '\(key)'")
        }
    }

    /// Changes the table at `path` in place: each table and array on the way is taken out of its parent while it is
    /// changed (so it is not shared, and not copied), then put back. Linear in the depth, not in the array sizes.
    mutating func modify(at path: [(key: String, element: Int?)], line: Int, _ leaf: (inout TOMLTable) -> Bool) throws(TOMLSyntaxError) {
        func update(_ table: inout TOMLTable, _ remaining: ArraySlice<(key: String, element: Int?)>) -> Bool {
            guard let step = remaining.first else { return leaf(&table) }
            guard let position = table.entries.firstIndex(where: { $0.key == step.key }) else { return false }
            if var inner = table.entries[position].value.takeTable() {
                let placed = update(&inner, remaining.dropFirst())
                table.entries[position].value = .table(inner)
                return placed
            }
            guard var items = table.entries[position].value.takeArray() else { return false }
            defer { table.entries[position].value = .array(items) }
            guard let element = step.element, items.indices.contains(element), var inner = items[element].takeTable() else { return false }
            let placed = update(&inner, remaining.dropFirst())
            items[element] = .table(inner)
            return placed
        }
        guard update(&root, path[...]) else { throw TOMLSyntaxError(line: line, reason: "cannot place a table") }
    }

    // MARK: Key/value pairs

    mutating func parseKeyValue() throws(TOMLSyntaxError) {
        let keyLine = line
        let key = try parseKey()
        skipSpaces()
        if peek() == UInt8(ascii: ".") { throw fail("dotted keys are not supported; use a [table] header") }
        guard peek() == UInt8(ascii: "=") else { throw fail("expected '=' after key '\(key)'") }
        index += 1
        skipSpaces()
        let value = try parseValue()
        if lookup(currentPath + [(key, nil)]) != nil { throw TOMLSyntaxError(line: keyLine, reason: "key '\(key)' is defined twice") }
        try insert(value, at: currentPath, key: key, line: keyLine)
    }

    mutating func parseKey() throws(TOMLSyntaxError) -> String {
        guard let byte = peek() else { throw fail("expected a key") }
        if byte == UInt8(ascii: "\"") { return try parseBasicString() }
        if byte == UInt8(ascii: "'") { return try parseLiteralString() }
        let start = index
        while let byte = peek(), isBareKeyByte(byte) { index += 1 }
        guard index > start else { throw fail("expected a key, found '\(Character(UnicodeScalar(byte)))'") }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    func isBareKeyByte(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
    }

    mutating func parseValue() throws(TOMLSyntaxError) -> TOMLValue {
        guard let byte = peek() else { throw fail("expected a value") }
        switch byte {
        case UInt8(ascii: "\""): return .string(try parseBasicString())
        case UInt8(ascii: "'"): return .string(try parseLiteralString())
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "{"): throw fail("inline tables are not supported; use a [table] header")
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            if match("true") { return .boolean(true) }
            if match("false") { return .boolean(false) }
            throw fail("expected true or false")
        default: return try parseNumber()
        }
    }

    mutating func parseArray() throws(TOMLSyntaxError) -> TOMLValue {
        guard arrayDepth < Self.maxArrayDepth else { throw fail("arrays nested deeper than \(Self.maxArrayDepth)") }
        arrayDepth += 1
        defer { arrayDepth -= 1 }
        index += 1
        var items: [TOMLValue] = []
        while true {
            skipWhitespaceAndComments(newlines: true)
            guard let byte = peek() else { throw fail("array never closes") }
            if byte == UInt8(ascii: "]") { index += 1; return .array(items) }
            items.append(try parseValue())
            skipWhitespaceAndComments(newlines: true)
            if peek() == UInt8(ascii: ",") { index += 1; continue }
            guard peek() == UInt8(ascii: "]") else { throw fail("expected ',' or ']' in array") }
        }
    }

    mutating func parseNumber() throws(TOMLSyntaxError) -> TOMLValue {
        let start = index
        while let byte = peek(), !(byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
                                   || byte == UInt8(ascii: ",") || byte == UInt8(ascii: "]") || byte == UInt8(ascii: "#")) {
            index += 1
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        let digits = text.replacingOccurrences(of: "_", with: "")
        if text.isEmpty { throw fail("expected a value") }
        if let integer = Int(digits) { return .integer(integer) }
        if let float = Double(digits), float.isFinite, digits.first.map({ $0.isNumber || $0 == "-" || $0 == "+" || $0 == "." }) == true {
            return .float(float)
        }
        throw TOMLSyntaxError(line: line, reason: "'\(text)' is not a valid value (strings need quotes)")
    }

    mutating func parseBasicString() throws(TOMLSyntaxError) -> String {
        index += 1
        var scalars: [UInt8] = []
        while let byte = peek() {
            index += 1
            switch byte {
            case UInt8(ascii: "\""): return String(decoding: scalars, as: UTF8.self)
            case UInt8(ascii: "\n"): throw TOMLSyntaxError(line: line, reason: "string never closes on this line")
            case UInt8(ascii: "\\"):
                guard let escape = peek() else { throw fail("string never closes") }
                index += 1
                switch escape {
                case UInt8(ascii: "n"): scalars.append(0x0A)
                case UInt8(ascii: "t"): scalars.append(0x09)
                case UInt8(ascii: "r"): scalars.append(0x0D)
                case UInt8(ascii: "\""): scalars.append(0x22)
                case UInt8(ascii: "\\"): scalars.append(0x5C)
                case UInt8(ascii: "u"), UInt8(ascii: "U"):
                    let length = escape == UInt8(ascii: "u") ? 4 : 8
                    guard index + length <= bytes.count, let code = UInt32(String(decoding: bytes[index..<index + length], as: UTF8.self), radix: 16),
                          let scalar = Unicode.Scalar(code) else { throw fail("invalid unicode escape") }
                    index += length
                    scalars += Array(String(Character(scalar)).utf8)
                default: throw fail("invalid escape '\\\(Character(UnicodeScalar(escape)))'")
                }
            default: scalars.append(byte)
            }
        }
        throw fail("string never closes")
    }

    mutating func parseLiteralString() throws(TOMLSyntaxError) -> String {
        index += 1
        let start = index
        while let byte = peek() {
            if byte == UInt8(ascii: "'") {
                let value = String(decoding: bytes[start..<index], as: UTF8.self)
                index += 1
                return value
            }
            if byte == UInt8(ascii: "\n") { break }
            index += 1
        }
        throw fail("string never closes on this line")
    }

    // MARK: Lexing

    func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func match(_ word: String) -> Bool {
        let target = Array(word.utf8)
        guard index + target.count <= bytes.count, Array(bytes[index..<index + target.count]) == target else { return false }
        index += target.count
        return true
    }

    mutating func skipSpaces() {
        while let byte = peek(), byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") { index += 1 }
    }

    mutating func skipWhitespaceAndComments(newlines: Bool) {
        while let byte = peek() {
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") { index += 1 }
            else if byte == UInt8(ascii: "\n") && newlines { index += 1; line += 1 }
            else if byte == UInt8(ascii: "#") { while let next = peek(), next != UInt8(ascii: "\n") { index += 1 } }
            else { return }
        }
    }

    mutating func expectEndOfLine() throws(TOMLSyntaxError) {
        skipWhitespaceAndComments(newlines: false)
        guard let byte = peek() else { return }
        guard byte == UInt8(ascii: "\n") else { throw fail("unexpected text after the value") }
    }

    func fail(_ reason: String) -> TOMLSyntaxError { TOMLSyntaxError(line: line, reason: reason) }
}
