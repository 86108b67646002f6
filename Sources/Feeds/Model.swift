import Foundation

/// The syndication format a document was recognised as.
public enum FeedFormat: String, Sendable, Codable {
    case rss090 = "rss090", rss091, rss092, rss093, rss094, rss20, rss10, atom03, atom10, json10, json11
}

/// Channel-level facts of a feed; dates are UTC.
public struct FeedMetadata: Sendable, Codable, Equatable {
    public var title: String?
    public var link: String?
    public var id: String?
    public var updated: Date?
    public var language: String?
    /// RSS `<ttl>`: minutes the feed asks readers to cache it before fetching again.
    public var ttlMinutes: Int?

    /// Creates feed metadata; every field is optional.
    public init(title: String? = nil, link: String? = nil, id: String? = nil, updated: Date? = nil, language: String? = nil, ttlMinutes: Int? = nil) {
        self.title = title
        self.link = link
        self.id = id
        self.updated = updated
        self.language = language
        self.ttlMinutes = ttlMinutes
    }
}

/// One item of a feed; `summary`/`content` are plain text, the `…HTML` twins sanitised HTML, dates UTC.
public struct FeedEntry: Sendable, Codable, Equatable {
    public var id: String?
    public var title: String?
    public var link: String?
    public var published: Date?
    public var updated: Date?
    public var author: String?
    public var summary: String?
    public var content: String?
    public var summaryHTML: String?
    public var contentHTML: String?
    public var categories: [String]
    public var enclosureURL: String?
    /// Stable across http→https, `utm_*` parameters and re-sends; see ``EntryDedup``.
    public var dedupKey: String

    /// Creates an entry; `dedupKey` is derived from id/link/title when not given.
    public init(id: String? = nil, title: String? = nil, link: String? = nil, published: Date? = nil,
                updated: Date? = nil, author: String? = nil, summary: String? = nil, content: String? = nil,
                summaryHTML: String? = nil, contentHTML: String? = nil, categories: [String] = [],
                enclosureURL: String? = nil, dedupKey: String? = nil) {
        self.id = id
        self.title = title
        self.link = link
        self.published = published
        self.updated = updated
        self.author = author
        self.summary = summary
        self.content = content
        self.summaryHTML = summaryHTML
        self.contentHTML = contentHTML
        self.categories = categories
        self.enclosureURL = enclosureURL
        self.dedupKey = dedupKey ?? EntryDedup.key(id: id, link: link, title: title, published: published)
    }
}

/// A parsed feed: format, recovery flag (`bozo`) with the reasons, channel metadata and entries.
public struct FeedDocument: Sendable, Codable {
    public var format: FeedFormat
    /// True when the input was not well-formed or needed recovery; `warnings` say why.
    public var bozo: Bool
    public var warnings: [String]
    public var feed: FeedMetadata
    public var entries: [FeedEntry]

    /// Creates a document.
    public init(format: FeedFormat, bozo: Bool = false, warnings: [String] = [], feed: FeedMetadata = FeedMetadata(), entries: [FeedEntry] = []) {
        self.format = format
        self.bozo = bozo
        self.warnings = warnings
        self.feed = feed
        self.entries = entries
    }
}

/// Why a document could not be read as a feed; `description` is "<source>: <reason>".
public enum FeedError: Error, Sendable, CustomStringConvertible, Equatable {
    case empty(source: String)
    case notAFeed(source: String, reason: String)
    case malformed(source: String, line: Int?, reason: String)

    /// One line naming the source and the reason.
    public var description: String {
        switch self {
        case .empty(let source):
            return "\(source): empty document"
        case .notAFeed(let source, let reason):
            return "\(source): not a feed (\(reason))"
        case .malformed(let source, let line, let reason):
            if let line { return "\(source): malformed at line \(line): \(reason)" }
            return "\(source): malformed: \(reason)"
        }
    }
}
