import CLibXML2
import Foundation

/// libxml2 set-up shared by every parse: `xmlInitParser()` and the deny-all entity loader, once per process.
enum LibXML {
    static let ready: Bool = {
        feeds_libxml_init()
        return true
    }()

    /// Options for fetched data: recover, no network, CDATA merged into text; never NOENT/DTDLOAD/DTDVALID/XINCLUDE/HUGE.
    static let xmlOptions: Int32 = Int32(XML_PARSE_RECOVER.rawValue | XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue
        | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue | XML_PARSE_COMPACT.rawValue)
}

/// A parsed libxml2 document with the errors its parse produced; frees the tree exactly once.
final class XMLTree {
    let doc: xmlDocPtr
    let errorCount: Int
    let fatalCount: Int
    let firstError: String?
    let firstErrorLine: Int?

    private init(doc: xmlDocPtr, log: feeds_error_log) {
        self.doc = doc
        errorCount = Int(log.errorCount)
        fatalCount = Int(log.fatalCount)
        if log.errorCount > 0 {
            var copy = log
            firstError = withUnsafeBytes(of: &copy.firstMessage) { raw in
                XMLTree.oneLine(String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self))
            }
            firstErrorLine = Int(log.firstLine)
        } else {
            firstError = nil
            firstErrorLine = nil
        }
    }

    deinit { xmlFreeDoc(doc) }

    /// Parses `bytes` in recover mode; `encoding` overrides the document's own declaration.
    static func parse(_ bytes: [UInt8], encoding: String?) -> (tree: XMLTree?, errors: Int, message: String?, line: Int?) {
        _ = LibXML.ready
        feeds_silence_thread()
        guard let ctxt = xmlNewParserCtxt() else { return (nil, 1, "out of memory", nil) }
        defer { xmlFreeParserCtxt(ctxt) }
        var log = feeds_error_log()
        return withUnsafeMutablePointer(to: &log) { logPtr in
            feeds_capture_errors(ctxt, logPtr)
            let doc: xmlDocPtr? = bytes.withUnsafeBufferPointer { buffer in
                buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { base in
                    xmlCtxtReadMemory(ctxt, base, Int32(buffer.count), nil, encoding,
                                      encoding == nil ? LibXML.xmlOptions : LibXML.xmlOptions | Int32(XML_PARSE_IGNORE_ENC.rawValue))
                }
            }
            ctxt.pointee._private = nil
            let captured = logPtr.pointee
            guard let doc else {
                var copy = captured
                let message = withUnsafeBytes(of: &copy.firstMessage) { raw in
                    XMLTree.oneLine(String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self))
                }
                return (nil, Int(captured.errorCount), message.isEmpty ? nil : message, captured.errorCount > 0 ? Int(captured.firstLine) : nil)
            }
            let tree = XMLTree(doc: doc, log: captured)
            return (tree, tree.errorCount, tree.firstError, tree.firstErrorLine)
        }
    }

    var root: xmlNodePtr? { xmlDocGetRootElement(doc) }

    /// A libxml2 message on one line (its messages may quote input across lines), at most 160 characters.
    static func oneLine(_ message: String) -> String {
        let collapsed = HTMLText.collapseWhitespace(message)
        return collapsed.count > 160 ? String(collapsed.prefix(160)) + "…" : collapsed
    }
}

/// Read-only helpers over libxml2 nodes.
enum XMLNode {
    static func isElement(_ node: xmlNodePtr) -> Bool { node.pointee.type == XML_ELEMENT_NODE }

    static func localName(_ node: xmlNodePtr) -> String {
        guard let name = node.pointee.name else { return "" }
        return String(cString: name)
    }

    static func namespaceURI(_ node: xmlNodePtr) -> String? {
        guard let ns = node.pointee.ns, let href = ns.pointee.href else { return nil }
        return String(cString: href)
    }

    static func prefix(_ node: xmlNodePtr) -> String? {
        guard let ns = node.pointee.ns, let prefix = ns.pointee.prefix else { return nil }
        return String(cString: prefix)
    }

    static func elementChildren(_ node: xmlNodePtr) -> [xmlNodePtr] {
        var result: [xmlNodePtr] = []
        var child = node.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE { result.append(current) }
            child = current.pointee.next
        }
        return result
    }

    /// The element children of `node`, in order, without collecting them into an array.
    static func elements(of node: xmlNodePtr) -> ElementSequence { ElementSequence(upcoming: node.pointee.children) }

    /// Iterates sibling element nodes from `upcoming`.
    struct ElementSequence: Sequence, IteratorProtocol {
        /// The next sibling to look at.
        var upcoming: xmlNodePtr?

        /// The next element sibling, or nil after the last.
        mutating func next() -> xmlNodePtr? {
            while let current = upcoming {
                upcoming = current.pointee.next
                if current.pointee.type == XML_ELEMENT_NODE { return current }
            }
            return nil
        }
    }

    static func hasElementChildren(_ node: xmlNodePtr) -> Bool {
        var child = node.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE { return true }
            child = current.pointee.next
        }
        return false
    }

    /// Attribute value by local name, any namespace (feedparser is namespace-lax for attributes).
    static func attribute(_ node: xmlNodePtr, _ name: String) -> String? {
        var attr = node.pointee.properties
        while let current = attr {
            if let attrName = current.pointee.name, strcasecmp(attrName, name) == 0 {
                return attributeValue(current)
            }
            attr = current.pointee.next
        }
        return nil
    }

    static func attributeValue(_ attr: xmlAttrPtr) -> String {
        var out = ""
        var child = attr.pointee.children
        while let current = child {
            if current.pointee.type == XML_TEXT_NODE, let content = current.pointee.content {
                out += String(cString: content)
            } else if current.pointee.type == XML_ENTITY_REF_NODE {
                var budget = EntityBudget()
                out += entityText(current, budget: &budget)
            }
            child = current.pointee.next
        }
        return out
    }

    /// `xml:base` of this element or the nearest ancestor chain, resolved outward-in against `documentBase`.
    static func base(_ node: xmlNodePtr, documentBase: String?) -> String? {
        var bases: [String] = []
        var current: xmlNodePtr? = node
        while let element = current, element.pointee.type == XML_ELEMENT_NODE {
            if let value = xmlGetNsProp(element, "base", "http://www.w3.org/XML/1998/namespace") {
                bases.append(String(cString: value))
                feeds_free(value)
            }
            current = element.pointee.parent
        }
        var resolved = documentBase
        for base in bases.reversed() {
            resolved = URLResolution.resolve(base, against: resolved)
        }
        return resolved
    }

    /// The bytes of `node`'s character data when it is a single text or CDATA node (valid while the tree lives).
    static func onlyCharacterData(_ node: xmlNodePtr) -> UnsafeBufferPointer<UInt8>? {
        guard let only = node.pointee.children, only.pointee.next == nil,
              only.pointee.type == XML_TEXT_NODE || only.pointee.type == XML_CDATA_SECTION_NODE else {
            return node.pointee.children == nil ? UnsafeBufferPointer(start: nil, count: 0) : nil
        }
        guard let content = only.pointee.content else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: content, count: strlen(content))
    }

    /// Concatenated character data below `node`, internal entities expanded within a fixed budget.
    static func text(_ node: xmlNodePtr, log: ExpansionLog? = nil) -> String {
        if let only = node.pointee.children, only.pointee.next == nil,
           only.pointee.type == XML_TEXT_NODE || only.pointee.type == XML_CDATA_SECTION_NODE {
            return only.pointee.content.map { String(cString: $0) } ?? ""
        }
        var out = ""
        var budget = EntityBudget()
        appendText(node, into: &out, budget: &budget, depth: 0)
        if budget.exhausted { log?.truncated = true }
        if let name = budget.externalEntity, log?.externalEntity == nil { log?.externalEntity = name }
        return out
    }

    private static func appendText(_ node: xmlNodePtr, into out: inout String, budget: inout EntityBudget, depth: Int) {
        var child = node.pointee.children
        while let current = child {
            switch current.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = current.pointee.content { out += String(cString: content) }
            case XML_ENTITY_REF_NODE:
                if budget.exhausted { return }
                out += entityText(current, budget: &budget)
            case XML_ELEMENT_NODE:
                if depth < 64 { appendText(current, into: &out, budget: &budget, depth: depth + 1) }
            default:
                break
            }
            child = current.pointee.next
        }
    }

    /// Expansion of an internal general entity reference, bounded in depth and total size (billion laughs).
    static func entityText(_ node: xmlNodePtr, budget: inout EntityBudget) -> String {
        guard let name = node.pointee.name, let doc = node.pointee.doc else { return "" }
        return expandEntity(String(cString: name), doc: doc, budget: &budget, depth: 0)
    }

    private static func expandEntity(_ name: String, doc: xmlDocPtr, budget: inout EntityBudget, depth: Int) -> String {
        guard depth < 4, let entity = xmlGetDocEntity(doc, name) else { return "" }
        guard entity.pointee.etype == XML_INTERNAL_GENERAL_ENTITY || entity.pointee.etype == XML_INTERNAL_PREDEFINED_ENTITY,
              let content = entity.pointee.content else {
            if entity.pointee.etype == XML_EXTERNAL_GENERAL_PARSED_ENTITY || entity.pointee.etype == XML_EXTERNAL_GENERAL_UNPARSED_ENTITY {
                budget.externalEntity = budget.externalEntity ?? name
            }
            return ""
        }
        let length = Int(entity.pointee.length)
        guard budget.take(length) else { return "" }
        budget.remaining += length
        let raw = String(cString: content)
        if !raw.utf8.contains(UInt8(ascii: "&")) {
            guard budget.take(raw.utf8.count) else { return "" }
            return raw
        }
        var out = ""
        var rest = Substring(raw)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let after = rest[rest.index(after: amp)...]
            guard let semi = after.firstIndex(of: ";") else { out += after; rest = ""; break }
            let ref = String(after[..<semi])
            if ref.hasPrefix("#") {
                out += HTMLText.decodeEntities("&" + ref + ";")
            } else {
                out += expandEntity(ref, doc: doc, budget: &budget, depth: depth + 1)
            }
            rest = after[after.index(after: semi)...]
            if budget.exhausted { return out }
        }
        out += rest
        guard budget.take(out.utf8.count) else { return "" }
        return out
    }

    /// Serialises the children of `node` as markup (for inline XHTML or naked HTML in a description) and hands
    /// `body` the bytes, valid during the call.
    static func withInnerMarkup<Result>(_ node: xmlNodePtr, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        guard let buffer = xmlBufferCreate() else { return body(UnsafeBufferPointer(start: nil, count: 0)) }
        defer { xmlBufferFree(buffer) }
        var child = node.pointee.children
        while let current = child {
            if current.pointee.type == XML_ENTITY_REF_NODE {
                var budget = EntityBudget()
                let text = HTMLText.escape(entityText(current, budget: &budget))
                xmlBufferCat(buffer, text)
            } else {
                xmlNodeDump(buffer, node.pointee.doc, current, 0, 0)
            }
            child = current.pointee.next
        }
        guard let content = xmlBufferContent(buffer) else { return body(UnsafeBufferPointer(start: nil, count: 0)) }
        return body(UnsafeBufferPointer(start: content, count: Int(xmlBufferLength(buffer))))
    }
}

/// Records that some value hit the entity-expansion cap during one parse.
final class ExpansionLog {
    var truncated = false
    /// The first external entity referenced in a value (never loaded: its reference reads as nothing).
    var externalEntity: String?
}

/// Upper bound on entity expansion per text value: 64 KiB.
struct EntityBudget {
    var remaining = 65_536
    /// The first external entity met (and left unread).
    var externalEntity: String?
    var exhausted: Bool { remaining <= 0 }
    mutating func take(_ count: Int) -> Bool {
        remaining -= count
        return remaining >= 0
    }
}
