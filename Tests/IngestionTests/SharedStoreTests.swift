import Foundation
import Logging
import LoopbackHTTP
import Settings
import StoreTestSupport
import Testing
@testable import Ingestion
@testable import Storage

@Suite("Two ingest workers sharing one PostgreSQL store", .enabled(if: StoreBackendKind.available.contains(.postgresql), "PostgreSQL is not installed here (CI installs it)"))
struct SharedStoreTests {
    static func feed(_ index: Int) -> [UInt8] {
        let items = (0..<3).map { item in
            "<item><title>Story \(index)-\(item)</title><link>https://news.example/\(index)/\(item)</link><guid>n\(index)-\(item)</guid>"
                + "<pubDate>Fri, 06 Feb 2026 1\(item):00:00 GMT</pubDate><description>Fund managers say Bitcoin looks cheap, story \(index)-\(item).</description></item>"
        }.joined()
        return Array("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Feed \(index)</title>\(items)</channel></rss>".utf8)
    }

    @Test("two workers started together fetch each due feed once, store each story once, keep the per-host limit between them and leave no lease behind")
    func twoWorkersShareTheRound() async throws {
        let feeds = 24
        var routes: [String: LoopbackRoute] = [:]
        for index in 0..<feeds { routes["/feed/\(index).xml"] = .delayed(seconds: 0.05, then: .respond(headers: [("Content-Type", "application/rss+xml")], body: Self.feed(index))) }
        let server = try LoopbackHTTPServer(routes: routes)
        defer { server.stop() }
        let text = "[fetch]\nper_host_concurrency = 2\n\n" + (0..<feeds).map { index in
            "[[source]]\nname = \"Feed \(index)\"\nkind = \"news\"\nurl = \"\(server.url("/feed/\(index).xml"))\"\nallow_private_network = true\n"
        }.joined(separator: "\n")
        let config = try ConfigLoader.parse(text, file: "shared.toml", baseDirectory: FileManager.default.temporaryDirectory)
        let url = try StoreBackendKind.postgresql.freshLocation()
        // Two workers: two stores (connection pools) and two ingestors, as two processes would have.
        let workers = try (0..<2).map { _ in Ingestor(config: config, store: try Store(path: url), logger: Logger(label: "test")) }
        let due = try workers[0].oneShotSelection(includeBackingOff: false).due
        #expect(due.count == feeds)
        let results = try await withThrowingTaskGroup(of: [SourceIngestResult].self) { group in
            for worker in workers { group.addTask { try await worker.ingest(due, onlyIfDue: true) } }
            var all: [[SourceIngestResult]] = []
            for try await results in group { all.append(results) }
            return all
        }
        for index in 0..<feeds { #expect(server.requestCount(path: "/feed/\(index).xml") == 1, "feed \(index) fetched once in all") }
        let fetched = results.map { $0.filter { !$0.outcome.isSkipped }.count }
        #expect(fetched.reduce(0, +) == feeds, "every feed fetched by exactly one worker: \(fetched)")
        #expect(try workers[0].store.summary().documents == feeds * 3)
        #expect(server.maxConcurrentRequests <= 2, "per_host_concurrency = 2 holds across both workers (saw \(server.maxConcurrentRequests))")
        #expect(try workers[0].store.leases(at: Date()).isEmpty)
    }

    @Test("a worker that dies holding leases blocks its sources only until the leases expire; then another fetches them")
    func expiredLeasesAreTakenOver() async throws {
        let server = try LoopbackHTTPServer(routes: ["/feed/0.xml": .respond(headers: [("Content-Type", "application/rss+xml")], body: Self.feed(0))])
        defer { server.stop() }
        let text = "[[source]]\nname = \"Feed 0\"\nkind = \"news\"\nurl = \"\(server.url("/feed/0.xml"))\"\nallow_private_network = true\n"
        let config = try ConfigLoader.parse(text, file: "shared.toml", baseDirectory: FileManager.default.temporaryDirectory)
        let store = try StoreBackendKind.postgresql.freshStore()
        let worker = Ingestor(config: config, store: store, logger: Logger(label: "test"))
        let due = try worker.oneShotSelection(includeBackingOff: false).due
        // A dead worker's lease: taken, never committed or released.
        let now = Date()
        #expect(try store.leaseSources(due.map(\.id), owner: "dead-worker", now: now, duration: 60, perHost: 2).granted.count == 1)
        #expect(try store.leaseSources(due.map(\.id), owner: worker.workerID, now: now.addingTimeInterval(59), duration: 60, perHost: 2).granted.isEmpty,
                "held until it expires")
        let later = try store.leaseSources(due.map(\.id), owner: worker.workerID, now: now.addingTimeInterval(61), duration: 60, perHost: 2)
        #expect(later.granted == Set(due.map(\.id)), "after expiry another worker takes it")
    }
}
