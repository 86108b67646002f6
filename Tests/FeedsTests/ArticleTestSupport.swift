import Foundation
@testable import Feeds

/// The article fixture folder and helpers shared by the article tests.
enum ArticleFixtures {
    static let folder: URL? = Bundle.module.url(forResource: "Fixtures/articles", withExtension: nil)

    /// Names of the `<name>.html` pages, sorted.
    static let names: [String] = {
        guard let folder, let files = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        return files.filter { $0.hasSuffix(".html") }.map { String($0.dropLast(5)) }.sorted()
    }()

    static func data(_ file: String) -> Data? {
        folder.flatMap { FileManager.default.contents(atPath: $0.appendingPathComponent(file).path) }
    }

    static let fetchedURL = "https://news.example/a/1"

    /// Body paragraphs long enough for the extractor to score (fictional prose).
    static let prose = [
        "Bitcoin miners sold more coins in January than in any month since 2022, as the average cost of mining one coin climbed to about $87,000.",
        "That leaves a typical operator roughly 27% under water on every coin it produces, once power, hosting and depreciation are counted.",
        "Analysts expect the least efficient machines to be unplugged first if the price stays below $70,000 through March, the firm said.",
    ]

    /// A page with `head` in `<head>`, the prose in `<article><div class="article-body">`, and `extra` appended inside the body div.
    static func page(head: String = "", before: String = "", extra: String = "", after: String = "") -> String {
        let paragraphs = prose.map { "<p>\($0)</p>" }.joined()
        return "<!DOCTYPE html><html><head><meta charset=\"utf-8\">\(head)</head><body>\(before)<article><h1>Miners sell reserves</h1>"
            + "<div class=\"article-body\">\(paragraphs)\(extra)</div></article>\(after)</body></html>"
    }

    static func extract(_ html: String, contentType: String? = nil, rules: ArticleRules? = nil) throws -> ArticlePage {
        try ArticlePage.extract(Array(html.utf8), url: fetchedURL, contentType: contentType, rules: rules)
    }
}

/// Token agreement of an extracted text with an expected one: lowercase words (runs of letters and digits), multiset overlap.
struct ArticleTokenAgreement {
    let precision: Double
    let recall: Double
    var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }

    init(extracted: String, expected: String) {
        let got = extracted.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber })
        let want = expected.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber })
        var counts: [Substring: Int] = [:]
        for token in want { counts[token, default: 0] += 1 }
        var overlap = 0
        for token in got where (counts[token] ?? 0) > 0 {
            counts[token]! -= 1
            overlap += 1
        }
        precision = got.isEmpty ? 0 : Double(overlap) / Double(got.count)
        recall = want.isEmpty ? 0 : Double(overlap) / Double(want.count)
    }
}
