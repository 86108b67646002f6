import Settings
import Feeds
import Fetching
import Foundation
import Market
import Positioning
import Sentiment
import Storage
import Surveys
import Vocabulary

/// How one source's ingest ended.
public enum SourceOutcome: Sendable, Equatable {
    case stored(IngestCounts)
    case notModified
    case skipped(reason: String)
    case failed(reason: String)
}

/// The result of ingesting one source: what was stored, what was wrong.
public struct SourceIngestResult: Sendable {
    public var name: String
    public var location: String
    public var outcome: SourceOutcome
    /// Non-fatal findings (recovered XML, rejected rows, gaps…), each naming the source.
    public var warnings: [String]
    /// True for a source skipped while it backs off after failures: still broken, so the ingest still failed.
    public var stillFailing = false

    /// One line for a person: the source and what happened to it.
    public var summaryLine: String {
        switch outcome {
        case .stored(let counts):
            var parts: [String] = []
            if counts.documentsInserted + counts.documentsAlreadyStored > 0 { parts.append("\(counts.documentsInserted) new document(s), \(counts.documentsAlreadyStored) already stored") }
            if counts.surveyRowsInserted + counts.surveyRowsAlreadyStored > 0 { parts.append("\(counts.surveyRowsInserted) new survey row(s), \(counts.surveyRowsAlreadyStored) already stored") }
            if counts.seriesPointsInserted + counts.seriesPointsReplaced > 0 {
                parts.append("\(counts.seriesPointsInserted) new point(s), \(counts.seriesPointsReplaced) replaced")
            }
            if counts.positioningRowsInserted + counts.positioningRowsRevised > 0 {
                parts.append("\(counts.positioningRowsInserted) new positioning row(s), \(counts.positioningRowsRevised) revised")
            }
            if parts.isEmpty { parts.append("nothing new") }
            return "ok       \(name): \(parts.joined(separator: "; "))"
        case .notModified: return "ok       \(name): not modified since the last fetch"
        case .skipped(let reason): return stillFailing ? "FAILED   \(name): still failing, \(reason)" : "skipped  \(name): \(reason)"
        case .failed(let reason): return "FAILED   \(name): \(reason)"
        }
    }
}

/// Turns fetched bytes into a batch for the store, by source kind and format.
enum SourceParsing {
    static func batch(for source: StoredSource, body: [UInt8], contentType: String?, scorer: SentimentScorer, now: Date,
                      rules: ArticleRules? = nil) throws(SourceParseError) -> (IngestBatch, [String]) {
        let (batch, warnings, _) = try batchAndTTL(for: source, body: body, contentType: contentType, scorer: scorer, now: now, rules: rules)
        return (batch, warnings)
    }

    /// `batch`, plus the feed's RSS `<ttl>` in minutes when it declares one.
    static func batchAndTTL(for source: StoredSource, body: [UInt8], contentType: String?, scorer: SentimentScorer, now: Date,
                            rules: ArticleRules? = nil) throws(SourceParseError) -> (IngestBatch, [String], Int?) {
        var ttlMinutes: Int?
        var batch = IngestBatch()
        var warnings: [String] = []
        let label = source.name
        switch source.kind {
        case .news:
            let document: FeedDocument
            do { document = try FeedParser.parse(body, source: source.location, contentType: contentType, sanitizedHTML: false) } catch { throw SourceParseError(reason: error.description) }
            // Every parser warning is shown (caps, unparseable dates, encodings); ill-formed XML says it was recovered.
            warnings += document.warnings.map { "\(label): \(document.bozo ? "recovered from malformed feed: " : "")\($0)" }
            ttlMinutes = document.feed.ttlMinutes
            var cut = 0
            let memo = SentenceScoreMemo(scorer: scorer, publisherType: source.publisherType.speakerType)
            batch.documents = document.entries.map { entry in
                let body = TextScoring.capped([entry.title, entry.content ?? entry.summary].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ". "), cut: &cut)
                return TextScoring.document(dedupKey: entry.dedupKey, url: entry.link, title: entry.title, author: entry.author,
                                            published: entry.published ?? entry.updated, fetched: now, text: body,
                                            publisherType: source.publisherType, scorer: scorer, memo: memo)
            }
            if cut > 0 { warnings.append("\(label): \(cut) entry text(s) longer than \(TextScoring.maxTextBytes) bytes; only the start was scored and stored") }
        case .article:
            let page: ArticlePage
            do { page = try ArticlePage.extract(body, url: source.location, contentType: contentType, rules: rules) } catch { throw SourceParseError(reason: error.description) }
            warnings += page.warnings.map { "\(label): \($0)" }
            let key = "article:" + (page.canonicalURL ?? source.location)
            var cut = 0
            let text = TextScoring.capped([page.title, page.text].compactMap { $0 }.joined(separator: ". "), cut: &cut)
            if cut > 0 { warnings.append("\(label): page text longer than \(TextScoring.maxTextBytes) bytes; only the start was scored and stored") }
            batch.documents = [TextScoring.document(dedupKey: key, url: page.canonicalURL ?? source.location, title: page.title, author: page.author,
                                                    published: page.published, fetched: now, text: text,
                                                    publisherType: source.publisherType, scorer: scorer)]
        case .survey:
            let imported: SurveyImport
            do { imported = try SurveyFile.read(body, source: source.location, options: source.options) } catch { throw SourceParseError(reason: error.description) }
            warnings += (imported.problems + imported.warnings).map(\.description)
            batch.surveyObservations = imported.observations
        case .prices:
            let imported: SeriesImport<PriceCandle>
            do {
                switch source.options["format"] ?? MarketFormats.defaultFormat(for: source) {
                case "kraken-ohlc": imported = try KrakenOHLC.candles(body, source: source.location, now: now)
                default: imported = try SeriesCSV.prices(body, source: source.location, validation: SeriesValidation(now: now))
                }
            } catch { throw SourceParseError(reason: error.description) }
            warnings += (imported.problems + imported.warnings).map(\.description)
            batch.prices = imported.points
        case .hashrate:
            let imported: SeriesImport<HashrateSample>
            do {
                switch source.options["format"] ?? MarketFormats.defaultFormat(for: source) {
                case "blockchain-charts": imported = try BlockchainChartsHashrate.samples(body, source: source.location, validation: SeriesValidation(now: now))
                case "mempool": imported = try MempoolHashrate.samples(body, source: source.location, validation: SeriesValidation(now: now))
                default: imported = try SeriesCSV.hashrate(body, source: source.location, unit: source.options["unit"].flatMap(HashrateUnit.init(rawValue:)),
                                                           validation: SeriesValidation(now: now))
                }
            } catch { throw SourceParseError(reason: error.description) }
            warnings += (imported.problems + imported.warnings).map(\.description)
            batch.hashrate = imported.points
        case .fees:
            let imported: SeriesImport<FeeSample>
            do {
                switch source.options["format"] ?? MarketFormats.defaultFormat(for: source) {
                case "blockchain-charts": imported = try BlockchainChartsFees.samples(body, source: source.location, validation: SeriesValidation(now: now))
                default: imported = try SeriesCSV.fees(body, source: source.location, validation: SeriesValidation(now: now))
                }
            } catch { throw SourceParseError(reason: error.description) }
            warnings += (imported.problems + imported.warnings).map(\.description)
            batch.fees = imported.points
        case .etfFlows:
            let imported: SeriesImport<ETFFlow>
            do { imported = try ETFFlowReader.read(body, source: source.location, layout: source.options["layout"], tableXPath: source.options["table_xpath"], contentType: contentType) }
            catch { throw SourceParseError(reason: error.description) }
            warnings += (imported.problems + imported.warnings).map(\.description)
            batch.etfFlows = imported.points
        case .cftcTFF:
            let imported: SeriesImport<TFFReport>
            do { imported = try TFFReader.read(body, source: source.location) } catch { throw SourceParseError(reason: error.description) }
            warnings += (imported.problems + imported.warnings).map(\.description)
            batch.tffReports = imported.points
        }
        return (batch, warnings, ttlMinutes)
    }
}

/// A source's bytes could not be turned into data.
struct SourceParseError: Error {
    var reason: String
}

/// Picks a market format from the URL when the config does not name one, and narrows API requests to what is new.
enum MarketFormats {
    /// The URL to fetch for a market API source whose series already ends on `lastDay`: Kraken's `since`,
    /// blockchain.com's `timespan` and mempool.space's period ask only for the days after it (re-fetching the last
    /// stored day, which may have been revised). CSV sources and empty series fetch the configured URL.
    static func incrementalURL(for source: StoredSource, lastDay: UTCDay?, now: Date) -> String {
        guard let lastDay, var components = URLComponents(string: source.location) else { return source.location }
        let daysNeeded = max(2, UTCDay(containing: now).daysSinceEpoch - lastDay.daysSinceEpoch + 2)
        func setQuery(_ name: String, _ value: String) {
            var items = (components.queryItems ?? []).filter { $0.name != name }
            items.append(URLQueryItem(name: name, value: value))
            components.queryItems = items
        }
        switch source.options["format"] ?? defaultFormat(for: source) {
        case "kraken-ohlc":
            setQuery("since", String(Int(lastDay.adding(days: -1).start.timeIntervalSince1970)))
        case "blockchain-charts":
            setQuery("timespan", "\(daysNeeded)days")
        case "mempool":
            let periods: [(Int, String)] = [(30, "1m"), (90, "3m"), (180, "6m"), (365, "1y"), (730, "2y"), (1_095, "3y")]
            guard let period = periods.first(where: { daysNeeded <= $0.0 })?.1 else { return source.location }
            var path = components.path.split(separator: "/").map(String.init)
            guard let last = path.last, periods.contains(where: { $0.1 == last }) else { return source.location }
            path[path.count - 1] = period
            components.path = "/" + path.joined(separator: "/")
        default:
            return source.location
        }
        return components.string ?? source.location
    }

    static func defaultFormat(for source: StoredSource) -> String {
        let location = source.location.lowercased()
        if location.contains("kraken.com") { return "kraken-ohlc" }
        if location.contains("blockchain.info") || location.contains("blockchain.com") { return "blockchain-charts" }
        if location.contains("mempool.space") { return "mempool" }
        return "csv"
    }
}

/// Chooses the survey reader from the source's options and file name.
public enum SurveyFile {
    /// Reads a survey file by `layout` (long-csv, json, wide-csv with `mapping`), defaulting by extension.
    public static func read(_ body: [UInt8], source: String, options: [String: String]) throws(SurveyError) -> SurveyImport {
        let layout = options["layout"] ?? (source.lowercased().hasSuffix(".json") ? "json" : "long-csv")
        switch layout {
        case "json": return try SurveyJSON.read(body, source: source)
        case "html-table":
            // The table's columns follow the long layout (population, metric, share[, sample_size]); survey, publisher
            // and published come from the source's options when the table does not carry them.
            let rows: [[String]]
            do { rows = try HTMLTable.rows(body, url: source, tableXPath: options["table_xpath"] ?? "//table") } catch {
                throw .unreadable(source: source, reason: error.description)
            }
            guard let header = rows.first else { throw .unreadable(source: source, reason: "the table has no rows") }
            let constants = ["survey", "publisher", "published"].filter { key in !header.contains { $0.lowercased() == key } }
            let escape = { (cell: String) in cell.contains(",") || cell.contains("\"") ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell }
            var csv = (header + constants).map(escape).joined(separator: ",") + "\n"
            for row in rows.dropFirst() {
                csv += (row + constants.map { options[$0] ?? "" }).map(escape).joined(separator: ",") + "\n"
            }
            return try LongSurveyCSV.read(Array(csv.utf8), source: source, unit: options["unit"].flatMap(ShareUnit.init(rawValue:)))
        case "wide-csv":
            let name = options["mapping"] ?? "aaii"
            guard let mapping = WideSurveyMapping.builtIn[name] else {
                throw .unreadable(source: source, reason: "unknown mapping '\(name)' (known: \(WideSurveyMapping.builtIn.keys.sorted().joined(separator: ", ")))")
            }
            return try WideSurveyCSV.read(body, source: source, mapping: mapping)
        default:
            return try LongSurveyCSV.read(body, source: source, unit: options["unit"].flatMap(ShareUnit.init(rawValue:)))
        }
    }
}

/// Sentence-level scoring of a document's text at ingest.
enum TextScoring {
    /// UTF-8 bytes of text scored and stored per document. News items and articles run to tens of kilobytes; a
    /// 10 MB text node is an error or an attack, and would cost seconds of scoring and megabytes of store per fetch.
    static let maxTextBytes = 1_000_000

    /// `text` cut to its first `maxTextBytes` bytes at a character boundary, counting each cut in `cut`.
    static func capped(_ text: String, cut: inout Int) -> String {
        guard text.utf8.count > maxTextBytes else { return text }
        cut += 1
        var end = text.utf8.index(text.startIndex, offsetBy: maxTextBytes)
        while end > text.startIndex, UTF8.isContinuation(text.utf8[end]) { end = text.utf8.index(before: end) }
        return String(text[..<end])
    }

    /// A document scored opinion unit by opinion unit: each unit keeps its holder's speaker type (the publisher's when
    /// no holder is named) and its topic. A sentence repeated within the document (a headline restated as the summary's
    /// first line) counts once, and so does a claim (same population, proposition and stance, shares within 0.02).
    static func document(dedupKey: String, url: String?, title: String?, author: String?, published: Date?, fetched: Date, text: String,
                         publisherType: PublisherType, scorer: SentimentScorer, memo: SentenceScoreMemo? = nil) -> NewDocument {
        var seenSentences: Set<String> = []
        // The memo, when given, is the batch's: made with this scorer and publisher type.
        let sentences = memo?.score(text) ?? scorer.scoreDocument(text, publisherType: publisherType.speakerType)
        let scored = sentences.filter { sentence in
            seenSentences.insert(normalised(sentence.text)).inserted
        }
        // A clause of a Bitcoin-relevant sentence is about Bitcoin unless the scorer set it aside (another asset's clause:
        // not relevant, score 0), even when it names no coin itself ("…, analysts label the regime bearish").
        let units = scored.flatMap { sentence in
            sentence.units.map { unit in
                NewSentence(text: unit.text, score: unit.score, relevant: unit.relevant || (sentence.relevant && unit.score != 0),
                            speakerType: unit.speakerType, holder: unit.holder, topic: unit.topic)
            }
        }
        var claims: [Claim] = []
        for claim in scored.flatMap(\.claims) where !claims.contains(where: { $0.restates(claim) }) { claims.append(claim) }
        let relevantScores = units.filter(\.relevant).map(\.score)
        let sentiment = relevantScores.isEmpty ? nil : relevantScores.reduce(0, +) / Double(relevantScores.count)
        return NewDocument(dedupKey: dedupKey, url: url, title: title, author: author, published: published, fetched: fetched, text: text,
                           sentiment: sentiment, relevant: !relevantScores.isEmpty, speakerType: publisherType.speakerType, sentences: units, claims: claims)
    }

    /// Lower-case letters and digits, one space between words: what two copies of a sentence share.
    static func normalised(_ text: String) -> String { WordRuns.normalised(text) }
}

/// The sentences of one source's batch scored once each: a feed repeats sentences across its items (boilerplate,
/// disclaimers, a standing line under every headline: 7% of the sentences of the shared feed corpus), and a sentence
/// scores the same wherever it appears (`SentimentScorer.scoreDocument` scores each sentence on its own, from its
/// UTF-8 bytes). Lives for one batch, in one task, for one scorer and publisher type.
final class SentenceScoreMemo {
    private let scorer: SentimentScorer
    private let publisherType: SpeakerType
    /// Keyed by the sentence's bytes: `String` equality would take "é" and "e" + combining accent for one sentence.
    private var scored: [[UInt8]: SentenceSentiment] = [:]

    init(scorer: SentimentScorer, publisherType: SpeakerType) {
        self.scorer = scorer
        self.publisherType = publisherType
    }

    /// `scorer.scoreDocument(text, publisherType:)`, each sentence seen before in this batch taken from the memo.
    func score(_ text: String) -> [SentenceSentiment] {
        SentenceSplitter.split(text).map { sentence in
            let key = Array(sentence.utf8)
            if let known = scored[key] { return known }
            let result = scorer.scoreSentence(sentence, publisherType: publisherType)
            scored[key] = result
            return result
        }
    }
}

extension Claim {
    /// True when `other` states the same finding: population (as a survey population when it reads as one:
    /// "institutions" and "institutional_investors" are one), proposition and stance, shares within 0.02.
    func restates(_ other: Claim) -> Bool {
        let samePopulation = population == other.population
            || SurveyPopulation(name: population.rawValue).map { $0 == SurveyPopulation(name: other.population.rawValue) } == true
        return samePopulation && proposition == other.proposition && stance == other.stance && abs(share - other.share) <= 0.02 + 1e-9
    }
}

extension PublisherType {
    /// The speaker type of the publisher's own voice, for units that name no holder.
    var speakerType: SpeakerType {
        switch self {
        case .institutional: .institutional
        case .analyst: .analyst
        case .media: .media
        case .retail: .retail
        case .miner: .miner
        }
    }
}
