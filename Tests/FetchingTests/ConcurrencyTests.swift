import Foundation
import LoopbackHTTP
import Testing

@testable import Fetching

@Suite("bounded concurrency")
struct ConcurrencyTests {
    @Test("50 URLs: every result in request order, never more than the global limit in flight")
    func globalLimit() async throws {
        try await withServer([:]) { server in
            server.setFallback(.delayed(seconds: 0.05, then: .respond(body: [])))
            for index in 0..<50 {
                server.setRoute("/feed/\(index)", .delayed(seconds: 0.05, then: .respond(body: Array("feed \(index)".utf8))))
            }
            let fetcher = HTTPFetcher(globalConcurrency: 4, perHostConcurrency: 50)
            let requests = (0..<50).map { FetchRequest(url: server.url("/feed/\($0)"), policy: loopbackPolicy()) }
            let results = await fetcher.fetchAll(requests)
            #expect(results.count == 50)
            for (index, result) in results.enumerated() {
                #expect((try? result.get().body) == Array("feed \(index)".utf8))
            }
            #expect(server.requestCount == 50)
            #expect(server.maxConcurrentRequests <= 4)
            #expect(server.maxConcurrentRequests >= 2)
            #expect(server.maxConcurrentConnections <= 4)
        }
    }

    @Test("fetchAll keeps request order when outcomes are mixed")
    func mixedOrder() async throws {
        let routes: [String: LoopbackRoute] = [
            "/slow": .delayed(seconds: 0.2, then: .respond(body: [1])),
            "/fast": .respond(body: [2]),
            "/gone": .respond(status: 410, body: []),
        ]
        try await withServer(routes) { server in
            let urls = [server.url("/slow"), "gopher://127.0.0.1:1/", server.url("/gone"), server.url("/fast")]
            let results = await HTTPFetcher().fetchAll(urls.map { FetchRequest(url: $0, policy: loopbackPolicy()) })
            #expect((try? results[0].get().body) == [1])
            #expect(results[1] == .failure(.schemeNotAllowed(url: urls[1], scheme: "gopher")))
            #expect(results[2] == .failure(.httpStatus(url: urls[2], status: 410, retryAfter: nil)))
            #expect((try? results[3].get().body) == [2])
        }
    }

    @Test("the per-host limit caps each host while two hosts together use more")
    func perHostLimit() async throws {
        let slow = LoopbackRoute.delayed(seconds: 1.0, then: .respond(body: [1]))
        try await withServer([:]) { first in
            try await withServer([:], host: "127.0.0.2") { second in
                first.setFallback(slow)
                second.setFallback(slow)
                let fetcher = HTTPFetcher(globalConcurrency: 8, perHostConcurrency: 2)
                let requests = (0..<6).flatMap { index in
                    [first, second].map { FetchRequest(url: $0.url("/item/\(index)"), policy: loopbackPolicy()) }
                }
                let started = ContinuousClock.now
                // High priority so the other suites running in parallel on the 2-thread pool cannot hold back the
                // submissions of one host behind the other (which would serialise them for reasons outside the fetcher).
                let results = await Task(priority: .high) { await fetcher.fetchAll(requests) }.value
                let elapsed = ContinuousClock.now - started
                #expect(results.allSatisfy { (try? $0.get().status) == 200 })
                #expect(first.maxConcurrentRequests == 2)
                #expect(second.maxConcurrentRequests == 2)
                // 6 requests per host, 2 at a time, 1 s each: at least 3 rounds. The hosts do not wait for each other:
                // some request to one host arrives while one to the other is being answered, whichever came first
                // (measured on the servers' own clocks, so a busy test process cannot blur it). Serialised hosts
                // would put every pair of arrivals a whole 1 s response apart.
                #expect(elapsed >= .milliseconds(2_950))
                let firstArrivals = first.receivedRequests.map(\.receivedAt), secondArrivals = second.receivedRequests.map(\.receivedAt)
                let overlapping = secondArrivals.contains { arrival in
                    firstArrivals.contains { $0 <= arrival ? arrival - $0 < .milliseconds(900) : $0 - arrival < .milliseconds(900) }
                }
                #expect(overlapping, "first host at \(firstArrivals), second at \(secondArrivals)")
            }
        }
    }

    @Test("the fetcher's work runs off the cooperative pool: 40 slow fetches do not starve other tasks")
    func doesNotBlockCooperativePool() async throws {
        // The answers are held until the probe below has run: order, not a time, so a busy machine cannot make the
        // answers go out before the probe (with answers held 12 s, a loaded CI run once did). A fetcher holding a
        // cooperative thread per fetch would keep the probe from running at all; the watchdog then lets the answers go
        // after 120 s, so such a fetcher fails the test instead of hanging it.
        let gate = LoopbackGate()
        defer { gate.open() }
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: 120)
            gate.open()
        }
        var policy = loopbackPolicy(totalTimeout: 300)
        policy.lowSpeedTime = 300
        try await withServer(["/slow": .held(gate, then: .respond(body: [1]))]) { server in
            let fetcher = HTTPFetcher(globalConcurrency: 40, perHostConcurrency: 40)
            let requests = Array(repeating: FetchRequest(url: server.url("/slow"), policy: policy), count: 40)
            async let results = fetcher.fetchAll(requests)
            for _ in 0..<6_000 where server.requestCount < 40 { try await Task.sleep(for: .milliseconds(20)) }
            let probe = await Task.detached { (1...1000).reduce(0, +) }.value
            #expect(probe == 500_500)
            // All 40 fetches wait on the server at once, which a fetcher holding a cooperative thread per fetch could not
            // do on a pool as wide as the cores; and another task ran while they still waited.
            #expect(server.requestsInFlight > 0, "the probe ran while the fetches were still waiting for their answers")
            gate.open()
            #expect(server.maxConcurrentRequests == 40)
            #expect(await results.allSatisfy { (try? $0.get().status) == 200 })
        }
    }
}
