import Foundation
import LoopbackHTTP
import Testing

@testable import Fetching

@Suite("scheme refusal and the SSRF guard")
struct SchemeAndAddressGuardTests {
    @Test("non-HTTP schemes are refused before any connection", arguments: [
        ("ftp://127.0.0.1:1/feed.xml", "ftp"),
        ("gopher://127.0.0.1:1/", "gopher"),
        ("file:///etc/passwd", "file"),
        ("FILE:///etc/passwd", "file"),
        ("dict://127.0.0.1:1/", "dict"),
    ])
    func refusedSchemes(url: String, scheme: String) async {
        let error = await fetchError(HTTPFetcher(), FetchRequest(url: url, policy: loopbackPolicy()))
        #expect(error == .schemeNotAllowed(url: url, scheme: scheme))
    }

    @Test("a redirect to a non-HTTP scheme is refused", arguments: [
        ("file:///etc/passwd", "file"), ("ftp://127.0.0.1:1/x", "ftp"), ("gopher://127.0.0.1:1/", "gopher"),
    ])
    func refusedRedirectSchemes(location: String, scheme: String) async throws {
        try await withServer(["/r": .redirect(status: 302, location: location)]) { server in
            let url = server.url("/r")
            let error = await fetchError(HTTPFetcher(), FetchRequest(url: url, policy: loopbackPolicy()))
            #expect(error == .schemeNotAllowed(url: url, scheme: scheme))
        }
    }

    @Test("a user-listed local path is read through file://, as a URL or a bare absolute path")
    func localPath() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fetching-\(UUID().uuidString) dir")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("local feed.xml")
        let content = Array("<rss/>".utf8)
        try Data(content).write(to: file)

        let fetcher = HTTPFetcher()
        let byPath = try await fetcher.fetch(FetchRequest(url: file.path, isLocalPath: true))
        #expect(byPath.status == 200)
        #expect(byPath.body == content)
        let byURL = try await fetcher.fetch(FetchRequest(url: file.absoluteString, isLocalPath: true))
        #expect(byURL.body == content)
        let notLocal = await fetchError(fetcher, FetchRequest(url: file.absoluteString))
        #expect(notLocal == .schemeNotAllowed(url: file.absoluteString, scheme: "file"))
        let httpForLocal = await fetchError(fetcher, FetchRequest(url: "http://127.0.0.1:1/", isLocalPath: true))
        #expect(httpForLocal == .schemeNotAllowed(url: "http://127.0.0.1:1/", scheme: "http"))
    }

    @Test("with the guard on, loopback in any spelling is refused and the server sees no connection", arguments: [
        "127.0.0.1", "2130706433", "0x7f000001", "127.1", "[::ffff:127.0.0.1]",
    ])
    func guardRefusesLoopback(host: String) async throws {
        try await withServer(["/x": .respond(body: [1])]) { server in
            let url = "http://\(host):\(server.port)/x"
            let error = await fetchError(HTTPFetcher(), FetchRequest(url: url, policy: FetchPolicy(connectTimeout: 2, totalTimeout: 5)))
            guard case .blockedAddress(let blockedURL, let address) = error else {
                Issue.record("expected blockedAddress, got \(String(describing: error))")
                return
            }
            #expect(blockedURL == url)
            #expect(address.hasSuffix("127.0.0.1"))
            #expect(server.connectionCount == 0)
        }
    }

    @Test("every redirect hop is screened: a permitted origin redirecting to another loopback address is refused")
    func guardOnRedirectHop() async throws {
        try await withServer(["/x": .respond(body: [2])], host: "127.0.0.2") { target in
            try await withServer(["/r": .redirect(status: 302, location: target.url("/x"))]) { origin in
                let fetcher = HTTPFetcher()
                let originOnly = FetchPolicy(totalTimeout: 5, allowedAddresses: [InternetAddress(parsing: "127.0.0.1")!])
                let on = await fetchError(fetcher, FetchRequest(url: origin.url("/r"), policy: originOnly))
                #expect(on == .blockedAddress(url: origin.url("/r"), address: "127.0.0.2"))
                #expect(origin.requestCount(path: "/r") == 1)
                #expect(target.connectionCount == 0)
                let off = try await fetcher.fetch(FetchRequest(url: origin.url("/r"), policy: loopbackPolicy()))
                #expect(off.body == [2])
                #expect(target.connectionCount == 1)
            }
        }
    }

    @Test("with the guard off, loopback is fetched")
    func guardOff() async throws {
        try await withServer(["/x": .respond(body: [3])]) { server in
            let response = try await HTTPFetcher().fetch(FetchRequest(url: server.url("/x"), policy: loopbackPolicy()))
            #expect(response.body == [3])
            #expect(server.connectionCount == 1)
        }
    }

    @Test("address classification", arguments: [
        ("8.8.8.8", nil), ("1.1.1.1", nil), ("172.15.255.255", nil), ("172.32.0.1", nil), ("100.63.255.255", nil),
        ("100.128.0.1", nil), ("2606:4700:4700::1111", nil), ("::ffff:8.8.8.8", nil), ("2002:0808:0808::1", nil),
        ("0.0.0.0", "unspecified"), ("10.1.2.3", "private"), ("172.16.0.1", "private"), ("172.31.255.255", "private"),
        ("192.168.1.1", "private"), ("100.64.0.1", "shared address space"), ("100.127.255.255", "shared address space"),
        ("127.0.0.1", "loopback"), ("127.255.255.254", "loopback"), ("169.254.169.254", "link-local"),
        ("224.0.0.1", "multicast"), ("255.255.255.255", "reserved"), ("::", "unspecified"), ("::1", "loopback"),
        ("fe80::1", "link-local"), ("febf::1", "link-local"), ("fc00::1", "unique-local"), ("fd12:3456::1", "unique-local"),
        ("ff02::1", "multicast"), ("::ffff:127.0.0.1", "IPv4-mapped loopback"),
        ("::ffff:169.254.169.254", "IPv4-mapped link-local"), ("::ffff:10.0.0.1", "IPv4-mapped private"),
        ("::127.0.0.1", "IPv4-compatible loopback"), ("64:ff9b::a00:1", "NAT64 private"),
        ("2002:7f00:1::", "6to4 loopback"),
    ] as [(String, String?)])
    func classification(text: String, reason: String?) throws {
        let address = try #require(InternetAddress(parsing: text))
        #expect(address.blockedReason == reason)
        #expect(address.isPublic == (reason == nil))
    }
}
