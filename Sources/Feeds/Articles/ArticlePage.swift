import CLibXML2
import Foundation

/// Why an HTML page yielded no article.
public enum ArticleError: Error, Sendable, CustomStringConvertible {
    case empty(source: String)
    case noText(source: String)

    public var description: String {
        switch self {
        case .empty(let source): "\(source): empty page"
        case .noText(let source): "\(source): no article text found"
        }
    }
}

/// The article behind a headline: metadata and main text extracted from an HTML page.
public struct ArticlePage: Sendable, Codable, Equatable {
    public var title: String?
    public var canonicalURL: String?
    public var author: String?
    public var section: String?
    /// Published and modified instants, UTC.
    public var published: Date?
    public var modified: Date?
    /// Main text with paragraphs separated by blank lines.
    public var text: String
    public var warnings: [String]

    /// Extracts metadata (JSON-LD, then OpenGraph/`article:*`, then `<meta name=date…>`, then `<time datetime>`) and the main text.
    ///
    /// Main text: the container whose direct paragraphs hold the most text, skipping scripts, styles, navigation,
    /// asides, footers, forms and blocks whose class or id marks them as share bars, related links, comments or banners.
    public static func extract(_ bytes: [UInt8], url: String, contentType: String? = nil) throws(ArticleError) -> ArticlePage {
        guard !bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) else { throw .empty(source: url) }
        _ = LibXML.ready
        let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_NONET.rawValue)
        let encoding = contentType.flatMap(Self.charset(of:))
        let document = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { pointer in
                htmlReadMemory(pointer, Int32(buffer.count), url, encoding, options)
            }
        }
        guard let document else { throw .empty(source: url) }
        defer { xmlFreeDoc(document) }
        guard let root = xmlDocGetRootElement(document) else { throw .empty(source: url) }

        var page = ArticlePage(title: nil, canonicalURL: nil, author: nil, section: nil, published: nil, modified: nil, text: "", warnings: [])
        var metadata = HTMLMetadata()
        metadata.collect(from: root)
        page.apply(metadata, base: url)

        var best: (node: xmlNodePtr, score: Int)?
        ArticleText.scoreContainers(root) { node, score in
            if score > (best?.score ?? 0) { best = (node, score) }
        }
        guard let container = best?.node else { throw .noText(source: url) }
        page.text = ArticleText.paragraphs(in: container).joined(separator: "\n\n")
        guard !page.text.isEmpty else { throw .noText(source: url) }
        if page.published == nil { page.warnings.append("no published date found") }
        return page
    }

    static func charset(of contentType: String) -> String? {
        guard let range = contentType.range(of: "charset=", options: .caseInsensitive) else { return nil }
        return String(contentType[range.upperBound...].prefix { $0 != ";" && $0 != " " }).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
    }

    mutating func apply(_ metadata: HTMLMetadata, base: String) {
        let ld = metadata.jsonLD
        title = ld.headline ?? metadata.meta["og:title"] ?? metadata.titleElement
        canonicalURL = ld.url ?? metadata.canonical ?? metadata.meta["og:url"]
        if let link = canonicalURL, let resolved = URL(string: link, relativeTo: URL(string: base)) { canonicalURL = resolved.absoluteString }
        author = ld.author ?? metadata.meta["article:author"] ?? metadata.meta["author"]
        section = ld.section ?? metadata.meta["article:section"]
        let publishedText = ld.datePublished ?? metadata.meta["article:published_time"] ?? metadata.meta["date"] ?? metadata.meta["pubdate"]
            ?? metadata.meta["publish-date"] ?? metadata.meta["dc.date"] ?? metadata.timeDatetime
        published = publishedText.flatMap(FeedDates.parse)
        modified = (ld.dateModified ?? metadata.meta["article:modified_time"]).flatMap(FeedDates.parse)
        if publishedText != nil && published == nil { warnings.append("unparseable published date '\(publishedText!)'") }
    }
}

/// Metadata gathered in one walk over the page.
struct HTMLMetadata {
    var meta: [String: String] = [:]
    var titleElement: String?
    var canonical: String?
    var timeDatetime: String?
    var jsonLD = JSONLDArticle()

    mutating func collect(from node: xmlNodePtr) {
        var child: xmlNodePtr? = node
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE {
                let name = HTMLNode.name(current)
                switch name {
                case "meta":
                    let key = (HTMLNode.attribute(current, "property") ?? HTMLNode.attribute(current, "name") ?? HTMLNode.attribute(current, "itemprop"))?.lowercased()
                    if let key, let content = HTMLNode.attribute(current, "content"), meta[key] == nil { meta[key] = content.trimmingCharacters(in: .whitespacesAndNewlines) }
                case "title": if titleElement == nil { titleElement = HTMLNode.collapsedText(current) }
                case "link":
                    if HTMLNode.attribute(current, "rel")?.lowercased() == "canonical" { canonical = HTMLNode.attribute(current, "href") }
                case "time": if timeDatetime == nil { timeDatetime = HTMLNode.attribute(current, "datetime") }
                case "script":
                    if HTMLNode.attribute(current, "type")?.lowercased() == "application/ld+json" { jsonLD.merge(HTMLNode.rawText(current)) }
                default: break
                }
                if let first = current.pointee.children { collect(from: first) }
            }
            child = current.pointee.next
        }
    }
}

/// The `NewsArticle`/`Article` object of a page's JSON-LD, including inside `@graph`.
struct JSONLDArticle {
    var headline, url, author, section, datePublished, dateModified: String?

    mutating func merge(_ text: String) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) else { return }
        visit(object)
    }

    mutating func visit(_ value: Any) {
        if let array = value as? [Any] { array.forEach { visit($0) }; return }
        guard let object = value as? [String: Any] else { return }
        if let graph = object["@graph"] { visit(graph) }
        let types = (object["@type"] as? [String]) ?? [(object["@type"] as? String) ?? ""]
        guard types.contains(where: { ["NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle", "BlogPosting", "LiveBlogPosting"].contains($0) }) else { return }
        headline = headline ?? object["headline"] as? String
        url = url ?? (object["url"] as? String) ?? ((object["mainEntityOfPage"] as? [String: Any])?["@id"] as? String)
        section = section ?? object["articleSection"] as? String
        datePublished = datePublished ?? object["datePublished"] as? String
        dateModified = dateModified ?? object["dateModified"] as? String
        if author == nil {
            let authors = (object["author"] as? [Any]) ?? (object["author"].map { [$0] } ?? [])
            let names = authors.compactMap { ($0 as? [String: Any])?["name"] as? String ?? $0 as? String }
            if !names.isEmpty { author = names.joined(separator: ", ") }
        }
    }
}

/// Readability-style main-text selection over the libxml2 tree.
enum ArticleText {
    static let skippedElements: Set<String> = ["script", "style", "nav", "aside", "footer", "form", "noscript", "iframe", "svg", "button", "header", "figure"]
    static let boilerplateHints = ["share", "social", "related", "comment", "cookie", "consent", "promo", "newsletter", "subscribe", "sidebar", "footer", "nav", "advert", "banner", "recommend"]

    static func isBoilerplate(_ node: xmlNodePtr) -> Bool {
        let name = HTMLNode.name(node)
        if skippedElements.contains(name) { return true }
        let hints = ((HTMLNode.attribute(node, "class") ?? "") + " " + (HTMLNode.attribute(node, "id") ?? "")).lowercased()
        return !hints.trimmingCharacters(in: .whitespaces).isEmpty && boilerplateHints.contains { hints.contains($0) }
    }

    /// Calls `report` for each element with the text length of its direct paragraphs, punished by link density.
    static func scoreContainers(_ node: xmlNodePtr, report: (xmlNodePtr, Int) -> Void) {
        var child: xmlNodePtr? = node.pointee.children
        var score = 0
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE && !isBoilerplate(current) {
                let name = HTMLNode.name(current)
                if name == "p" || name == "blockquote" || name == "li" {
                    let text = HTMLNode.collapsedText(current)
                    let linkText = linkTextLength(current)
                    if text.count >= 25 && Double(linkText) < 0.5 * Double(text.count) {
                        score += text.count + 10 * text.filter { $0 == "," || $0 == "." }.count
                    }
                }
                scoreContainers(current, report: report)
            }
            child = current.pointee.next
        }
        if score > 0 { report(node, score) }
    }

    static func linkTextLength(_ node: xmlNodePtr) -> Int {
        var total = 0
        var child: xmlNodePtr? = node.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE {
                total += HTMLNode.name(current) == "a" ? HTMLNode.collapsedText(current).count : linkTextLength(current)
            }
            child = current.pointee.next
        }
        return total
    }

    /// The container's paragraphs (direct and nested, boilerplate skipped), in document order.
    static func paragraphs(in node: xmlNodePtr) -> [String] {
        var result: [String] = []
        var child: xmlNodePtr? = node.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE && !isBoilerplate(current) {
                switch HTMLNode.name(current) {
                case "p", "blockquote", "li", "h2", "h3", "h4", "pre":
                    let text = HTMLNode.collapsedText(current)
                    if !text.isEmpty { result.append(text) }
                default:
                    result += paragraphs(in: current)
                }
            }
            child = current.pointee.next
        }
        return result
    }
}

/// Element names, attributes and text of HTML nodes, over the feed parser's node helpers.
enum HTMLNode {
    static func name(_ node: xmlNodePtr) -> String { XMLNode.localName(node).lowercased() }
    static func attribute(_ node: xmlNodePtr, _ name: String) -> String? { XMLNode.attribute(node, name) }
    static func rawText(_ node: xmlNodePtr) -> String { XMLNode.text(node) }
    /// Text content with whitespace runs collapsed to single spaces.
    static func collapsedText(_ node: xmlNodePtr) -> String { HTMLText.collapseWhitespace(XMLNode.text(node)) }
}

/// The `divergence parse` JSON of an HTML page: {format:"html", title, url, author, published, text, warnings} (+ source).
public enum ParsedArticleJSON {
    /// Sorted keys, dates ISO 8601 UTC, nulls kept.
    public static func encode(_ page: ArticlePage, source: String?) -> [UInt8] {
        var object: [String: Any] = [
            "format": "html", "title": page.title ?? NSNull(), "url": page.canonicalURL ?? NSNull(), "author": page.author ?? NSNull(),
            "published": page.published.map { $0.formatted(.iso8601) } ?? NSNull(), "text": page.text, "warnings": page.warnings,
        ]
        if let source { object["source"] = source }
        return Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data())
    }
}
