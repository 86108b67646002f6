import Foundation

/// The `divergence parse` JSON output of a feed: fixed key order, dates ISO 8601 UTC ("2026-02-07T04:22:00Z"), nulls kept.
public enum ParsedFeedJSON {
    /// UTF-8 JSON: {format, bozo, warnings[], feed{title,link,id,updated}, entries[{id,title,link,published,updated,author,summary,content}]}, plus "source" first when given.
    public static func encode(_ doc: FeedDocument, source: String?) -> [UInt8] {
        var out = "{"
        if let source { out += "\"source\":\(quote(source))," }
        out += "\"format\":\(quote(doc.format.rawValue)),\"bozo\":\(doc.bozo),\"warnings\":["
        out += doc.warnings.map(quote).joined(separator: ",")
        out += "],\"feed\":{\"title\":\(optional(doc.feed.title)),\"link\":\(optional(doc.feed.link)),\"id\":\(optional(doc.feed.id)),\"updated\":\(date(doc.feed.updated))},\"entries\":["
        out += doc.entries.map { e in
            "{\"id\":\(optional(e.id)),\"title\":\(optional(e.title)),\"link\":\(optional(e.link)),\"published\":\(date(e.published)),\"updated\":\(date(e.updated)),\"author\":\(optional(e.author)),\"summary\":\(optional(e.summary)),\"content\":\(optional(e.content))}"
        }.joined(separator: ",")
        out += "]}"
        return Array(out.utf8)
    }

    static func optional(_ s: String?) -> String { s.map(quote) ?? "null" }
    static func date(_ d: Date?) -> String { d.map { quote(FeedDates.iso8601($0)) } ?? "null" }

    /// JSON string literal with RFC 8259 escapes.
    static func quote(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if c.value < 0x20 {
                    let hex = String(c.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(c)
                }
            }
        }
        return out + "\""
    }
}
