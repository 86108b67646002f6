import ArgumentParser
import Foundation
import Server
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

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port \(port) is not a TCP port (0–65535)") }
        guard !host.isEmpty else { throw ValidationError("--host is empty") }
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
            printDiagnostic("warning: serving on \(host) without --token-file: anyone who can reach this address can read the store")
        }
        let store = try openExistingStore(config)
        let server: APIServer
        do {
            server = try APIServer(config: config, store: store, options: options, logger: global.logger("divergence.server"))
        } catch let error as StoreError {
            throw CommandFailure.fail(error.description, code: 1)
        }
        let shownHost = host.contains(":") ? "[\(host)]" : host
        let tokenNote = options.token == nil ? "not required" : "required"
        do {
            try await server.runUntilSignalled { port in
                printDiagnostic("divergence: serving \(store.path) on http://\(shownHost):\(port) (token \(tokenNote); Ctrl-C stops)")
            }
        } catch {
            throw CommandFailure.fail("cannot serve on \(shownHost):\(port): \(error)", code: 1)
        }
    }
}
