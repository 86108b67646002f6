import CLibXML2
import Foundation

/// Cache of canonical element keys for one document (libxml2 interns names in the document dictionary).
final class ElementNames {
    struct Identity: Hashable {
        var name: Int
        var namespace: Int
    }
    var keys: [Identity: String] = [:]
}

/// Reads RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 from a parsed tree with feedparser's element mapping:
/// the Atom, RSS 1.0 and RSS 0.90 namespaces all read as the core vocabulary; `dc:`, `dcterms:`, `content:` by prefix.
struct XMLFeedReader {
    let root: xmlNodePtr
    let documentBase: String?
    /// Produce sanitised HTML beside the plain text.
    var sanitizedHTML = true
    let expansion = ExpansionLog()

    let names = ElementNames()

    func text(_ node: xmlNodePtr) -> String { XMLNode.text(node, log: expansion) }

    /// `key(_:)` memoised by libxml2's interned name and namespace pointers.
    func key(_ node: xmlNodePtr) -> String {
        let identity = ElementNames.Identity(name: Int(bitPattern: node.pointee.name), namespace: Int(bitPattern: node.pointee.ns))
        if let known = names.keys[identity] { return known }
        let computed = XMLFeedReader.key(node)
        if names.keys.count < 4096 { names.keys[identity] = computed }
        return computed
    }

    static let namespacePrefixes: [String: String] = [
        "http://www.w3.org/2005/atom": "",
        "http://purl.org/atom/ns#": "",
        "http://purl.org/rss/1.0/": "",
        "http://my.netscape.com/rdf/simple/0.9/": "",
        "http://backend.userland.com/rss2": "",
        "http://blogs.law.harvard.edu/tech/rss": "",
        "http://purl.org/net/rss1.1#": "",
        "http://purl.org/dc/elements/1.1/": "dc",
        "http://purl.org/dc/elements/1.0/": "dc",
        "http://purl.org/dc/terms/": "dcterms",
        "http://purl.org/rss/1.0/modules/content/": "content",
        "http://www.w3.org/1999/xhtml": "xhtml",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf",
        "http://search.yahoo.com/mrss/": "media",
        "http://search.yahoo.com/mrss": "media",
        "http://www.itunes.com/dtds/podcast-1.0.dtd": "itunes",
        "http://purl.org/rss/1.0/modules/slash/": "slash",
    ]

    /// The canonical `prefix:name` (or bare name for the core vocabulary) of an element.
    static func key(_ node: xmlNodePtr) -> String {
        let local = XMLNode.localName(node).lowercased()
        guard let uri = XMLNode.namespaceURI(node) else { return local }
        if let prefix = namespacePrefixes[uri.lowercased()] {
            return prefix.isEmpty ? local : prefix + ":" + local
        }
        if let prefix = XMLNode.prefix(node) { return prefix + ":" + local }
        return local
    }

    /// Format from the root element and its version/namespace.
    func format() -> FeedFormat? {
        let name = XMLNode.localName(root).lowercased()
        let uri = XMLNode.namespaceURI(root) ?? ""
        switch name {
        case "rss":
            let version = (XMLNode.attribute(root, "version") ?? "").trimmingCharacters(in: .whitespaces)
            switch version {
            case "0.90": return .rss090
            case "0.91": return .rss091
            case "0.92": return .rss092
            case "0.93": return .rss093
            case "0.94": return .rss094
            default: return .rss20
            }
        case "rdf":
            let channels = XMLNode.elementChildren(root).filter { XMLNode.localName($0) == "channel" }
            if let channel = channels.first, XMLNode.namespaceURI(channel) == "http://my.netscape.com/rdf/simple/0.9/" { return .rss090 }
            return .rss10
        case "feed":
            if uri == "http://purl.org/atom/ns#" || XMLNode.attribute(root, "version") == "0.3" { return .atom03 }
            return .atom10
        case "channel":
            return .rss20
        default:
            return nil
        }
    }

    func read(warnings: inout [String]) -> (FeedMetadata, [FeedEntry]) {
        let rootName = XMLNode.localName(root).lowercased()
        var channel: xmlNodePtr = root
        if rootName != "feed", let found = XMLNode.elementChildren(root).first(where: { XMLNode.localName($0).lowercased() == "channel" }) {
            channel = found
        }
        var items: [xmlNodePtr] = []
        collectItems(root, into: &items, depth: 0)
        if items.count > FeedParser.maxEntries {
            warnings.append("\(items.count) entries; only the first \(FeedParser.maxEntries) were read")
            items.removeSubrange(FeedParser.maxEntries...)
        }
        var feed = readFeed(channel)
        if rootName == "feed" || rootName == "rss" || rootName == "channel" {
            if feed.title == nil, channel != root { feed = mergeMissing(feed, readFeed(root)) }
        }
        let linkBase = feed.link.flatMap { URLResolution.isAbsolute($0) ? $0 : nil }
        var dateFailures: [String] = []
        let entries = items.map { readEntry($0, channelLink: linkBase, dateFailures: &dateFailures) }
        if expansion.truncated {
            warnings.append("entity expansion exceeded 64 KiB in a value; truncated")
        }
        if let name = expansion.externalEntity {
            warnings.append("external entity &\(name); not read (external entities are never loaded)")
        }
        if !dateFailures.isEmpty {
            warnings.append("\(dateFailures.count) unparseable entry date(s), e.g. \"\(dateFailures[0])\"")
        }
        return (feed, entries)
    }

    private func mergeMissing(_ a: FeedMetadata, _ b: FeedMetadata) -> FeedMetadata {
        FeedMetadata(title: a.title ?? b.title, link: a.link ?? b.link, id: a.id ?? b.id, updated: a.updated ?? b.updated, language: a.language ?? b.language,
                     ttlMinutes: a.ttlMinutes ?? b.ttlMinutes)
    }

    private func collectItems(_ node: xmlNodePtr, into items: inout [xmlNodePtr], depth: Int) {
        guard depth < 8 else { return }
        for child in XMLNode.elementChildren(node) {
            let k = key(child)
            if k == "item" || k == "entry" {
                items.append(child)
            } else if k == "channel" || k == "rdf:seq" || k == "items" || k == "rdf:rdf" || k == "feed" {
                collectItems(child, into: &items, depth: depth + 1)
            }
        }
    }

    private func readFeed(_ channel: xmlNodePtr) -> FeedMetadata {
        var feed = FeedMetadata()
        var linkFromText: String?
        for child in XMLNode.elementChildren(channel) {
            let k = key(child)
            switch k {
            case "title", "dc:title":
                let construct = textConstruct(child)
                let value = construct.isHTML ? HTMLSanitizer.sanitize(construct.html, base: XMLNode.base(child, documentBase: documentBase)) : construct.display
                if feed.title == nil || !value.isEmpty { feed.title = value }
            case "link":
                if let href = XMLNode.attribute(child, "href") {
                    let rel = XMLNode.attribute(child, "rel") ?? "alternate"
                    let type = XMLNode.attribute(child, "type") ?? "text/html"
                    if rel == "alternate", type == "text/html" || type == "application/xhtml+xml" {
                        feed.link = resolve(href, child)
                    }
                } else {
                    let text = text(child).trimmedSpace
                    if !text.isEmpty { linkFromText = resolve(text, child) }
                }
            case "id", "guid":
                feed.id = text(child).trimmedSpace
            case "updated", "modified", "lastbuilddate", "dc:date", "dcterms:modified", "pubdate", "published":
                if let date = FeedDates.parse(text(child)), feed.updated == nil || k == "updated" || k == "modified" || k == "lastbuilddate" {
                    feed.updated = date
                }
            case "language", "dc:language":
                feed.language = text(child).trimmedSpace
            case "ttl":
                if let minutes = Int(text(child).trimmedSpace), minutes > 0 { feed.ttlMinutes = minutes }
            default:
                break
            }
        }
        if feed.language == nil, let lang = xmlNodeGetLang(channel) {
            feed.language = String(cString: lang)
            feeds_free(lang)
        }
        if let linkFromText { feed.link = linkFromText }
        return feed
    }

    /// A text construct (title/summary/content) as display text plus HTML, by its declared type or mode.
    struct TextConstruct {
        var html: String
        var isHTML: Bool
        /// The value as feedparser reports it: markup kept for HTML types, plain text otherwise.
        var display: String
    }

    func textConstruct(_ node: xmlNodePtr, defaultHTML: Bool = false) -> TextConstruct {
        let type = (XMLNode.attribute(node, "type") ?? "").lowercased()
        let mode = (XMLNode.attribute(node, "mode") ?? "").lowercased()
        if type == "xhtml" || type == "application/xhtml+xml" || mode == "xml" || (XMLNode.hasElementChildren(node) && type != "text") {
            var container = node
            let kids = XMLNode.elementChildren(node)
            let atom10 = XMLNode.namespaceURI(node) == "http://www.w3.org/2005/Atom"
            if kids.count == 1, XMLNode.localName(kids[0]) == "div", type == "xhtml" || (atom10 && type == "application/xhtml+xml") {
                container = kids[0]
            }
            let markup = XMLFeedReader.dropNamespaceDeclarations(XMLNode.innerMarkup(container)).trimmedSpace
            return TextConstruct(html: markup, isHTML: true, display: markup)
        }
        var raw = text(node)
        let opaqueType = type.contains("/") && !type.hasPrefix("text/") && !type.hasSuffix("xml")
        if mode == "base64" || opaqueType, let data = Data(base64Encoded: raw.filter { !$0.isWhitespace }) {
            raw = String(decoding: data, as: UTF8.self)
        }
        let trimmed = raw.trimmedSpace
        let isHTML: Bool
        if type == "html" || type == "text/html" || mode == "escaped" {
            isHTML = true
        } else if type == "text" || type == "text/plain" {
            isHTML = false
        } else {
            isHTML = defaultHTML
        }
        return TextConstruct(html: isHTML ? trimmed : HTMLText.escape(trimmed), isHTML: isHTML, display: trimmed)
    }

    /// Removes `xmlns` declarations that serialisation adds to inline XHTML.
    static func dropNamespaceDeclarations(_ markup: String) -> String {
        let b = Array(markup.utf8)
        let needle = Array(" xmlns".utf8)
        guard HTMLText.find(needle, in: b, from: 0) != nil else { return markup }
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var i = 0
        while i < b.count {
            if b[i] == 0x20, i + needle.count < b.count, b[i..<(i + needle.count)].elementsEqual(needle),
               let eq = b[(i + needle.count)...].firstIndex(of: UInt8(ascii: "=")), eq + 1 < b.count,
               b[(i + needle.count)..<eq].allSatisfy({ $0 == UInt8(ascii: ":") || HTMLFragment.Scanner.isLetter($0) || ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }),
               b[eq + 1] == UInt8(ascii: "\"") || b[eq + 1] == UInt8(ascii: "'"),
               let end = b[(eq + 2)...].firstIndex(of: b[eq + 1]) {
                i = end + 1
                continue
            }
            out.append(b[i])
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    private func resolve(_ url: String, _ node: xmlNodePtr) -> String {
        let trimmed = url.trimmedSpace
        guard !URLResolution.isAbsolute(trimmed) else { return trimmed }
        return URLResolution.resolve(trimmed, against: XMLNode.base(node, documentBase: documentBase)) ?? trimmed
    }

    private func readEntry(_ item: xmlNodePtr, channelLink: String?, dateFailures: inout [String]) -> FeedEntry {
        var id: String?
        var title: String?
        var link: String?
        var guidPermalink: String?
        var published: Date?
        var updated: Date?
        var author: String?
        var summary: TextConstruct?
        var content: TextConstruct?
        var categories: [String] = []
        var enclosure: String?
        var nestedMedia: [xmlNodePtr] = []
        if let about = XMLNode.attribute(item, "about"), !about.isEmpty { id = about }
        if let href = XMLNode.attribute(item, "href"), !href.isEmpty { link = resolve(href, item) }
        if let lastmod = XMLNode.attribute(item, "lastmod") { updated = FeedDates.parse(lastmod) }
        for child in XMLNode.elementChildren(item) {
            let k = key(child)
            switch k {
            case "title", "dc:title", "media:title":
                let construct = textConstruct(child)
                let value = construct.isHTML ? HTMLSanitizer.sanitize(construct.html, base: XMLNode.base(child, documentBase: documentBase)) : construct.display
                if title == nil || !value.isEmpty { title = value }
            case "link":
                if let href = XMLNode.attribute(child, "href") {
                    let rel = XMLNode.attribute(child, "rel") ?? "alternate"
                    let type = XMLNode.attribute(child, "type") ?? "text/html"
                    if rel == "alternate", type == "text/html" || type == "application/xhtml+xml" {
                        link = resolve(href, child)
                    } else if rel == "enclosure", enclosure == nil {
                        enclosure = resolve(href, child)
                    }
                } else {
                    let text = text(child).trimmedSpace
                    if !text.isEmpty { link = resolve(text, child) }
                }
            case "guid", "id":
                let value = text(child).trimmedSpace
                id = value
                if (XMLNode.attribute(child, "isPermaLink") ?? "true").lowercased() != "false", link == nil, !value.isEmpty, !value.contains("[") {
                    guidPermalink = value
                }
            case "pubdate", "published", "issued", "dcterms:issued":
                let raw = text(child)
                if let date = FeedDates.parse(raw) { published = date } else if !raw.isEmpty { dateFailures.append(String(HTMLText.collapseWhitespace(raw).prefix(60))) }
            case "updated", "modified", "dc:date", "dcterms:modified":
                let raw = text(child)
                if let date = FeedDates.parse(raw) { updated = date } else if !raw.isEmpty { dateFailures.append(String(HTMLText.collapseWhitespace(raw).prefix(60))) }
            case "author", "dc:creator", "dc:author", "itunes:author":
                if let value = personName(child) { author = value }
            case "description", "summary", "dc:description", "abstract", "itunes:summary", "media:description":
                let value = textConstruct(child, defaultHTML: true)
                if summary == nil || !value.display.isEmpty { summary = value }
            case "content:encoded", "content", "xhtml:body", "body", "fullitem":
                let value = textConstruct(child, defaultHTML: k != "content" || XMLNode.attribute(child, "type") != nil)
                if content == nil || !value.display.isEmpty { content = value }
            case "category", "dc:subject":
                let term = XMLNode.attribute(child, "term") ?? text(child)
                let trimmed = term.trimmedSpace
                if !trimmed.isEmpty { categories.append(trimmed) }
            case "enclosure", "media:content", "media:group":
                if k != "media:group", enclosure == nil, let url = XMLNode.attribute(child, "url") { enclosure = resolve(url, child) }
                if k != "enclosure" { nestedMedia.append(child) }
            default:
                break
            }
        }
        if link == nil, let guidPermalink { link = guidPermalink }
        // Media RSS groups: a title or description nested in media:group / media:content fills a gap at item level.
        var mediaQueue = nestedMedia
        var visited = 0
        while visited < mediaQueue.count, visited < 64, title == nil || summary == nil {
            for child in XMLNode.elementChildren(mediaQueue[visited]) {
                switch key(child) {
                case "media:title" where title == nil: title = textConstruct(child).display
                case "media:description" where summary == nil: summary = textConstruct(child, defaultHTML: true)
                case "media:content", "media:group": mediaQueue.append(child)
                default: break
                }
            }
            visited += 1
        }
        if let channelLink {
            if let current = link, !URLResolution.isAbsolute(current) { link = URLResolution.resolve(current, against: channelLink) }
            if let current = enclosure, !URLResolution.isAbsolute(current) { enclosure = URLResolution.resolve(current, against: channelLink) }
        }
        let base = XMLNode.base(item, documentBase: documentBase) ?? channelLink
        var entry = FeedEntry(id: id, title: title, link: link, published: published, updated: updated, author: author,
                              dedupKey: EntryDedup.key(id: id, link: link, title: title, published: published))
        if let summary {
            (entry.summary, entry.summaryHTML) = render(summary, base: base)
        }
        if let content {
            (entry.content, entry.contentHTML) = render(content, base: base)
        }
        entry.categories = categories
        entry.enclosureURL = enclosure
        return entry
    }

    /// Plain text and (when wanted) sanitised HTML of a text construct.
    private func render(_ construct: TextConstruct, base: String?) -> (String, String?) {
        guard construct.isHTML else { return (HTMLText.collapseWhitespace(construct.display), sanitizedHTML ? construct.html : nil) }
        let fragment = HTMLFragment.render(construct.html, base: base, wantHTML: sanitizedHTML)
        return (fragment.text, sanitizedHTML ? HTMLText.trim(fragment.html) : nil)
    }

    /// Author as feedparser formats it: RSS text as written; Atom `name (email)`, or whichever is present.
    private func personName(_ node: xmlNodePtr) -> String? {
        let kids = XMLNode.elementChildren(node)
        if kids.isEmpty {
            let text = HTMLText.collapseWhitespace(text(node))
            return text.isEmpty ? nil : text
        }
        var name: String?
        var email: String?
        for kid in kids {
            switch XMLNode.localName(kid) {
            case "name": name = HTMLText.collapseWhitespace(text(kid))
            case "email": email = HTMLText.collapseWhitespace(text(kid))
            default: break
            }
        }
        switch (name?.isEmpty == false ? name : nil, email?.isEmpty == false ? email : nil) {
        case let (name?, email?): return "\(name) (\(email))"
        case let (name?, nil): return name
        case let (nil, email?): return email
        default: return nil
        }
    }
}
