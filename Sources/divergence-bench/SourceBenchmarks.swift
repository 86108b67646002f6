import Feeds
import Foundation
import Ingestion
import Logging
import Settings
import Storage

/// Bulk source handling: `sources import-opml` of 1k / 10k / 100k outlines into a fresh store (target: 10k ≤ 2 s,
/// linear), and with 10,000 configured sources the start of `run`/`ingest` (config, sync, selection) and `sources list`.
func benchmarkSources() {
    print("sources")
    let clock = ContinuousClock()
    func seconds(_ duration: Duration) -> Double { Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18 }
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("divergence-bench-sources-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    do {
        for count in [1_000, 10_000, 100_000] {
            // Every tenth outline repeats an earlier one, in folders of 100.
            var text = "<?xml version=\"1.0\"?><opml version=\"2.0\"><head><title>bench</title></head><body>"
            for folder in 0..<(count / 100) {
                text += "<outline text=\"folder \(folder)\">"
                for item in 0..<100 {
                    let index = folder * 100 + item
                    let feed = index % 10 == 9 ? index - 9 : index
                    text += "<outline type=\"rss\" text=\"Feed \(feed)\" xmlUrl=\"https://feeds\(feed % 97).example/\(feed).xml\"/>"
                }
                text += "</outline>"
            }
            text += "</body></opml>"
            let store = try Store(path: directory.appendingPathComponent("opml-\(count).sqlite").path)
            let started = clock.now
            let outlines = try OPML.parse(Array(text.utf8), source: "bench.opml")
            let parsed = clock.now
            let subscriptions = OPMLSubscriptions(outlines, publisherType: .media)
            let counts = try store.importSources(subscriptions.definitions)
            let stored = clock.now
            print("  import-opml \(count) outlines: \(String(format: "%.3f", seconds(stored - started))) s (parse \(String(format: "%.3f", seconds(parsed - started))) s, store \(String(format: "%.3f", seconds(stored - parsed))) s), \(counts.added) added, \(counts.repeated) duplicates")
        }

        let sources = 10_000
        let config = (0..<sources).map { "[[source]]\nkind = \"news\"\nurl = \"https://feeds\($0 % 97).example/\($0).xml\"\n" }.joined(separator: "\n")
        let store = try Store(path: directory.appendingPathComponent("configured.sqlite").path)
        var started = clock.now
        let loaded = try ConfigLoader.parse(config, file: "bench.toml", baseDirectory: directory)
        let configured = clock.now
        let ingestor = Ingestor(config: loaded, store: store, logger: Logger(label: "bench"))
        let selection = try ingestor.oneShotSelection(includeBackingOff: false)
        print("  ingest start-up with \(sources) configured sources (first run): \(String(format: "%.3f", seconds(clock.now - started))) s "
              + "(config \(String(format: "%.3f", seconds(configured - started))) s, sync + selection \(String(format: "%.3f", seconds(clock.now - configured))) s), \(selection.due.count) due")
        started = clock.now
        _ = try ingestor.oneShotSelection(includeBackingOff: false)
        print("  ingest start-up again (sources already stored): \(String(format: "%.3f", seconds(clock.now - started))) s")
        started = clock.now
        try store.syncConfiguredSources(loaded.sources.map(Ingestor.definition(for:)))
        let listed = try store.sources()
        print("  sources list over \(listed.count) rows (sync + read): \(String(format: "%.3f", seconds(clock.now - started))) s")
    } catch {
        print("  failed: \(error)")
    }
}
