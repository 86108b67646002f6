import Foundation
@testable import Ingestion
import Logging
import LoopbackHTTP
import ServiceLifecycle
import ServiceLifecycleTestKit
import Settings
import Storage
import StoreTestSupport
import Synchronization
import Testing

/// A loopback server with `count` RSS feeds of `items` items each, a fresh store of one backend and a config pointing at them.
final class FeedSet {
    let server: LoopbackHTTPServer
    let folder: ScratchDirectory
    let backend: StoreBackendKind
    let store: Store

    init(count: Int, items: Int = 3, backend: StoreBackendKind = .sqlite) throws {
        server = try LoopbackHTTPServer()
        folder = try ScratchDirectory()
        self.backend = backend
        store = try backend.freshStore("s", in: folder)
        for feed in 0..<count { server.setRoute("/f\(feed).xml", .respond(headers: [("Content-Type", "application/rss+xml")], body: Array(Self.rss(feed: feed, items: items).utf8))) }
    }

    static func rss(feed: Int, items: Int, round: Int = 0) -> String {
        let entries = (0..<items).map { item in
            "<item><title>Bitcoin miners sell reserves as hashrate falls \(feed)-\(item)</title><link>https://example.test/f\(feed)/r\(round)/\(item)</link>"
                + "<guid>f\(feed)-r\(round)-\(item)</guid><pubDate>Fri, 06 Feb 2026 10:\(String(format: "%02d", item % 60)):00 GMT</pubDate>"
                + "<description>Institutions still call Bitcoin undervalued while miners capitulate.</description></item>"
        }.joined()
        return "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Feed \(feed)</title><link>https://example.test/f\(feed)</link>\(entries)</channel></rss>"
    }

    func config(paths: [String], interval: String = "1h") throws -> DivergenceConfig {
        let text = paths.map { "[[source]]\nname = \"\($0)\"\nkind = \"news\"\nurl = \"\(server.url($0))\"\nallow_private_network = true\ninterval = \"\(interval)\"\n" }.joined(separator: "\n")
        return try ConfigLoader.parse(text, file: "test.toml", baseDirectory: folder.url)
    }

    deinit { server.stop() }
}

/// Collects what the scheduler reports.
final class RoundLog: Sendable {
    let summaries = Mutex<[IngestRoundSummary]>([])
    let progress = Mutex<[IngestProgress]>([])
    var rounds: [IngestRoundSummary] { summaries.withLock { $0 } }
}

@Suite("The ingest scheduler: rounds, backoff, progress and graceful shutdown, on either backend", .serialized)
struct IngestSchedulerTests {
    /// A scheduler as `ingest --every` builds it: holding the writer lock on SQLite; on PostgreSQL, which has none, leasing sources.
    func scheduler(_ feeds: FeedSet, _ config: DivergenceConfig, options: IngestScheduler.Options, log: RoundLog) throws -> (IngestScheduler, StoreLock?) {
        let lock = feeds.backend == .sqlite ? try StoreLock.acquire(storePath: feeds.store.path, command: "test") : nil
        let ingestor = Ingestor(config: config, store: feeds.store, logger: Logger(label: "test"))
        let scheduler = IngestScheduler(ingestor: ingestor, lock: lock, options: options, logger: Logger(label: "test"),
                                        progress: { progress, _ in log.progress.withLock { $0.append(progress) } },
                                        afterRound: { summary in log.summaries.withLock { $0.append(summary) } })
        return (scheduler, lock)
    }

    @Test("the first round fetches every source, the next only those due; each round is reported with progress", arguments: StoreBackendKind.available)
    func roundsFetchWhatIsDue(_ backend: StoreBackendKind) async throws {
        let feeds = try FeedSet(count: 5, items: 4, backend: backend)
        let config = try feeds.config(paths: (0..<5).map { "/f\($0).xml" })
        let log = RoundLog()
        let (scheduler, lock) = try scheduler(feeds, config, options: .init(every: 0.2, minimumGap: 0.05, maxRounds: 3), log: log)
        defer { lock?.release() }
        try await scheduler.run()

        let rounds = log.rounds
        #expect(rounds.count == 3)
        #expect(rounds[0].fetched == 5 && rounds[0].itemsNew == 20 && rounds[0].failures == 0 && !rounds[0].cancelled)
        #expect(rounds[1].fetched == 0 && rounds[2].fetched == 0, "hourly sources are not due 0.2 s later")
        #expect(feeds.server.requestCount == 5)
        let progress = log.progress.withLock { $0 }
        #expect(progress.map(\.done) == [1, 2, 3, 4, 5] && progress.allSatisfy { $0.total == 5 })
        #expect(progress.last?.itemsNew == 20)
        let metrics = try feeds.store.ingestMetrics()
        #expect(metrics.count == 5 && metrics.allSatisfy { $0.fetches == 1 && $0.itemsNew == 4 && $0.lastSuccess != nil && ($0.lastFetchSeconds ?? -1) >= 0 })
        #expect(try feeds.store.summary().documents == 20)
    }

    @Test("a failing source backs off exponentially while healthy ones keep their interval", arguments: StoreBackendKind.available)
    func failingSourceBacksOff(_ backend: StoreBackendKind) async throws {
        let feeds = try FeedSet(count: 1, backend: backend)
        feeds.server.setRoute("/broken.xml", .respond(status: 500, body: Array("oops".utf8)))
        let config = try feeds.config(paths: ["/f0.xml", "/broken.xml"], interval: "1s")
        let log = RoundLog()
        let (scheduler, lock) = try scheduler(feeds, config, options: .init(every: 0.2, minimumGap: 0.05), log: log)
        defer { lock?.release() }
        // Run until the healthy 1 s feed has been fetched three times (t ≈ 0, 1, 2 s).
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await scheduler.run() }
                while feeds.server.requestCount(path: "/f0.xml") < 3 { try await Task.sleep(for: .milliseconds(20)) }
                trigger.triggerGracefulShutdown()
                try await group.next()
            }
        }
        // The failing feed was fetched at t ≈ 0 and then not before 1 s × 2^1 = 2 s later (the next wait is 2^2 = 4 s).
        let failing = feeds.server.requestCount(path: "/broken.xml")
        #expect(failing >= 1 && failing <= 2, "\(failing) fetches of the failing feed")
        let broken = try #require(try feeds.store.sources().first { $0.name == "/broken.xml" })
        #expect(broken.consecutiveFailures == failing)
        let metrics = try #require(try feeds.store.ingestMetrics().first { $0.name == "/broken.xml" })
        #expect(metrics.failures == failing && metrics.fetches == failing && metrics.lastSuccess == nil)
        // Next fetch = time of the last failure + interval × 2^failures, exactly (jitter is added when choosing due sources, not stored).
        let wait = try #require(broken.nextFetch).timeIntervalSince(try #require(metrics.lastFailure))
        #expect(abs(wait - pow(2, Double(failing))) < 0.001, "waits \(wait) s after \(failing) failure(s)")
        let healthy = try #require(try feeds.store.sources().first { $0.name == "/f0.xml" })
        #expect(healthy.consecutiveFailures == 0 && healthy.lastSuccess != nil)
    }

    @Test("graceful shutdown cancels a hung fetch after the grace period and leaves the store sound", arguments: StoreBackendKind.available)
    func gracefulShutdownCancelsHungFetch(_ backend: StoreBackendKind) async throws {
        let feeds = try FeedSet(count: 3, backend: backend)
        feeds.server.setRoute("/slow.xml", .delayed(seconds: 60, then: .respond(body: Array(FeedSet.rss(feed: 9, items: 2).utf8))))
        let config = try feeds.config(paths: ["/f0.xml", "/f1.xml", "/f2.xml", "/slow.xml"])
        let log = RoundLog()
        let (scheduler, lock) = try scheduler(feeds, config, options: .init(every: 900, shutdownGrace: 0.5), log: log)
        defer { lock?.release() }
        let clock = ContinuousClock()
        var stopAfterSignal = Duration.zero
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await scheduler.run() }
                // Wait until the three fast feeds are stored, then ask for shutdown while /slow.xml hangs.
                while log.progress.withLock({ $0.count }) < 3 { try await Task.sleep(for: .milliseconds(20)) }
                let signalled = clock.now
                trigger.triggerGracefulShutdown()
                try await group.next()
                stopAfterSignal = signalled.duration(to: clock.now)
            }
        }
        #expect(stopAfterSignal >= .milliseconds(450), "the round had its grace period")
        // The hung fetch would hold the round for its 60 s; half that tells "cancelled after the grace" from "waited it
        // out" even when a busy machine delays this task's resumption.
        #expect(stopAfterSignal < .seconds(30), "stopped \(stopAfterSignal) after the signal")
        #expect(log.rounds.isEmpty, "a cancelled round saves no snapshot")
        #expect(try feeds.store.summary().documents == 9)
        #expect(try feeds.store.integrityCheck() == "ok")
        let slow = try #require(try feeds.store.sources().first { $0.name == "/slow.xml" })
        #expect(slow.lastSuccess == nil && slow.consecutiveFailures == 0 && slow.nextFetch == nil, "a cancelled fetch is not a failure: it is due again at the next start")
    }

    @Test("graceful shutdown during the sleep between rounds returns at once")
    func gracefulShutdownWhileSleeping() async throws {
        let feeds = try FeedSet(count: 2)
        let config = try feeds.config(paths: ["/f0.xml", "/f1.xml"])
        let log = RoundLog()
        let (scheduler, lock) = try scheduler(feeds, config, options: .init(every: 3600), log: log)
        defer { lock?.release() }
        let clock = ContinuousClock()
        var stopAfterSignal = Duration.zero
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await scheduler.run() }
                while log.rounds.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
                try await Task.sleep(for: .milliseconds(100))
                let signalled = clock.now
                trigger.triggerGracefulShutdown()
                try await group.next()
                stopAfterSignal = signalled.duration(to: clock.now)
            }
        }
        // The sleep left is about an hour: returning within half a minute can only be the shutdown ending it, however
        // long a busy machine takes to resume this task (about 0.01 s on a quiet one).
        #expect(stopAfterSignal < .seconds(30), "\(stopAfterSignal)")
        #expect(log.rounds.count == 1, "no round ran after the shutdown")
    }
}

@Suite("Feed-declared intervals through a real fetch", .serialized)
struct DeclaredIntervalIngestTests {
    @Test("RSS <ttl> and Cache-Control max-age push the next fetch out; a plain feed keeps its configured interval", arguments: StoreBackendKind.available)
    func declaredIntervals(_ backend: StoreBackendKind) async throws {
        let feeds = try FeedSet(count: 1, items: 2, backend: backend)
        let ttl = FeedSet.rss(feed: 1, items: 2).replacingOccurrences(of: "<title>Feed 1</title>", with: "<title>Feed 1</title><ttl>180</ttl>")
        feeds.server.setRoute("/ttl.xml", .respond(body: Array(ttl.utf8)))
        feeds.server.setRoute("/maxage.xml", .respond(headers: [("Cache-Control", "public, max-age=7200")], body: Array(FeedSet.rss(feed: 2, items: 2).utf8)))
        feeds.server.setRoute("/nocache.xml", .respond(headers: [("Cache-Control", "no-cache, max-age=7200")], body: Array(FeedSet.rss(feed: 3, items: 2).utf8)))
        let config = try feeds.config(paths: ["/f0.xml", "/ttl.xml", "/maxage.xml", "/nocache.xml"], interval: "15m")
        let ingestor = Ingestor(config: config, store: feeds.store, logger: Logger(label: "test"))
        let before = Date()
        let selection = try ingestor.oneShotSelection(includeBackingOff: false)
        let results = try await ingestor.ingest(selection.due)
        #expect(results.allSatisfy { $0.outcome.itemsNew == 2 }, "\(results.map(\.summaryLine))")
        let after = Date()
        let next = Dictionary(uniqueKeysWithValues: try feeds.store.sources().map { ($0.name, $0.nextFetch ?? .distantPast) })
        func within(_ name: String, _ seconds: Double) -> Bool {
            let date = next[name] ?? .distantPast
            return date >= before.addingTimeInterval(seconds) && date <= after.addingTimeInterval(seconds)
        }
        #expect(within("/f0.xml", 900))
        #expect(within("/ttl.xml", 180 * 60))
        #expect(within("/maxage.xml", 7200))
        #expect(within("/nocache.xml", 900))
    }
}
