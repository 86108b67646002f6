import Foundation
import LoopbackHTTP
@testable import Server
import Testing

/// Parameters scrapers add, an as-of past the server's clock, and the OpenAPI document's server entry.
@Suite("Routes for scrapers and probes")
struct ScraperFriendlyRouteTests {
    @Test("/metrics and /healthz ignore query parameters a scraper or probe adds", arguments: ["/metrics?x=1", "/healthz?x=1&y", "/metrics?%zz"])
    func ignoredParameters(_ target: String) async throws {
        let shared = try await sharedDemo.value
        let response = try await httpRequest(port: shared.port, "GET", target)
        #expect(response.status == 200, "\(response.text)")
    }

    @Test("other routes still refuse unknown parameters")
    func otherRoutesStayStrict() async throws {
        let shared = try await sharedDemo.value
        #expect(try await httpRequest(port: shared.port, "GET", "/v1/divergence/latest?x=1").status == 400)
    }

    @Test("an as_of after the server's clock is a 400 naming the parameter (the server's now is the end of 2026-02-07)")
    func futureAsOf() async throws {
        let shared = try await sharedDemo.value
        let response = try await httpRequest(port: shared.port, "GET", "/v1/divergence?as_of=2026-02-09")
        #expect(response.status == 400)
        #expect(try response.json()["error"] as? String == "parameter 'as_of': '2026-02-09' is in the future (now is 2026-02-08T00:00:00Z)")
        // The day that ends at the clock's instant is not in the future.
        #expect(try await httpRequest(port: shared.port, "GET", "/v1/divergence?as_of=2026-02-07").status == 200)
    }

    @Test("the OpenAPI document's server is relative, so it holds on any host and port")
    func relativeServer() async throws {
        let shared = try await sharedDemo.value
        let document = try await httpRequest(port: shared.port, "GET", "/openapi.json").json()
        let servers = try #require(document["servers"] as? [[String: Any]])
        #expect(servers.map { $0["url"] as? String } == ["/"])
    }
}
