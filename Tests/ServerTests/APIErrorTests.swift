import Foundation
import LoopbackHTTP
import Testing

/// Refusals: each is a JSON `{"error": …}` with the right status, and a bad parameter is named in the message.
@Suite("HTTP API errors")
struct APIErrorTests {
    /// Checks the status and that the body is exactly one `error` string containing `mentions`.
    func expectError(_ response: RawHTTPResponse, _ status: Int, mentions: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(response.status == status, "\(response.text)", sourceLocation: sourceLocation)
        #expect(response.header("Content-Type") == "application/json; charset=utf-8", sourceLocation: sourceLocation)
        let body = try response.json()
        #expect(Array(body.keys) == ["error"], sourceLocation: sourceLocation)
        let message = try #require(body["error"] as? String, sourceLocation: sourceLocation)
        #expect(message.contains(mentions), "\(message)", sourceLocation: sourceLocation)
    }

    @Test("a bad parameter is a 400 naming it", arguments: [
        ("/v1/divergence?as_of=yesterday", "parameter 'as_of'"),
        ("/v1/divergence?as_of=2026-02-30", "parameter 'as_of'"),
        ("/v1/divergence?as_of=", "parameter 'as_of': is empty"),
        ("/v1/divergence?as_of=2026-02-07&as_of=2026-02-08", "parameter 'as_of': given more than once"),
        ("/v1/technicals?as_of=%ZZ", "parameter 'as_of'"),
        ("/v1/bullishness?as_of=2026-02-07T25:00:00Z", "parameter 'as_of'"),
        ("/v1/technicals?asof=2026-02-07", "unknown parameter 'asof' (this route takes as_of)"),
        ("/v1/divergence/latest?as_of=2026-02-07", "unknown parameter 'as_of' (this route takes no parameters)"),
        ("/v1/history?step=2d", "parameter 'step'"),
        ("/v1/history?from=2026-02-10&to=2026-02-01", "parameter 'from': 2026-02-10 is after 'to' 2026-02-01"),
        ("/v1/history?from=2016-01-01&to=2026-01-31", "parameter 'from': the range 2016-01-01…2026-01-31 holds 3684 points at step 1d"),
        ("/v1/history?from=2026-1-1", "parameter 'from'"),
        ("/v1/history?to=tomorrow", "parameter 'to'"),
        ("/v1/documents?limit=0", "parameter 'limit'"),
        ("/v1/documents?limit=1001", "parameter 'limit': '1001' is not a whole number from 1 to 1000"),
        ("/v1/documents?limit=-5", "parameter 'limit'"),
        ("/v1/documents?limit=ten", "parameter 'limit'"),
        ("/v1/documents?limit=99999999999999999999999", "parameter 'limit'"),
        ("/v1/documents?since=last-week", "parameter 'since'"),
    ])
    func badParameter(target: String, mentions: String) async throws {
        let port = try await sharedDemo.value.port
        try expectError(try await httpRequest(port: port, "GET", target), 400, mentions: mentions)
    }

    @Test("history accepts exactly 3,660 points and refuses 3,661")
    func historyBound() async throws {
        let port = try await sharedDemo.value.port
        // 2016-01-31 is 3,660 days before 2026-02-07 (3 leap days: 2016, 2020, 2024), so the range holds 3,661 days.
        let tooMany = try await httpRequest(port: port, "GET", "/v1/history?from=2016-01-31&to=2026-02-07")
        try expectError(tooMany, 400, mentions: "holds 3661 points at step 1d; at most 3660")
        let most = try await httpRequest(port: port, "GET", "/v1/history?from=2016-02-01&to=2026-02-07")
        #expect(most.status == 200)
        #expect((try most.json()["points"] as? [Any])?.count == 3_660)
        let weekly = try await httpRequest(port: port, "GET", "/v1/history?from=2016-01-31&to=2026-02-07&step=1w")
        #expect(weekly.status == 200)
        #expect((try weekly.json()["points"] as? [Any])?.count == 523, "3,660 days / 7 = 522 whole weeks, plus the first point")
    }

    @Test("an unknown path is a 404 with a JSON error", arguments: ["/index.html", "/v1", "/v1/divergence/latest/", "/v2/divergence/latest", "/metrics.json"])
    func notFound(target: String) async throws {
        let port = try await sharedDemo.value.port
        try expectError(try await httpRequest(port: port, "GET", target), 404, mentions: "no such route")
    }

    @Test("writing methods are a 405 with Allow: GET, HEAD", arguments: ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
    func methodNotAllowed(method: String) async throws {
        let port = try await sharedDemo.value.port
        let response = try await httpRequest(port: port, method, "/v1/divergence/latest", body: method == "OPTIONS" ? nil : Data("{}".utf8))
        try expectError(response, 405, mentions: "\(method) is not allowed on /v1/divergence/latest")
        #expect(response.header("Allow") == "GET, HEAD")
    }

    @Test("a request target over 4,096 bytes is a 414")
    func uriTooLong() async throws {
        let port = try await sharedDemo.value.port
        let target = "/v1/documents?since=" + String(repeating: "9", count: 5_000)
        try expectError(try await httpRequest(port: port, "GET", target), 414, mentions: "longer than 4096 bytes")
        // A 100 KB URL still gets the documented JSON 414, not the HTTP decoder's bare 400.
        let huge = "/v1/documents?since=" + String(repeating: "9", count: 100_000)
        try expectError(try await httpRequest(port: port, "GET", huge), 414, mentions: "longer than 4096 bytes")
        // Just under the limit is parsed and refused for its content instead.
        let under = "/v1/documents?since=" + String(repeating: "9", count: 4_000)
        try expectError(try await httpRequest(port: port, "GET", under), 400, mentions: "parameter 'since'")
    }

    @Test("a request body over 1,024 bytes is a 413, declared or chunked")
    func bodyTooLarge() async throws {
        let port = try await sharedDemo.value.port
        let declared = try await httpRequest(port: port, "GET", "/v1/divergence/latest", body: Data(repeating: 0x41, count: 5_000))
        try expectError(declared, 413, mentions: "larger than 1024 bytes")

        let chunk = String(repeating: "A", count: 2_000)
        let chunked = Data("\(String(chunk.utf8.count, radix: 16))\r\n\(chunk)\r\n0\r\n\r\n".utf8)
        let streamed = try await httpRequest(port: port, "GET", "/v1/divergence/latest", headers: [("Transfer-Encoding", "chunked")], body: chunked)
        try expectError(streamed, 413, mentions: "larger than 1024 bytes")

        let small = try await httpRequest(port: port, "GET", "/healthz", body: Data("tiny".utf8))
        #expect(small.status == 200, "a small body is ignored")
    }

    @Test("a header block beyond the decoder's limit is refused without crashing the server")
    func hugeHeaders() async throws {
        let port = try await sharedDemo.value.port
        let huge = String(repeating: "x", count: 200_000)  // over the 160 KiB head limit in APIServer
        let response = try? await httpRequest(port: port, "GET", "/healthz", headers: [("X-Padding", huge)])
        #expect(response == nil || response?.status == 400 || response?.status == 431)
        #expect(try await httpRequest(port: port, "GET", "/healthz").status == 200)
    }
}
