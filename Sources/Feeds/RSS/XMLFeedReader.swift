import CLibXML2
import Foundation

/// The elements the reader acts on, by canonical key (`prefix:name`, or the bare name for the core vocabulary).
enum ElementKey: String, CaseIterable {
    case title, dcTitle = "dc:title", mediaTitle = "media:title", link, guid, id
    case pubdate, published, issued, dctermsIssued = "dcterms:issued"
    case updated, modified, lastbuilddate, dcDate = "dc:date", dctermsModified = "dcterms:modified"
    case author, dcCreator = "dc:creator", dcAuthor = "dc:author", itunesAuthor = "itunes:author"
    case rssDescription = "description", summary, dcDescription = "dc:description", abstract, itunesSummary = "itunes:summary"
    case mediaDescription = "media:description"
    case contentEncoded = "content:encoded", content, xhtmlBody = "xhtml:body", body, fullitem
    case category, dcSubject = "dc:subject", enclosure, mediaContent = "media:content", mediaGroup = "media:group"
    case language, dcLanguage = "dc:language", ttl
    case item, entry, channel, rdfSeq = "rdf:seq", items, rdfRDF = "rdf:rdf", feed
    /// Any element the reader ignores.
    case other = ""

    /// Every key but `other`, by its canonical name.
    static let byName: [String: ElementKey] = Dictionary(uniqueKeysWithValues: allCases.filter { $0 != .other }.map { ($0.rawValue, $0) })
}

/// Cache of element keys for one document, by libxml2's interned name and namespace pointers: a small
/// open-addressed table (names repeat per item, so a document has a few dozen distinct ones).
final class ElementNames {
    /// Table size; at most half the slots are filled, so every probe ends at an empty one.
    static let slots = 256
    /// Per slot: name pointer, namespace pointer (0 name = empty slot).
    private let identities = UnsafeMutablePointer<UInt>.allocate(capacity: 2 * slots)
    private let keys = UnsafeMutablePointer<ElementKey>.allocate(capacity: slots)
    private var used = 0

    /// An empty cache.
    init() {
        identities.initialize(repeating: 0, count: 2 * ElementNames.slots)
        keys.initialize(repeating: .other, count: ElementNames.slots)
    }

    deinit {
        identities.deallocate()
        keys.deallocate()
    }

    /// The element's key, computed once per interned name and namespace.
    func key(_ node: xmlNodePtr) -> ElementKey {
        let name = UInt(bitPattern: node.pointee.name)
        let namespace = UInt(bitPattern: node.pointee.ns)
        let mixed = ((name >> 4) &+ (namespace >> 3) &* 31) &* 0x9E37_79B9_7F4A_7C15
        var slot = Int(truncatingIfNeeded: mixed >> 56) & (ElementNames.slots - 1)
        while identities[2 * slot] != 0 {
            if identities[2 * slot] == name, identities[2 * slot + 1] == namespace { return keys[slot] }
            slot = (slot + 1) & (ElementNames.slots - 1)
        }
        let computed = ElementKey.byName[XMLFeedReader.key(node)] ?? .other
        if name != 0, used < ElementNames.slots / 2 {
            identities[2 * slot] = name
            identities[2 * slot + 1] = namespace
            keys[slot] = computed
            used += 1
        }
        return computed
    }
}

/// Reads RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 from a parsed tree with feedparser's element mapping:
/// the Atom, RSS 1.0 and RSS 0.90 namespaces all read as the core vocabulary; `dc:`, `dcterms:`, `content:` by prefix.
struct XMLFeedReader {
    let root: xmlNodePtr
    let documentBase: String?
    /// Produce sanitised HTML beside the plain text.
    var sanitizedHTML = true
    let expansion = ExpansionLog()

    /// Element keys seen in this document.
    let names = ElementNames()
    /// The resolved `xml:base` of the items' parent.
    let parentBase = ParentBase()

    func text(_ node: xmlNodePtr) -> String { XMLNode.text(node, log: expansion) }

    /// The element's key, memoised per document.
    func key(_ node: xmlNodePtr) -> ElementKey { names.key(node) }

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
        var next = node.pointee.children
        while let child = next {
            next = child.pointee.next
            guard child.pointee.type == XML_ELEMENT_NODE else { continue }
            let k = key(child)
            if k == .item || k == .entry {
                items.append(child)
            } else if k == .channel || k == .rdfSeq || k == .items || k == .rdfRDF || k == .feed {
                collectItems(child, into: &items, depth: depth + 1)
            }
        }
    }

    private func readFeed(_ channel: xmlNodePtr) -> FeedMetadata {
        var feed = FeedMetadata()
        var linkFromText: String?
        for child in XMLNode.elements(of: channel) {
            let k = key(child)
            switch k {
            case .title, .dcTitle:
                let construct = textConstruct(child)
                let value = construct.isHTML ? HTMLSanitizer.sanitize(construct.html, base: XMLNode.base(child, documentBase: documentBase)) : construct.display
                if feed.title == nil || !value.isEmpty { feed.title = value }
            case .link:
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
            case .id, .guid:
                feed.id = text(child).trimmedSpace
            case .updated, .modified, .lastbuilddate, .dcDate, .dctermsModified, .pubdate, .published:
                if let date = FeedDates.parse(text(child)), feed.updated == nil || k == .updated || k == .modified || k == .lastbuilddate {
                    feed.updated = date
                }
            case .language, .dcLanguage:
                feed.language = text(child).trimmedSpace
            case .ttl:
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

    /// A text construct (title/summary/content): its value (HTML or plain text, by declared type or mode), read
    /// from the element's character data only when needed, so a description becomes plain text in one pass over
    /// libxml2's bytes.
    struct TextConstruct {
        /// Where the value comes from: the element's character data, or markup/decoded text already read.
        enum Source {
            /// The element's single text or CDATA node (or no children), read in place when rendered.
            case characterData(xmlNodePtr)
            /// Serialised XHTML, decoded base64, or mixed content already read and trimmed.
            case value(String)
        }
        /// The value's source.
        var source: Source
        var isHTML: Bool
        /// Where reading the character data records entity-expansion limits.
        let expansion: ExpansionLog

        /// The value as feedparser reports it: markup kept for HTML types, plain text otherwise; trimmed.
        var display: String {
            switch source {
            case let .characterData(node): return XMLNode.text(node, log: expansion).trimmedSpace
            case let .value(value): return value
            }
        }

        /// The value as HTML: itself when HTML, else escaped.
        var html: String { isHTML ? display : HTMLText.escape(display) }

        /// True when the value is empty or ASCII whitespace.
        var isBlank: Bool {
            if case let .characterData(node) = source, let bytes = XMLNode.onlyCharacterData(node) {
                return !bytes.contains { !HTMLFragment.Scanner.isASCIISpace($0) }
            }
            return display.isEmpty
        }
    }

    func textConstruct(_ node: xmlNodePtr, defaultHTML: Bool = false) -> TextConstruct {
        var type = ""
        var mode = ""
        if node.pointee.properties != nil {
            type = (XMLNode.attribute(node, "type") ?? "").lowercased()
            mode = (XMLNode.attribute(node, "mode") ?? "").lowercased()
        }
        if type == "xhtml" || type == "application/xhtml+xml" || mode == "xml" || (XMLNode.hasElementChildren(node) && type != "text") {
            var container = node
            let kids = XMLNode.elementChildren(node)
            let atom10 = XMLNode.namespaceURI(node) == "http://www.w3.org/2005/Atom"
            if kids.count == 1, XMLNode.localName(kids[0]) == "div", type == "xhtml" || (atom10 && type == "application/xhtml+xml") {
                container = kids[0]
            }
            let markup = XMLNode.withInnerMarkup(container) { bytes in
                var out: [UInt8] = []
                XMLFeedReader.dropNamespaceDeclarations(bytes, into: &out)
                return out.withUnsafeBufferPointer { String(decoding: HTMLText.trim($0), as: UTF8.self) }
            }
            return TextConstruct(source: .value(markup), isHTML: true, expansion: expansion)
        }
        let isHTML: Bool
        if type == "html" || type == "text/html" || mode == "escaped" {
            isHTML = true
        } else if type == "text" || type == "text/plain" {
            isHTML = false
        } else {
            isHTML = defaultHTML
        }
        let opaqueType = type.utf8.contains(UInt8(ascii: "/")) && !type.hasPrefix("text/") && !type.hasSuffix("xml")
        if mode == "base64" || opaqueType {
            let raw = text(node)
            if let data = Data(base64Encoded: raw.filter { !$0.isWhitespace }) {
                return TextConstruct(source: .value(String(decoding: data, as: UTF8.self).trimmedSpace), isHTML: isHTML, expansion: expansion)
            }
            return TextConstruct(source: .value(raw.trimmedSpace), isHTML: isHTML, expansion: expansion)
        }
        // One text node (or none) is read when rendered; mixed content with entity references is read now, so its
        // expansion warnings come in document order whichever construct wins.
        guard XMLNode.onlyCharacterData(node) != nil else {
            return TextConstruct(source: .value(text(node).trimmedSpace), isHTML: isHTML, expansion: expansion)
        }
        return TextConstruct(source: .characterData(node), isHTML: isHTML, expansion: expansion)
    }

    /// Appends `b` to `out` without the ` xmlns="…"` and ` xmlns:prefix='…'` declarations that serialisation adds
    /// to inline XHTML, copying in runs.
    static func dropNamespaceDeclarations(_ b: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        out.reserveCapacity(out.count + b.count)
        let needle = Array("xmlns".utf8)
        var copied = 0
        var from = 1
        while from < b.count, let at = HTMLFragment.Scanner.find(b, needle, from: from) {
            from = at + 1
            let i = at - 1
            guard b[i] == 0x20 else { continue }
            var eq = at + needle.count
            guard eq < b.count else { break }
            while eq < b.count, b[eq] == UInt8(ascii: ":") || HTMLFragment.Scanner.isLetter(b[eq]) || (b[eq] >= 0x30 && b[eq] <= 0x39)
                    || b[eq] == UInt8(ascii: "-") || b[eq] == UInt8(ascii: "_") { eq += 1 }
            guard eq + 1 < b.count, b[eq] == UInt8(ascii: "="), b[eq + 1] == UInt8(ascii: "\"") || b[eq + 1] == UInt8(ascii: "'"),
                  let end = HTMLFragment.Scanner.find1(b, b[eq + 1], from: eq + 2) else { continue }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: b[copied..<i]))
            copied = end + 1
            from = copied + 1
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: b[copied...]))
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
        for child in XMLNode.elements(of: item) {
            let k = key(child)
            switch k {
            case .title, .dcTitle, .mediaTitle:
                let construct = textConstruct(child)
                let value = construct.isHTML ? HTMLSanitizer.sanitize(construct.html, base: XMLNode.base(child, documentBase: documentBase)) : construct.display
                if title == nil || !value.isEmpty { title = value }
            case .link:
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
            case .guid, .id:
                let value = text(child).trimmedSpace
                id = value
                if XMLNode.attribute(child, "isPermaLink")?.lowercased() != "false", link == nil, !value.isEmpty, !value.utf8.contains(UInt8(ascii: "[")) {
                    guidPermalink = value
                }
            case .pubdate, .published, .issued, .dctermsIssued:
                let raw = text(child)
                if let date = FeedDates.parse(raw) { published = date } else if !raw.isEmpty { dateFailures.append(String(HTMLText.collapseWhitespace(raw).prefix(60))) }
            case .updated, .modified, .dcDate, .dctermsModified:
                let raw = text(child)
                if let date = FeedDates.parse(raw) { updated = date } else if !raw.isEmpty { dateFailures.append(String(HTMLText.collapseWhitespace(raw).prefix(60))) }
            case .author, .dcCreator, .dcAuthor, .itunesAuthor:
                if let value = personName(child) { author = value }
            case .rssDescription, .summary, .dcDescription, .abstract, .itunesSummary, .mediaDescription:
                let value = textConstruct(child, defaultHTML: true)
                if summary == nil || !value.isBlank { summary = value }
            case .contentEncoded, .content, .xhtmlBody, .body, .fullitem:
                let value = textConstruct(child, defaultHTML: k != .content || XMLNode.attribute(child, "type") != nil)
                if content == nil || !value.isBlank { content = value }
            case .category, .dcSubject:
                let term = XMLNode.attribute(child, "term") ?? text(child)
                let trimmed = term.trimmedSpace
                if !trimmed.isEmpty { categories.append(trimmed) }
            case .enclosure, .mediaContent, .mediaGroup:
                if k != .mediaGroup, enclosure == nil, let url = XMLNode.attribute(child, "url") { enclosure = resolve(url, child) }
                if k != .enclosure { nestedMedia.append(child) }
            default:
                break
            }
        }
        if link == nil, let guidPermalink { link = guidPermalink }
        // Media RSS groups: a title or description nested in media:group / media:content fills a gap at item level.
        var mediaQueue = nestedMedia
        var visited = 0
        while visited < mediaQueue.count, visited < 64, title == nil || summary == nil {
            for child in XMLNode.elements(of: mediaQueue[visited]) {
                switch key(child) {
                case .mediaTitle where title == nil: title = textConstruct(child).display
                case .mediaDescription where summary == nil: summary = textConstruct(child, defaultHTML: true)
                case .mediaContent, .mediaGroup: mediaQueue.append(child)
                default: break
                }
            }
            visited += 1
        }
        if let channelLink {
            if let current = link, !URLResolution.isAbsolute(current) { link = URLResolution.resolve(current, against: channelLink) }
            if let current = enclosure, !URLResolution.isAbsolute(current) { enclosure = URLResolution.resolve(current, against: channelLink) }
        }
        let base = itemBase(item) ?? channelLink
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

    /// The last parent element whose `xml:base` chain was resolved, and the result: items share their parent.
    final class ParentBase {
        /// The parent element last resolved.
        var parent: xmlNodePtr?
        /// Its resolved base URL.
        var base: String?
    }

    /// `XMLNode.base(item, documentBase:)`, resolving the parent's chain once for all its items.
    private func itemBase(_ item: xmlNodePtr) -> String? {
        var inherited = documentBase
        if let parent = item.pointee.parent, parent.pointee.type == XML_ELEMENT_NODE {
            if parentBase.parent != parent {
                parentBase.parent = parent
                parentBase.base = XMLNode.base(parent, documentBase: documentBase)
            }
            inherited = parentBase.base
        }
        guard let own = xmlGetNsProp(item, "base", "http://www.w3.org/XML/1998/namespace") else { return inherited }
        defer { feeds_free(own) }
        return URLResolution.resolve(String(cString: own), against: inherited)
    }

    /// Plain text and (when wanted) sanitised HTML of a text construct. Character data in one libxml2 text node
    /// (the usual description or CDATA section) is read in place, trimmed, without an intermediate string.
    private func render(_ construct: TextConstruct, base: String?) -> (String, String?) {
        if case let .characterData(node) = construct.source, let bytes = XMLNode.onlyCharacterData(node) {
            let trimmed = HTMLText.trim(bytes)
            guard construct.isHTML else {
                let html = sanitizedHTML ? HTMLText.escape(String(decoding: trimmed, as: UTF8.self)) : nil
                return (HTMLText.collapseWhitespace(trimmed), html)
            }
            let fragment = HTMLFragment.render(trimmed, base: base, wantHTML: sanitizedHTML)
            return (fragment.text, sanitizedHTML ? fragment.html : nil)
        }
        guard construct.isHTML else { return (HTMLText.collapseWhitespace(construct.display), sanitizedHTML ? construct.html : nil) }
        let fragment = HTMLFragment.render(construct.display, base: base, wantHTML: sanitizedHTML)
        return (fragment.text, sanitizedHTML ? fragment.html : nil)
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
