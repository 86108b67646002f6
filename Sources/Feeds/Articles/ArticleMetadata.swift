import CLibXML2
import Foundation

/// Page metadata gathered in one pass: JSON-LD, `<meta>` tags, the canonical link, `<title>`, the first `<h1>`, `<time>` and byline markup.
struct ArticleMetadata {
    var meta: [String: String] = [:]
    var titleElement: String?
    var firstHeading: String?
    /// Texts of the first `<h1>`–`<h3>` elements, to recognise the headline inside a `<title>` with a site prefix or suffix.
    var headings: [String] = []
    var canonical: String?
    /// The first `<base href>`, against which relative links resolve.
    var baseHref: String?
    var timeDatetime: String?
    /// Every `<time datetime>` outside comment sections: tree index, value, and whether it is marked as the publication time.
    var times: [(node: Int, value: String, marked: Bool)] = []
    var markupAuthor: String?
    var markupAuthorRank = Int.max
    var jsonLD = JSONLDArticle()

    /// Names of `<meta name|property|itemprop>` that carry each field, most trusted first.
    static let publishedKeys = ["article:published_time", "og:published_time", "og:article:published_time", "datepublished", "date", "pubdate",
                                "publishdate", "publish-date", "publish_date", "publication_date", "dc.date", "dc.date.issued", "dcterms.created",
                                "dcterms.date", "dcterms.issued", "sailthru.date", "parsely-pub-date", "article.published", "original-publish-date"]
    static let modifiedKeys = ["article:modified_time", "og:updated_time", "datemodified", "last-modified", "dcterms.modified", "article.updated"]
    /// Dublin Core creators come before a plain `author` (Readability's order): a page that states both means the DC one.
    static let authorKeys = ["article:author", "dc:creator", "dcterm:creator", "dcterms:creator", "dc.creator", "dcterms.creator", "author",
                             "parsely-author", "sailthru.author", "byl"]
    /// Titles stated for the article itself, before `og:title` (which sites often shorten or brand).
    static let titleKeys = ["dc:title", "dcterm:title", "dcterms:title", "dc.title"]
    static let sectionKeys = ["article:section", "section", "parsely-section", "dc.subject"]

    init(tree: ArticleTree) {
        var inComments = [Bool](repeating: false, count: tree.nodes.count)
        for i in tree.nodes.indices where !tree.nodes[i].isText {
            let parent = tree.nodes[i].parent
            inComments[i] = parent >= 0 && inComments[parent]
            let node = tree.nodes[i]
            let hasAttributes = node.pointer.pointee.properties != nil
            if hasAttributes, !inComments[i], ArticleHints.isCommentSection(tree.hints(i)) { inComments[i] = true }
            switch node.tag {
            case "meta":
                guard hasAttributes else { break }
                // A property may name several fields at once (`property="dc:creator twitter:site_name"`, RDFa): each gets the value.
                let keys = (tree.attribute(i, "property") ?? tree.attribute(i, "name") ?? tree.attribute(i, "itemprop"))?.lowercased().split(separator: " ") ?? []
                guard !keys.isEmpty, let content = tree.attribute(i, "content").map(HTMLText.collapseWhitespace), !content.isEmpty else { break }
                for key in keys where meta[String(key)] == nil { meta[String(key)] = content }
            case "title":
                if titleElement == nil, tree.nodes[i].parent >= 0, tree.nodes[tree.nodes[i].parent].tag != "svg" { titleElement = tree.text(i) }
            case "h1", "h2", "h3":
                guard !inComments[i], headings.count < 50 else { break }
                let text = tree.text(i)
                if !text.isEmpty { headings.append(text) }
                if node.tag == "h1", firstHeading == nil { firstHeading = text.nilIfEmpty }
            case "link":
                if canonical == nil, hasAttributes, tree.attribute(i, "rel")?.lowercased().split(separator: " ").contains("canonical") == true {
                    canonical = tree.attribute(i, "href")?.trimmedSpace.nilIfEmpty
                }
            case "base":
                if baseHref == nil, hasAttributes { baseHref = tree.attribute(i, "href")?.trimmedSpace.nilIfEmpty }
            case "time":
                guard hasAttributes, !inComments[i], let value = tree.attribute(i, "datetime")?.trimmedSpace.nilIfEmpty else { break }
                let marked = tree.attribute(i, "pubdate") != nil || tree.attribute(i, "itemprop")?.lowercased() == "datepublished"
                if marked || timeDatetime == nil { timeDatetime = marked ? "!" + value : value }
                times.append((i, value, marked))
            case "script":
                guard hasAttributes, tree.attribute(i, "type")?.lowercased().trimmedSpace == "application/ld+json" else { break }
                jsonLD.merge(XMLNode.text(node.pointer))
            default:
                break
            }
            if markupAuthorRank > 0, hasAttributes, !inComments[i], let (name, rank) = Self.byline(tree, i), rank < markupAuthorRank {
                markupAuthor = name
                markupAuthorRank = rank
            }
        }
        if let marked = timeDatetime, marked.hasPrefix("!") { timeDatetime = String(marked.dropFirst()) }
    }

    /// The author named by element `i` when it is byline markup, with its rank: 0 for `rel=author`/`itemprop=author`, 1 for a byline or author class.
    static func byline(_ tree: ArticleTree, _ i: Int) -> (String, Int)? {
        let rel = tree.attribute(i, "rel")?.lowercased()
        let itemprop = tree.attribute(i, "itemprop")?.lowercased()
        if rel == "author" || itemprop == "author" || itemprop == "creator" {
            var name = tree.text(i)
            if let inner = (i + 1..<tree.nodes[i].end).first(where: { !tree.nodes[$0].isText && tree.attribute($0, "itemprop")?.lowercased() == "name" }) {
                name = tree.text(inner)
            }
            return cleanAuthor(name).map { ($0, 0) }
        }
        let classes = (tree.attribute(i, "class") ?? "").lowercased()
        let words = classes.split(whereSeparator: { !$0.isLetter && $0 != "-" })
        guard words.contains(where: { ["byline", "author", "author-name", "authorname", "article-author", "story-author"].contains(String($0)) }) else { return nil }
        return cleanAuthor(tree.text(i)).map { ($0, 1) }
    }

    /// A person's name from byline text: "By " removed, cut at a separator or a date, at most 80 characters.
    static func cleanAuthor(_ raw: String) -> String? {
        var name = HTMLText.collapseWhitespace(raw)
        if let by = name.range(of: "by ", options: .caseInsensitive), name.distance(from: name.startIndex, to: by.lowerBound) <= 16,
           by.lowerBound == name.startIndex || name[name.index(before: by.lowerBound)] == " " {
            name = String(name[by.upperBound...])
        }
        for separator in [" | ", " — ", " – ", " - ", " · ", "\n", " on ", ","] where separator != "," || name.count > 40 {
            if let range = name.range(of: separator) { name = String(name[..<range.lowerBound]) }
        }
        name = withoutDateline(name).trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: ".,:;|")))
        guard !name.isEmpty, name.count <= 80, !name.hasPrefix("http"), name.rangeOfCharacter(from: .letters) != nil else { return nil }
        return name
    }

    /// Words that end the name part of a byline block that also holds the date and a social handle
    /// ("Erin Cunningham March 18 at 3:57 PM Follow @erinmcunningham"): a word starting with a digit or "@", "Follow", "Updated"…
    static let bylineStops: Set<String> = ["follow", "updated", "published", "posted", "email", "twitter"]
    /// Month and weekday names that precede the first digit of a date in a byline; dropped from the end of the name.
    static let dateWords: Set<String> = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                                         "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
                                         "dec", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "at", "updated"]

    /// A byline cut before its date, time or "Follow @handle" tail.
    static func withoutDateline(_ byline: String) -> String {
        var words: [Substring] = []
        for word in byline.split(separator: " ") {
            let lower = word.lowercased().trimmingCharacters(in: .punctuationCharacters)
            if word.first?.isNumber == true || word.first == "@" || bylineStops.contains(lower) { break }
            words.append(word)
        }
        guard words.count < byline.split(separator: " ").count else { return byline }
        while let last = words.last, dateWords.contains(last.lowercased().trimmingCharacters(in: .punctuationCharacters)) { words.removeLast() }
        return words.joined(separator: " ")
    }

    /// The publication time from `<time>` elements once the body is known: a marked one, else the last one before the body, else the first inside it.
    func publishedTime(bodyStart: Int) -> String? {
        if let marked = times.first(where: \.marked) { return marked.value }
        return (times.last { $0.node < bodyStart } ?? times.first)?.value
    }

    /// A "By Name" line near the start of the body (the 300 nodes before it, then the first 300 inside it), for pages without author markup.
    static func nearbyByline(_ tree: ArticleTree, bodyStart: Int) -> String? {
        let before = stride(from: bodyStart - 1, through: max(0, bodyStart - 300), by: -1)
        let inside = bodyStart..<min(tree.nodes.count, bodyStart + 300)
        for i in Array(before) + Array(inside) where !tree.nodes[i].isText && tree.nodes[i].end - i < 40 {
            let text = tree.text(i)
            guard text.count < 100, text.hasPrefix("By "), text.dropFirst(3).first?.isUppercase == true else { continue }
            if let name = cleanAuthor(text) { return name }
        }
        return nil
    }

    func first(_ keys: [String]) -> String? {
        for key in keys { if let value = meta[key] { return value } }
        return nil
    }

    /// The page title: JSON-LD headline; og:title / twitter:title; a heading that `<title>` contains; an `<h1>` of three or more words;
    /// `<title>` without its site suffix. The og:site_name suffix or prefix is removed from og and `<title>` values.
    func title() -> String? {
        if let stated = jsonLDTitle() { return stated }
        if let dublinCore = first(Self.titleKeys) { return dublinCore }
        if let og = meta["og:title"] ?? meta["twitter:title"] { return withoutSiteName(og) }
        let raw = titleElement.map(withoutSiteName)?.nilIfEmpty
        // The headline stands first in a `<title>` and the site's name last: a heading the title starts with beats one it ends with.
        let named = headings.filter { $0.split(separator: " ").count >= 3 }
        if let raw, let heading = named.first(where: { raw == $0 || raw.hasPrefix($0) }) ?? named.first(where: { raw.hasSuffix($0) }) {
            return heading
        }
        // A two-word heading counts when `<title>` is that heading, a separator and the site ("Hash ribbon - Encyclopedia"): a site
        // logo in an `<h1>` stands after the separator, never before it.
        let separators = [" | ", " — ", " – ", " - ", " :: ", " » "]
        if let raw, let heading = headings.first(where: { heading in separators.contains { raw.hasPrefix(heading + $0) } }) { return heading }
        // A `<title>` without a separator is the document's own title, kept over a differing `<h1>`; one with a separator
        // ("Tab title | Site") is navigation text, and the page's headline is the better title.
        if let heading = firstHeading, heading.split(separator: " ").count >= 3,
           raw.map({ title in separators.contains { title.contains($0) } }) ?? true {
            return heading
        }
        guard let raw else { return firstHeading }
        for separator in separators {
            if let range = raw.range(of: separator, options: .backwards) {
                let head = String(raw[..<range.lowerBound])
                if head.split(separator: " ").count >= 3 { return head }
            }
        }
        return raw
    }

    /// JSON-LD `headline` or `name`. When both are given and differ, the one that covers more of `<title>` wins, ties to `headline`:
    /// encyclopedia pages put a one-line description in `headline` ("constitutional monarchy in Oceania") and the page's name in `name`,
    /// news pages the site's name in `name`.
    func jsonLDTitle() -> String? {
        guard let headline = jsonLD.headline, let name = jsonLD.name, headline != name else { return jsonLD.headline ?? jsonLD.name }
        guard let reference = titleElement ?? meta["og:title"] else { return headline }
        return Self.coverage(of: reference, by: name) > Self.coverage(of: reference, by: headline) ? name : headline
    }

    /// The share of `reference`'s word characters whose words also occur in `candidate` (lowercased), 0–1.
    static func coverage(of reference: String, by candidate: String) -> Double {
        let words = { (text: String) in text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }) }
        let wanted = words(reference), offered = Set(words(candidate))
        let total = wanted.reduce(0) { $0 + $1.count }
        return total == 0 ? 0 : Double(wanted.filter(offered.contains).reduce(0) { $0 + $1.count }) / Double(total)
    }

    /// `title` without a leading or trailing og:site_name joined by a separator.
    func withoutSiteName(_ title: String) -> String {
        guard let site = meta["og:site_name"], !site.isEmpty, title != site else { return title }
        for separator in [" | ", " — ", " – ", " - ", ": ", " :: ", " » "] {
            if title.hasSuffix(separator + site) { return String(title.dropLast(separator.count + site.count)) }
            if title.hasPrefix(site + separator) { return String(title.dropFirst(separator.count + site.count)) }
        }
        return title
    }

    func author() -> String? {
        if let author = jsonLD.author { return author }
        for key in Self.authorKeys {
            if let value = meta[key], let name = Self.cleanAuthor(value) { return name }
        }
        return markupAuthor
    }
}

/// The first `NewsArticle`-like object of a page's JSON-LD, including inside `@graph`, arrays and `mainEntity`; authors given by `@id` are resolved.
struct JSONLDArticle {
    var headline, name, url, author, section, datePublished, dateModified: String?
    var isAccessibleForFree: Bool?
    var found = false

    static let articleTypes: Set<String> = ["NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle", "OpinionNewsArticle",
                                            "BackgroundNewsArticle", "ReviewNewsArticle", "BlogPosting", "LiveBlogPosting", "TechArticle",
                                            "ScholarlyArticle", "Report", "SocialMediaPosting", "AdvertiserContentArticle", "SatiricalArticle"]
    static let maxScriptBytes = 1 << 20
    static let maxDepth = 12
    /// JSON nested deeper than this is not parsed at all (bounded recursion in the JSON parser).
    static let maxNesting = 64

    /// The deepest `[`/`{` nesting in JSON text, ignoring brackets inside strings.
    static func nesting(_ json: String) -> Int {
        var depth = 0, deepest = 0, inString = false, escaped = false
        for byte in json.utf8 {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                deepest = max(deepest, depth)
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
        return deepest
    }

    /// Reads one `<script type="application/ld+json">` body (HTML comment and CDATA wrappers and raw control characters tolerated).
    mutating func merge(_ raw: String) {
        guard !found, raw.utf8.count <= Self.maxScriptBytes else { return }
        var text = raw.trimmedSpace
        for wrapper in ["<!--", "//<![CDATA[", "<![CDATA["] where text.hasPrefix(wrapper) { text.removeFirst(wrapper.count) }
        for wrapper in ["-->", "//]]>", "]]>"] where text.hasSuffix(wrapper) { text.removeLast(wrapper.count) }
        let cleaned = String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value < 0x20 ? " " : $0 }))
        guard Self.nesting(cleaned) <= Self.maxNesting else { return }
        guard let object = try? JSONSerialization.jsonObject(with: Data(cleaned.utf8), options: [.fragmentsAllowed]) else { return }
        var people: [String: String] = [:]
        collectNames(object, into: &people, depth: 0)
        visit(object, people: people, depth: 0)
    }

    private func collectNames(_ value: Any, into people: inout [String: String], depth: Int) {
        guard depth < Self.maxDepth else { return }
        if let array = value as? [Any] { for item in array { collectNames(item, into: &people, depth: depth + 1) }; return }
        guard let object = value as? [String: Any] else { return }
        if let id = object["@id"] as? String, let name = Self.string(object["name"]) { people[id] = name }
        if let graph = object["@graph"] { collectNames(graph, into: &people, depth: depth + 1) }
    }

    private mutating func visit(_ value: Any, people: [String: String], depth: Int) {
        guard !found, depth < Self.maxDepth else { return }
        if let array = value as? [Any] {
            for item in array { visit(item, people: people, depth: depth + 1) }
            return
        }
        guard let object = value as? [String: Any] else { return }
        let types = (object["@type"] as? [Any])?.compactMap { $0 as? String } ?? [(object["@type"] as? String) ?? ""]
        if types.contains(where: { Self.articleTypes.contains($0) }) {
            take(object, people: people)
            return
        }
        if let graph = object["@graph"] { visit(graph, people: people, depth: depth + 1) }
        if let main = object["mainEntity"] { visit(main, people: people, depth: depth + 1) }
    }

    private mutating func take(_ object: [String: Any], people: [String: String]) {
        found = true
        headline = Self.string(object["headline"]).map(HTMLText.decodeEntities)
        name = Self.string(object["name"]).map(HTMLText.decodeEntities)
        url = Self.string(object["url"]) ?? Self.string(object["mainEntityOfPage"]) ?? Self.string((object["mainEntityOfPage"] as? [String: Any])?["@id"])
        section = Self.string(object["articleSection"])
        datePublished = Self.string(object["datePublished"]) ?? Self.string(object["dateCreated"])
        dateModified = Self.string(object["dateModified"])
        if let free = object["isAccessibleForFree"] {
            isAccessibleForFree = (free as? Bool) ?? (free as? String).map { $0.lowercased() == "true" }
        }
        let rawAuthors = object["author"] ?? object["creator"]
        let authors = (rawAuthors as? [Any]) ?? rawAuthors.map { [$0] } ?? []
        let names = authors.compactMap { item -> String? in
            if let name = item as? String { return ArticleMetadata.cleanAuthor(name) }
            guard let person = item as? [String: Any] else { return nil }
            if let name = Self.string(person["name"]) { return ArticleMetadata.cleanAuthor(name) }
            return (person["@id"] as? String).flatMap { people[$0] }
        }
        var unique: [String] = []
        for name in names where !unique.contains(name) { unique.append(name) }
        if !unique.isEmpty { author = unique.joined(separator: ", ") }
    }

    /// A non-empty trimmed string, or the first of an array of strings.
    static func string(_ value: Any?) -> String? {
        if let text = value as? String { return HTMLText.collapseWhitespace(text).nilIfEmpty }
        if let array = value as? [Any] { return array.lazy.compactMap { string($0) }.first }
        return nil
    }
}

extension String {
    /// The string, or nil when it is empty.
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
