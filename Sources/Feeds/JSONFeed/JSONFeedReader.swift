import Foundation

/// JSON Feed 1.0 / 1.1 (https://jsonfeed.org/version/1.1) read with `JSONSerialization`.
enum JSONFeedReader {
    static func parse(_ bytes: [UInt8], source: String, sanitizedHTML: Bool = true) throws(FeedError) -> FeedDocument {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        } catch {
            throw .malformed(source: source, line: nil, reason: "invalid JSON: \((error as NSError).localizedDescription)")
        }
        guard let root = object as? [String: Any] else { throw .notAFeed(source: source, reason: "JSON document is not an object") }
        let version = root["version"] as? String ?? ""
        var warnings: [String] = []
        guard version.contains("jsonfeed.org") || root["items"] is [Any] else {
            throw .notAFeed(source: source, reason: "JSON without a JSON Feed version or items")
        }
        if !version.contains("jsonfeed.org") { warnings.append("JSON Feed without a version; read as 1.1") }
        let format: FeedFormat = version.hasSuffix("/1") || version.hasSuffix("/1.0") ? .json10 : .json11
        let documentBase = source.lowercased().hasPrefix("http") ? source : nil
        var feed = FeedMetadata()
        feed.title = string(root["title"])
        feed.link = string(root["home_page_url"]).map { URLResolution.resolve($0, against: documentBase) ?? $0 }
        feed.language = string(root["language"])
        var entries: [FeedEntry] = []
        var dateFailures = 0
        for case let item as [String: Any] in root["items"] as? [Any] ?? [] {
            let id: String? = string(item["id"]) ?? (item["id"] as? NSNumber).map { $0.stringValue }
            let link = string(item["url"]).map { URLResolution.resolve($0, against: feed.link ?? documentBase) ?? $0 }
            let base = link ?? feed.link ?? documentBase
            let title = string(item["title"])
            let published = date(item["date_published"], failures: &dateFailures)
            var entry = FeedEntry(id: id, title: title, link: link, published: published,
                                  dedupKey: EntryDedup.key(id: id, link: link, title: title, published: published))
            entry.updated = date(item["date_modified"], failures: &dateFailures)
            entry.author = authorName(item)
            if let summary = string(item["summary"]) {
                entry.summary = HTMLText.collapseWhitespace(summary)
                entry.summaryHTML = sanitizedHTML ? HTMLText.escape(summary) : nil
            }
            if let html = string(item["content_html"]) {
                let fragment = HTMLFragment.render(html, base: base, wantHTML: sanitizedHTML)
                entry.contentHTML = sanitizedHTML ? HTMLText.trim(fragment.html) : nil
                entry.content = fragment.text
            } else if let text = string(item["content_text"]) {
                entry.contentHTML = sanitizedHTML ? HTMLText.escape(text) : nil
                entry.content = HTMLText.collapseWhitespace(text)
            }
            entry.categories = (item["tags"] as? [Any] ?? []).compactMap { $0 as? String }
            if let attachments = item["attachments"] as? [Any], let first = attachments.first as? [String: Any] {
                entry.enclosureURL = string(first["url"])
            }
            entries.append(entry)
        }
        if dateFailures > 0 { warnings.append("\(dateFailures) unparseable entry date(s)") }
        return FeedDocument(format: format, bozo: false, warnings: warnings, feed: feed, entries: entries)
    }

    static func string(_ value: Any?) -> String? {
        guard let s = value as? String else { return nil }
        let trimmed = s.trimmedSpace
        return trimmed.isEmpty ? nil : trimmed
    }

    static func date(_ value: Any?, failures: inout Int) -> Date? {
        guard let text = string(value) else { return nil }
        if let date = FeedDates.parse(text) { return date }
        failures += 1
        return nil
    }

    /// `author.name` (1.0) or the first of `authors[].name` (1.1).
    static func authorName(_ object: [String: Any]) -> String? {
        if let authors = object["authors"] as? [Any] {
            for case let author as [String: Any] in authors {
                if let name = string(author["name"]) { return name }
            }
        }
        if let author = object["author"] as? [String: Any] { return string(author["name"]) }
        return nil
    }
}
