import ArgumentParser
import Settings
import Foundation
import Ingestion
import Reporting
import Storage

/// `--as-of` and `--format`, shared by the commands that print a report.
struct ReportOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Report as of a UTC date (end of that day) or ISO 8601 instant; default now.", valueName: "date"))
    var asOf: String?

    @Option(name: .long, help: "Output format: table or json.")
    var format: OutputFormat = .table

    func validate() throws {
        if let asOf, AsOfInstant.parse(asOf) == nil { throw ValidationError("--as-of '\(asOf)' is not a date like 2026-02-07 or an instant like 2026-02-07T12:00:00Z") }
    }

    var instant: Date { asOf.flatMap(AsOfInstant.parse) ?? Date() }

    func print(_ report: DivergenceReport) {
        switch format {
        case .table: Swift.print(ReportRendering.table(report, style: .automatic), terminator: "")
        case .json: Swift.print(ReportRendering.json(report), terminator: "")
        }
    }
}

/// Runs one ingest and prints each source's outcome on stderr; true when every source succeeded.
func ingestOnce(_ config: DivergenceConfig, store: Store, options: GlobalOptions, includeBackingOff: Bool) async throws -> Bool {
    let ingestor = Ingestor(config: config, store: store, logger: options.logger("divergence.ingest"))
    let results = try await CommandFailure.storeAsync { () async throws(StoreError) in try await ingestor.ingestAll(includeBackingOff: includeBackingOff) }
    if results.isEmpty { printDiagnostic("no sources configured: add [[source]] tables to the config or use `divergence sources add`") }
    for result in results {
        printDiagnostic(result.summaryLine)
        for warning in result.warnings.prefix(5) { printDiagnostic("         warning: \(warning)") }
        if result.warnings.count > 5 { printDiagnostic("         … and \(result.warnings.count - 5) more warning(s)") }
    }
    return !results.contains { if case .failed = $0.outcome { true } else { false } }
}

extension CommandFailure {
    static func storeAsync<T>(_ body: () async throws(StoreError) -> T) async throws -> T {
        do { return try await body() } catch { throw fail(error.description, code: 1) }
    }
}

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Ingest every configured source once, store it, and print the divergence report.",
        discussion: "Sources that fail are listed on stderr with their reason; the report is still printed from what the store holds (exit 3).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var report: ReportOptions

    @Flag(name: .long, help: "Also fetch sources that are backing off after failures.")
    var all = false

    func run() async throws {
        let config = try global.loadConfig()
        let store = try global.openStore(config)
        let allSucceeded = try await ingestOnce(config, store: store, options: global, includeBackingOff: all)
        let built = try CommandFailure.store { () throws(StoreError) in try ReportBuilder(config: config, store: store).build(asOf: report.instant) }
        if built.store.isEmpty { printDiagnostic("the store at \(store.path) is empty: nothing to report yet") }
        try CommandFailure.store { () throws(StoreError) in try store.saveSnapshot(built.snapshot) }
        report.print(built)
        if !allSucceeded { throw ExitCode(3) }
    }
}

struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Ingest every configured source once into the store.",
        discussion: "Each source commits in its own transaction; re-ingesting the same items never duplicates them. Exit 3 when some sources failed.")

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "Also fetch sources that are backing off after failures.")
    var all = false

    func run() async throws {
        let config = try global.loadConfig()
        let store = try global.openStore(config)
        if !(try await ingestOnce(config, store: store, options: global, includeBackingOff: all)) { throw ExitCode(3) }
    }
}

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Print the divergence report from what the store holds (point-in-time with --as-of).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var report: ReportOptions

    func run() async throws {
        let config = try global.loadConfig()
        guard let store = try CommandFailure.store({ () throws(StoreError) in try Store.openIfPresent(path: config.storePath) }) else {
            printDiagnostic("the store at \(config.storePath) does not exist yet: run `divergence ingest` first")
            throw ExitCode(1)
        }
        let built = try CommandFailure.store { () throws(StoreError) in try ReportBuilder(config: config, store: store).build(asOf: report.instant) }
        if built.store.isEmpty { printDiagnostic("the store at \(store.path) is empty: nothing to report yet") }
        report.print(built)
    }
}
