import ArgumentParser
import Foundation
import Server
import ServiceLifecycle
import Settings
import Storage

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the read-only HTTP API and /metrics.",
        discussion: """
            Routes: /v1/divergence/latest, /v1/divergence?as_of=, /v1/history?from=&to=&step=, /v1/technicals?as_of=,
            /v1/bullishness?as_of=, /v1/documents?since=&limit=, /metrics (Prometheus text), /healthz, /openapi.json.
            Binds to 127.0.0.1 unless --host says otherwise. With --token-file, every route but /healthz needs
            `Authorization: Bearer <token>` (the file's first line, at least 16 characters). Stops on SIGINT or SIGTERM.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("Interface to listen on.", valueName: "address"))
    var host = "127.0.0.1"

    @Option(name: .long, help: ArgumentHelp("TCP port (0 picks a free one).", valueName: "port"))
    var port = 8080

    @Option(name: .long, help: ArgumentHelp("File whose first line is the bearer token required on every route but /healthz.", valueName: "path"))
    var tokenFile: String?

    @Option(name: .long, help: ArgumentHelp("Also run the ingest scheduler, waking at least this often (15m, 1h, ...); takes the store's writer lock.", valueName: "duration"))
    var ingestEvery: String?

    @Option(name: .long, help: ArgumentHelp("With --ingest-every: seconds a round may keep running after SIGTERM before its fetches are cancelled.", valueName: "seconds"))
    var shutdownGrace: Double = 10

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port \(port) is not a TCP port (0–65535)") }
        guard !host.isEmpty else { throw ValidationError("--host is empty") }
        if let ingestEvery, (Interval.seconds(ingestEvery) ?? 0) < 1 { throw ValidationError("--ingest-every '\(ingestEvery)' is not a duration like 15m, 1h or 1d") }
        guard shutdownGrace >= 0, shutdownGrace.isFinite else { throw ValidationError("--shutdown-grace must be a number of seconds ≥ 0") }
    }

    func run() async throws {
        let config = try global.loadConfig()
        var options = APIServerOptions()
        options.host = host
        options.port = port
        if let tokenFile {
            do { options.token = try BearerToken.load(path: tokenFile) } catch { throw CommandFailure.fail("--token-file \(error)", code: 1) }
        }
        let loopback = ["127.0.0.1", "::1", "localhost"].contains(host)
        if !loopback && options.token == nil {
            global.diagnose("warning: serving on \(host) without --token-file: anyone who can reach this address can read the store", level: .warning)
        }
        // With --ingest-every the store is created when missing (the scheduler fills it); the writer lock is held until exit.
        let writerLock = try ingestEvery.map { _ in try acquireWriterLock(config, wait: 0) }
        defer { writerLock??.release() }
        let store = ingestEvery == nil ? try openExistingStore(config) : try global.openStore(config)
        let server: APIServer
        do {
            server = try APIServer(config: config, store: store, options: options, logger: global.logger("divergence.server"))
        } catch let error as StoreError {
            throw CommandFailure.fail(error.description, code: 1)
        }
        let shownHost = host.contains(":") ? "[\(host)]" : host
        let tokenNote = options.token == nil ? "not required" : "required"
        let announce: @Sendable (Int) async -> Void = { port in
            global.diagnose("divergence: serving \(store.path) on http://\(shownHost):\(port) (token \(tokenNote); Ctrl-C stops)", level: .notice)
        }
        do {
            if let writerLock, let every = ingestEvery.flatMap(Interval.seconds) {
                let scheduler = makeIngestScheduler(config, store: store, lock: writerLock, global: global, every: every, shutdownGrace: shutdownGrace)
                var group = ServiceGroupConfiguration(services: [server.service(onListening: announce), scheduler], gracefulShutdownSignals: [.sigterm, .sigint],
                                                      logger: global.logger("divergence.lifecycle", defaultLevel: .notice))
                group.maximumGracefulShutdownDuration = .seconds(shutdownGrace + 5)
                group.maximumCancellationDuration = .seconds(5)
                try await ServiceGroup(configuration: group).run()
            } else {
                try await server.runUntilSignalled(onListening: announce)
            }
        } catch {
            throw CommandFailure.fail(StartFailure.describe(error, host: shownHost, port: port), code: 1)
        }
    }
}
