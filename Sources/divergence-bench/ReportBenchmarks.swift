import Foundation
import Sentiment
import Market
import Reporting
import Scoring
import Settings
import Storage

/// `report` latency on a store holding 1,000,000 documents (target ≤ 200 ms), spread over the last 365 days, each with
/// one Bitcoin-relevant scored sentence; every 50th carries an institutional claim. Prices and hashrate come from the
/// demo scenario's CSVs when present.
func benchmarkReport(documents: Int = 1_000_000, projectRoot: URL) {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("divergence-report-bench-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    do {
        let store = try Store(path: directory.appendingPathComponent("bench.sqlite").path)
        let now = Date()
        let clock = ContinuousClock()
        let filled = clock.now
        var batch = IngestBatch()
        batch.prices = (try? SeriesCSV.prices(Array(Data(contentsOf: projectRoot.appendingPathComponent("feeds/demo/market/btc-usd-daily.csv"))), source: "p").points) ?? []
        batch.hashrate = (try? SeriesCSV.hashrate(Array(Data(contentsOf: projectRoot.appendingPathComponent("feeds/demo/market/hashrate-daily.csv"))), source: "h").points) ?? []
        try store.commit(batch, sourceID: nil, fetchState: nil)
        try store.syncConfiguredSources([SourceDefinition(location: "https://bench.example/feed", name: "bench", kind: .news, publisherType: .media, intervalSeconds: 3600)])
        let sourceID = try store.sources().first?.id
        let speakers: [SpeakerType] = [.institutional, .analyst, .media, .retail, .miner]
        var written = 0
        while written < documents {
            var chunk = IngestBatch()
            for index in written..<min(documents, written + 20_000) {
                let published = now.addingTimeInterval(-Double(index) * 365 * 86_400 / Double(documents))
                let score = Double((index * 7919) % 200) / 100 - 1
                let claims = index % 50 == 0 ? [Claim(population: .institutions, share: 0.7, proposition: .undervalued, stance: 1, sampleSize: nil, hedged: false, quote: "70% of institutions surveyed believe Bitcoin is undervalued")] : []
                chunk.documents.append(NewDocument(
                    dedupKey: "bench-\(index)", url: "https://bench.example/\(index)", title: "Bitcoin item \(index)", author: nil, published: published,
                    fetched: published, text: "Bitcoin item \(index).", sentiment: score, relevant: true, speakerType: speakers[index % speakers.count],
                    sentences: [NewSentence(text: "Bitcoin item \(index).", score: score, relevant: true, speakerType: speakers[index % speakers.count])], claims: claims))
            }
            try store.commit(chunk, sourceID: sourceID, fetchState: nil)
            written += chunk.documents.count
        }
        let fill = filled.duration(to: clock.now)
        let builder = ReportBuilder(config: DivergenceConfig(), store: store)
        var timings: [Duration] = []
        for _ in 0..<5 {
            let start = clock.now
            _ = try builder.build(asOf: now)
            timings.append(start.duration(to: clock.now))
        }
        func time(_ label: String, _ body: () throws -> Void) rethrows -> String {
            let start = clock.now
            try body()
            let elapsed = start.duration(to: clock.now)
            return String(format: "%@ %.0f ms", label, Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
        }
        let parameters = BullishnessParameters()
        let parts = [
            try time("news sums") { _ = try store.newsAggregate(asOf: now, maxAge: 56 * 86_400, parameters: parameters) },
            try time("(of which without evidence)") { _ = try store.newsAggregate(asOf: now, maxAge: 56 * 86_400, parameters: parameters, evidence: 0) },
            try time("claim sums") { _ = try store.claimAggregate(asOf: now, maxAge: 365 * 86_400, parameters: parameters) },
            try time("store summary") { _ = try store.summary() },
            try time("series") { _ = try store.prices(); _ = try store.hashrate() },
            try time("snapshot history") { _ = try store.divergenceHistory(before: now) },
        ]
        print("report parts: " + parts.joined(separator: ", "))
        let milliseconds = timings.map { Double($0.components.seconds) * 1000 + Double($0.components.attoseconds) / 1e15 }.sorted()
        print(String(format: "report: %d documents (filled in %.0f s); report build best %.0f ms, median %.0f ms (target ≤ 200 ms)",
                     documents, Double(fill.components.seconds), milliseconds[0], milliseconds[2]))
    } catch {
        print("report benchmark: \(error)")
    }
}
