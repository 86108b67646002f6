import Foundation
import JSONOutput

/// The `divergence parse` JSON output of an HTML article page: sorted keys, dates ISO 8601 UTC ("2026-02-07T04:22:00Z"), nulls kept.
public enum ParsedArticleJSON {
    /// UTF-8 JSON: {author, format:"html", published, source (when given), text, title, url, warnings[]}.
    public static func encode(_ page: ArticlePage, source: String?) -> [UInt8] {
        var out = JSONWriter()
        write(page, source: source, into: &out)
        return out.bytes
    }

    /// Appends the same JSON as `encode` to `out` (keys in sorted order).
    public static func write(_ page: ArticlePage, source: String?, into out: inout JSONWriter) {
        out.raw("{\"author\":")
        out.string(page.author)
        out.raw(",\"format\":\"html\",\"published\":")
        ParsedFeedJSON.date(page.published, into: &out)
        if let source {
            out.raw(",\"source\":")
            out.string(source)
        }
        out.raw(",\"text\":")
        out.string(page.text)
        out.raw(",\"title\":")
        out.string(page.title)
        out.raw(",\"url\":")
        out.string(page.canonicalURL)
        out.raw(",\"warnings\":")
        out.array(page.warnings) { $0.string($1) }
        out.raw("}")
    }
}
