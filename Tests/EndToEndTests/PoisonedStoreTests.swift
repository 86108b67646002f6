import Foundation
import LoopbackHTTP
import Market
import Storage
import StoreTestSupport
import Surveys
import Testing

/// A store holding values no import accepts today, written through the storage API directly (as an older version or a
/// hand edit would leave them), and every read of the real binary and the real server over it.
struct PoisonedStore: Sendable, CustomTestStringConvertible {
    var name: String
    /// Picks which hostile value lands in which field (the cases differ by it).
    var seed: Int
    /// Every `poisonEvery`-th field (counting days × fields) holds a hostile value; nil keeps the market plausible.
    var poisonEvery: Int?
    /// Extra candles on far days (year 1, 9999).
    var farDays: Bool = false
    var testDescription: String { name }

    /// Finite and non-finite values that break naive arithmetic and formatting (SQLite stores NaN as NULL).
    static let hostileValues: [Double] = [.nan, .infinity, -.infinity, 1e308, -1e308, .greatestFiniteMagnitude, 0, -0.0, -1,
                                          5e-324, .leastNormalMagnitude, 1e-300, 9.3e18, -9.3e18, 1e15, 64_478]

    /// The row (`2026-01-02,nan,inf,-1,1e308` stored as 1e308 everywhere) on a plausible history, then mixes.
    static let cases: [PoisonedStore] = [
        PoisonedStore(name: "one 1e308 candle in a plausible history", seed: 0, poisonEvery: nil),
        PoisonedStore(name: "every seventh field hostile", seed: 21, poisonEvery: 7),
        PoisonedStore(name: "every field hostile, far days", seed: 42, poisonEvery: 1, farDays: true),
    ]

    /// The hostile value for field number `field`: a fixed walk through `hostileValues` that visits each with every field.
    func hostile(_ field: Int) -> Double { Self.hostileValues[(field &* 7 &+ seed) % Self.hostileValues.count] }

    /// Writes 500 days up to yesterday (so readings are fresh), hostile where the case says, plus hostile survey rows.
    func write(to path: String) throws {
        let yesterday = UTCDay(containing: Date()).adding(days: -1)
        var field = 0
        func value(_ plausible: Double) -> Double {
            field += 1
            guard let every = poisonEvery, field % every == 0 else { return plausible }
            return hostile(field)
        }
        var batch = IngestBatch()
        for offset in 0..<500 {
            let day = yesterday.adding(days: offset - 499)
            let close = 60_000 + 10_000 * sin(Double(offset) / 40)
            batch.prices.append(PriceCandle(day: day, open: value(close * 0.99), high: value(close * 1.02), low: value(close * 0.97),
                                            close: value(close), volume: value(2e10)))
            batch.hashrate.append(HashrateSample(day: day, exahashesPerSecond: value(900 + 100 * cos(Double(offset) / 25))))
        }
        if seed == 0 {
            let day = yesterday.adding(days: -30)
            batch.prices[batch.prices.firstIndex { $0.day == day }!] = PriceCandle(day: day, open: 1e308, high: 1e308, low: 1e308, close: 1e308, volume: 0)
        }
        if farDays {
            for day in [UTCDay(year: 1, month: 1, day: 1), UTCDay(year: 9999, month: 12, day: 31)] {
                batch.prices.append(PriceCandle(day: day, open: 1e308, high: .infinity, low: -1, close: 5e-324, volume: .nan))
                batch.hashrate.append(HashrateSample(day: day, exahashesPerSecond: 1e308))
            }
        }
        for (index, metric) in [SurveyMetric.undervalued, .overvalued, .bullish, .bearish].enumerated() {
            batch.surveyObservations.append(SurveyObservation(
                survey: "poison", publisher: "poison", population: index % 2 == 0 ? .institutional : .retail, metric: metric,
                share: hostile(index * 5 + 1), sampleSize: [Int.max, Int.min, 0, -5][index],
                fieldStart: nil, fieldEnd: nil, published: yesterday.adding(days: -index).start))
        }
        let store = try Store(path: path)
        try store.commit(batch, sourceID: nil, fetchState: nil)
    }
}

@Suite("A poisoned store: every read of the real binary and server survives it", .serialized)
struct PoisonedStoreTests {
    /// Output that only a crash prints.
    static let crashMarkers = ["Fatal error", "Backtrace", "Stack dump", "Segmentation fault", "Illegal instruction", "Current stack trace",
                               "Swift runtime failure"]

    /// Every read command and format, with the exit statuses it may end with (1: it says the data cannot give an answer).
    static func reads(scratch: ScratchDirectory) -> [[String]] {
        let yesterday = UTCDay(containing: Date()).adding(days: -1)
        let from = yesterday.adding(days: -20).iso, to = yesterday.iso
        return [
            ["report", "--format", "table"], ["report", "--format", "json"], ["report", "--format", "csv"], ["report", "--format", "prometheus"],
            ["technicals"], ["technicals", "--format", "json"],
            ["signals"], ["signals", "--format", "csv"], ["signals", "--format", "json"],
            ["events"], ["events", "--study"], ["events", "--format", "json"], ["events", "--study", "--format", "json"],
            ["bullishness"], ["bullishness", "--format", "json"],
            ["history", "--from", from, "--to", to], ["history", "--from", from, "--to", to, "--format", "csv"],
            ["history", "--from", from, "--to", to, "--format", "jsonl"],
            ["chart", "--from", from, "--to", to, "--out", scratch.path("chart.svg")],
            ["chart", "--out", scratch.path("chart.html")],
            ["doctor", "--skip-sources"],
            ["surveys", "list"],
        ]
    }

    /// One GET on a fresh connection, on a thread of its own (not the cooperative pool the test runs on).
    static func get(port: Int, _ target: String) async throws -> RawHTTPResponse {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try RawHTTPConnection(port: port).request("GET", target) }) }.start()
        }
    }

    /// A scratch folder with the poisoned store and an empty config (so nothing but the store is read).
    static func setUp(_ poisoned: PoisonedStore) throws -> (scratch: ScratchDirectory, store: String, config: String) {
        let scratch = try ScratchDirectory()
        let store = scratch.path("poisoned.sqlite")
        try poisoned.write(to: store)
        let config = scratch.path("empty.toml")
        try "".write(toFile: config, atomically: true, encoding: .utf8)
        return (scratch, store, config)
    }

    @Test("no read crashes: each ends 0, or 1 with one line saying why", arguments: PoisonedStore.cases)
    func everyRead(_ poisoned: PoisonedStore) async throws {
        let (scratch, store, config) = try Self.setUp(poisoned)

        for arguments in Self.reads(scratch: scratch) {
            let run = try await MeasuredRun.run(arguments + ["--config", config, "--store", store], scratch: scratch)
            let label = arguments.joined(separator: " ")
            #expect(!run.timedOut, "\(label) timed out")
            #expect(run.status < 128, "\(label) died with signal \(run.status - 128): \(run.stderr.suffix(1_500))")
            for marker in Self.crashMarkers { #expect(!run.stderr.contains(marker), "\(label): \(run.stderr.prefix(1_500))") }
            if run.status == 0 && (label.hasSuffix("json") || label.hasSuffix("jsonl")) {
                for line in label.hasSuffix("jsonl") ? run.stdout.split(separator: "\n").map(String.init) : [run.stdout] {
                    #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8), options: [.fragmentsAllowed])) != nil,
                            "\(label) printed JSON that does not parse: \(line.prefix(500))")
                }
            }
            if run.status != 0 && !(label.hasPrefix("doctor") && run.status == 1) {
                #expect(run.status == 1 && run.stderr.split(separator: "\n").count == 1, "\(label) exit \(run.status) without one line saying why: \(run.stderr.prefix(1_500))")
            }
        }
        #expect(try Store(path: store).integrityCheck() == "ok")
    }

    @Test("every API route answers over a poisoned store, and the server keeps serving", arguments: PoisonedStore.cases)
    func everyRoute(_ poisoned: PoisonedStore) async throws {
        let (scratch, store, config) = try Self.setUp(poisoned)
        let stderr = scratch.path("serve.err")
        FileManager.default.createFile(atPath: stderr, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Binary.path)
        process.arguments = ["serve", "--config", config, "--store", store, "--port", "0"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderr))
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        var port: Int?
        for _ in 0..<600 where port == nil && process.isRunning {
            try await Task.sleep(for: .milliseconds(50))
            let text = (try? String(contentsOfFile: stderr, encoding: .utf8)) ?? ""
            if let match = text.firstMatch(of: /on http:\/\/127\.0\.0\.1:(\d+)/) { port = Int(match.1) }
        }
        let bound = try #require(port, "serve prints its address: \((try? String(contentsOfFile: stderr, encoding: .utf8)) ?? "")")
        let yesterday = UTCDay(containing: Date()).adding(days: -1)
        let targets = ["/v1/divergence/latest", "/v1/divergence", "/v1/divergence?as_of=\(yesterday.iso)",
                       "/v1/history?from=\(yesterday.adding(days: -10).iso)&to=\(yesterday.iso)", "/v1/technicals",
                       "/v1/technicals?as_of=\(yesterday.adding(days: -30).iso)", "/v1/bullishness", "/v1/documents", "/metrics",
                       "/healthz", "/openapi.json", "/", "/v1/sources", "/v1/chart",
                       "/v1/chart?from=\(yesterday.adding(days: -60).iso)&to=\(yesterday.iso)", "/login"]
        for target in targets {
            let response = try await Self.get(port: bound, target)
            #expect(response.status < 500, "\(target): \(response.status) \(response.text.prefix(300))")
            #expect(process.isRunning, "the server died on \(target): \((try? String(contentsOfFile: stderr, encoding: .utf8))?.suffix(1_500) ?? "")")
        }
        let log = (try? String(contentsOfFile: stderr, encoding: .utf8)) ?? ""
        for marker in Self.crashMarkers { #expect(!log.contains(marker), "\(log.prefix(1_500))") }
    }
}
