import Foundation
import Ingestion
import Logging
import Market
import Server
import Settings
import Storage
import StoreTestSupport

/// The repository root, from this file's path.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The end of 2026-02-07 (UTC): the demo scenario's "now", so every answer is reproducible.
let demoNow = UTCDay(year: 2026, month: 2, day: 7).end

/// The offline demo scenario (`feeds/demo/divergence.toml`) ingested through `Ingestor` into a fresh store of one backend.
final class DemoStore: Sendable {
    let scratch: ScratchDirectory
    let config: DivergenceConfig
    let store: Store

    private init(scratch: ScratchDirectory, config: DivergenceConfig, store: Store) {
        self.scratch = scratch
        self.config = config
        self.store = store
    }

    static func make(_ backend: StoreBackendKind = .sqlite) async throws -> DemoStore {
        // Held by the process-wide shared demo, so never released: removed when the process exits.
        let scratch = try ScratchDirectory(removedAtExit: true)
        var config = try ConfigLoader.load(path: packageRoot.appendingPathComponent("feeds/demo/divergence.toml").path)
        config.storePath = try backend.freshLocation("demo", in: scratch)
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

/// One demo store and one running server (no token) per backend, shared by the read-only tests.
struct SharedDemo: Sendable {
    let demo: DemoStore
    let server: APIServer
    let port: Int

    /// Ingests the demo into a fresh store of `backend` and starts a server over it.
    static func start(_ backend: StoreBackendKind) async throws -> SharedDemo {
        let demo = try await DemoStore.make(backend)
        let server = try demo.server()
        let running = try await server.start()
        return SharedDemo(demo: demo, server: server, port: running.port)
    }

    /// The process's shared demo on `backend`, started on first use.
    static func on(_ backend: StoreBackendKind) async throws -> SharedDemo {
        switch backend {
        case .sqlite: try await sharedDemo.value
        case .postgresql: try await sharedPostgresDemo.value
        }
    }
}

/// The shared demo on SQLite, for the tests whose subject is not the store (errors, authentication, the dashboard page).
let sharedDemo = Task<SharedDemo, any Error> { try await SharedDemo.start(.sqlite) }

/// Its PostgreSQL twin: the same offline demo ingested into a fresh database of the private cluster.
let sharedPostgresDemo = Task<SharedDemo, any Error> { try await SharedDemo.start(.postgresql) }
