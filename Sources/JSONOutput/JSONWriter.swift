#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// JSON text built in a growing UTF-8 byte buffer: the one writer behind every JSON and JSONL the program emits by hand.
///
/// Strings are escaped in bulk: runs of bytes that need no escape are copied at once, and only `"`, `\` and control
/// bytes (below 0x20) are escaped (`\n`, `\r`, `\t`, else `\u00XX`); valid UTF-8 passes through unchanged (RFC 8259).
public struct JSONWriter: Sendable {
    /// The JSON text written so far, UTF-8.
    public private(set) var bytes: [UInt8]

    /// An empty writer with room for `capacity` bytes before it grows.
    public init(capacity: Int = 4_096) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Bytes written so far.
    public var count: Int { bytes.count }

    /// Forgets what was written, keeping the buffer's capacity.
    public mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
    }

    /// Appends punctuation, a key or a literal the caller knows is valid JSON as it stands.
    public mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Appends bytes that are already JSON text (e.g. a value rendered earlier).
    public mutating func raw(_ json: [UInt8]) {
        bytes.append(contentsOf: json)
    }

    /// Appends one byte (a newline, a comma) as is.
    public mutating func raw(byte: UInt8) {
        bytes.append(byte)
    }

    /// Appends `text` as a JSON string literal.
    public mutating func string(_ text: String) {
        bytes.append(0x22)
        var text = text
        text.withUTF8 { appendEscaped($0) }
        bytes.append(0x22)
    }

    /// Appends `text` as a JSON string literal, or `null`.
    public mutating func string(_ text: String?) {
        if let text { string(text) } else { raw("null") }
    }

    /// Appends `true` or `false`.
    public mutating func bool(_ value: Bool) {
        if value { raw("true") } else { raw("false") }
    }

    /// Appends `null`.
    public mutating func null() {
        raw("null")
    }

    /// Appends an integer in decimal.
    public mutating func integer(_ value: Int) {
        if value >= 0 && value < 10 {
            bytes.append(0x30 + UInt8(value))
            return
        }
        bytes.append(contentsOf: String(value).utf8)
    }

    /// Appends an integer, or `null`.
    public mutating func integer(_ value: Int?) {
        if let value { integer(value) } else { null() }
    }

    /// Appends `value` rounded to `places` decimals (0…9), without exponent or trailing zeros; a non-finite value is 0.
    public mutating func number(_ value: Double, places: Int) {
        let places = min(max(places, 0), 9)
        var unit: Int64 = 1
        for _ in 0..<places { unit *= 10 }
        guard value.isFinite, abs(value) < Double(Int64.max / unit) else {
            bytes.append(0x30)
            return
        }
        let scaled = (value * Double(unit)).rounded()
        if scaled == 0 {
            bytes.append(0x30)
            return
        }
        if scaled < 0 { bytes.append(0x2D) }
        let magnitude = Int64(abs(scaled))
        bytes.append(contentsOf: String(magnitude / unit).utf8)
        var fraction = magnitude % unit
        guard fraction != 0 else { return }
        var digits = places
        while fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        bytes.append(0x2E)
        var divisor: Int64 = 1
        for _ in 1..<digits { divisor *= 10 }
        while divisor > 0 {
            bytes.append(0x30 + UInt8(fraction / divisor % 10))
            divisor /= 10
        }
    }

    /// Appends the JSON array of `items`, each written by `element`.
    public mutating func array<S: Sequence>(_ items: S, _ element: (inout JSONWriter, S.Element) -> Void) {
        bytes.append(0x5B)
        var first = true
        for item in items {
            if !first { bytes.append(0x2C) }
            first = false
            element(&self, item)
        }
        bytes.append(0x5D)
    }

    /// Writes everything buffered to `fileDescriptor` (standard output by default) and empties the buffer.
    public mutating func flush(to fileDescriptor: Int32 = 1) throws(OutputWriteError) {
        try OutputWriteError.writeAll(bytes, to: fileDescriptor)
        bytes.removeAll(keepingCapacity: true)
    }

    private static let escapes: [UInt8] = Array("0123456789abcdef".utf8)

    /// True when one of the eight bytes of `word` is below 0x20, `"` or `\` (exact: the borrows of the subtraction
    /// only reach a byte's top bit above a byte that already matched).
    @inline(__always) private static func needsEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let quote = word ^ (ones &* 0x22), backslash = word ^ (ones &* 0x5C)
        let control = (word &- ones &* 0x20) & ~word
        let quoteZero = (quote &- ones) & ~quote
        let backslashZero = (backslash &- ones) & ~backslash
        return (control | quoteZero | backslashZero) & highs != 0
    }

    private mutating func appendEscaped(_ source: UnsafeBufferPointer<UInt8>) {
        var runStart = 0
        var index = 0
        let end = source.count
        guard let base = source.baseAddress else { return }
        let memory = UnsafeRawPointer(base)
        while index < end {
            // Eight bytes at a time while none needs an escape.
            while index + 8 <= end, !Self.needsEscape(memory.loadUnaligned(fromByteOffset: index, as: UInt64.self)) {
                index += 8
            }
            guard index < end else { break }
            let byte = source[index]
            if byte >= 0x20 && byte != 0x22 && byte != 0x5C {
                index += 1
                continue
            }
            if runStart < index { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[runStart..<index])) }
            switch byte {
            case 0x22: raw("\\\"")
            case 0x5C: raw("\\\\")
            case 0x0A: raw("\\n")
            case 0x0D: raw("\\r")
            case 0x09: raw("\\t")
            default:
                raw("\\u00")
                bytes.append(Self.escapes[Int(byte >> 4)])
                bytes.append(Self.escapes[Int(byte & 0x0F)])
            }
            index += 1
            runStart = index
        }
        if runStart < end { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[runStart..<end])) }
    }
}

/// Output that could not be written: the file descriptor and the system's reason (e.g. a closed pipe, a full disk).
public struct OutputWriteError: Error, Sendable, CustomStringConvertible {
    /// The file descriptor written to (1 is standard output).
    public var fileDescriptor: Int32
    /// `errno` of the failed write.
    public var code: Int32

    /// One line: where and why.
    public var description: String {
        let target = fileDescriptor == 1 ? "standard output" : "file descriptor \(fileDescriptor)"
        return "cannot write to \(target): \(String(cString: strerror(code)))"
    }

    /// Writes all of `bytes`, retrying partial and interrupted writes.
    public static func writeAll(_ bytes: [UInt8], to fileDescriptor: Int32) throws(OutputWriteError) {
        var failure: Int32 = 0
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(fileDescriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += written
            }
        }
        if failure != 0 { throw OutputWriteError(fileDescriptor: fileDescriptor, code: failure) }
    }
}
