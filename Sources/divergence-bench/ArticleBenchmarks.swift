import CLibXML2
import Feeds
import Foundation

/// `parse` speed on HTML article pages: `ArticlePage.extract` over every `source.html` of the Readability suite
/// (`articles/readability/*/`), against the all-visible-text baseline (libxml2's HTML parser and one walk collecting every text
/// node outside script and style) on the same bytes. Prints pages/s of both and their time ratio; each is the best of five
/// alternating trials, single-threaded, so a burst of load on a shared machine slows one trial rather than one side.
public func benchmarkArticles(pages folder: URL) {
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
    let pages: [(String, [UInt8])] = names.compactMap { name in
        let path = folder.appendingPathComponent(name + "/source.html").path
        return FileManager.default.contents(atPath: path).map { (path, [UInt8]($0)) }
    }
    guard !pages.isEmpty else {
        print("bench articles: skipped: no */source.html under \(folder.path)")
        return
    }
    let bytes = pages.reduce(0) { $0 + $1.1.count }
    let rounds = max(1, 20_000_000 / bytes)
    var extractSeconds = Double.infinity, baselineSeconds = Double.infinity
    var characters = 0
    for _ in 0..<5 {
        var start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<rounds {
            for (path, page) in pages { characters &+= ((try? ArticlePage.extract(page, url: path))?.text.utf8.count ?? 0) }
        }
        extractSeconds = min(extractSeconds, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<rounds {
            for (_, page) in pages { characters &+= allVisibleText(page) }
        }
        baselineSeconds = min(baselineSeconds, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    let count = Double(pages.count * rounds)
    print("bench articles: \(pages.count) pages, \(bytes) bytes, \(rounds) rounds (\(characters % 10) checksum)")
    print(String(format: "ArticlePage.extract:        %8.1f pages/s  %6.1f MB/s  (%.2f s)", count / extractSeconds, Double(bytes * rounds) / 1e6 / extractSeconds, extractSeconds))
    print(String(format: "all visible text (libxml2): %8.1f pages/s  %6.1f MB/s  (%.2f s)", count / baselineSeconds, Double(bytes * rounds) / 1e6 / baselineSeconds, baselineSeconds))
    print(String(format: "extract / all-visible-text time on the same pages: %.2fx", extractSeconds / baselineSeconds))
}

/// Bytes of text in every text node of an HTML page outside `<script>` and `<style>`: the cheapest article "extractor".
private func allVisibleText(_ page: [UInt8]) -> Int {
    let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_NONET.rawValue | HTML_PARSE_COMPACT.rawValue)
    let parsed: htmlDocPtr? = page.withUnsafeBufferPointer { buffer in
        buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { htmlReadMemory($0, Int32(buffer.count), nil, nil, options) }
    }
    guard let doc = parsed, let root = xmlDocGetRootElement(doc) else { return 0 }
    defer { xmlFreeDoc(doc) }
    var total = 0
    var node: xmlNodePtr? = root
    while let current = node {
        var descend = true
        if current.pointee.type == XML_TEXT_NODE, let content = current.pointee.content {
            total += strlen(content)
        } else if current.pointee.type == XML_ELEMENT_NODE, let name = current.pointee.name {
            let tag = String(cString: name).lowercased()
            descend = tag != "script" && tag != "style"
        }
        if descend, let child = current.pointee.children { node = child; continue }
        var at: xmlNodePtr? = current
        node = nil
        while let climbing = at, climbing != root {
            if let next = climbing.pointee.next { node = next; break }
            at = climbing.pointee.parent
        }
    }
    return total
}
