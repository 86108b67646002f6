import CLibXML2
import Foundation

/// Per-site extraction rules: when set, an XPath for the article body and XPaths of blocks to drop replace the heuristics.
public struct ArticleRules: Sendable, Equatable, Codable {
    /// XPath 1.0 selecting the body element(s); their text, in document order, is the article text.
    public var bodyXPath: String?
    /// XPath 1.0 expressions selecting blocks to leave out (applied before the body is read).
    public var dropXPaths: [String]

    /// Rules from a body XPath and drop XPaths.
    public init(bodyXPath: String? = nil, dropXPaths: [String] = []) {
        self.bodyXPath = bodyXPath
        self.dropXPaths = dropXPaths
    }
}

/// XPath evaluation over a parsed page with libxml2.
enum ArticleXPath {
    static let maxExpressionLength = 2_000

    /// Tree indices of the element and text nodes `expression` selects, in document order; nil when it does not compile or is not a node set.
    static func select(_ expression: String, in document: ArticleDocument, index: [xmlNodePtr: Int]) -> [Int]? {
        guard expression.utf8.count <= maxExpressionLength, !expression.contains("\0"),
              let context = xmlXPathNewContext(document.doc) else { return nil }
        defer { xmlXPathFreeContext(context) }
        guard let object = xmlXPathEvalExpression(expression, context) else { return nil }
        defer { xmlXPathFreeObject(object) }
        guard object.pointee.type == XPATH_NODESET else { return nil }
        guard let set = object.pointee.nodesetval, set.pointee.nodeNr > 0, let table = set.pointee.nodeTab else { return [] }
        var result: [Int] = []
        for k in 0..<Int(set.pointee.nodeNr) {
            if let node = table[k], let position = index[node] { result.append(position) }
        }
        return result.sorted()
    }
}
