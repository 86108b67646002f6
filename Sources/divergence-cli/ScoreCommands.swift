import ArgumentParser
import Foundation
import JSONOutput
import Market
import Reporting
import Scoring
import Sentiment
import Settings
import Storage

struct ScoreTextCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score-text",
        abstract: "Score financial and crypto text: one result per input line (sentiment -1 to 1, label, relevance, speaker, claims).",
        discussion: """
            Reads the TEXT arguments, else --file, else stdin. Prints exactly one line per input line, blank lines included, \
            in input order; scores blocks of lines on --jobs cores and streams, so any amount of input scores in bounded memory.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case jsonl, table }

    @Argument(help: "Text to score, one result per argument.") var text: [String] = []
    @Option(name: .long, help: ArgumentHelp("A file of lines to score, or - for stdin.", valueName: "file")) var file: String?
    @Option(name: .long, help: "jsonl (one JSON object per line) or table.") var format: Format = .jsonl
    @Option(name: .long, help: "Lines scored on this many cores at once (default: all).") var jobs: Int?

    func validate() throws {
        guard (jobs ?? 1) >= 1 else { throw ValidationError("--jobs must be at least 1") }
    }

    func run() async throws {
        let render: @Sendable (SentenceSentiment, inout JSONWriter) -> Void = format == .jsonl ? SentimentJSONL.write : Self.tableRow
        do {
            if !text.isEmpty {
                var out = JSONWriter()
                let scorer = SentimentScorer()
                for line in text {
                    render(scorer.score(line), &out)
                    out.raw(byte: 0x0A)
                }
                try out.flush()
            } else if let file, file != "-" {
                guard let handle = FileHandle(forReadingAtPath: file) else { throw CommandFailure.fail("\(file): cannot be read", code: 1) }
                try await LineScoring.run(input: handle.fileDescriptor, source: file, jobs: jobs ?? availableCores(), render: render)
            } else {
                try await LineScoring.run(input: FileHandle.standardInput.fileDescriptor, source: "standard input", jobs: jobs ?? availableCores(), render: render)
            }
        } catch let error as LineInputError {
            throw CommandFailure.fail(error.description, code: 1)
        } catch let error as OutputWriteError {
            throw CommandFailure.fail(error.description, code: 1)
        }
    }

    /// `+0.42 positive btc analyst        the text  [70% institutions undervalued]`.
    @Sendable static func tableRow(_ scored: SentenceSentiment, _ out: inout JSONWriter) {
        let claims = scored.claims.map { "\(Int(($0.share * 100).rounded()))% \($0.population.rawValue) \($0.proposition.rawValue)" }.joined(separator: "; ")
        let row = String(format: "%+.2f %-8@ %@ %-13@ %@%@", scored.score, scored.label.rawValue as NSString, scored.relevant ? "btc" : "   ",
                         scored.speakerType.rawValue as NSString, scored.text, claims.isEmpty ? "" : "  [\(claims)]")
        out.raw(Array(row.utf8))
    }
}

struct BullishnessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bullishness",
        abstract: "The institutional-bullishness index B with its components and evidence (point-in-time with --as-of).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var report: ReportOptions

    func run() async throws {
        let config = try global.loadConfig()
        let store = try openExistingStore(config)
        let built = try CommandFailure.store { () throws(StoreError) in try ReportBuilder(config: config, store: store).build(asOf: report.instant) }
        switch report.format {
        case .json: print(ReportRendering.bullishnessJSON(built.snapshot), terminator: "")
        case .table: print(ReportRendering.bullishnessTable(built.snapshot, style: .automatic), terminator: "")
        }
    }
}

struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "B, R and D over time, point-in-time: stored snapshots, backfilled from the store's data where none exists.",
        discussion: """
            Defaults: --to is yesterday (UTC), --from the 90 days before --to. Days whose market data is stale show R \
            and D empty.

            Examples:
              divergence history --from 2026-01-01 --to 2026-02-07 --step 1w
              divergence history --format csv > history.csv
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, csv, jsonl }

    @OptionGroup var global: GlobalOptions
    @OptionGroup var range: DayRange
    @Option(name: .long, help: "1d or 1w.") var step: String = "1d"
    @Option(name: .long, help: "table, csv or jsonl.") var format: Format = .table
    @Flag(name: .long, help: "Store backfilled points as snapshots (used for percentiles later).") var save = false

    func validate() throws {
        guard HistoryStep(rawValue: step) != nil else { throw ValidationError("--step '\(step)' is not 1d or 1w") }
        if let from = range.fromDay, let to = range.toDay, to.daysSinceEpoch - from.daysSinceEpoch > 20 * 366 {
            throw ValidationError("the range is longer than 20 years")
        }
    }

    func run() async throws {
        let config = try global.loadConfig()
        let store = try openExistingStore(config, access: save ? .readWrite : .readOnly)
        // Defaults: up to yesterday, the 90 days before.
        let last = range.toDay ?? UTCDay(containing: Date()).adding(days: -1)
        let first = range.fromDay ?? last.adding(days: -90)
        let points = try CommandFailure.store { () throws(StoreError) in
            try HistoryBuilder(config: config, store: store).history(from: first, to: last, step: HistoryStep(rawValue: step)!, persist: save)
        }
        switch format {
        case .table: print(HistoryRendering.table(points), terminator: "")
        case .csv: print(HistoryRendering.csv(points), terminator: "")
        case .jsonl: print(HistoryRendering.jsonl(points), terminator: "")
        }
    }
}

struct ChartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chart",
        abstract: "Draw price vs production cost, hashrate with its ribbons, B and R, and D over time, with events marked (SVG or HTML).",
        discussion: """
            Defaults: --to is the last stored price day, --from the 365 days before --to; ranges over 400 days are \
            drawn weekly.

            Example:
              divergence chart --from 2025-06-01 --to 2026-02-07 --out chart.html
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var range: DayRange
    @Option(name: .long, help: ArgumentHelp("Output file ending in .svg or .html.", valueName: "file")) var out: String

    func validate() throws {
        guard out.hasSuffix(".svg") || out.hasSuffix(".html") else { throw ValidationError("--out must end in .svg or .html") }
    }

    func run() async throws {
        let config = try global.loadConfig()
        let store = try openExistingStore(config)
        let lastStored = try CommandFailure.store { () throws(StoreError) in try store.lastDay(series: "btc_usd") }
        // Defaults: up to the last stored price day, the 365 days before.
        guard let last = range.toDay ?? lastStored else { throw CommandFailure.fail("no price data in the store to chart", code: 1) }
        let first = range.fromDay ?? last.adding(days: -365)
        guard first < last else { throw CommandFailure.fail("--from \(first.iso) is not before --to \(last.iso)", code: 64) }
        let step = ChartData.defaultStep(from: first, to: last)
        let data = try CommandFailure.store { () throws(StoreError) in try ChartData.load(config: config, store: store, from: first, to: last, step: step) }
        let document: String
        do { document = out.hasSuffix(".html") ? try InteractiveChart.html(data) : ChartRendering.svg(data) } catch {
            throw CommandFailure.fail("the chart could not be encoded: \(error)", code: 1)
        }
        do { try document.write(toFile: out, atomically: true, encoding: .utf8) } catch { throw CommandFailure.fail("\(out): cannot be written", code: 1) }
        print("wrote \(out): \(data.prices.count) price days, \(data.history.count) score points, \(data.events.count) events")
    }
}
