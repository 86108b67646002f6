import Feeds
import Foundation

/// Targets in the `Feeds` module: feeds, JSON Feed, OPML, article pages and dates.
enum FeedTargets {
    /// An http(s) source, so relative links are resolved against it as for a fetched feed.
    static let feedSource = "https://fuzz.example/news/feed.xml"
    static let pageURL = "https://fuzz.example/2026/02/07/article.html"

    /// Tags the sanitiser never lets through: a feed's HTML must not carry them into the report or the API.
    static let forbiddenTags = ["<script", "<style", "<iframe", "<object", "<embed", "<form", "<svg", "<math", "<meta", "<link", "<base"]

    static func feed(_ bytes: [UInt8]) throws(FuzzInvariantViolation) {
        try parseFeed(bytes, target: "feed")
    }

    static func jsonFeed(_ bytes: [UInt8]) throws(FuzzInvariantViolation) {
        try parseFeed(bytes, target: "jsonfeed")
    }

    /// `FeedParser.parse` either throws `FeedError` or returns a document whose `divergence parse` JSON is valid and
    /// whose sanitised HTML carries no forbidden tag.
    static func parseFeed(_ bytes: [UInt8], target: String) throws(FuzzInvariantViolation) {
        guard let document = try? FeedParser.parse(bytes, source: feedSource) else { return }
        try require(isJSON(ParsedFeedJSON.encode(document, source: feedSource)), target, "ParsedFeedJSON output is not valid JSON")
        for entry in document.entries {
            try require(!entry.dedupKey.isEmpty, target, "entry without a dedup key")
            for html in [entry.summaryHTML, entry.contentHTML].compactMap({ $0 }) {
                let lower = html.lowercased()
                if let tag = forbiddenTags.first(where: { lower.contains($0) }) {
                    throw FuzzInvariantViolation(target: target, reason: "sanitised HTML contains \(tag)")
                }
            }
        }
    }

    /// Outlines read from OPML, exported and read again, keep their feed URLs (export groups them by folder, so the order may change).
    static func opml(_ bytes: [UInt8]) throws(FuzzInvariantViolation) {
        guard let outlines = try? OPML.parse(bytes, source: "fuzz.opml") else { return }
        for outline in outlines {
            try require(!(outline.xmlURL ?? "").isEmpty, "opml", "outline without an xmlUrl")
        }
        let exported = OPML.export(outlines, title: "fuzz")
        let again: [OPMLOutline]
        do { again = try OPML.parse(Array(exported.utf8), source: "export.opml") } catch {
            throw FuzzInvariantViolation(target: "opml", reason: "exported OPML does not parse: \(error)")
        }
        let before = outlines.compactMap(\.xmlURL).sorted(), after = again.compactMap(\.xmlURL).sorted()
        try require(before == after, "opml", "export changed the feed URLs: \(before.filter { !after.contains($0) }) became \(after.filter { !before.contains($0) })")
    }

    /// `ArticlePage.extract` either throws `ArticleError` or returns a page whose JSON is valid; tables are read too.
    static func article(_ bytes: [UInt8]) throws(FuzzInvariantViolation) {
        if let page = try? ArticlePage.extract(bytes, url: pageURL) {
            try require(isJSON(ParsedArticleJSON.encode(page, source: pageURL)), "article", "ParsedArticleJSON output is not valid JSON")
        }
        if bytes.count < 1 << 16, String(decoding: bytes, as: UTF8.self).lowercased().contains("<table") {
            _ = try? HTMLTable.rows(bytes, url: pageURL, tableXPath: "//table")
        }
    }

    /// A parsed date printed as ISO 8601 parses back to the same second (when the year still has four digits).
    static func date(_ bytes: [UInt8]) throws(FuzzInvariantViolation) {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let date = FeedDates.parse(text) else { return }
        let printed = FeedDates.iso8601(date)
        guard printed.utf8.count == 20, let year = Int(printed.prefix(4)), year >= 1000 else { return }
        let again = FeedDates.parse(printed)
        try require(again == Date(timeIntervalSince1970: floor(date.timeIntervalSince1970)), "date",
                    "'\(text)' parsed as \(printed), which parses back as \(again.map(FeedDates.iso8601) ?? "nil")")
    }
}
