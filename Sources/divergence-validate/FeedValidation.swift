import Feeds
import Foundation

/// Field-by-field agreement of `FeedParser` with feedparser's recorded output over a corpus; prints a report.
/// `expected` is JSON Lines `{file, bozo, version, feed{title,link,id}, entries[{id,title,link,published,author,summary_text}]}`.
/// Returns false when entry count, ids, titles, links or dates agree below 97 %, or summary text below 90 %.
public func validateFeeds(corpus: URL, expected: URL) -> Bool {
    guard let text = try? String(contentsOf: expected, encoding: .utf8) else {
        print("validate: cannot read \(expected.path)")
        return false
    }
    var tally = ValidationTally()
    for line in text.split(separator: "\n") where !line.isEmpty {
        guard let data = line.data(using: .utf8),
              let record = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let file = record["file"] as? String else { continue }
        let bytes = [UInt8]((try? Data(contentsOf: corpus.appendingPathComponent(file))) ?? Data())
        let doc: FeedDocument?
        var failure: String?
        do {
            doc = try FeedParser.parse(bytes, source: file)
        } catch {
            doc = nil
            failure = error.description
        }
        tally.compare(file: file, record: record, doc: doc, failure: failure)
    }
    return tally.report()
}

/// Comparison state: per-field agree/total counts and disagreement examples by category.
struct ValidationTally {
    var agree: [String: Int] = [:]
    var total: [String: Int] = [:]
    var examples: [String: [String]] = [:]
    var counts: [String: Int] = [:]
    var files = 0
    var failures = 0

    static let exampleLimit = Int(ProcessInfo.processInfo.environment["FEEDS_VALIDATE_EXAMPLES"] ?? "") ?? 4
    static let fields = ["feed.title", "feed.link", "entry count", "id", "title", "link", "published", "author", "summary"]
    static let targets: [String: Double] = ["entry count": 97, "id": 97, "title": 97, "link": 97, "published": 97, "summary": 90]

    mutating func note(_ field: String, _ ok: Bool, category: String? = nil, example: @autoclosure () -> String) {
        total[field, default: 0] += 1
        if ok {
            agree[field, default: 0] += 1
            if let category { counts[category, default: 0] += 1 }
            return
        }
        let key = category ?? "\(field) differs"
        counts[key, default: 0] += 1
        if examples[key, default: []].count < ValidationTally.exampleLimit { examples[key, default: []].append(example()) }
    }

    static func norm(_ s: String?) -> String? {
        guard let s else { return nil }
        let collapsed = s.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        return collapsed.isEmpty ? nil : collapsed
    }

    static func iso(_ d: Date?) -> String? {
        guard let d else { return nil }
        return FeedDates.iso8601(d)
    }

    mutating func compareLink(_ field: String, expected: String?, ours: String?, base: String?, file: String) {
        let e = ValidationTally.norm(expected)
        let o = ValidationTally.norm(ours)
        if e == o {
            note(field, true, example: "")
            return
        }
        if let e, let o, !e.contains("://"), let base, let url = URL(string: e, relativeTo: URL(string: base)), url.absoluteString == o {
            note(field, true, category: "\(field): relative in feedparser, resolved against the channel link here", example: "")
            return
        }
        note(field, false, example: "\(file): expected \(e ?? "nil") got \(o ?? "nil")")
    }

    mutating func compare(file: String, record: [String: Any], doc: FeedDocument?, failure: String?) {
        files += 1
        if failure != nil { failures += 1 }
        let feed = record["feed"] as? [String: Any] ?? [:]
        let expectedEntries = record["entries"] as? [[String: Any]] ?? []
        let eTitle = ValidationTally.norm(feed["title"] as? String)
        let oTitle = ValidationTally.norm(doc?.feed.title)
        note("feed.title", eTitle == oTitle, example: "\(file): expected \(eTitle ?? "nil") got \(oTitle ?? "nil")\(failure.map { " [\($0)]" } ?? "")")
        compareLink("feed.link", expected: feed["link"] as? String, ours: doc?.feed.link, base: nil, file: file)
        let entries = doc?.entries ?? []
        note("entry count", entries.count == expectedEntries.count,
             example: "\(file): expected \(expectedEntries.count) got \(entries.count)\(failure.map { " [\($0)]" } ?? "")")
        for (index, expectedEntry) in expectedEntries.enumerated() {
            let ours = index < entries.count ? entries[index] : nil
            let where_ = "\(file)#\(index)"
            func field(_ name: String, _ expected: String?, _ got: String?) {
                let e = ValidationTally.norm(expected)
                let o = ValidationTally.norm(got)
                note(name, e == o, example: "\(where_): expected \(e.map { String($0.prefix(120)) } ?? "nil") got \(o.map { String($0.prefix(120)) } ?? "nil")")
            }
            field("id", expectedEntry["id"] as? String, ours?.id)
            field("title", expectedEntry["title"] as? String, ours?.title)
            compareLink("link", expected: expectedEntry["link"] as? String, ours: ours?.link, base: doc?.feed.link, file: where_)
            field("published", expectedEntry["published"] as? String, ValidationTally.iso(ours?.published ?? ours?.updated))
            field("author", expectedEntry["author"] as? String, ours?.author)
            let isJSON = doc?.format == .json10 || doc?.format == .json11
            field("summary", expectedEntry["summary_text"] as? String, ours.flatMap { isJSON ? $0.summary : ($0.summary ?? $0.content) })
        }
    }

    func report() -> Bool {
        print("feeds validation: \(files) files, \(failures) rejected with FeedError")
        var passed = true
        for field in ValidationTally.fields {
            let t = total[field, default: 0]
            let a = agree[field, default: 0]
            let pct = t == 0 ? 100 : Double(a) * 100 / Double(t)
            let target = ValidationTally.targets[field]
            let ok = target.map { pct >= $0 } ?? true
            if !ok { passed = false }
            let targetText = target.map { String(format: " (target ≥ %.0f%%)%@", $0, ok ? "" : " BELOW") } ?? ""
            print(String(format: "  %-12@ %4d/%4d  %6.2f%%", field as NSString, a, t, pct) + targetText)
        }
        for (category, count) in counts.sorted(by: { $0.value > $1.value }) {
            print("  [\(count)] \(category)")
            for example in examples[category] ?? [] { print("      \(example)") }
        }
        print(passed ? "validation: PASS" : "validation: FAIL")
        return passed
    }
}
