import CLibXML2
import Foundation

/// Why an HTML page yielded no article.
public enum ArticleError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The page is empty, blank or not parseable as HTML.
    case empty(source: String)
    /// The page parsed but no main text was found.
    case noText(source: String)
    /// A per-site rule's XPath does not compile or does not select nodes.
    case invalidRule(source: String, xpath: String)

    public var description: String {
        switch self {
        case .empty(let source): "\(source): empty page"
        case .noText(let source): "\(source): no article text found"
        case .invalidRule(let source, let xpath): "\(source): rule XPath '\(xpath)' does not compile to a node set"
        }
    }
}

/// The article behind a headline: metadata and main text extracted from an HTML page.
public struct ArticlePage: Sendable, Codable, Equatable {
    /// The headline (JSON-LD, og:title, a heading, `<title>` without the site name).
    public var title: String?
    /// The canonical URL (JSON-LD, `<link rel=canonical>`, og:url, else the fetched URL), absolute; nil when none of them is or resolves to one.
    public var canonicalURL: String?
    /// Author names, comma-separated when several.
    public var author: String?
    /// The newsroom section (JSON-LD articleSection, article:section).
    public var section: String?
    /// Published and modified instants, UTC.
    public var published: Date?
    public var modified: Date?
    /// Main text with paragraphs separated by blank lines ("\n\n").
    public var text: String
    /// What was odd about the page: missing date, paywall teaser, truncated input, early parse stop, rule fallbacks.
    public var warnings: [String]

    /// Pages larger than this (16 MiB) are cut to it before parsing, with a warning.
    public static let maxBytes = 16 << 20

    /// Tags (`<`) read from one page; the page is cut before the next one, with a warning. A long news page has a
    /// few thousand elements; every element costs libxml2's tree and the text passes over it.
    public static let maxTags = 200_000

    /// Extracts metadata and main text from an HTML page fetched from `url`.
    ///
    /// Metadata, most trusted first: JSON-LD (`NewsArticle`/`Article`, also in `@graph`, arrays and `mainEntity`), OpenGraph and
    /// `article:*`, `<meta name=date|pubdate|…>`, `<time datetime>`; dates normalised to UTC. Main text: readability-style block
    /// scoring after dropping page chrome, or the `rules` XPaths when given. The charset comes from `contentType`, then a BOM,
    /// then `<meta charset>` in the first 4 KiB, then UTF-8 if the bytes are valid UTF-8, else windows-1252. Never uses the network.
    public static func extract(_ bytes: [UInt8], url: String, contentType: String? = nil, rules: ArticleRules? = nil) throws(ArticleError) -> ArticlePage {
        guard bytes.contains(where: { !HTMLFragment.Scanner.isASCIISpace($0) && $0 != 0 }) else { throw .empty(source: url) }
        var page = ArticlePage(title: nil, canonicalURL: nil, author: nil, section: nil, published: nil, modified: nil, text: "", warnings: [])
        var input = bytes
        if input.count > maxBytes {
            input = Array(input.prefix(maxBytes))
            page.warnings.append("page cut to its first \(maxBytes) bytes")
        }
        let encoding = ArticleCharset.detect(input, contentType: contentType)
        guard let document = ArticleDocument.parse(input, url: url, encoding: encoding), let root = xmlDocGetRootElement(document.doc) else {
            throw .empty(source: url)
        }
        if document.stoppedEarly { page.warnings.append("HTML parse stopped early (nesting deeper than 256 elements); the rest of the page was not read") }
        if let cut = document.cutAt { page.warnings.append("more than \(maxTags) tags; only the first \(cut) of \(input.count) bytes were read") }
        let tree = ArticleTree(root: root)

        let metadata = ArticleMetadata(tree: tree)
        page.apply(metadata, base: url)

        var text = ArticleText(tree: tree)
        var roots: [Int]? = nil
        if let rules {
            let index = tree.indexByPointer()
            text.dropChrome(heuristics: false)
            for expression in rules.dropXPaths {
                guard let nodes = ArticleXPath.select(expression, in: document, index: index) else { throw .invalidRule(source: url, xpath: expression) }
                for node in nodes where !text.dropped[node] { text.drop(node) }
            }
            if let body = rules.bodyXPath {
                guard let nodes = ArticleXPath.select(body, in: document, index: index) else { throw .invalidRule(source: url, xpath: body) }
                var outermost: [Int] = []
                for node in nodes where outermost.last.map({ !tree.contains($0, node) }) ?? true { outermost.append(node) }
                if outermost.isEmpty { page.warnings.append("rule body XPath matched nothing; heuristic used") } else { roots = outermost }
            }
        }
        if let roots {
            text.measure()
            if let bodyStart = roots.first { page.refine(metadata, tree: tree, bodyStart: bodyStart) }
            page.text = text.paragraphs(roots, heuristics: false, author: page.author, title: page.title).joined(separator: "\n\n")
        } else {
            page.readHeuristically(text, metadata: metadata, tree: tree)
        }
        guard !page.text.isEmpty else { throw .noText(source: url) }
        if page.published == nil { page.warnings.append("no published date found") }
        if metadata.jsonLD.isAccessibleForFree == false { page.warnings.append("page marked not accessible for free: text may be a teaser") }
        return page
    }

    /// Text below this many characters (about 40 words) makes the extractor try again with relaxed rules, and is reported as a likely
    /// non-article when no pass does better. Readability retries below 500; a short news brief of 300 characters is read in one pass here.
    static let enoughText = 250

    /// Main text by block scoring. While a pass yields under `enoughText` characters, the next pass relaxes one more rule
    /// (`ArticleText.Rules.passes`) and the longest pass is kept; when every pass is empty, the page's visible text is taken.
    /// A result still under `enoughText` carries a warning: such a page is more likely an index or section front than an article.
    mutating func readHeuristically(_ base: ArticleText, metadata: ArticleMetadata, tree: ArticleTree) {
        var best: ArticlePage?
        var applied = ArticleText.Rules(stripUnlikely: false, weightClasses: false, cleanConditionally: false)
        var last = ArticleText.Rules()
        for rules in ArticleText.Rules.passes {
            // A pass that relaxes only rules that changed nothing so far would repeat the last one (and a page of 200,000 tags
            // with one short paragraph would be read four times): skip it.
            if best != nil, !(last.stripUnlikely && !rules.stripUnlikely && applied.stripUnlikely
                              || last.weightClasses && !rules.weightClasses && applied.weightClasses
                              || last.cleanConditionally && !rules.cleanConditionally && applied.cleanConditionally) { continue }
            last = rules
            var text = base
            text.rules = rules
            text.dropChrome(heuristics: true)
            text.measure()
            text.score()
            let roots = text.selection(title: title)
            var attempt = self
            if let bodyStart = roots.first { attempt.refine(metadata, tree: tree, bodyStart: bodyStart) }
            attempt.text = text.paragraphs(roots, heuristics: true, author: attempt.author, title: attempt.title).joined(separator: "\n\n")
            applied.stripUnlikely = applied.stripUnlikely || text.applied.stripUnlikely
            applied.weightClasses = applied.weightClasses || text.applied.weightClasses
            applied.cleanConditionally = applied.cleanConditionally || text.applied.cleanConditionally
            let length = attempt.text.count
            if length > best?.text.count ?? -1 { best = attempt }
            if length >= Self.enoughText { break }
        }
        guard var chosen = best else { return }
        if chosen.text.isEmpty, let body = tree.nodes.indices.first(where: { tree.nodes[$0].tag == "body" }) ?? tree.nodes.indices.first {
            var text = base
            text.rules = ArticleText.Rules.passes[ArticleText.Rules.passes.count - 1]
            text.dropChrome(heuristics: true)
            text.measure()
            chosen.text = text.paragraphs([body], heuristics: false, author: chosen.author, title: chosen.title).joined(separator: "\n\n")
        }
        if !chosen.text.isEmpty, chosen.text.count < Self.enoughText {
            chosen.warnings.append("little article text (\(chosen.text.count) characters, even with relaxed rules): the page may be an index or section front rather than an article")
        }
        self = chosen
    }

    /// Fills the published time from `<time>` elements and the author from a "By" line, using where the body starts.
    mutating func refine(_ metadata: ArticleMetadata, tree: ArticleTree, bodyStart: Int) {
        if metadata.jsonLD.datePublished == nil, metadata.first(ArticleMetadata.publishedKeys) == nil,
           let value = metadata.publishedTime(bodyStart: bodyStart), let date = FeedDates.parse(value) {
            published = date
        }
        if author == nil { author = ArticleMetadata.nearbyByline(tree, bodyStart: bodyStart) }
    }

    mutating func apply(_ metadata: ArticleMetadata, base: String) {
        let ld = metadata.jsonLD
        title = metadata.title().map(HTMLText.collapseWhitespace)
        let link = ld.url ?? metadata.canonical ?? metadata.meta["og:url"] ?? base
        let documentBase = metadata.baseHref.flatMap { URLResolution.resolve($0, against: base) } ?? base
        // Only an absolute URL is a URL of the article: a page read from a relative file path ("001/source.html") with no
        // canonical link, or with a relative one, has none, and `url` stays null rather than naming the file.
        canonicalURL = URLResolution.resolve(link, against: documentBase).flatMap { URLResolution.isAbsolute($0) ? $0 : nil }
        author = metadata.author()
        section = ld.section ?? metadata.first(ArticleMetadata.sectionKeys)
        let publishedText = ld.datePublished ?? metadata.first(ArticleMetadata.publishedKeys) ?? metadata.timeDatetime
        published = publishedText.flatMap(FeedDates.parse)
        if let publishedText, published == nil {
            warnings.append("unparseable published date '\(String(publishedText.prefix(60)))'")
            published = (metadata.first(ArticleMetadata.publishedKeys) ?? metadata.timeDatetime).flatMap(FeedDates.parse)
        }
        modified = (ld.dateModified ?? metadata.first(ArticleMetadata.modifiedKeys)).flatMap(FeedDates.parse)
    }
}

/// The character encoding of an HTML page, as a browser would choose it.
enum ArticleCharset {
    /// The charset named by `contentType`, a byte-order mark, an early `<meta charset>`/`http-equiv`, else UTF-8 when valid, else windows-1252.
    static func detect(_ bytes: [UInt8], contentType: String?) -> String {
        if let label = contentType.flatMap(charset(in:)), let name = normalise(label) { return name }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return "UTF-8" }
        if bytes.starts(with: [0xFF, 0xFE]) { return "UTF-16LE" }
        if bytes.starts(with: [0xFE, 0xFF]) { return "UTF-16BE" }
        let head = String(decoding: bytes.prefix(4096), as: UTF8.self).lowercased()
        var search = head.startIndex..<head.endIndex
        while let meta = head.range(of: "<meta", range: search) {
            let tagEnd = head[meta.upperBound...].firstIndex(of: ">") ?? head.endIndex
            let tag = String(head[meta.upperBound..<tagEnd])
            if let label = charset(in: tag), let name = normalise(label) { return name }
            search = tagEnd..<head.endIndex
        }
        return String(validating: bytes, as: UTF8.self) != nil ? "UTF-8" : "windows-1252"
    }

    /// The value after `charset=` in a Content-Type or a meta tag.
    static func charset(in text: String) -> String? {
        guard let range = text.range(of: "charset", options: .caseInsensitive) else { return nil }
        var rest = text[range.upperBound...].drop { $0 == " " }
        guard rest.first == "=" else { return nil }
        rest = rest.dropFirst().drop { $0 == " " || $0 == "\"" || $0 == "'" }
        let label = rest.prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ":" || $0 == "." }
        return label.isEmpty ? nil : String(label)
    }

    /// The encoding libxml2 should use for a charset label; Latin-1 and ASCII labels read as windows-1252 (WHATWG), unknown labels as nil.
    static func normalise(_ label: String) -> String? {
        let lower = label.lowercased()
        switch lower {
        case "utf-8", "utf8", "unicode-1-1-utf-8": return "UTF-8"
        case "iso-8859-1", "iso8859-1", "latin1", "l1", "us-ascii", "ascii", "cp1252", "windows-1252", "x-cp1252": return "windows-1252"
        case "utf-16", "utf-16le": return "UTF-16LE"
        case "utf-16be": return "UTF-16BE"
        default:
            _ = LibXML.ready
            guard let handler = xmlFindCharEncodingHandler(lower) else { return nil }
            xmlCharEncCloseFunc(handler)
            return lower
        }
    }
}
