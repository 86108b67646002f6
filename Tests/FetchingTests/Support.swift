import Foundation
import LoopbackHTTP
import Testing

@testable import Fetching

/// A policy that may reach the loopback server (the SSRF guard is off) with short limits for tests.
func loopbackPolicy(
    totalTimeout: Double = 10,
    maxRedirects: Int = 5,
    maxBytes: Int = 20_000_000,
    maxCompressedBytes: Int = 20_000_000
) -> FetchPolicy {
    FetchPolicy(
        connectTimeout: 5,
        totalTimeout: totalTimeout,
        maxRedirects: maxRedirects,
        maxBytes: maxBytes,
        maxCompressedBytes: maxCompressedBytes,
        allowPrivateNetwork: true
    )
}

/// Runs `body` against a fresh loopback server with `routes`, stopping the server afterwards.
func withServer<T>(
    _ routes: [String: LoopbackRoute],
    host: String = "127.0.0.1",
    _ body: (LoopbackHTTPServer) async throws -> T
) async throws -> T {
    let server = try LoopbackHTTPServer(host: host, routes: routes)
    defer { server.stop() }
    return try await body(server)
}

/// The error a fetch threw, or nil when it succeeded.
func fetchError(_ fetcher: HTTPFetcher, _ request: FetchRequest) async -> FetchError? {
    do {
        _ = try await fetcher.fetch(request)
        return nil
    } catch {
        return error
    }
}

/// Bytes of a fixture in `Fixtures/`.
func fixture(_ name: String) throws -> [UInt8] {
    let url = try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"))
    return Array(try Data(contentsOf: url))
}
