import Foundation

/// The `divergence parse` JSON output of an HTML article page: sorted keys, dates ISO 8601 UTC ("2026-02-07T04:22:00Z"), nulls kept.
public enum ParsedArticleJSON {
    /// UTF-8 JSON: {author, format:"html", published, source (when given), text, title, url, warnings[]}.
    public static func encode(_ page: ArticlePage, source: String?) -> [UInt8] {
        var fields: [(String, String)] = [
            ("author", ParsedFeedJSON.optional(page.author)),
            ("format", ParsedFeedJSON.quote("html")),
            ("published", ParsedFeedJSON.date(page.published)),
            ("text", ParsedFeedJSON.quote(page.text)),
            ("title", ParsedFeedJSON.optional(page.title)),
            ("url", ParsedFeedJSON.optional(page.canonicalURL)),
            ("warnings", "[" + page.warnings.map(ParsedFeedJSON.quote).joined(separator: ",") + "]"),
        ]
        if let source { fields.append(("source", ParsedFeedJSON.quote(source))) }
        fields.sort { $0.0 < $1.0 }
        return Array(("{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}").utf8)
    }
}
