import Foundation

/// Stable per-entry key: FNV-1a 64 of the normalised id (or link, or title+date), hex.
/// Normalisation drops the scheme (http≡https), a leading `www.`, `utm_*` query parameters, the fragment and a trailing slash.
public enum EntryDedup {
    /// The dedup key for an entry's identifying fields.
    public static func key(id: String?, link: String?, title: String?, published: Date?) -> String {
        if let identifier = id.flatMap({ $0.isEmpty ? nil : $0 }) ?? link.flatMap({ $0.isEmpty ? nil : $0 }) {
            var basis: [UInt8] = Array("id:".utf8)
            basis.reserveCapacity(identifier.utf8.count + 3)
            appendNormalised(identifier, to: &basis)
            return hex(fnv1a(basis))
        }
        let stamp = published.map { FeedDates.iso8601($0) } ?? ""
        return fnv1a("t:" + HTMLText.collapseWhitespace(title ?? "").lowercased() + "|" + stamp)
    }

    static let https = Array("https://".utf8)
    static let http = Array("http://".utf8)
    static let www = Array("www.".utf8)

    /// URL-ish normalisation; non-URL ids are only trimmed.
    public static func normalise(_ raw: String) -> String {
        var out: [UInt8] = []
        appendNormalised(raw, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the normalised form of `raw` to `out`, working on its UTF-8 bytes.
    static func appendNormalised(_ raw: String, to out: inout [UInt8]) {
        var copy = raw
        copy.withUTF8 { all in
            let b = HTMLText.trim(all)
            let schemeLength: Int
            if HTMLText.startsIgnoringASCIICase(b, with: EntryDedup.https) {
                schemeLength = 8
            } else if HTMLText.startsIgnoringASCIICase(b, with: EntryDedup.http) {
                schemeLength = 7
            } else {
                out.append(contentsOf: b)
                return
            }
            let end = b[schemeLength...].firstIndex(of: UInt8(ascii: "#")) ?? b.count
            let queryStart = b[schemeLength..<end].firstIndex(of: UInt8(ascii: "?"))
            let pathEnd = queryStart ?? end
            let hostEnd = b[schemeLength..<pathEnd].firstIndex(of: UInt8(ascii: "/")) ?? pathEnd
            var host = b[schemeLength..<hostEnd].map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
            if host.starts(with: EntryDedup.www) { host.removeFirst(4) }
            if host.count > 3, host.suffix(3).elementsEqual(":80".utf8) { host.removeLast(3) }
            if host.count > 4, host.suffix(4).elementsEqual(":443".utf8) { host.removeLast(4) }
            out.append(contentsOf: host)
            var pathStop = pathEnd
            while pathStop > hostEnd, b[pathStop - 1] == UInt8(ascii: "/") { pathStop -= 1 }
            out.append(contentsOf: b[hostEnd..<pathStop])
            guard let queryStart else { return }
            var first = true
            for part in b[(queryStart + 1)..<end].split(separator: UInt8(ascii: "&")) {
                if HTMLText.startsIgnoringASCIICase(part, with: "utm_".utf8) { continue }
                out.append(first ? UInt8(ascii: "?") : UInt8(ascii: "&"))
                out.append(contentsOf: part)
                first = false
            }
        }
    }

    /// FNV-1a 64 of `text`'s UTF-8, as sixteen hex digits.
    static func fnv1a(_ text: String) -> String { hex(fnv1a(Array(text.utf8))) }

    /// FNV-1a 64 of `bytes`.
    static func fnv1a(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }

    /// Sixteen lower-case hex digits.
    static func hex(_ value: UInt64) -> String {
        String(unsafeUninitializedCapacity: 16) { out in
            let digits: StaticString = "0123456789abcdef"
            for k in 0..<16 {
                out[k] = digits.utf8Start[Int((value >> UInt64(60 - 4 * k)) & 0xF)]
            }
            return 16
        }
    }
}
