import ArgumentParser
import Foundation
import Market
import Reporting
import Scoring
import Sentiment
import Settings
import Storage

struct ScoreTextCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score-text",
        abstract: "Score financial and crypto text: one result per input line (sentiment −1…1, label, relevance, speaker, claims).",
        discussion: "Reads the TEXT arguments, else --file, else stdin; streams, so millions of lines score in one process.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case jsonl, table }

    @Argument(help: "Text to score, one result per argument.") var text: [String] = []
    @Option(name: .long, help: ArgumentHelp("A file of lines to score, or - for stdin.", valueName: "file")) var file: String?
    @Option(name: .long, help: "jsonl (one JSON object per line) or table.") var format: Format = .jsonl

    func run() async throws {
        let scorer = SentimentScorer()
        let output = FileHandle.standardOutput
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 16)
        func emit(_ line: String) {
            guard !line.isEmpty else { return }
            let scored = scorer.score(line)
            switch format {
            case .jsonl: buffer += Array(SentimentJSONL.line(for: scored).utf8)
            case .table:
                let claims = scored.claims.map { "\(Int(($0.share * 100).rounded()))% \($0.population) \($0.proposition)" }.joined(separator: "; ")
                buffer += Array(String(format: "%+.2f %-8@ %@ %-13@ %@%@", scored.score, scored.label.rawValue as NSString, scored.relevant ? "btc" : "   ",
                                       scored.speakerType.rawValue as NSString, line, claims.isEmpty ? "" : "  [\(claims)]").utf8)
            }
            buffer.append(0x0A)
            if buffer.count > 1 << 16 {
                output.write(Data(buffer))
                buffer.removeAll(keepingCapacity: true)
            }
        }
        if !text.isEmpty {
            text.forEach(emit)
        } else if let file, file != "-" {
            guard let handle = FileHandle(forReadingAtPath: file) else { throw CommandFailure.fail("\(file): cannot be read", code: 1) }
            Self.forEachLine(handle, emit)
        } else {
            Self.forEachLine(FileHandle.standardInput, emit)
        }
        output.write(Data(buffer))
    }

    /// Calls `body` with each line of `handle` (LF or CRLF), reading 1 MiB at a time.
    static func forEachLine(_ handle: FileHandle, _ body: (String) -> Void) {
        var pending: [UInt8] = []
        while true {
            let chunk = handle.readData(ofLength: 1 << 20)
            if chunk.isEmpty { break }
            pending.append(contentsOf: chunk)
            var start = pending.startIndex
            while let newline = pending[start...].firstIndex(of: 0x0A) {
                var end = newline
                if end > start && pending[end - 1] == 0x0D { end -= 1 }
                body(String(decoding: pending[start..<end], as: UTF8.self))
                start = newline + 1
            }
            pending.removeSubrange(..<start)
        }
        if !pending.isEmpty { body(String(decoding: pending, as: UTF8.self)) }
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
        abstract: "B, R and D over time, point-in-time: stored snapshots, backfilled from the store's data where none exists.")

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
        abstract: "Draw price vs production cost, hashrate with its ribbons, B and R, and D over time, with events marked (SVG or HTML).")

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
        let step: HistoryStep = last.daysSinceEpoch - first.daysSinceEpoch > 400 ? .week : .day
        let data = try CommandFailure.store { () throws(StoreError) in try ChartData.load(config: config, store: store, from: first, to: last, step: step) }
        let document = out.hasSuffix(".html") ? ChartRendering.html(data) : ChartRendering.svg(data)
        do { try document.write(toFile: out, atomically: true, encoding: .utf8) } catch { throw CommandFailure.fail("\(out): cannot be written", code: 1) }
        print("wrote \(out): \(data.prices.count) price days, \(data.history.count) score points, \(data.events.count) events")
    }
}
