import CLibXML2
import Foundation

/// Entry point: sniffs JSON Feed vs XML, picks the encoding, parses tolerantly and reports recovery as `bozo`.
public enum FeedParser {
    /// Entries read from one feed; the rest are dropped with a warning (and `bozo`). Real feeds carry tens to a few
    /// thousand; a million tiny entries fit under the fetch byte cap and would cost gigabytes once scored and stored.
    public static let maxEntries = 10_000

    /// Tags (`<`) read from one XML document. libxml2's tree costs ~130 bytes a node, so the 20 MB fetch cap filled
    /// with `<a/>` would take 700 MB; a document with more tags is cut before the next one, recovered and flagged.
    public static let maxTags = 1_000_000

    /// Parses one fetched feed body. `source` names it in errors and, when an http(s) URL, is the base for relative links;
    /// `contentType` is the HTTP `Content-Type` (its `charset` overrides the document's declaration, as in RFC 3023).
    ///
    /// With `sanitizedHTML` false the entries' `summaryHTML`/`contentHTML` stay nil: ingest and `divergence parse` use
    /// only the plain text, and skipping the sanitiser saves about an eighth of the parse time.
    public static func parse(_ bytes: [UInt8], source: String, contentType: String? = nil, sanitizedHTML: Bool = true) throws(FeedError) -> FeedDocument {
        let firstSignificant = bytes.firstIndex { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF) }
        guard let firstSignificant else { throw .empty(source: source) }
        if bytes[firstSignificant] == UInt8(ascii: "{") || bytes[firstSignificant] == UInt8(ascii: "[") {
            return try JSONFeedReader.parse(bytes, source: source, sanitizedHTML: sanitizedHTML)
        }
        return try parseXML(bytes, source: source, contentType: contentType, sanitizedHTML: sanitizedHTML)
    }

    static func parseXML(_ bytes: [UInt8], source: String, contentType: String?, sanitizedHTML: Bool = true) throws(FeedError) -> FeedDocument {
        var warnings: [String] = []
        let encoding = EncodingSniffer.sniff(bytes, contentType: contentType, warnings: &warnings)
        var input = bytes
        if encoding.asciiCompatible {
            input = XMLRepair.repair(bytes, warnings: &warnings)
        }
        if input.count > 0, input.prefix(512).filter({ $0 == 0 }).count > 0, !encoding.wide {
            throw .notAFeed(source: source, reason: "binary data, not text")
        }
        if let cut = tagLimitOffset(input) {
            warnings.append("more than \(maxTags) tags; only the first \(cut) of \(input.count) bytes were read")
            input.removeSubrange(cut...)
        }
        var parsed = XMLTree.parse(input, encoding: encoding.override)
        if let message = parsed.message, message.lowercased().containsBytes("unsupported encoding") {
            let fallback = EncodingSniffer.isValidUTF8(input) ? "UTF-8" : "windows-1252"
            warnings.append("\(message); read as \(fallback)")
            parsed = XMLTree.parse(input, encoding: fallback)
        }
        if let message = parsed.message, isEncodingError(message), encoding.asciiCompatible {
            let retry = XMLTree.parse(input, encoding: "windows-1252")
            if retry.tree?.root != nil {
                warnings.append("declared encoding \(encoding.declared ?? "utf-8") is wrong (\(message)); read as windows-1252")
                parsed = retry
            }
        }
        guard let tree = parsed.tree, let root = tree.root else {
            if looksLikeHTML(bytes) { throw .notAFeed(source: source, reason: "an HTML page") }
            throw .malformed(source: source, line: parsed.line, reason: parsed.message ?? "no root element")
        }
        // The reader walks libxml2's nodes and reads their bytes in place: the tree, which frees them, lives until
        // the document is built (Swift may otherwise release it after its last use above).
        defer { withExtendedLifetime(tree) {} }
        if parsed.errors > 0 {
            let line = parsed.line.map { "line \($0): " } ?? ""
            warnings.append("recovered from \(parsed.errors) XML error(s); first at \(line)\(parsed.message ?? "unknown error")")
        }
        let documentBase = source.lowercased().hasPrefix("http://") || source.lowercased().hasPrefix("https://") ? source : nil
        let reader = XMLFeedReader(root: root, documentBase: documentBase, sanitizedHTML: sanitizedHTML)
        guard let format = reader.format() else {
            let name = XMLNode.localName(root)
            if name.lowercased() == "html" || looksLikeHTML(bytes) {
                throw .notAFeed(source: source, reason: "an HTML page")
            }
            throw .notAFeed(source: source, reason: "root element <\(name)> is not rss, rdf:RDF or feed")
        }
        let (feed, entries) = reader.read(warnings: &warnings)
        let bozo = parsed.errors > 0 || warnings.contains { !$0.containsBytes("unparseable entry date") }
        return FeedDocument(format: format, bozo: bozo, warnings: warnings, feed: feed, entries: entries)
    }

    /// The offset of the `<` after the first `limit` (rounded down to a whole UTF-32 unit), nil when there are fewer.
    static func tagLimitOffset(_ bytes: [UInt8], limit: Int = maxTags) -> Int? {
        guard bytes.count > limit else { return nil }
        return bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return nil }
            var seen = 0, index = 0
            while index < buffer.count, let found = memchr(base + index, 0x3C, buffer.count - index) {
                let offset = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(found))
                seen += 1
                if seen > limit { return offset - offset % 4 }
                index = offset + 1
            }
            return nil
        }
    }

    static func isEncodingError(_ message: String) -> Bool {
        let lower = message.lowercased()
        return lower.containsBytes("encoding") || lower.containsBytes("utf-8") || lower.containsBytes("char 0x") || lower.containsBytes("bytes:")
    }

    static func looksLikeHTML(_ bytes: [UInt8]) -> Bool {
        let head = String(decoding: bytes.prefix(1024), as: UTF8.self).lowercased()
        return head.contains("<html") || head.contains("<!doctype html") || head.contains("<head") || head.contains("<body")
    }
}

/// Encoding decision for an XML body: BOM, then HTTP charset, then the XML declaration, then UTF-8 validity (else Windows-1252).
struct EncodingSniffer {
    var override: String?
    var declared: String?
    var asciiCompatible: Bool
    var wide: Bool

    static func sniff(_ bytes: [UInt8], contentType: String?, warnings: inout [String]) -> EncodingSniffer {
        let head = Array(bytes.prefix(4))
        if head.starts(with: [0xFF, 0xFE]) || head.starts(with: [0xFE, 0xFF]) || head.starts(with: [0x00, 0x00, 0xFE, 0xFF])
            || head.starts(with: [0x00, 0x3C]) || head.starts(with: [0x3C, 0x00]) || head.starts(with: [0x00, 0x00, 0x00, 0x3C]) {
            return EncodingSniffer(override: nil, declared: nil, asciiCompatible: false, wide: true)
        }
        let declared = declaredEncoding(bytes)
        let charset = contentType.flatMap(charsetParameter)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            if let declared, !["utf-8", "utf8"].contains(declared.lowercased()) {
                warnings.append("UTF-8 byte order mark overrides declared encoding \(declared)")
                return EncodingSniffer(override: "UTF-8", declared: declared, asciiCompatible: true, wide: false)
            }
            return EncodingSniffer(override: nil, declared: declared, asciiCompatible: true, wide: false)
        }
        if let charset, charset.lowercased() != (declared ?? "utf-8").lowercased() {
            if !(charset.lowercased().hasPrefix("utf-16") || charset.lowercased().hasPrefix("utf-32")) {
                return EncodingSniffer(override: charset, declared: declared, asciiCompatible: true, wide: false)
            }
        }
        if declared == nil || ["utf-8", "utf8"].contains(declared!.lowercased()) {
            if !EncodingSniffer.isValidUTF8(bytes) {
                warnings.append("document is not valid UTF-8; read as windows-1252")
                return EncodingSniffer(override: "windows-1252", declared: declared, asciiCompatible: true, wide: false)
            }
        }
        return EncodingSniffer(override: nil, declared: declared, asciiCompatible: true, wide: false)
    }

    /// True when `bytes` is well-formed UTF-8 (RFC 3629: no overlongs, surrogates or code points above U+10FFFF).
    static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { b in
            var i = 0
            let n = b.count
            let raw = UnsafeRawBufferPointer(b)
            while i < n {
                if i + 32 <= n, (raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) | raw.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)
                    | raw.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self) | raw.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self)) & 0x8080_8080_8080_8080 == 0 {
                    i += 32
                    continue
                }
                if i + 8 <= n, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                    i += 8
                    continue
                }
                let c = b[i]
                if c < 0x80 { i += 1; continue }
                var need = 0
                var minimum: UInt32 = 0
                var value: UInt32 = 0
                if c & 0xE0 == 0xC0 { need = 1; minimum = 0x80; value = UInt32(c & 0x1F) }
                else if c & 0xF0 == 0xE0 { need = 2; minimum = 0x800; value = UInt32(c & 0x0F) }
                else if c & 0xF8 == 0xF0 { need = 3; minimum = 0x10000; value = UInt32(c & 0x07) }
                else { return false }
                guard i + need < n else { return false }
                for k in 1...need {
                    let d = b[i + k]
                    guard d & 0xC0 == 0x80 else { return false }
                    value = value << 6 | UInt32(d & 0x3F)
                }
                guard value >= minimum, value <= 0x10FFFF, !(0xD800...0xDFFF).contains(value) else { return false }
                i += need + 1
            }
            return true
        }
    }

    /// `charset` parameter of a Content-Type header, unquoted.
    static func charsetParameter(_ contentType: String) -> String? {
        for part in contentType.split(separator: ";").dropFirst() {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "charset" else { continue }
            let value = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: " \"'"))
            return value.isEmpty ? nil : value
        }
        return nil
    }

    /// `encoding="…"` from an XML declaration at the start of the document.
    static func declaredEncoding(_ bytes: [UInt8]) -> String? {
        let head = Array(bytes.prefix(200))
        guard let declStart = HTMLText.find(Array("<?xml".utf8), in: head, from: 0),
              let declEnd = HTMLText.find(Array("?>".utf8), in: head, from: declStart),
              let enc = HTMLText.find(Array("encoding".utf8), in: head, from: declStart), enc < declEnd else { return nil }
        var i = enc + 8
        while i < declEnd, head[i] == 0x20 || head[i] == UInt8(ascii: "=") || head[i] == 0x09 { i += 1 }
        guard i < declEnd, head[i] == UInt8(ascii: "\"") || head[i] == UInt8(ascii: "'") else { return nil }
        let quote = head[i]
        guard let close = head[(i + 1)..<declEnd].firstIndex(of: quote), close > i + 1 else { return nil }
        return String(decoding: head[(i + 1)..<close], as: UTF8.self)
    }
}
