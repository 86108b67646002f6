import Foundation
import LoopbackHTTP
import Hummingbird
import Logging
import Market
import Reporting
@testable import Server
import Settings
import Storage
import StoreTestSupport
import Synchronization
import Testing

/// The latest report is reused while the store is unchanged and recomputed as soon as anything is committed.
@Suite("Latest-report cache and bounded store work")
struct LatestReportCacheTests {
    func document(_ key: String) -> NewDocument {
        NewDocument(dedupKey: key, url: "https://x.example/\(key)", title: key, author: nil, published: demoNow.addingTimeInterval(-86_400),
                    fetched: demoNow, text: "Bitcoin rallies.", sentiment: 0.5, relevant: true, speakerType: .media,
                    sentences: [NewSentence(text: "Bitcoin rallies.", score: 0.5, relevant: true, speakerType: .media)])
    }

    func counter(_ metrics: PrometheusTextParser, _ name: String) -> Double { metrics.value(name) ?? -1 }

    @Test("a commit by another connection invalidates the cache at once, long before the TTL (SQLite commit counter, PostgreSQL change counter)", arguments: StoreBackendKind.available)
    func invalidatedByCommit(_ backend: StoreBackendKind) async throws {
        let scratch = try ScratchDirectory()
        var config = DivergenceConfig()
        config.storePath = try backend.freshLocation(in: scratch)
        let store = try Store(path: config.storePath)
        try store.syncConfiguredSources([SourceDefinition(location: "https://x.example/feed", name: "X", kind: .news, publisherType: .media, intervalSeconds: 3_600)])
        let sourceID = try #require(try store.sources().first?.id)
        var batch = IngestBatch()
        batch.documents = [document("first")]
        try store.commit(batch, sourceID: sourceID, fetchState: nil)

        var options = APIServerOptions()
        options.port = 0
        options.latestReportTTL = .seconds(3_600)
        // "now" moves on every call, so a recomputed report has a new as_of and a cached one keeps its own.
        let clock = SteppingClock()
        let server = try APIServer(config: config, store: store, options: options, logger: Logger(label: "cache-test"), now: { clock.tick() })
        let running = try await server.start()
        defer { Task { await running.stop() } }

        let first = try await httpRequest(port: running.port, "GET", "/v1/divergence/latest").json()
        let second = try await httpRequest(port: running.port, "GET", "/v1/divergence/latest").json()
        #expect((first["data"] as? [String: Any])?["documents"] as? Int == 1)
        #expect(first["as_of"] as? String == second["as_of"] as? String, "the second request is answered from the cache")

        // Another Store on the same location has connections of its own, as another process's would.
        let writer = try Store(path: config.storePath)
        batch.documents = [document("second")]
        try writer.commit(batch, sourceID: sourceID, fetchState: nil)

        let third = try await httpRequest(port: running.port, "GET", "/v1/divergence/latest").json()
        #expect((third["data"] as? [String: Any])?["documents"] as? Int == 2, "the new document shows without waiting for the TTL")
        #expect(third["as_of"] as? String != first["as_of"] as? String)

        let metrics = try PrometheusTextParser(try await httpRequest(port: running.port, "GET", "/metrics").text)
        #expect(counter(metrics, "divergence_latest_report_computations_total") == 2)
        // Hits: the second latest request, and /metrics reusing the entry of the third.
        #expect(counter(metrics, "divergence_latest_report_cache_hits_total") == 2)
    }

    @Test("past the TTL the old entry is served once while a refresh runs, then the refreshed one")
    func refreshesAfterTTL() async throws {
        let demo = try await sharedDemo.value.demo
        let clock = SteppingClock()
        var options = APIServerOptions()
        options.port = 0
        options.latestReportTTL = .milliseconds(200)
        let server = try APIServer(config: demo.config, store: demo.store, options: options, logger: Logger(label: "cache-test"), now: { clock.tick() })
        let running = try await server.start()
        defer { Task { await running.stop() } }
        let first = try await httpRequest(port: running.port, "GET", "/v1/divergence/latest").json()["as_of"] as? String
        try await Task.sleep(for: .milliseconds(400))
        let stale = try await httpRequest(port: running.port, "GET", "/v1/divergence/latest").json()["as_of"] as? String
        #expect(stale == first, "the expired entry answers without waiting for the refresh")
        // The refresh is one report computation in the background: wait for its result by state, with a deadline far
        // past what one computation takes on a busy machine (tenths of a second on a quiet one).
        var refreshed = stale
        let deadline = ContinuousClock.now + TestTime.bound(.seconds(60))
        while refreshed == first && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
            refreshed = try await httpRequest(port: running.port, "GET", "/v1/divergence/latest").json()["as_of"] as? String
        }
        #expect(first != nil && refreshed != nil && refreshed != first)
        #expect(server.latest.counts.computations >= 2, "the first computation and at least one refresh")
    }

    @Test("concurrent misses share one computation")
    func singleFlight() async throws {
        let cache = LatestReportCache(ttl: .seconds(60))
        let computations = Counter()
        let demo = try await sharedDemo.value.demo
        let report = try ReportBuilder(config: demo.config, store: demo.store).build(asOf: demoNow)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    _ = try await cache.entry(version: 7) {
                        computations.increment()
                        try await Task.sleep(for: .milliseconds(100))
                        return LatestReportCache.Entry(version: 7, computedAt: .now, report: report, json: ByteBuffer(string: "{}"))
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(computations.value == 1)
        #expect(cache.counts.computations == 1)
    }

    @Test("store work runs at most `limit` at a time and refuses callers beyond the waiting room with 503")
    func boundedWork() async throws {
        let work = StoreWork(limit: 1, maxWaiting: 1)
        let gate = DispatchSemaphore(value: 0)
        let running = Counter()
        let first = Task { try await work.run { running.increment(); gate.wait(); return 1 } }
        while running.value == 0 { try await Task.sleep(for: .milliseconds(5)) }
        let second = Task { try await work.run { running.increment(); return 2 } }
        // By state, not by a pause: once the second is in the waiting room, the waiting room is full.
        while work.waitingCount == 0 { try await Task.sleep(for: .milliseconds(5)) }
        #expect(running.value == 1, "the second waits while the first holds the only slot")
        await #expect(throws: APIError(status: 503, message: "the server is busy computing other requests; retry shortly")) {
            try await work.run { 3 }
        }
        gate.signal()
        #expect(try await first.value == 1)
        #expect(try await second.value == 2)
        #expect(running.value == 2)
    }
}

/// A thread-safe counter.
final class Counter: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}

/// A "now" that advances by one second per call, starting at the demo's date.
final class SteppingClock: Sendable {
    private let calls = Mutex(0)
    func tick() -> Date { demoNow.addingTimeInterval(Double(calls.withLock { $0 += 1; return $0 })) }
}
