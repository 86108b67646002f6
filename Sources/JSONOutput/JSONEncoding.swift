import Foundation

/// The project's one configured `JSONEncoder`: sorted keys, unescaped slashes, dates ISO 8601 UTC, non-finite numbers
/// as the strings "inf", "-inf" and "nan".
public enum JSONEncoding {
    /// Indented over several lines, or all on one line.
    public enum Layout: Sendable {
        case pretty, compact
    }

    /// Keys converted to snake_case (every public document), or as the Swift properties are named (stored blobs).
    public enum Keys: Sendable {
        case snakeCase, asDeclared
    }

    /// `value` as UTF-8 JSON; throws when it cannot be encoded, never returns empty output in its place.
    public static func encode<T: Encodable>(_ value: T, layout: Layout = .pretty, keys: Keys = .snakeCase) throws(JSONEncodingError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = layout == .pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        if keys == .snakeCase { encoder.keyEncodingStrategy = .convertToSnakeCase }
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            return Array(try encoder.encode(value))
        } catch {
            throw JSONEncodingError(type: "\(T.self)", reason: "\(error)")
        }
    }

    /// A document of the program's own types, pretty-printed with snake_case keys and a final newline.
    ///
    /// With non-finite numbers written as strings, encoding these types cannot fail; if it ever does, that is a bug,
    /// and the process stops with the reason instead of printing an empty document.
    public static func document<T: Encodable>(_ value: T, layout: Layout = .pretty) -> String {
        do {
            var bytes = try encode(value, layout: layout)
            if layout == .pretty { bytes.append(0x0A) }
            return String(decoding: bytes, as: UTF8.self)
        } catch {
            preconditionFailure(error.description)
        }
    }
}

/// A value that could not be encoded as JSON: its type and the encoder's reason.
public struct JSONEncodingError: Error, Sendable, CustomStringConvertible {
    /// The Swift type being encoded.
    public var type: String
    /// What the encoder reported.
    public var reason: String

    /// One line: what and why.
    public var description: String { "cannot encode \(type) as JSON: \(reason)" }
}
