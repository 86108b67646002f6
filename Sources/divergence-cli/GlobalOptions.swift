import ArgumentParser
import Foundation
import JSONOutput
import Logging
import Settings
import Storage

/// `--config`, `--store`, `--log-level` and `--log-format`, shared by every command.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Config file (TOML).", discussion: "Default: ./divergence.toml, else ./feeds/divergence.toml, else built-in defaults with no sources.", valueName: "path"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("SQLite file or postgresql://user@host:5432/database URL; overrides the config's `store`.", valueName: "path-or-url"))
    var store: String?

    @Option(name: .long, help: ArgumentHelp("Diagnostics on stderr: trace, debug, info, notice, warning, error, critical.", valueName: "level"))
    var logLevel: String?

    @Option(name: .long, help: ArgumentHelp("Log lines on stderr as text or json (one object per line).", valueName: "format"))
    var logFormat: LogFormat = .text

    @Flag(name: .long, help: "Only errors on stderr (the same as --log-level error), no progress.")
    var quiet = false

    func validate() throws {
        if let store, let reason = StoreLocationRule.problem(store) { throw ValidationError("--store '\(store)': \(reason)") }
        if let logLevel, Logger.Level(rawValue: logLevel) == nil {
            throw ValidationError("--log-level '\(logLevel)' is not one of trace, debug, info, notice, warning, error, critical")
        }
        if quiet, logLevel != nil { throw ValidationError("--quiet and --log-level say the same thing twice: give one") }
    }

    /// The level below which diagnostics are dropped: --quiet → error, else --log-level, else `defaultLevel`.
    func threshold(defaultLevel: Logger.Level) -> Logger.Level {
        quiet ? .error : logLevel.flatMap(Logger.Level.init(rawValue:)) ?? defaultLevel
    }

    /// One diagnostic line at `level` (per-source outcomes, alerts, notices): printed as it reads with --log-format
    /// text, a JSON log record with --log-format json, dropped under the threshold (default notice: shown).
    func diagnose(_ line: String, level: Logger.Level, metadata: Logger.Metadata = [:]) {
        guard level >= threshold(defaultLevel: .notice) else { return }
        switch logFormat {
        case .text: printDiagnostic(line)
        case .json:
            var logger = logger("divergence", defaultLevel: .trace)
            logger.logLevel = .trace
            logger.log(level: level, "\(line)", metadata: metadata)
        }
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
        try CommandFailure.store { () throws(StoreError) in try Store(location: storeLocation(config)) }
    }

    /// A logger writing to stderr in `--log-format`, at `--log-level` (else `defaultLevel`).
    func logger(_ label: String, defaultLevel: Logger.Level = .error) -> Logger {
        LogOutput.bootstrap(format: logFormat)
        var logger = Logger(label: label)
        logger.logLevel = threshold(defaultLevel: defaultLevel)
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


/// `--log-format`: how log lines look on stderr.
enum LogFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// Where the executable's logs go: stderr, one line per record, as text or JSON. Bootstrapped once per process.
enum LogOutput {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var bootstrapped = false

    /// Installs the stderr handler in `format` the first time it is called; later calls do nothing.
    static func bootstrap(format: LogFormat) {
        lock.lock()
        defer { lock.unlock() }
        guard !bootstrapped else { return }
        bootstrapped = true
        LoggingSystem.bootstrap { label in StderrLogHandler(label: label, format: format) }
    }
}

/// Writes each record as one line to stderr: `2026-02-07T12:00:00.000Z notice divergence.ingest: message key=value`,
/// or `{"ts":…,"level":…,"label":…,"message":…, metadata…}`.
struct StderrLogHandler: LogHandler {
    let label: String
    let format: LogFormat
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let (level, message) = (event.level, event.message)
        var merged = metadata.merging(event.metadata ?? [:]) { $1 }
        if let error = event.error { merged["error"] = "\(error)" }
        let timestamp = Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        var text: String
        switch format {
        case .text:
            text = "\(timestamp) \(level) \(label): \(message)"
            for key in merged.keys.sorted() { text += " \(key)=\(Self.quoted("\(merged[key]!)"))" }
        case .json:
            var object: [String: String] = ["ts": timestamp, "level": level.rawValue, "label": label, "message": "\(message)"]
            for (key, value) in merged where object[key] == nil { object[key] = "\(value)" }
            var line = JSONWriter(capacity: 256)
            line.raw("{")
            for (index, key) in object.keys.sorted().enumerated() {
                if index > 0 { line.raw(",") }
                line.string(key)
                line.raw(":")
                line.string(object[key])
            }
            line.raw("}")
            text = String(decoding: line.bytes, as: UTF8.self)
        }
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    private static func quoted(_ value: String) -> String {
        value.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" }) ? "\"" + value.replacingOccurrences(of: "\"", with: "\\\"") + "\"" : value
    }
}

/// The cores this process may run on: the default of `--jobs`, asked for only when the command runs (ArgumentParser
/// makes a command's default values several times while parsing, and the count reads the cgroup's CPU limits).
func availableCores() -> Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }
