import Foundation
import LoopbackHTTP
@testable import Server
import StoreTestSupport
import Testing

/// The optional bearer token: required everywhere but `/healthz`, compared in constant time, read from a file.
@Suite("Bearer-token authentication")
struct AuthTests {
    static let token = "s3cret-token-for-tests-0123456789"

    /// A server with the token over the shared demo store.
    func withTokenServer(_ body: (Int) async throws -> Void) async throws {
        let demo = try await sharedDemo.value.demo
        let server = try demo.server { $0.token = try? BearerToken(Self.token) }
        let running = try await server.start()
        do { try await body(running.port) } catch {
            await running.stop()
            throw error
        }
        await running.stop()
    }

    @Test("no token or a wrong one is a 401 with WWW-Authenticate; the right one is a 200; /healthz stays open")
    func tokenRequired() async throws {
        try await withTokenServer { port in
            let none = try await httpRequest(port: port, "GET", "/v1/divergence/latest")
            #expect(none.status == 401)
            #expect(none.header("WWW-Authenticate") == "Bearer realm=\"divergence\"")
            #expect((try none.json()["error"] as? String)?.contains("bearer token") == true)

            for wrong in ["Bearer wrong", "Bearer \(Self.token)x", "Bearer \(Self.token.dropLast())", "Basic \(Self.token)", Self.token, "Bearer"] {
                let response = try await httpRequest(port: port, "GET", "/v1/divergence/latest", headers: [("Authorization", wrong)])
                #expect(response.status == 401, "\(wrong)")
            }
            let twice = try await httpRequest(port: port, "GET", "/v1/divergence/latest",
                                              headers: [("Authorization", "Bearer \(Self.token)"), ("Authorization", "Bearer \(Self.token)")])
            #expect(twice.status == 401, "two Authorization headers are refused")

            for right in ["Bearer \(Self.token)", "bearer \(Self.token)", "BEARER  \(Self.token) "] {
                let response = try await httpRequest(port: port, "GET", "/v1/divergence/latest", headers: [("Authorization", right)])
                #expect(response.status == 200, "\(right)")
            }
            #expect(try await httpRequest(port: port, "GET", "/healthz").status == 200)
        }
    }

    @Test("every route but /healthz needs the token, and unknown paths answer 401 before 404", arguments: [
        "/v1/divergence/latest", "/v1/divergence?as_of=2026-02-07", "/v1/history", "/v1/technicals", "/v1/bullishness",
        "/v1/documents", "/metrics", "/openapi.json", "/v1/chart", "/v1/sources", "/", "/v1/unknown",
    ])
    func everyRoute(target: String) async throws {
        try await withTokenServer { port in
            #expect(try await httpRequest(port: port, "GET", target).status == 401)
            let authorised = try await httpRequest(port: port, "GET", target, headers: [("Authorization", "Bearer \(Self.token)")])
            #expect(authorised.status == (target == "/v1/unknown" ? 404 : 200))
        }
    }

    @Test("the comparison looks at every byte and at the length")
    func constantTimeComparison() {
        let expected = Array("abcdefghijklmnop".utf8)
        #expect(BearerToken.constantTimeEquals(expected, expected))
        #expect(!BearerToken.constantTimeEquals(Array("abcdefghijklmnoq".utf8), expected))
        #expect(!BearerToken.constantTimeEquals(Array("Xbcdefghijklmnop".utf8), expected))
        #expect(!BearerToken.constantTimeEquals(Array("abcdefghijklmno".utf8), expected))
        #expect(!BearerToken.constantTimeEquals(Array("abcdefghijklmnopq".utf8), expected))
        #expect(!BearerToken.constantTimeEquals([], expected))
    }

    @Test("the token file's first line is the token; short, empty or spaced tokens are refused")
    func tokenFile() throws {
        let scratch = try ScratchDirectory()
        let good = scratch.path("token")
        try "\(Self.token)\n".write(toFile: good, atomically: true, encoding: .utf8)
        #expect(try BearerToken.load(path: good).accepts(authorization: "Bearer \(Self.token)"))

        let short = scratch.path("short")
        try "hunter2\n".write(toFile: short, atomically: true, encoding: .utf8)
        #expect(throws: BearerTokenError.inFile(path: short, .tooShort(length: 7))) { try BearerToken.load(path: short) }
        let empty = scratch.path("empty")
        try "\n\n".write(toFile: empty, atomically: true, encoding: .utf8)
        #expect(throws: BearerTokenError.inFile(path: empty, .empty)) { try BearerToken.load(path: empty) }
        #expect(throws: BearerTokenError.invalidCharacters) { try BearerToken("two words in a token here") }
        #expect(throws: BearerTokenError.unreadable(path: scratch.path("missing"))) { try BearerToken.load(path: scratch.path("missing")) }
        #expect(!(try BearerToken(Self.token)).description.contains(Self.token), "the description never shows the secret")
    }

    @Test("the default options bind to loopback")
    func loopbackByDefault() {
        #expect(APIServerOptions().host == "127.0.0.1")
        #expect(APIServerOptions().token == nil)
    }
}
