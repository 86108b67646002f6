import CLibXML2
import Foundation

/// One subscription from an OPML file; `category` is the folder path from the outermost folder inward.
public struct OPMLOutline: Sendable, Codable, Equatable {
    public var title: String
    public var xmlURL: String?
    public var htmlURL: String?
    public var category: [String]
    public var type: String?

    /// Creates an outline.
    public init(title: String, xmlURL: String? = nil, htmlURL: String? = nil, category: [String] = [], type: String? = nil) {
        self.title = title
        self.xmlURL = xmlURL
        self.htmlURL = htmlURL
        self.category = category
        self.type = type
    }
}

/// OPML 1.0 / 2.0 subscription lists: import (nested folders become `category`) and export.
public enum OPML {
    /// Folders nest up to this many levels; outlines deeper than that are not read.
    static let maxDepth = 32

    /// Subscriptions (outlines with an `xmlUrl`) in document order; folders nest up to 32 levels.
    public static func parse(_ bytes: [UInt8], source: String) throws(FeedError) -> [OPMLOutline] {
        guard bytes.contains(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }) else { throw .empty(source: source) }
        var warnings: [String] = []
        let input = XMLRepair.repair(bytes, warnings: &warnings)
        let parsed = XMLTree.parse(input, encoding: nil)
        guard let tree = parsed.tree, let root = tree.root else {
            throw .malformed(source: source, line: parsed.line, reason: parsed.message ?? "no root element")
        }
        // The walk reads libxml2's nodes: the tree that frees them lives until it is done.
        defer { withExtendedLifetime(tree) {} }
        guard XMLNode.localName(root).lowercased() == "opml" else {
            throw .notAFeed(source: source, reason: "root element <\(XMLNode.localName(root))> is not opml")
        }
        guard let body = XMLNode.elementChildren(root).first(where: { XMLNode.localName($0).lowercased() == "body" }) else {
            throw .malformed(source: source, line: nil, reason: "OPML without <body>")
        }
        var result: [OPMLOutline] = []
        walk(body, path: [], into: &result)
        return result
    }

    private static func walk(_ node: xmlNodePtr, path: [String], into result: inout [OPMLOutline]) {
        guard path.count < maxDepth else { return }
        for child in XMLNode.elementChildren(node) where XMLNode.localName(child).lowercased() == "outline" {
            let title = XMLNode.attribute(child, "title") ?? XMLNode.attribute(child, "text") ?? ""
            let xmlURL = XMLNode.attribute(child, "xmlUrl").map { $0.trimmingCharacters(in: .whitespaces) }
            if let xmlURL, !xmlURL.isEmpty {
                let categories = path.isEmpty ? categoryAttribute(child) : path
                result.append(OPMLOutline(title: title.isEmpty ? xmlURL : title, xmlURL: xmlURL,
                                          htmlURL: XMLNode.attribute(child, "htmlUrl"), category: categories,
                                          type: XMLNode.attribute(child, "type")))
                walk(child, path: path, into: &result)
            } else {
                walk(child, path: path + [title], into: &result)
            }
        }
    }

    /// OPML 2.0 `category="/a/b"` (first of a comma list) as a folder path.
    private static func categoryAttribute(_ node: xmlNodePtr) -> [String] {
        guard let raw = XMLNode.attribute(node, "category"), let first = raw.split(separator: ",").first else { return [] }
        return first.split(separator: "/").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// An OPML 2.0 document; outlines sharing a category path are nested in folder outlines, at most 31 deep (as `parse` reads).
    public static func export(_ outlines: [OPMLOutline], title: String) -> String {
        final class Folder {
            var name: String
            var children: [Folder] = []
            var feeds: [OPMLOutline] = []
            init(_ name: String) { self.name = name }
            func child(_ name: String) -> Folder {
                if let existing = children.first(where: { $0.name == name }) { return existing }
                let folder = Folder(name)
                children.append(folder)
                return folder
            }
        }
        let root = Folder("")
        for outline in outlines {
            var folder = root
            // Deeper folders would put the feed where `parse` no longer reads it.
            for name in outline.category.prefix(maxDepth - 1) { folder = folder.child(name) }
            folder.feeds.append(outline)
        }
        func attr(_ s: String) -> String {
            HTMLText.escape(s).replacingOccurrences(of: "\n", with: "&#10;")
        }
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n  <head>\n    <title>\(attr(title))</title>\n  </head>\n  <body>\n"
        func emit(_ folder: Folder, indent: String) {
            for feed in folder.feeds {
                out += "\(indent)<outline type=\"\(attr(feed.type ?? "rss"))\" text=\"\(attr(feed.title))\" title=\"\(attr(feed.title))\""
                if let xml = feed.xmlURL { out += " xmlUrl=\"\(attr(xml))\"" }
                if let html = feed.htmlURL { out += " htmlUrl=\"\(attr(html))\"" }
                out += "/>\n"
            }
            for child in folder.children {
                out += "\(indent)<outline text=\"\(attr(child.name))\" title=\"\(attr(child.name))\">\n"
                emit(child, indent: indent + "  ")
                out += "\(indent)</outline>\n"
            }
        }
        emit(root, indent: "    ")
        out += "  </body>\n</opml>\n"
        return out
    }
}
