import Foundation
import LoopbackHTTP
import Testing

@testable import Fetching

@Suite("byte caps, gzip bombs and timeouts")
struct FetchLimitTests {
    @Test("a body over maxBytes is refused whatever the framing says", arguments: [
        ("honest Content-Length", LoopbackRoute.respond(body: [UInt8](repeating: 0x61, count: 5_000))),
        ("Content-Length lies low, chunked body", .lyingLength(claimed: 500, actual: 5_000)),
        ("chunked, no length", .chunked(bytes: 5_000, chunkSize: 700)),
        ("no length, closed at the end", .unframed(bytes: 5_000)),
    ])
    func byteCap(label: String, route: LoopbackRoute) async throws {
        try await withServer(["/big": route]) { server in
            let url = server.url("/big")
            let error = await fetchError(HTTPFetcher(), FetchRequest(url: url, policy: loopbackPolicy(maxBytes: 1_000, maxCompressedBytes: 1_000)))
            #expect(error == .tooLarge(url: url, limit: 1_000), "\(label)")
        }
    }

    @Test("a body of exactly maxBytes is accepted", arguments: [
        LoopbackRoute.respond(body: [UInt8](repeating: 0x61, count: 1_000)),
        .chunked(bytes: 1_000, chunkSize: 300),
        .unframed(bytes: 1_000),
    ])
    func atTheCap(route: LoopbackRoute) async throws {
        try await withServer(["/ok": route]) { server in
            let response = try await HTTPFetcher().fetch(
                FetchRequest(url: server.url("/ok"), policy: loopbackPolicy(maxBytes: 1_000, maxCompressedBytes: 1_000))
            )
            #expect(response.body.count == 1_000)
        }
    }

    @Test("a gzip bomb (50 MB of zeros in 48 KB) is refused at the decoded cap with default limits")
    func gzipBomb() async throws {
        let bomb = try fixture("gzip-bomb-50MB-zeros.gz")
        #expect(bomb.count < 100_000)
        try await withServer(["/bomb": .gzip(compressed: bomb)]) { server in
            let url = server.url("/bomb")
            let error = await fetchError(HTTPFetcher(), FetchRequest(url: url, policy: loopbackPolicy()))
            #expect(error == .tooLarge(url: url, limit: 20_000_000))
        }
    }

    @Test("the compressed-bytes cap refuses a gzip body before it is decoded in full")
    func compressedCap() async throws {
        let bomb = try fixture("gzip-bomb-50MB-zeros.gz")
        try await withServer(["/bomb": .gzip(compressed: bomb)]) { server in
            let url = server.url("/bomb")
            let policy = loopbackPolicy(maxBytes: 100_000_000, maxCompressedBytes: 10_000)
            let error = await fetchError(HTTPFetcher(), FetchRequest(url: url, policy: policy))
            #expect(error == .tooLarge(url: url, limit: 10_000))
        }
    }

    @Test("the compressed-bytes cap holds for a chunked gzip body with no length to check up front")
    func compressedCapChunked() async throws {
        let bomb = try fixture("gzip-bomb-50MB-zeros.gz")
        try await withServer(["/bomb": .gzip(compressed: bomb, chunked: true)]) { server in
            let url = server.url("/bomb")
            let policy = loopbackPolicy(maxBytes: 100_000_000, maxCompressedBytes: 10_000)
            let error = await fetchError(HTTPFetcher(), FetchRequest(url: url, policy: policy))
            #expect(error == .tooLarge(url: url, limit: 10_000))
        }
    }

    @Test("the compressed-bytes cap counts wire bytes: 48,547 gzip bytes under a 60 KB cap decode to 50 MB")
    func compressedCapCountsWireBytes() async throws {
        let bomb = try fixture("gzip-bomb-50MB-zeros.gz")
        try await withServer(["/bomb": .gzip(compressed: bomb, chunked: true)]) { server in
            let policy = loopbackPolicy(maxBytes: 60_000_000, maxCompressedBytes: 60_000)
            let response = try await HTTPFetcher().fetch(FetchRequest(url: server.url("/bomb"), policy: policy))
            #expect(response.body.count == 50_000_000)
        }
    }

    @Test("a server trickling 1 byte/s is cut off by the total timeout")
    func trickleTotalTimeout() async throws {
        try await withServer(["/drip": .trickle(bytes: 60)]) { server in
            let url = server.url("/drip")
            let error = await fetchError(HTTPFetcher(), FetchRequest(url: url, policy: loopbackPolicy(totalTimeout: 2)))
            guard case .timedOut(let failedURL, let seconds) = error else {
                Issue.record("expected timedOut, got \(String(describing: error))")
                return
            }
            #expect(failedURL == url)
            // The 60-byte trickle would take a minute: timed out after the 2 s timeout, measured on the fetcher's own thread,
            // proves the cut-off. How long this task then waits to resume (30 s once, with the suite starting beside two
            // CPU-bound processes) is the test process's, not the fetcher's, so it is not asserted.
            #expect(seconds >= 1.9 && seconds < 6, "the 2 s timeout, measured on the fetcher's thread: \(seconds) s")
        }
    }

    @Test("the low-speed limit ends a trickle before the total timeout")
    func trickleLowSpeed() async throws {
        try await withServer(["/drip": .trickle(bytes: 60)]) { server in
            let url = server.url("/drip")
            var policy = loopbackPolicy(totalTimeout: 60)
            policy.lowSpeedLimit = 100
            policy.lowSpeedTime = 2
            let error = await fetchError(HTTPFetcher(), FetchRequest(url: url, policy: policy))
            guard case .timedOut(_, let seconds) = error else {
                Issue.record("expected timedOut, got \(String(describing: error))")
                return
            }
            // `seconds` is measured by the fetcher's own thread when libcurl gives up, so a busy test process cannot
            // stretch it. The total timeout would end the transfer at 60 s; the low-speed limit (under 100 B/s for 2 s)
            // ends it after about 2–3 s. Half the total timeout tells the two apart on any machine.
            #expect(seconds >= 1.9 && seconds < 30, "\(seconds) s")
        }
    }
}
