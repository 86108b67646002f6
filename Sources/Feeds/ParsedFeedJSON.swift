import Foundation
import JSONOutput

/// The `divergence parse` JSON output of a feed: fixed key order, dates ISO 8601 UTC ("2026-02-07T04:22:00Z"), nulls kept.
public enum ParsedFeedJSON {
    /// UTF-8 JSON: {format, bozo, warnings[], feed{title,link,id,updated}, entries[{id,title,link,published,updated,author,summary,content}]}, plus "source" first when given.
    public static func encode(_ doc: FeedDocument, source: String?) -> [UInt8] {
        var out = JSONWriter()
        write(doc, source: source, into: &out)
        return out.bytes
    }

    /// Appends the same JSON as `encode` to `out`.
    public static func write(_ doc: FeedDocument, source: String?, into out: inout JSONWriter) {
        out.raw("{")
        if let source {
            out.raw("\"source\":")
            out.string(source)
            out.raw(",")
        }
        out.raw("\"format\":")
        out.string(doc.format.rawValue)
        out.raw(",\"bozo\":")
        out.bool(doc.bozo)
        out.raw(",\"warnings\":")
        out.array(doc.warnings) { $0.string($1) }
        out.raw(",\"feed\":{\"title\":")
        out.string(doc.feed.title)
        out.raw(",\"link\":")
        out.string(doc.feed.link)
        out.raw(",\"id\":")
        out.string(doc.feed.id)
        out.raw(",\"updated\":")
        date(doc.feed.updated, into: &out)
        out.raw("},\"entries\":")
        out.array(doc.entries) { out, e in
            out.raw("{\"id\":")
            out.string(e.id)
            out.raw(",\"title\":")
            out.string(e.title)
            out.raw(",\"link\":")
            out.string(e.link)
            out.raw(",\"published\":")
            date(e.published, into: &out)
            out.raw(",\"updated\":")
            date(e.updated, into: &out)
            out.raw(",\"author\":")
            out.string(e.author)
            out.raw(",\"summary\":")
            out.string(e.summary)
            out.raw(",\"content\":")
            out.string(e.content)
            out.raw("}")
        }
        out.raw("}")
    }

    /// An ISO 8601 UTC date string, or `null`.
    static func date(_ d: Date?, into out: inout JSONWriter) {
        out.string(d.map(FeedDates.iso8601))
    }
}
