import CLibXML2
import Foundation

/// Plain-text and escaping helpers for HTML fragments found in feeds.
public enum HTMLText {
    /// Decodes HTML character references (named from the HTML 4 table, decimal, hex); unknown names stay as written.
    public static func decodeEntities(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "&")) else { return text }
        var copy = text
        return copy.withUTF8 { b -> String in
            var out: [UInt8] = []
            out.reserveCapacity(b.count)
            var i = 0
            while i < b.count {
                if b[i] == UInt8(ascii: "&"), let (value, next) = referenceValue(b, i), let scalar = Unicode.Scalar(value) {
                    UTF8.encode(scalar) { out.append($0) }
                    i = next
                } else {
                    out.append(b[i])
                    i += 1
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// The code point of the character reference at `i` (an `&`) and the index after it; nil when it is not one.
    /// Numeric references in 0x80–0x9F read as Windows-1252; a name needs its `;` except amp, lt, gt, quot and nbsp.
    static func referenceValue(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> (UInt32, Int)? {
        var j = i + 1
        guard j < b.count else { return nil }
        if b[j] == UInt8(ascii: "#") {
            j += 1
            var hex = false
            if j < b.count, b[j] | 0x20 == UInt8(ascii: "x") { hex = true; j += 1 }
            var value: UInt32 = 0
            let start = j
            while j < b.count, j - start < 8 {
                let c = b[j]
                if c >= 0x30 && c <= 0x39 {
                    value = value * (hex ? 16 : 10) + UInt32(c - 0x30)
                } else if hex, (c | 0x20) >= 0x61, (c | 0x20) <= 0x66 {
                    value = value * 16 + UInt32((c | 0x20) - 0x61 + 10)
                } else {
                    break
                }
                j += 1
            }
            guard j > start else { return nil }
            if j < b.count, b[j] == UInt8(ascii: ";") { j += 1 }
            if value >= 0x80, value <= 0x9F { value = windows1252High[Int(value - 0x80)] }
            if value == 0 || Unicode.Scalar(value) == nil { value = 0xFFFD }
            return (value, j)
        }
        let start = j
        while j < b.count, j - start < 32, HTMLFragment.Scanner.isLetter(b[j]) || (b[j] >= 0x30 && b[j] <= 0x39) { j += 1 }
        guard j > start else { return nil }
        let name = String(decoding: UnsafeBufferPointer(rebasing: b[start..<j]), as: UTF8.self)
        let hasSemicolon = j < b.count && b[j] == UInt8(ascii: ";")
        guard hasSemicolon || ["amp", "lt", "gt", "quot", "nbsp"].contains(name) else { return nil }
        guard let value = namedEntity(name), let scalar = value.unicodeScalars.first else { return nil }
        return (scalar.value, hasSemicolon ? j + 1 : j)
    }

    /// The replacement text for a named HTML entity (HTML 4 set plus `apos`).
    static func namedEntity(_ name: String) -> String? {
        switch name {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos": return "'"
        default:
            _ = LibXML.ready
            guard let desc = htmlEntityLookup(name), let scalar = Unicode.Scalar(desc.pointee.value) else { return nil }
            return String(Character(scalar))
        }
    }

    /// Windows-1252 meanings of C1 code points 0x80–0x9F (as browsers and feedparser read `&#150;`).
    static let windows1252High: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
        0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ]

    /// Escapes `&`, `<`, `>` and `"` for inclusion in HTML.
    public static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 }) else { return text }
        var scanner = HTMLFragment.Scanner(base: nil, wantHTML: true)
        for byte in text.utf8 { scanner.htmlEscaped(byte) }
        return String(decoding: scanner.html, as: UTF8.self)
    }

    /// Collapses runs of whitespace (ASCII and Unicode spaces) to one space and trims the ends.
    public static func collapseWhitespace(_ text: String) -> String {
        var copy = text
        return copy.withUTF8 { collapseWhitespace($0) }
    }

    /// `collapseWhitespace` over UTF-8 bytes (invalid sequences are repaired in the output).
    static func collapseWhitespace(_ b: UnsafeBufferPointer<UInt8>) -> String {
        guard b.count > 0 else { return "" }
        return String(unsafeUninitializedCapacity: b.count) { out in
            var written = 0
            var pending = false
            var i = 0
            while i < b.count {
                let c = b[i]
                if HTMLFragment.Scanner.isASCIISpace(c) {
                    pending = written > 0
                    i += 1
                    continue
                }
                if c >= 0x80 {
                    let n = HTMLFragment.Scanner.unicodeSpaceLength(b, i)
                    if n > 0 {
                        pending = written > 0
                        i += n
                        continue
                    }
                }
                if pending { out[written] = 0x20; written += 1; pending = false }
                out[written] = c
                written += 1
                i += 1
            }
            return written
        }
    }

    /// `bytes` without leading and trailing ASCII whitespace.
    static func trim(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var start = 0
        var end = bytes.count
        while start < end, HTMLFragment.Scanner.isASCIISpace(bytes[start]) { start += 1 }
        while end > start, HTMLFragment.Scanner.isASCIISpace(bytes[end - 1]) { end -= 1 }
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }

    /// True when `bytes` starts with `prefix` (lower-case ASCII), reading ASCII letters in `bytes` in either case.
    static func startsIgnoringASCIICase(_ bytes: some Collection<UInt8>, with prefix: some Collection<UInt8>) -> Bool {
        bytes.count >= prefix.count && zip(bytes, prefix).allSatisfy { ($0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0) == $1 }
    }

    /// Trims ASCII whitespace from both ends.
    static func trim(_ text: String) -> String {
        let u = text.utf8
        guard let first = u.firstIndex(where: { !HTMLFragment.Scanner.isASCIISpace($0) }) else { return "" }
        let last = u.lastIndex(where: { !HTMLFragment.Scanner.isASCIISpace($0) })!
        if first == u.startIndex, u.index(after: last) == u.endIndex { return text }
        return String(text[first...last])
    }

    /// Plain text of an HTML fragment: tags become spaces, script/style bodies and comments vanish, entities decoded, whitespace collapsed.
    /// A `<` that does not open a tag, or a tag never closed, stays as text (as an HTML tokenizer reads it).
    public static func plainText(fromHTML html: String) -> String {
        HTMLFragment.render(html, base: nil, wantHTML: false).text
    }

    /// First index of `needle` in `bytes` at or after `start` (memchr + memcmp).
    static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard needle.count > 0, start <= bytes.count - needle.count else { return nil }
        return bytes.withUnsafeBufferPointer { haystack in
            needle.withUnsafeBufferPointer { pattern in
                guard let found = feeds_find(haystack.baseAddress! + start, haystack.count - start, pattern.baseAddress!, pattern.count) else { return nil }
                return haystack.baseAddress!.distance(to: found)
            }
        }
    }

}

extension String {
    /// The string without leading and trailing ASCII whitespace.
    var trimmedSpace: String { HTMLText.trim(self) }

    /// True when `needle` occurs in the string, compared byte for byte (Foundation's `contains` goes through NSString).
    func containsBytes(_ needle: String) -> Bool {
        var haystack = self
        var pattern = needle
        return haystack.withUTF8 { h in
            pattern.withUTF8 { p in
                p.isEmpty || (h.count >= p.count && feeds_find(h.baseAddress!, h.count, p.baseAddress!, p.count) != nil)
            }
        }
    }
}
