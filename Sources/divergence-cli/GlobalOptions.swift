import ArgumentParser
import Settings
import Foundation
import Logging
import Storage

/// `--config`, `--store` and `--log-level`, shared by every command.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Config file (TOML).", discussion: "Default: ./divergence.toml, else ./feeds/divergence.toml, else built-in defaults with no sources.", valueName: "path"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("SQLite store; overrides the config's `store`.", valueName: "path"))
    var store: String?

    @Option(name: .long, help: ArgumentHelp("Diagnostics on stderr: trace, debug, info, notice, warning, error, critical.", valueName: "level"))
    var logLevel: String = "error"

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("--log-level '\(logLevel)' is not one of trace, debug, info, notice, warning, error, critical") }
    }

    /// Loads the config, failing with one line (file, line, key, reason) and exit code 2.
    func loadConfig() throws -> DivergenceConfig {
        var loaded: DivergenceConfig
        if let path = config {
            loaded = try CommandFailure.config { () throws(ConfigError) in try ConfigLoader.load(path: path) }
        } else if let path = ["divergence.toml", "feeds/divergence.toml"].first(where: { FileManager.default.fileExists(atPath: $0) }) {
            loaded = try CommandFailure.config { () throws(ConfigError) in try ConfigLoader.load(path: path) }
        } else {
            loaded = DivergenceConfig()
        }
        if let store { loaded.storePath = store }
        return loaded
    }

    /// Opens (creating when needed) the store named by the config or `--store`.
    func openStore(_ config: DivergenceConfig) throws -> Store {
        try CommandFailure.store { () throws(StoreError) in try Store(path: config.storePath) }
    }

    func logger(_ label: String) -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .error
        return logger
    }
}

/// Prints one clear line to stderr and exits with the documented code.
enum CommandFailure {
    static func fail(_ message: String, code: Int32) -> ExitCode {
        FileHandle.standardError.write(Data("divergence: \(message)\n".utf8))
        return ExitCode(code)
    }

    static func config<T>(_ body: () throws(ConfigError) -> T) throws -> T {
        do { return try body() } catch { throw fail(error.description, code: 2) }
    }

    static func store<T>(_ body: () throws(StoreError) -> T) throws -> T {
        do { return try body() } catch { throw fail(error.description, code: 1) }
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json
}

/// Writes to stderr.
func printDiagnostic(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
