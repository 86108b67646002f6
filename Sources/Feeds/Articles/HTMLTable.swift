import CLibXML2
import Foundation

/// The cells of an HTML table chosen by an XPath rule, for survey results published as web pages.
public enum HTMLTable {
    /// Rows of the first table `tableXPath` selects (header row included), each cell's text collapsed to one line.
    ///
    /// The page is parsed like an article page (recover mode, no network).
    public static func rows(_ bytes: [UInt8], url: String, contentType: String? = nil, tableXPath: String) throws(ArticleError) -> [[String]] {
        guard !bytes.isEmpty else { throw .empty(source: url) }
        let input = bytes.count > ArticlePage.maxBytes ? Array(bytes.prefix(ArticlePage.maxBytes)) : bytes
        guard let document = ArticleDocument.parse(input, url: url, encoding: ArticleCharset.detect(input, contentType: contentType)) else { throw .empty(source: url) }
        let expression = "(\(tableXPath))[1]//tr"
        guard tableXPath.utf8.count <= ArticleXPath.maxExpressionLength, !tableXPath.contains("\0"),
              let context = xmlXPathNewContext(document.doc) else { throw .invalidRule(source: url, xpath: tableXPath) }
        defer { xmlXPathFreeContext(context) }
        guard let object = xmlXPathEvalExpression(expression, context) else { throw .invalidRule(source: url, xpath: tableXPath) }
        defer { xmlXPathFreeObject(object) }
        guard object.pointee.type == XPATH_NODESET else { throw .invalidRule(source: url, xpath: tableXPath) }
        guard let set = object.pointee.nodesetval, set.pointee.nodeNr > 0, let table = set.pointee.nodeTab else { throw .noText(source: url) }
        var rows: [[String]] = []
        for k in 0..<Int(set.pointee.nodeNr) {
            guard let row = table[k] else { continue }
            let cells = XMLNode.elementChildren(row).filter { ["td", "th"].contains(XMLNode.localName($0).lowercased()) }
            if !cells.isEmpty { rows.append(cells.map { HTMLText.collapseWhitespace(XMLNode.text($0)).trimmingCharacters(in: .whitespaces) }) }
        }
        return rows
    }
}
