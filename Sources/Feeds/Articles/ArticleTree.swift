import CLibXML2
import Foundation

/// A parsed HTML page: the libxml2 document, freed exactly once.
final class ArticleDocument {
    let doc: xmlDocPtr
    /// libxml2 stopped before the end of the input (it halts at nesting deeper than 256 elements).
    let stoppedEarly: Bool
    /// The page had more than `ArticlePage.maxTags` tags and was read only up to this byte offset.
    let cutAt: Int?

    private init(doc: xmlDocPtr, stoppedEarly: Bool, cutAt: Int?) {
        self.doc = doc
        self.stoppedEarly = stoppedEarly
        self.cutAt = cutAt
    }

    deinit { xmlFreeDoc(doc) }

    /// Parses `bytes` as HTML in recover mode without network access, decoding them as `encoding`.
    static func parse(_ page: [UInt8], url: String, encoding: String) -> ArticleDocument? {
        let cutAt = FeedParser.tagLimitOffset(page, limit: ArticlePage.maxTags)
        let bytes = cutAt.map { Array(page[..<$0]) } ?? page
        _ = LibXML.ready
        feeds_silence_thread()
        guard let ctxt = htmlNewParserCtxt() else { return nil }
        defer { htmlFreeParserCtxt(ctxt) }
        var log = feeds_error_log()
        return withUnsafeMutablePointer(to: &log) { logPtr -> ArticleDocument? in
            feeds_capture_errors(ctxt, logPtr)
            defer { ctxt.pointee._private = nil }
            let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
                | HTML_PARSE_NONET.rawValue | HTML_PARSE_IGNORE_ENC.rawValue | HTML_PARSE_COMPACT.rawValue)
            let doc: htmlDocPtr? = bytes.withUnsafeBufferPointer { buffer in
                buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { base in
                    htmlCtxtReadMemory(ctxt, base, Int32(buffer.count), url, encoding, options)
                }
            }
            return doc.map { ArticleDocument(doc: $0, stoppedEarly: ctxt.pointee.disableSAX != 0, cutAt: cutAt) }
        }
    }
}

/// The element and text nodes of a page flattened in document order, with subtree ranges, so that every later pass is a loop.
///
/// Built with an explicit stack (never recursion); elements deeper than `maxDepth` are left out.
struct ArticleTree {
    /// One element or text node; `end` is the index after its last descendant.
    struct Node {
        var tag: String
        var parent: Int
        var end: Int
        var text: String
        var pointer: xmlNodePtr
        var isText: Bool { tag.isEmpty }
    }

    static let maxDepth = 512
    /// Elements whose text is never article text and never needed as text (JSON-LD is read through the pointer). MathML is read
    /// (formulas are content) except its `annotation`s, the TeX or markup source a browser does not show.
    static let opaqueElements: Set<String> = ["script", "style", "noscript", "template", "svg", "textarea", "select", "option", "object", "embed", "canvas",
                                              "iframe", "annotation", "annotation-xml"]

    var nodes: [Node] = []

    /// Tree index of each libxml2 node, for mapping XPath results (built on demand).
    func indexByPointer() -> [xmlNodePtr: Int] {
        var index: [xmlNodePtr: Int] = [:]
        index.reserveCapacity(nodes.count)
        for (i, node) in nodes.enumerated() { index[node.pointer] = i }
        return index
    }

    init(root: xmlNodePtr) {
        var open: [Int] = []
        var current: xmlNodePtr? = root
        var depth = 0
        while let node = current {
            var descend = false
            switch node.pointee.type {
            case XML_ELEMENT_NODE:
                let tag = XMLNode.localName(node).lowercased()
                let me = nodes.count
                nodes.append(Node(tag: tag, parent: open.last ?? -1, end: me + 1, text: "", pointer: node))
                if node.pointee.children != nil && depth < Self.maxDepth && !Self.opaqueElements.contains(tag) {
                    descend = true
                    open.append(me)
                }
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = node.pointee.content, let parent = open.last, !Self.opaqueElements.contains(nodes[parent].tag) {
                    let me = nodes.count
                    nodes.append(Node(tag: "", parent: parent, end: me + 1, text: String(cString: content), pointer: node))
                }
            default:
                break
            }
            if descend, let child = node.pointee.children {
                current = child
                depth += 1
                continue
            }
            var at = node
            current = nil
            while at != root {
                if let next = at.pointee.next {
                    current = next
                    break
                }
                guard let parent = at.pointee.parent else { break }
                if let closed = open.popLast() { nodes[closed].end = nodes.count }
                depth -= 1
                at = parent
            }
        }
        while let closed = open.popLast() { nodes[closed].end = nodes.count }
    }

    func attribute(_ i: Int, _ name: String) -> String? { XMLNode.attribute(nodes[i].pointer, name) }

    /// Lowercased class and id of element `i`, space-separated.
    func hints(_ i: Int) -> String {
        let node = nodes[i].pointer
        guard node.pointee.properties != nil else { return "" }
        let value = [XMLNode.attribute(node, "class"), XMLNode.attribute(node, "id")].compactMap { $0 }.joined(separator: " ")
        return value.lowercased()
    }

    /// Ancestors of `i`, nearest first.
    func ancestors(of i: Int) -> UnfoldSequence<Int, Int> {
        sequence(state: i) { state in
            let parent = nodes[state].parent
            guard parent >= 0 else { return nil }
            state = parent
            return parent
        }
    }

    /// Whether `j` lies in the subtree of `i` (including `i`).
    func contains(_ i: Int, _ j: Int) -> Bool { j >= i && j < nodes[i].end }

    /// Collapsed text of the subtree at `i`, skipping subtrees in `dropped`.
    func text(_ i: Int, dropped: [Bool]? = nil) -> String {
        var out = ""
        var j = i
        while j < nodes[i].end {
            if let dropped, dropped[j], j != i { j = nodes[j].end; continue }
            if nodes[j].isText { out += nodes[j].text } else if nodes[j].tag == "br" { out += " " }
            j += 1
        }
        return HTMLText.collapseWhitespace(out)
    }
}
