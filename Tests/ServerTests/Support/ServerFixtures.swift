import Foundation
import Ingestion
import Logging
import Market
import Server
import Settings
import Storage

/// The repository root, from this file's path.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The end of 2026-02-07 (UTC): the demo scenario's "now", so every answer is reproducible.
let demoNow = UTCDay(year: 2026, month: 2, day: 7).end

/// A temporary directory removed when the owner goes away.
final class ScratchDirectory: Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("divergence-server-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// The offline demo scenario (`feeds/demo/divergence.toml`) ingested through `Ingestor` into a temporary store.
final class DemoStore: Sendable {
    let scratch: ScratchDirectory
    let config: DivergenceConfig
    let store: Store

    private init(scratch: ScratchDirectory, config: DivergenceConfig, store: Store) {
        self.scratch = scratch
        self.config = config
        self.store = store
    }

    static func make() async throws -> DemoStore {
        let scratch = try ScratchDirectory()
        var config = try ConfigLoader.load(path: packageRoot.appendingPathComponent("feeds/demo/divergence.toml").path)
        config.storePath = scratch.path("demo.sqlite")
        let store = try Store(path: config.storePath)
        _ = try await Ingestor(config: config, store: store, logger: Logger(label: "server-tests")).ingestAll(now: demoNow)
        return DemoStore(scratch: scratch, config: config, store: store)
    }

    /// A server over this store with "now" pinned to the demo's date.
    func server(_ configure: (inout APIServerOptions) -> Void = { _ in }) throws -> APIServer {
        var options = APIServerOptions()
        options.port = 0
        configure(&options)
        return try APIServer(config: config, store: store, options: options, logger: Logger(label: "server-tests"), now: { demoNow })
    }
}

/// One demo store and one running server (no token) shared by the read-only tests.
struct SharedDemo: Sendable {
    let demo: DemoStore
    let server: APIServer
    let port: Int
}

let sharedDemo = Task<SharedDemo, any Error> {
    let demo = try await DemoStore.make()
    let server = try demo.server()
    let running = try await server.start()
    return SharedDemo(demo: demo, server: server, port: running.port)
}
