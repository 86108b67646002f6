import Foundation
import LoopbackHTTP
import Testing

@testable import Fetching

@Suite("HTTP fetching against a loopback server")
struct HTTPFetcherTests {
    @Test("a 200 returns the body, content type, final URL and sends the User-Agent and Accept-Encoding")
    func plainGet() async throws {
        let body = Array("<rss version=\"2.0\"><channel><title>t</title></channel></rss>".utf8)
        let routes: [String: LoopbackRoute] = [
            "/feed.xml": .respond(headers: [("Content-Type", "application/rss+xml")], body: body)
        ]
        try await withServer(routes) { server in
            let response = try await HTTPFetcher().fetch(FetchRequest(url: server.url("/feed.xml"), policy: loopbackPolicy()))
            #expect(response.status == 200)
            #expect(response.body == body)
            #expect(response.contentType == "application/rss+xml")
            #expect(response.finalURL == server.url("/feed.xml"))
            #expect(response.permanentRedirect == nil)
            #expect(!response.notModified)
            let sent = try #require(server.requests(path: "/feed.xml").first)
            #expect(sent.header("User-Agent") == "divergence/0.1 (+https://github.com/divergence)")
            let encodings = Set((sent.header("Accept-Encoding") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            #expect(encodings.contains("gzip"))
            #expect(sent.header("If-None-Match") == nil)
        }
    }

    @Test("a gzip-encoded body arrives decoded")
    func gzipBody() async throws {
        let plain = try fixture("small-rss.xml")
        let routes: [String: LoopbackRoute] = ["/gz": .gzip(compressed: try fixture("gzip-encoded-small-rss.xml.gz"))]
        try await withServer(routes) { server in
            let response = try await HTTPFetcher().fetch(FetchRequest(url: server.url("/gz"), policy: loopbackPolicy()))
            #expect(response.body == plain)
        }
    }

    @Test("stored ETag and Last-Modified are sent back and a 304 returns notModified with no body")
    func conditionalGet() async throws {
        let etag = "\"v1-abc\""
        let lastModified = "Mon, 02 Feb 2026 09:30:00 GMT"
        let routes: [String: LoopbackRoute] = [
            "/c": .conditional(etag: etag, lastModified: lastModified, body: Array("fresh".utf8))
        ]
        try await withServer(routes) { server in
            let fetcher = HTTPFetcher()
            let first = try await fetcher.fetch(FetchRequest(url: server.url("/c"), policy: loopbackPolicy()))
            #expect(first.status == 200)
            #expect(first.body == Array("fresh".utf8))
            #expect(first.etag == etag)
            #expect(first.lastModified == lastModified)

            let second = try await fetcher.fetch(
                FetchRequest(url: server.url("/c"), etag: first.etag, lastModified: first.lastModified, policy: loopbackPolicy())
            )
            #expect(second.status == 304)
            #expect(second.notModified)
            #expect(second.body.isEmpty)
            let sent = server.requests(path: "/c")
            #expect(sent.count == 2)
            #expect(sent[1].header("If-None-Match") == etag)
            #expect(sent[1].header("If-Modified-Since") == lastModified)

            let byDateOnly = try await fetcher.fetch(
                FetchRequest(url: server.url("/c"), lastModified: lastModified, policy: loopbackPolicy())
            )
            #expect(byDateOnly.notModified)
        }
    }

    @Test("a validator containing CR or LF is not sent (no header injection)")
    func validatorInjection() async throws {
        try await withServer(["/c": .respond(body: [1])]) { server in
            let request = FetchRequest(url: server.url("/c"), etag: "\"x\"\r\nX-Injected: 1", policy: loopbackPolicy())
            _ = try await HTTPFetcher().fetch(request)
            let sent = try #require(server.requests(path: "/c").first)
            #expect(sent.header("X-Injected") == nil)
            #expect(sent.header("If-None-Match") == nil)
        }
    }

    @Test("301 and 308 chains report the permanent URL; a 302 after them stops the permanent run", arguments: [
        (301, false), (308, false), (301, true),
    ])
    func permanentRedirects(status: Int, thenTemporary: Bool) async throws {
        let routes: [String: LoopbackRoute] = [
            "/old": .redirect(status: status, location: "/new"),
            "/new": thenTemporary ? .redirect(status: 302, location: "/current") : .respond(body: Array("moved".utf8)),
            "/current": .respond(body: Array("moved".utf8)),
        ]
        try await withServer(routes) { server in
            let response = try await HTTPFetcher().fetch(FetchRequest(url: server.url("/old"), policy: loopbackPolicy()))
            #expect(response.status == 200)
            #expect(response.body == Array("moved".utf8))
            #expect(response.permanentRedirect == server.url("/new"))
            #expect(response.finalURL == server.url(thenTemporary ? "/current" : "/new"))
        }
    }

    @Test("a temporary redirect is followed but not reported as permanent", arguments: [302, 307])
    func temporaryRedirect(status: Int) async throws {
        let routes: [String: LoopbackRoute] = [
            "/a": .redirect(status: status, location: "/b"),
            "/b": .respond(body: [7]),
        ]
        try await withServer(routes) { server in
            let response = try await HTTPFetcher().fetch(FetchRequest(url: server.url("/a"), policy: loopbackPolicy()))
            #expect(response.body == [7])
            #expect(response.permanentRedirect == nil)
            #expect(response.finalURL == server.url("/b"))
        }
    }

    @Test("a redirect loop ends as tooManyRedirects after maxRedirects hops")
    func redirectLoop() async throws {
        let routes: [String: LoopbackRoute] = [
            "/ping": .redirect(status: 302, location: "/pong"),
            "/pong": .redirect(status: 302, location: "/ping"),
        ]
        try await withServer(routes) { server in
            let url = server.url("/ping")
            let error = await fetchError(HTTPFetcher(), FetchRequest(url: url, policy: loopbackPolicy(maxRedirects: 3)))
            #expect(error == .tooManyRedirects(url: url))
            // 1 original request + 3 followed redirects.
            #expect(server.requestCount(path: "/ping") + server.requestCount(path: "/pong") == 4)
        }
    }

    @Test("410, 429 and 503 throw httpStatus with Retry-After in seconds or as an HTTP-date", arguments: [
        (410, nil, nil),
        (429, "120", 120.0),
        (503, "Sun, 01 Feb 2026 00:02:00 GMT", 120.0),
        (404, nil, nil),
        (500, nil, nil),
    ] as [(Int, String?, Double?)])
    func failureStatuses(status: Int, retryAfter: String?, expected: Double?) async throws {
        // The HTTP-date case: Date header 00:00:00, Retry-After 00:02:00 → 120 s measured from the server's clock.
        var headers = [("Date", "Sun, 01 Feb 2026 00:00:00 GMT")]
        if let retryAfter { headers.append(("Retry-After", retryAfter)) }
        try await withServer(["/s": .respond(status: status, headers: headers, body: [])]) { server in
            let url = server.url("/s")
            let error = await fetchError(HTTPFetcher(), FetchRequest(url: url, policy: loopbackPolicy()))
            #expect(error == .httpStatus(url: url, status: status, retryAfter: expected))
        }
    }

    @Test("a refused connection is a transport error naming the URL")
    func connectionRefused() async throws {
        let server = try LoopbackHTTPServer()
        let url = server.url("/gone")
        server.stop()
        try await Task.sleep(for: .milliseconds(100))
        let error = await fetchError(HTTPFetcher(), FetchRequest(url: url, policy: loopbackPolicy()))
        guard case .transport(let failedURL, let code, _) = error else {
            Issue.record("expected a transport error, got \(String(describing: error))")
            return
        }
        #expect(failedURL == url)
        #expect(code == 7)
        #expect(error?.description.hasPrefix("\(url): ") == true)
    }

    @Test("malformed URLs are invalidURL", arguments: ["", "not a url", "http://", "http:///path", "http://exa mple.com/"])
    func invalidURLs(url: String) async {
        let error = await fetchError(HTTPFetcher(), FetchRequest(url: url, policy: loopbackPolicy()))
        #expect(error == .invalidURL(url))
    }

    @Test("a cancelled fetch ends promptly with cancelled")
    func cancellation() async throws {
        try await withServer(["/slow": .trickle(bytes: 100)]) { server in
            let fetcher = HTTPFetcher()
            let url = server.url("/slow")
            let task = Task { await fetchError(fetcher, FetchRequest(url: url, policy: loopbackPolicy(totalTimeout: 60))) }
            for _ in 0..<1_500 where server.requestCount == 0 { try await Task.sleep(for: .milliseconds(20)) }
            let cancelled = ContinuousClock.now
            task.cancel()
            let error = await task.value
            #expect(error == .cancelled(url: url))
            // Ignoring the cancel, the transfer would run to its 60 s total timeout (the trickle needs 100 s) and end as
            // timedOut: `.cancelled` is the proof. The fetcher ends it on its own thread at once; what a busy test process
            // adds is the wait for a cooperative thread to resume this task (30 s once, beside two CPU-bound processes),
            // so the bound is the timeout itself: only a hang fails it.
            #expect(ContinuousClock.now - cancelled < .seconds(60))
        }
    }
}
