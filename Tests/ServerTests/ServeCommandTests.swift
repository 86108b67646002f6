import Foundation
import LoopbackHTTP
import Storage
import StoreTestSupport
import Testing

/// `divergence serve` as a user runs it: the real binary, a token file, SIGTERM to stop.
@Suite("divergence serve (the binary)")
struct ServeCommandTests {
    /// The `divergence` binary of the build these tests belong to.
    static let binary = BuiltBinary.path("divergence")

    func launch(_ arguments: [String], stderr: String) throws -> Process {
        FileManager.default.createFile(atPath: stderr, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        process.currentDirectoryURL = packageRoot
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderr))
        try process.run()
        return process
    }

    /// Polls until the process has exited (at most 30 s), then reaps it (until then Foundation keeps the Process alive).
    func waitForExit(_ process: Process) async throws {
        for _ in 0..<600 where process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        if !process.isRunning { process.waitUntilExit() }
    }

    @Test("serves on the port it prints, asks for the token, keeps /healthz open and exits 0 on SIGTERM", arguments: StoreBackendKind.available)
    func servesAndStops(_ backend: StoreBackendKind) async throws {
        let demo = try await SharedDemo.on(backend).demo
        let scratch = try ScratchDirectory()
        let token = "0123456789abcdef0123456789abcdef"
        try "\(token)\n".write(toFile: scratch.path("token"), atomically: true, encoding: .utf8)
        let stderr = scratch.path("stderr")
        let process = try launch(["serve", "--config", "feeds/demo/divergence.toml", "--store", demo.config.storePath, "--port", "0",
                                  "--token-file", scratch.path("token")], stderr: stderr)
        defer { if process.isRunning { process.terminate() } }

        var port: Int?
        for _ in 0..<200 where port == nil {
            try await Task.sleep(for: .milliseconds(50))
            let text = (try? String(contentsOfFile: stderr, encoding: .utf8)) ?? ""
            if let match = text.firstMatch(of: /on http:\/\/127\.0\.0\.1:(\d+) \(token required/) { port = Int(match.1) }
        }
        let bound = try #require(port, "the binary prints the address it listens on")
        #expect(try await httpRequest(port: bound, "GET", "/healthz").status == 200)
        #expect(try await httpRequest(port: bound, "GET", "/v1/divergence/latest").status == 401)
        let authorised = try await httpRequest(port: bound, "GET", "/v1/divergence?as_of=2026-02-07", headers: [("Authorization", "Bearer \(token)")])
        #expect(authorised.status == 200)
        #expect((try authorised.json()["divergence"] as? [String: Any])?["label"] as? String == "strong", "D ≈ +45 on the demo")

        process.terminate()
        try await waitForExit(process)
        #expect(process.terminationReason == .exit && process.terminationStatus == 0)
    }

    @Test("a port another server holds is named in one line, in the user's words, with exit 1")
    func portInUse() async throws {
        let shared = try await sharedDemo.value
        let scratch = try ScratchDirectory()
        let stderr = scratch.path("stderr")
        let process = try launch(["serve", "--config", "feeds/demo/divergence.toml", "--store", shared.demo.store.path, "--port",
                                  String(shared.port)], stderr: stderr)
        defer { if process.isRunning { process.terminate() } }
        try await waitForExit(process)
        #expect(process.terminationStatus == 1)
        let text = try String(contentsOfFile: stderr, encoding: .utf8)
        #expect(text.contains("divergence: port \(shared.port) is already in use on 127.0.0.1"), "\(text)")
        #expect(!text.contains("errno"))
    }

    @Test("a missing store or a weak token file stops it with exit 1 and one line", arguments: StoreBackendKind.available)
    func refusals(_ backend: StoreBackendKind) async throws {
        let scratch = try ScratchDirectory()
        // No file; or a database without divergence's tables, named with a password (trust authentication ignores it)
        // that no message may show.
        let location = try backend.freshLocation("none", in: scratch)
        let given = backend == .sqlite ? location : location.replacingOccurrences(of: "postgresql://divergence@", with: "postgresql://divergence:pw-not-shown@")
        let missing = try launch(["serve", "--store", given, "--port", "0"], stderr: scratch.path("missing"))
        try await waitForExit(missing)
        #expect(missing.terminationStatus == 1)
        let message = try String(contentsOfFile: scratch.path("missing"), encoding: .utf8)
        #expect(message.contains("does not exist yet"), "\(message)")
        #expect(!message.contains("pw-not-shown"), "\(message)")
        #expect(try Store.openIfPresent(location: StoreLocation.parse(location)) == nil, "serve never creates a store")

        let demo = try await sharedDemo.value.demo
        try "hunter2\n".write(toFile: scratch.path("weak"), atomically: true, encoding: .utf8)
        let weak = try launch(["serve", "--store", demo.store.path, "--port", "0", "--token-file", scratch.path("weak")], stderr: scratch.path("weak.err"))
        try await waitForExit(weak)
        #expect(weak.terminationStatus == 1)
        #expect(try String(contentsOfFile: scratch.path("weak.err"), encoding: .utf8).contains("use at least 16"))
    }

    @Test("serve --ingest-every fills a new store while serving, holds the writer lock (SQLite; PostgreSQL workers lease instead), and exits 0 on SIGTERM", arguments: StoreBackendKind.available)
    func servesAndIngests(_ backend: StoreBackendKind) async throws {
        let scratch = try ScratchDirectory()
        let store = try backend.freshLocation("fresh", in: scratch)
        let stderr = scratch.path("stderr")
        let process = try launch(["serve", "--config", "feeds/demo/divergence.toml", "--store", store, "--port", "0", "--ingest-every", "1h"], stderr: stderr)
        defer { if process.isRunning { process.terminate() } }

        var port: Int?
        for _ in 0..<300 where port == nil {
            try await Task.sleep(for: .milliseconds(50))
            let text = (try? String(contentsOfFile: stderr, encoding: .utf8)) ?? ""
            if let match = text.firstMatch(of: /on http:\/\/127\.0\.0\.1:(\d+) \(token not required/) { port = Int(match.1) }
        }
        let bound = try #require(port, "the binary prints the address it listens on")
        // The first round ingests the 8 demo sources; the API then answers from what it stored.
        var documents = 0
        for _ in 0..<200 where documents < 11 {
            try await Task.sleep(for: .milliseconds(100))
            let response = try await httpRequest(port: bound, "GET", "/v1/divergence?as_of=2026-02-07")
            if response.status == 200, let data = (try? response.json())?["data"] as? [String: Any] { documents = data["documents"] as? Int ?? 0 }
        }
        #expect(documents == 11)
        if backend == .sqlite {
            let lock = try String(contentsOfFile: store + ".lock", encoding: .utf8)
            #expect(lock.contains("pid=\(process.processIdentifier)"), "the scheduler holds the writer lock")
        }

        process.terminate()
        try await waitForExit(process)
        // On failure, say which way it failed, with the end of the binary's own log (one loaded full run saw it once).
        let log = String(((try? String(contentsOfFile: stderr, encoding: .utf8)) ?? "").suffix(3_000))
        #expect(!process.isRunning, "still running 30 s after SIGTERM; its stderr ends:\n\(log)")
        if !process.isRunning {
            #expect(process.terminationReason == .exit && process.terminationStatus == 0,
                    "ended by \(process.terminationReason == .exit ? "exit" : "signal") \(process.terminationStatus); its stderr ends:\n\(log)")
        }
    }
}
