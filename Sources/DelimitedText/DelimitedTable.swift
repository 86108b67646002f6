import Foundation

/// One record of a delimited-text file, with the 1-based line it started on.
public struct DelimitedRecord: Sendable, Equatable {
    /// The 1-based line number where the record begins.
    public var line: Int
    /// The record's fields, unquoted.
    public var fields: [String]

    public init(line: Int, fields: [String]) {
        self.line = line
        self.fields = fields
    }
}

/// Why a delimited-text file could not be read.
public enum DelimitedTextError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The bytes are not UTF-8 text.
    case notText(source: String)
    /// A quoted field never closes.
    case unterminatedQuote(source: String, line: Int)
    /// The file has no header row.
    case missingHeader(source: String)
    /// A required column is absent from the header.
    case missingColumn(source: String, column: String)
    /// A record has more than `DelimitedTable.maxColumns` fields.
    case tooManyColumns(source: String, line: Int, limit: Int)

    public var description: String {
        switch self {
        case .notText(let source): "\(source): not UTF-8 text"
        case .unterminatedQuote(let source, let line): "\(source):\(line): quoted field never closes"
        case .missingHeader(let source): "\(source): no header row"
        case .missingColumn(let source, let column): "\(source): missing column '\(column)'"
        case .tooManyColumns(let source, let line, let limit): "\(source):\(line): more than \(limit) columns in one row"
        }
    }

    /// The reason without the source, for a caller whose own error names it: `line 1: more than 10000 columns in one row`.
    public var reason: String {
        switch self {
        case .notText: "not UTF-8 text"
        case .unterminatedQuote(_, let line): "line \(line): quoted field never closes"
        case .missingHeader: "no header row"
        case .missingColumn(_, let column): "missing column '\(column)'"
        case .tooManyColumns(_, let line, let limit): "line \(line): more than \(limit) columns in one row"
        }
    }
}

/// A delimited-text table (RFC 4180 CSV, or TSV) read into a header and records.
public struct DelimitedTable: Sendable {
    /// Fields allowed in one record. Every layout read here needs a handful; a file of one record with a million
    /// columns would otherwise become a million strings before any column is looked up.
    public static let maxColumns = 10_000

    /// Column names from the first record, trimmed and lower-cased.
    public var header: [String]
    /// Every record after the header, blank lines skipped.
    public var records: [DelimitedRecord]
    /// Lines whose quoted field never closed and which were dropped (only when reading with `skipUnclosedQuotes`).
    public var unclosedQuoteLines: [Int] = []

    /// Reads a table; the first non-blank record is the header.
    ///
    /// With `skipUnclosedQuotes`, a record whose quoted field never closes costs only its own first line: it is
    /// dropped, named in `unclosedQuoteLines`, and reading resumes on the next line; otherwise the file is refused.
    public init(bytes: [UInt8], source: String, separator: UInt8 = UInt8(ascii: ","), skipUnclosedQuotes: Bool = false) throws(DelimitedTextError) {
        let scanned = try Self.scan(bytes, source: source, separator: separator, skipUnclosedQuotes: skipUnclosedQuotes)
        var all = scanned.records
        unclosedQuoteLines = scanned.skipped
        guard !all.isEmpty else { throw .missingHeader(source: source) }
        let headerRecord = all.removeFirst()
        header = headerRecord.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        records = all
    }

    /// The index of a column by (case-insensitive) name, if present.
    public func column(_ name: String) -> Int? {
        header.firstIndex(of: name.lowercased())
    }

    /// The index of a column that must be present.
    public func requireColumn(_ name: String, source: String) throws(DelimitedTextError) -> Int {
        guard let index = column(name) else { throw .missingColumn(source: source, column: name) }
        return index
    }

    /// Splits bytes into records, honouring double-quoted fields with embedded separators, quotes and newlines.
    public static func records(in bytes: [UInt8], source: String, separator: UInt8 = UInt8(ascii: ",")) throws(DelimitedTextError) -> [DelimitedRecord] {
        try scan(bytes, source: source, separator: separator, skipUnclosedQuotes: false).records
    }

    /// Unclosed quotes skipped before the file is refused after all: each skip re-reads the rest of the file.
    static let maxSkippedQuotes = 100

    /// The records; with `skipUnclosedQuotes`, a record whose quote never closes is dropped, its line returned in
    /// `skipped`, and reading resumes at the line after the one it started on.
    static func scan(_ bytes: [UInt8], source: String, separator: UInt8, skipUnclosedQuotes: Bool) throws(DelimitedTextError) -> (records: [DelimitedRecord], skipped: [Int]) {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        guard String(validating: body, as: UTF8.self) != nil else { throw .notText(source: source) }

        let quote = UInt8(ascii: "\""), newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")
        var result: [DelimitedRecord] = []
        var skipped: [Int] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1
        var recordLine = 1
        var inQuotes = false
        var fieldWasQuoted = false
        var index = body.startIndex
        var recordStart = body.startIndex

        func finishField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
        }
        func finishRecord() {
            finishField()
            let blank = fields.count == 1 && fields[0].trimmingCharacters(in: .whitespaces).isEmpty
            if !blank { result.append(DelimitedRecord(line: recordLine, fields: fields)) }
            fields.removeAll(keepingCapacity: true)
        }

        while index < body.endIndex {
            let byte = body[index]
            if inQuotes {
                if byte == quote {
                    let next = body.index(after: index)
                    if next < body.endIndex && body[next] == quote {
                        field.append(quote)
                        index = next
                    } else {
                        inQuotes = false
                    }
                } else {
                    if byte == newline { line += 1 }
                    field.append(byte)
                }
            } else if byte == quote && field.isEmpty && !fieldWasQuoted {
                inQuotes = true
                fieldWasQuoted = true
            } else if byte == separator {
                finishField()
                if fields.count >= maxColumns { throw .tooManyColumns(source: source, line: recordLine, limit: maxColumns) }
            } else if byte == newline {
                finishRecord()
                line += 1
                recordLine = line
                recordStart = body.index(after: index)
            } else if byte != carriageReturn {
                field.append(byte)
            }
            index = body.index(after: index)
            if index == body.endIndex && inQuotes && skipUnclosedQuotes && skipped.count < maxSkippedQuotes {
                // Drop the broken record and resume on the line after the one it started on.
                skipped.append(recordLine)
                fields.removeAll(keepingCapacity: true)
                field.removeAll(keepingCapacity: true)
                inQuotes = false
                fieldWasQuoted = false
                let lineEnd = body[recordStart...].firstIndex(of: newline) ?? body.endIndex
                index = lineEnd == body.endIndex ? lineEnd : body.index(after: lineEnd)
                line = recordLine + 1
                recordLine = line
                recordStart = index
            }
        }
        if inQuotes { throw .unterminatedQuote(source: source, line: recordLine) }
        if !field.isEmpty || !fields.isEmpty { finishRecord() }
        return (result, skipped)
    }
}

extension DelimitedRecord {
    /// The trimmed field at a column index, or nil when absent or empty.
    public subscript(column index: Int?) -> String? {
        guard let index, index < fields.count else { return nil }
        let value = fields[index].trimmingCharacters(in: .whitespaces)
        return value.isEmpty ? nil : value
    }
}
