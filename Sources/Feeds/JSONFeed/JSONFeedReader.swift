import Foundation

/// JSON Feed 1.0 / 1.1 (https://jsonfeed.org/version/1.1) read with `JSONDecoder` into lenient structures.
///
/// A member of the wrong type reads as absent, as with `JSONSerialization` and casts; only the first
/// `FeedParser.maxEntries` items are decoded, so memory stays a small multiple of the input (`JSONSerialization`
/// on Linux needs ~200 bytes of heap per input byte: 3 GB for a 16 MB feed of a million tiny items).
enum JSONFeedReader {
    static func parse(_ bytes: [UInt8], source: String, sanitizedHTML: Bool = true) throws(FeedError) -> FeedDocument {
        guard EncodingSniffer.isValidUTF8(bytes) else { throw .malformed(source: source, line: nil, reason: "invalid JSON: not UTF-8 text") }
        let root: Root
        do {
            root = try JSONDecoder().decode(Root.self, from: Data(bytes))
        } catch DecodingError.typeMismatch {
            throw .notAFeed(source: source, reason: "JSON document is not an object")
        } catch {
            throw .malformed(source: source, line: nil, reason: "invalid JSON: \(reason(error))")
        }
        let version = root.version ?? ""
        var warnings: [String] = []
        guard version.contains("jsonfeed.org") || root.items != nil else {
            throw .notAFeed(source: source, reason: "JSON without a JSON Feed version or items")
        }
        if !version.contains("jsonfeed.org") { warnings.append("JSON Feed without a version; read as 1.1") }
        let format: FeedFormat = version.hasSuffix("/1") || version.hasSuffix("/1.0") ? .json10 : .json11
        let documentBase = source.lowercased().hasPrefix("http") ? source : nil
        var feed = FeedMetadata()
        feed.title = root.title
        feed.link = root.homePageURL.map { URLResolution.resolve($0, against: documentBase) ?? $0 }
        feed.language = root.language
        var entries: [FeedEntry] = []
        var dateFailures = 0
        for item in root.items ?? [] {
            let link = item.url.map { URLResolution.resolve($0, against: feed.link ?? documentBase) ?? $0 }
            let base = link ?? feed.link ?? documentBase
            let published = date(item.datePublished, failures: &dateFailures)
            var entry = FeedEntry(id: item.id, title: item.title, link: link, published: published,
                                  dedupKey: EntryDedup.key(id: item.id, link: link, title: item.title, published: published))
            entry.updated = date(item.dateModified, failures: &dateFailures)
            entry.author = item.author
            if let summary = item.summary {
                entry.summary = HTMLText.collapseWhitespace(summary)
                entry.summaryHTML = sanitizedHTML ? HTMLText.escape(summary) : nil
            }
            if let html = item.contentHTML {
                let fragment = HTMLFragment.render(html, base: base, wantHTML: sanitizedHTML)
                entry.contentHTML = sanitizedHTML ? fragment.html : nil
                entry.content = fragment.text
            } else if let text = item.contentText {
                entry.contentHTML = sanitizedHTML ? HTMLText.escape(text) : nil
                entry.content = HTMLText.collapseWhitespace(text)
            }
            entry.categories = item.tags
            entry.enclosureURL = item.enclosureURL
            entries.append(entry)
        }
        let truncated = root.itemCount > entries.count && entries.count == FeedParser.maxEntries
        if truncated { warnings.append("\(root.itemCount) items; only the first \(FeedParser.maxEntries) were read") }
        if dateFailures > 0 { warnings.append("\(dateFailures) unparseable entry date(s)") }
        return FeedDocument(format: format, bozo: truncated, warnings: warnings, feed: feed, entries: entries)
    }

    static func date(_ text: String?, failures: inout Int) -> Date? {
        guard let text else { return nil }
        if let date = FeedDates.parse(text) { return date }
        failures += 1
        return nil
    }

    /// The innermost description of a decoding failure, on one line.
    static func reason(_ error: any Error) -> String {
        guard case DecodingError.dataCorrupted(let context) = error else { return "\(error)" }
        let underlying = context.underlyingError.map { ($0 as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\($0)" }
        return HTMLText.collapseWhitespace(underlying ?? context.debugDescription)
    }

    /// The top-level object: `items` is nil when absent or not an array.
    private struct Root: Decodable {
        var version, title, homePageURL, language: String?
        var items: [Item]?
        /// Elements in `items`, read or not.
        var itemCount = 0

        enum Key: String, CodingKey { case version, title, home_page_url, language, items }

        init(from decoder: any Decoder) throws {
            let object = try decoder.container(keyedBy: Key.self)
            version = object.lenientString(.version)
            title = object.lenientString(.title)
            homePageURL = object.lenientString(.home_page_url)
            language = object.lenientString(.language)
            guard var list = try? object.nestedUnkeyedContainer(forKey: .items) else { return }
            itemCount = list.count ?? 0
            var read: [Item] = []
            while !list.isAtEnd, read.count < FeedParser.maxEntries {
                let before = list.currentIndex
                if let item = (try? list.decode(Lenient<Item>.self))?.value { read.append(item) }
                if list.currentIndex == before { break }
            }
            items = read
        }
    }

    /// One item; members of the wrong type are nil.
    private struct Item: Decodable {
        var id, url, title, datePublished, dateModified, author, summary, contentHTML, contentText, enclosureURL: String?
        var tags: [String] = []

        enum Key: String, CodingKey {
            case id, url, title, date_published, date_modified, authors, author, summary, content_html, content_text, tags, attachments
        }

        init(from decoder: any Decoder) throws {
            let object = try decoder.container(keyedBy: Key.self)
            id = Self.identifier(object)
            url = object.lenientString(.url)
            title = object.lenientString(.title)
            datePublished = object.lenientString(.date_published)
            dateModified = object.lenientString(.date_modified)
            summary = object.lenientString(.summary)
            contentHTML = object.lenientString(.content_html)
            contentText = object.lenientString(.content_text)
            // `authors[].name` (1.1), else `author.name` (1.0).
            author = object.elements(.authors) { (named: Named) in named.name }.first
                ?? (try? object.decodeIfPresent(Lenient<Named>.self, forKey: .author))?.value?.name
            tags = object.elements(.tags) { (tag: String) in tag }
            enclosureURL = object.elements(.attachments, limit: 1) { (attachment: Link) in attachment.url }.first
        }

        /// The id as text: a string, or a number or boolean as its decimal text (feeds do send `"id": 123`).
        static func identifier(_ object: KeyedDecodingContainer<Key>) -> String? {
            if let text = object.lenientString(.id) { return text }
            if let flag = try? object.decodeIfPresent(Bool.self, forKey: .id) { return flag ? "1" : "0" }
            if let integer = try? object.decodeIfPresent(Int64.self, forKey: .id) { return String(integer) }
            if let integer = try? object.decodeIfPresent(UInt64.self, forKey: .id) { return String(integer) }
            if let number = try? object.decodeIfPresent(Double.self, forKey: .id) { return "\(number)" }
            return nil
        }
    }

    private struct Named: Decodable {
        var name: String?
        enum Key: String, CodingKey { case name }
        init(from decoder: any Decoder) throws { name = try decoder.container(keyedBy: Key.self).lenientString(.name) }
    }

    private struct Link: Decodable {
        var url: String?
        enum Key: String, CodingKey { case url }
        init(from decoder: any Decoder) throws { url = try decoder.container(keyedBy: Key.self).lenientString(.url) }
    }
}

/// Any JSON value: `value` is nil when it is not a `T`. Decoding one always succeeds, so a walk over an array advances.
private struct Lenient<T: Decodable>: Decodable {
    var value: T?
    init(from decoder: any Decoder) throws { value = try? T(from: decoder) }
}

extension KeyedDecodingContainer {
    /// The member as a trimmed string; nil when absent, empty or not a string.
    fileprivate func lenientString(_ key: Key) -> String? {
        guard let value = try? decodeIfPresent(String.self, forKey: key) else { return nil }
        let trimmed = value.trimmedSpace
        return trimmed.isEmpty ? nil : trimmed
    }

    /// The non-nil `transform`s of the first `limit` elements of the array member; empty when it is not an array.
    fileprivate func elements<Element: Decodable, T>(_ key: Key, limit: Int = .max, _ transform: (Element) -> T?) -> [T] {
        guard var list = try? nestedUnkeyedContainer(forKey: key) else { return [] }
        var result: [T] = []
        while !list.isAtEnd, list.currentIndex < limit {
            let before = list.currentIndex
            if let element = (try? list.decode(Lenient<Element>.self))?.value, let value = transform(element) { result.append(value) }
            if list.currentIndex == before { break }
        }
        return result
    }
}
