import Settings
import Feeds
import Foundation
import Ingestion
import Logging
import Sentiment
import LoopbackHTTP
import Storage
import Synchronization

/// Ingest of `feeds` feeds of about `feedBytes` bytes each from a loopback server into a fresh store: fetch, parse,
/// sentence scoring, claims and one transaction per source. Targets: ≤ 4 s (issue #17) and ≤ 200 MB peak RSS for 1,000 × 50 KB.
func benchmarkIngest(feeds: Int = 1_000, feedBytes: Int = 50_000) {
    let done = DispatchSemaphore(value: 0)
    let report = Mutex<String>("")
    Task.detached {
        do {
            let server = try LoopbackHTTPServer()
            defer { server.stop() }
            for index in 0..<feeds {
                server.setRoute("/feeds/\(index).xml", .respond(headers: [("Content-Type", "application/rss+xml")], body: syntheticFeed(index: index, bytes: feedBytes)))
            }
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("divergence-bench-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: directory) }
            let text = (0..<feeds).map { "[[source]]\nkind = \"news\"\nurl = \"\(server.url("/feeds/\($0).xml"))\"\nallow_private_network = true\n" }.joined(separator: "\n")
            let config = try ConfigLoader.parse(text, file: "bench.toml", baseDirectory: directory)
            let store = try Store(path: directory.appendingPathComponent("bench.sqlite").path)
            let before = procStatusKB("VmRSS:") ?? 0
            let clock = ContinuousClock()
            let started = clock.now
            // The path `divergence ingest` takes: fetch and parse concurrently, commit one source at a time.
            // Warnings only: a line per ingested source would bury the figures (and time the terminal).
            var logger = Logger(label: "bench")
            logger.logLevel = .warning
            let ingestor = Ingestor(config: config, store: store, logger: logger)
            let results = try await ingestor.ingest(try ingestor.oneShotSelection(includeBackingOff: false).due)
            let elapsed = clock.now - started
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let documents = try store.summary().documents
            let failed = results.filter { if case .failed = $0.outcome { true } else { false } }.count
            // Where the time goes: the same work stage by stage, outside the pipeline.
            let bodies = (0..<min(feeds, 200)).map { syntheticFeed(index: $0, bytes: feedBytes) }
            let parseStart = clock.now
            let parsed = bodies.enumerated().compactMap { try? FeedParser.parse($0.element, source: "http://127.0.0.1/\($0.offset)") }
            let parseTime = parseStart.duration(to: clock.now)
            let scorer = SentimentScorer()
            let scoreStart = clock.now
            var sentences = 0
            for document in parsed { for entry in document.entries { sentences += scorer.scoreDocument([entry.title, entry.summary].compactMap { $0 }.joined(separator: ". ")).count } }
            let scoreTime = scoreStart.duration(to: clock.now)
            func ms(_ d: Duration) -> Double { Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15 }
            let stages = String(format: "; stages on %d feeds: parse %.0f ms, scoring %d sentences %.0f ms", bodies.count, ms(parseTime), sentences, ms(scoreTime))
            report.withLock {
                $0 = stages + "\n" + String(format: "ingest: %d feeds × ~%d KB → %d documents in %.2f s (%.0f feeds/s), %d failed; RSS before %d MB, peak %d MB (targets ≤ 4 s, ≤ 200 MB)",
                            feeds, feedBytes / 1000, documents, seconds, Double(feeds) / seconds, failed, before / 1024, (procStatusKB("VmHWM:") ?? 0) / 1024)
            }
        } catch {
            report.withLock { $0 = "ingest benchmark: \(error)" }
        }
        done.signal()
    }
    done.wait()
    print(report.withLock { $0 })
}

/// `divergence-bench DATA ingest` in a child process, its output passed through.
func runIngestInFreshProcess(data: URL) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
    process.arguments = [data.path, "ingest"]
    do {
        try process.run()
        process.waitUntilExit()
    } catch {
        print("ingest: cannot start a fresh process: \(error)")
    }
}
