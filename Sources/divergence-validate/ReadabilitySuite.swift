import CLibXML2
import Feeds
import Foundation

/// Mozilla Readability's test pages scored the way `../shared/tools/readability-score.py` scores `divergence parse`, by this project's code.
///
/// Each page folder holds `source.html`, `expected.html` and `expected-metadata.json`. Text: token F1 between the extracted text and
/// the text of `expected.html` (a space at block-level tags and `<br>`), tokens lowercased runs of letters and digits, each CJK, kana or
/// hangul character a token of its own; F1 = 2·|A∩B| / (|A|+|B|) over token multisets, 1 when both are empty, 0 for a page that fails.
/// Title: whitespace-collapsed, case-insensitive exact match with the metadata `title`, and "one contains the other". Byline: on pages
/// whose metadata names one, the extracted author and the byline contain one another.
struct ReadabilitySuite {
    struct Page {
        var name: String
        var precision = 0.0, recall = 0.0, f1 = 0.0
        var extractedTokens = 0, expectedTokens = 0
        var titleExact = false, titleContains = false, hasTitle = false
        var hasByline = false, bylineMatch = false
        var failure: String?
    }

    /// Targets of issue 20 (development and held-out half alike).
    static let meanF1Target = 0.93, titleTarget = 0.90, bylineTarget = 0.85

    var pages: [Page] = []

    /// Scores every page folder under `folder`; nil when there is none.
    init?(folder: URL) {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted().filter {
            FileManager.default.fileExists(atPath: folder.appendingPathComponent($0 + "/source.html").path)
                && FileManager.default.fileExists(atPath: folder.appendingPathComponent($0 + "/expected.html").path)
        }
        guard !names.isEmpty else { return nil }
        pages = names.map { Self.score(folder.appendingPathComponent($0), name: $0) }
    }

    static func score(_ folder: URL, name: String) -> Page {
        var page = Page(name: name)
        let source = folder.appendingPathComponent("source.html")
        let expectedHTML = (try? Data(contentsOf: folder.appendingPathComponent("expected.html"))).map { [UInt8]($0) } ?? []
        let metadata = (try? Data(contentsOf: folder.appendingPathComponent("expected-metadata.json")))
            .flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] } ?? [:]
        var extracted: ArticlePage?
        do {
            extracted = try ArticlePage.extract([UInt8](try Data(contentsOf: source)), url: source.path)
        } catch {
            page.failure = "\(error)"
        }
        let got = tokenCounts(extracted?.text ?? ""), want = tokenCounts(visibleText(expectedHTML))
        let overlap = got.reduce(0) { $0 + min($1.value, want[$1.key] ?? 0) }
        page.extractedTokens = got.values.reduce(0, +)
        page.expectedTokens = want.values.reduce(0, +)
        page.precision = page.extractedTokens == 0 ? 0 : Double(overlap) / Double(page.extractedTokens)
        page.recall = page.expectedTokens == 0 ? 0 : Double(overlap) / Double(page.expectedTokens)
        let total = page.extractedTokens + page.expectedTokens
        page.f1 = total == 0 ? 1 : 2 * Double(overlap) / Double(total)

        let title = normalised(metadata["title"] as? String), gotTitle = normalised(extracted?.title)
        page.hasTitle = !title.isEmpty
        page.titleExact = page.hasTitle && title == gotTitle
        page.titleContains = page.hasTitle && !gotTitle.isEmpty && (title.contains(gotTitle) || gotTitle.contains(title))
        let byline = normalised(metadata["byline"] as? String), author = normalised(extracted?.author)
        page.hasByline = !byline.isEmpty
        page.bylineMatch = page.hasByline && !author.isEmpty && (byline.contains(author) || author.contains(byline))
        return page
    }

    static func normalised(_ text: String?) -> String {
        (text ?? "").split(whereSeparator: { $0.isWhitespace }).joined(separator: " ").lowercased()
    }

    /// Characters that are one token each: CJK ideographs, kana and hangul (the scorer's default tokenisation).
    static func isCJK(_ value: UInt32) -> Bool {
        (0x3040...0x30FF).contains(value) || (0x3400...0x4DBF).contains(value) || (0x4E00...0x9FFF).contains(value)
            || (0xF900...0xFAFF).contains(value) || (0xAC00...0xD7AF).contains(value)
    }

    /// Letters (Lu Ll Lt Lm Lo) and numbers (Nd Nl No): Python's `[^\W_]`.
    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .decimalNumber, .letterNumber, .otherNumber: true
        default: false
        }
    }

    /// Token counts of `text`, lowercased.
    static func tokenCounts(_ text: String) -> [String: Int] {
        var counts: [String: Int] = [:]
        var word = String.UnicodeScalarView()
        func flush() {
            if !word.isEmpty { counts[String(word), default: 0] += 1 }
            word = String.UnicodeScalarView()
        }
        for scalar in text.lowercased().unicodeScalars {
            if isCJK(scalar.value) {
                flush()
                counts[String(scalar), default: 0] += 1
            } else if isWordScalar(scalar) {
                word.append(scalar)
            } else {
                flush()
            }
        }
        flush()
        return counts
    }

    /// Block-level elements after which the scorer inserts a space.
    static let blocks: Set<String> = Set("""
        address article aside blockquote body br dd details dialog div dl dt fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header
        hr li main nav ol p pre section summary table tbody thead tfoot td th tr ul title option
        """.split(whereSeparator: { $0.isWhitespace }).map(String.init))

    /// All text of an HTML page (libxml2's HTML parser), with a space around block-level elements.
    static func visibleText(_ html: [UInt8]) -> String {
        guard !html.isEmpty else { return "" }
        let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_NONET.rawValue)
        let parsed: htmlDocPtr? = html.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { htmlReadMemory($0, Int32(buffer.count), nil, "UTF-8", options) }
        }
        guard let doc = parsed else { return "" }
        defer { xmlFreeDoc(doc) }
        var out = ""
        var stack: [(xmlNodePtr, Bool)] = []
        var child = doc.pointee.children
        while let node = child { stack.append((node, false)); child = node.pointee.next }
        stack.reverse()
        while let (node, closing) = stack.popLast() {
            let isBlock = node.pointee.type == XML_ELEMENT_NODE && blocks.contains(String(cString: node.pointee.name).lowercased())
            if closing { if isBlock { out += " " }; continue }
            switch node.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = node.pointee.content { out += String(cString: content) }
            case XML_ELEMENT_NODE:
                if isBlock { out += " " }
                stack.append((node, true))
                var children: [(xmlNodePtr, Bool)] = []
                var next = node.pointee.children
                while let c = next { children.append((c, false)); next = c.pointee.next }
                stack.append(contentsOf: children.reversed())
            default:
                break
            }
        }
        return out
    }

    var meanF1: Double { pages.map(\.f1).reduce(0, +) / Double(pages.count) }
    var emptyPages: [Page] { pages.filter { $0.failure != nil || $0.extractedTokens == 0 } }
    var titled: [Page] { pages.filter(\.hasTitle) }
    var bylined: [Page] { pages.filter(\.hasByline) }
    func share(_ subset: [Page], _ test: (Page) -> Bool) -> Double { subset.isEmpty ? 0 : Double(subset.filter(test).count) / Double(subset.count) }

    /// Prints the scorer's summary figures and the worst pages; true when every target is met.
    func report(worst: Int = 10) -> Bool {
        let sorted = pages.map(\.f1).sorted()
        let median = sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        let titleExact = share(titled, \.titleExact), byline = share(bylined, \.bylineMatch)
        print(String(format: "readability suite: %d pages; token F1 mean %.3f, median %.3f, ≥0.9 %.1f%%; mean precision/recall %.3f / %.3f",
                     pages.count, meanF1, median, 100 * share(pages) { $0.f1 >= 0.9 },
                     pages.map(\.precision).reduce(0, +) / Double(pages.count), pages.map(\.recall).reduce(0, +) / Double(pages.count)))
        print(String(format: "readability suite: title (n=%d) exact %.1f%%, contains %.1f%%; byline (n=%d) %.1f%%; empty or failed pages: %d%@",
                     titled.count, 100 * titleExact, 100 * share(titled, \.titleContains), bylined.count, 100 * byline, emptyPages.count,
                     emptyPages.isEmpty ? "" : " (" + emptyPages.map(\.name).joined(separator: ", ") + ")"))
        print("readability suite worst pages: " + pages.sorted { $0.f1 < $1.f1 }.prefix(worst)
            .map { String(format: "%@ %.2f (P %.2f R %.2f)", $0.name, $0.f1, $0.precision, $0.recall) }.joined(separator: ", "))
        let passed = meanF1 >= Self.meanF1Target && emptyPages.isEmpty && titleExact >= Self.titleTarget && byline >= Self.bylineTarget
        print(String(format: "readability suite: targets mean F1 ≥ %.2f, no empty page, title exact ≥ %.0f%%, byline ≥ %.0f%%: %@",
                     Self.meanF1Target, 100 * Self.titleTarget, 100 * Self.bylineTarget, passed ? "met" : "NOT met"))
        return passed
    }
}
