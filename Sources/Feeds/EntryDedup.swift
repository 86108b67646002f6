import Foundation

/// Stable per-entry key: FNV-1a 64 of the normalised id (or link, or title+date), hex.
/// Normalisation drops the scheme (http≡https), a leading `www.`, `utm_*` query parameters, the fragment and a trailing slash.
public enum EntryDedup {
    /// The dedup key for an entry's identifying fields.
    public static func key(id: String?, link: String?, title: String?, published: Date?) -> String {
        let basis: String
        if let id, !id.isEmpty {
            basis = "id:" + normalise(id)
        } else if let link, !link.isEmpty {
            basis = "id:" + normalise(link)
        } else {
            let stamp = published.map { FeedDates.iso8601($0) } ?? ""
            basis = "t:" + HTMLText.collapseWhitespace(title ?? "").lowercased() + "|" + stamp
        }
        return fnv1a(basis)
    }

    static let https = Array("https://".utf8)
    static let http = Array("http://".utf8)
    static let www = Array("www.".utf8)

    /// URL-ish normalisation; non-URL ids are only trimmed.
    public static func normalise(_ raw: String) -> String {
        let trimmed = HTMLText.trim(raw)
        var bytes = Array(trimmed.utf8)
        let lowerPrefix = bytes.prefix(8).map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        let schemeLength: Int
        if lowerPrefix.starts(with: EntryDedup.https) {
            schemeLength = 8
        } else if lowerPrefix.starts(with: EntryDedup.http) {
            schemeLength = 7
        } else {
            return trimmed
        }
        bytes.removeFirst(schemeLength)
        if let hash = bytes.firstIndex(of: UInt8(ascii: "#")) { bytes.removeSubrange(hash...) }
        var query: ArraySlice<UInt8>?
        if let q = bytes.firstIndex(of: UInt8(ascii: "?")) {
            query = bytes[(q + 1)...]
            bytes = Array(bytes[..<q])
        }
        let hostEnd = bytes.firstIndex(of: UInt8(ascii: "/")) ?? bytes.count
        var host = bytes[..<hostEnd].map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        if host.starts(with: EntryDedup.www) { host.removeFirst(4) }
        if host.count > 3, Array(host.suffix(3)) == Array(":80".utf8) { host.removeLast(3) }
        if host.count > 4, Array(host.suffix(4)) == Array(":443".utf8) { host.removeLast(4) }
        var path = Array(bytes[hostEnd...])
        while path.last == UInt8(ascii: "/") { path.removeLast() }
        var result = host + path
        if let query {
            let kept = query.split(separator: UInt8(ascii: "&")).filter { part in
                let lower = part.prefix(4).map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
                return !(lower.count == 4 && lower == Array("utm_".utf8))
            }
            if !kept.isEmpty {
                result.append(UInt8(ascii: "?"))
                result.append(contentsOf: Array(kept.joined(separator: [UInt8(ascii: "&")])))
            }
        }
        return String(decoding: result, as: UTF8.self)
    }

    static func fnv1a(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
