import Feeds
import Foundation

/// Token-level agreement of one extracted text with its expected text.
struct ArticleAgreement {
    var overlap = 0
    var extracted = 0
    var expected = 0
    var precision: Double { extracted == 0 ? 0 : Double(overlap) / Double(extracted) }
    var recall: Double { expected == 0 ? 0 : Double(overlap) / Double(expected) }
    var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }

    /// Multiset overlap of lowercase word tokens (runs of letters and digits).
    init(extracted: String, expected: String) {
        let got = Self.tokens(extracted), want = Self.tokens(expected)
        var counts: [Substring: Int] = [:]
        for token in want { counts[token, default: 0] += 1 }
        for token in got where (counts[token] ?? 0) > 0 {
            counts[token]! -= 1
            overlap += 1
        }
        self.extracted = got.count
        self.expected = want.count
    }

    init() {}

    static func tokens(_ text: String) -> [Substring] {
        let lower = text.lowercased()
        return lower.split(whereSeparator: { !$0.isLetter && !$0.isNumber })
    }
}

/// Scores Readability's test pages under `pages` (see `ReadabilitySuite`); skipped, and passing, when the folder holds none.
func validateReadabilitySuite(pages: URL) -> Bool {
    guard let suite = ReadabilitySuite(folder: pages) else {
        print("readability suite: skipped: no page folders with source.html and expected.html under \(pages.path)")
        return true
    }
    return suite.report()
}

/// Extracts every `<name>.html` in `fixtures` and compares it with `<name>.expected.txt` and `<name>.expected.json`; true when overall token F1 ≥ 0.90.
///
/// Prints per-page and overall (micro-averaged) precision, recall and F1 of extracted word tokens, and metadata agreement
/// (title, url, author, published as ISO 8601 UTC, each exact).
func validateArticles(fixtures: URL) -> Bool {
    let target = 0.90
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: fixtures.path).filter({ $0.hasSuffix(".html") }).sorted(), !names.isEmpty else {
        print("articles: no .html fixtures in \(fixtures.path)")
        return false
    }
    var total = ArticleAgreement()
    var fieldsAgreeing = 0, fieldsCompared = 0
    var rows: [(String, ArticleAgreement, Int)] = []
    print("articles: \(names.count) pages in \(fixtures.path)")
    for file in names {
        let name = String(file.dropLast(5))
        guard let html = FileManager.default.contents(atPath: fixtures.appendingPathComponent(file).path),
              let expectedText = try? String(contentsOf: fixtures.appendingPathComponent(name + ".expected.txt"), encoding: .utf8),
              let json = FileManager.default.contents(atPath: fixtures.appendingPathComponent(name + ".expected.json").path),
              let meta = (try? JSONSerialization.jsonObject(with: json)) as? [String: Any] else {
            print("  \(name): missing expected files")
            return false
        }
        let url = meta["fetched_url"] as? String ?? "https://news.example/fixtures/\(name)"
        var page: ArticlePage?
        var failure: String?
        do { page = try ArticlePage.extract(Array(html), url: url, contentType: meta["content_type"] as? String) } catch { failure = "\(error)" }
        let agreement = ArticleAgreement(extracted: page?.text ?? "", expected: expectedText)
        total.overlap += agreement.overlap
        total.extracted += agreement.extracted
        total.expected += agreement.expected
        var mismatches: [String] = []
        let got: [String: String?] = ["title": page?.title, "url": page?.canonicalURL, "author": page?.author, "published": page?.published.map(FeedDates.iso8601)]
        for field in ["title", "url", "author", "published"] {
            let want = meta[field] as? String
            fieldsCompared += 1
            if got[field] ?? nil == want { fieldsAgreeing += 1 } else { mismatches.append("\(field) '\((got[field] ?? nil) ?? "null")' ≠ '\(want ?? "null")'") }
        }
        rows.append((name, agreement, 4 - mismatches.count))
        let line = "  " + name.padding(toLength: 44, withPad: " ", startingAt: 0) + String(format: " P %.3f  R %.3f  F1 %.3f  meta %d/4", agreement.precision, agreement.recall, agreement.f1, 4 - mismatches.count)
        print(line + (failure.map { "  error: \($0)" } ?? "") + (mismatches.isEmpty ? "" : "  [" + mismatches.joined(separator: "; ") + "]"))
    }
    let macro = rows.map(\.1.f1).reduce(0, +) / Double(rows.count)
    let worst = rows.sorted { $0.1.f1 < $1.1.f1 }.prefix(3).map { String(format: "%@ %.3f", $0.0, $0.1.f1) }
    print(String(format: "articles overall: P %.3f  R %.3f  F1 %.3f (micro), F1 %.3f (macro); metadata %d/%d fields agree (%.1f%%)",
                 total.precision, total.recall, total.f1, macro, fieldsAgreeing, fieldsCompared, 100 * Double(fieldsAgreeing) / Double(fieldsCompared)))
    print("articles worst pages: " + worst.joined(separator: ", "))
    let passed = total.f1 >= target
    print("articles: token F1 \(String(format: "%.3f", total.f1)) \(passed ? "≥" : "<") target \(target)")
    return passed
}
