import ArgumentParser
import Settings
import Foundation
import Ingestion
import Reporting
import Storage
import ServiceLifecycle
import Logging

/// `--as-of` and `--format`, shared by the commands that print a report.
struct ReportOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Report as of a UTC date (end of that day) or ISO 8601 instant; default now.", valueName: "date"))
    var asOf: String?

    @Option(name: .long, help: "Output format: table or json.")
    var format: OutputFormat = .table

    func validate() throws {
        try validateAsOf(asOf)
    }

    var instant: Date { asOf.flatMap(AsOfInstant.parse) ?? Date() }

    func print(_ report: DivergenceReport) {
        switch format {
        case .table: Swift.print(ReportRendering.table(report, style: .automatic), terminator: "")
        case .json: Swift.print(ReportRendering.json(report), terminator: "")
        }
    }
}

/// Fails when `--as-of` is unparseable or in the future.
func validateAsOf(_ asOf: String?) throws {
    guard let asOf else { return }
    guard let instant = AsOfInstant.parse(asOf) else {
        throw ValidationError("--as-of '\(asOf)' is not a date like 2026-02-07 or an instant like 2026-02-07T12:00:00Z")
    }
    if let reason = AsOfInstant.futureError(asOf, instant: instant, now: Date()) { throw ValidationError("--as-of \(reason)") }
}

/// Formats of `report` and `run`.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv, prometheus
}

/// `--as-of`, `--format` and `--out` of `report` and `run`.
struct ReportOutputOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Report as of a UTC date (end of that day) or ISO 8601 instant; default now.", valueName: "date"))
    var asOf: String?

    @Option(name: .long, help: "Output format: table, json, csv or prometheus (text format 0.0.4).")
    var format: ReportFormat = .table

    @Option(name: .long, help: ArgumentHelp("Write the report to this file atomically (temp file + rename), e.g. for node_exporter's textfile collector; default stdout.", valueName: "file"))
    var out: String?

    func validate() throws {
        try validateAsOf(asOf)
    }

    var instant: Date { asOf.flatMap(AsOfInstant.parse) ?? Date() }

    /// Prints (or writes to `--out`) the report in the chosen format.
    func emit(_ report: DivergenceReport, store: Store) throws {
        let text: String
        switch format {
        case .table: text = ReportRendering.table(report, style: out == nil ? .automatic : TerminalStyle(colour: false))
        case .json: text = ReportRendering.json(report)
        case .csv: text = ReportRendering.csv(report)
        case .prometheus:
            let sources = try CommandFailure.store { () throws(StoreError) in try store.sources() }
            let ingest = try CommandFailure.store { () throws(StoreError) in try store.ingestMetrics() }
            text = PrometheusRendering.text(report, sources: sources, ingest: ingest)
        }
        guard let out else { Swift.print(text, terminator: ""); return }
        do { try PrometheusRendering.writeAtomically(text, to: out) } catch { throw CommandFailure.fail("\(out): \(error)", code: 1) }
    }
}

/// After an ingest: `AfterIngest` saves the score snapshot as of now and evaluates the alert rules against it; each
/// alert that fired, and each of its failed deliveries, is one line on stderr.
func afterIngest(_ config: DivergenceConfig, store: Store, report: DivergenceReport? = nil, global: GlobalOptions) async throws(StoreError) {
    let deliveries = try await AfterIngest(config: config, store: store, logger: global.logger("divergence.alerts")).run(report: report, now: Date())
    for delivery in deliveries {
        global.diagnose("alert: \(delivery.event.message)", level: .notice, metadata: ["alert": "\(delivery.event.alert)"])
        for failure in delivery.failures { global.diagnose("alert delivery FAILED: \(failure)", level: .error, metadata: ["alert": "\(delivery.event.alert)"]) }
    }
}

/// `--lock-wait`: how long a one-shot ingest waits for a running daemon's writer lock.
struct LockOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Seconds to wait for another ingest writing the same store before giving up (exit 1).", valueName: "seconds"))
    var lockWait: Double = 5

    func validate() throws {
        guard lockWait >= 0, lockWait.isFinite else { throw ValidationError("--lock-wait must be a number of seconds ≥ 0") }
    }
}

/// Takes the store's writer lock for this process, or fails with one line naming the holder (exit 1). A PostgreSQL
/// store has no writer lock: any number of workers share it, each leasing the sources it fetches (nil).
func acquireWriterLock(_ config: DivergenceConfig, wait: TimeInterval) throws -> StoreLock? {
    if StoreLocationRule.isPostgreSQL(config.storePath) { return nil }
    let command = (["divergence"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
    do {
        return try StoreLock.acquire(storePath: config.storePath, command: command, wait: wait)
    } catch {
        throw CommandFailure.fail(error.description, code: 1)
    }
}

/// Runs one ingest under the writer lock and prints each source's outcome on stderr; true when every source succeeded.
func ingestOnce(_ config: DivergenceConfig, store: Store, options: GlobalOptions, includeBackingOff: Bool) async throws -> Bool {
    let ingestor = Ingestor(config: config, store: store, logger: options.logger("divergence.ingest"))
    let display = options.quiet ? nil : ProgressDisplay.forStderr(format: options.logFormat)
    let results = try await CommandFailure.storeAsync { () async throws(StoreError) in
        let selection = try ingestor.oneShotSelection(includeBackingOff: includeBackingOff)
        let ingested = try await ingestor.ingest(selection.due, progress: display?.callback)
        display?.finish()
        return selection.skipped + ingested
    }
    if results.isEmpty { options.diagnose("no sources configured: add [[source]] tables to the config or use `divergence sources add`", level: .warning) }
    for result in results {
        let level: Logger.Level = switch result.outcome {
        case .failed: .error
        case .skipped: result.stillFailing ? .error : .warning
        case .stored, .notModified: .notice
        }
        let metadata: Logger.Metadata = ["source": "\(result.name)"]
        options.diagnose(result.summaryLine, level: level, metadata: metadata)
        reportWarnings(result.warnings, options: options, metadata: metadata)
    }
    let backfilled = try await backfillHistory(ingestor, options: options)
    return !results.contains { $0.outcome.isFailure || $0.stillFailing } && backfilled
}

/// Backfills sources whose history is shorter than the readings need, saying on stderr which readings are missing until
/// it completes and how each backfill ended; false when one stopped early.
///
/// One worker at a time on a shared store (`Store.exclusively`): a second one finds the pages stored and fetches nothing.
func backfillHistory(_ ingestor: Ingestor, options: GlobalOptions) async throws -> Bool {
    let results: [BackfillResult]
    do {
        results = try await ingestor.store.exclusively {
            try await ingestor.backfillHistory { name, line in
                options.diagnose("history  \(name): \(line)", level: .warning, metadata: ["source": "\(name)"])
            }
        }
    } catch let error as StoreError {
        throw CommandFailure.fail(error.description, code: 1)
    }
    for result in results {
        let metadata: Logger.Metadata = ["source": "\(result.name)"]
        options.diagnose(result.summaryLine, level: result.stopped == nil ? .notice : .error, metadata: metadata)
        reportWarnings(result.warnings, options: options, metadata: metadata)
    }
    return !results.contains { $0.stopped != nil }
}

/// The first five warnings of a source, then how many more.
func reportWarnings(_ warnings: [String], options: GlobalOptions, metadata: Logger.Metadata) {
    for warning in warnings.prefix(5) { options.diagnose("         warning: \(warning)", level: .warning, metadata: metadata) }
    if warnings.count > 5 { options.diagnose("         … and \(warnings.count - 5) more warning(s)", level: .warning, metadata: metadata) }
}

extension CommandFailure {
    static func storeAsync<T>(_ body: () async throws(StoreError) -> T) async throws -> T {
        do { return try await body() } catch { throw fail(error.description, code: 1) }
    }
}

/// One self-rewriting line on a terminal (`[ 37/200] sources · 120 new · 2 failed`); nothing when stderr is not a TTY.
final class ProgressDisplay: @unchecked Sendable {
    private let lock = NSLock()
    private var lastDraw = Date.distantPast
    private var drawn = false

    /// A display when stderr is a terminal (and logs are text), else nil.
    static func forStderr(format: LogFormat) -> ProgressDisplay? {
        guard isatty(STDERR_FILENO) == 1, format == .text, ProcessInfo.processInfo.environment["TERM"] != "dumb" else { return nil }
        return ProgressDisplay()
    }

    func update(_ progress: IngestProgress) {
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard progress.done == progress.total || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        drawn = true
        let width = String(progress.total).count
        let done = String(repeating: " ", count: max(0, width - String(progress.done).count)) + String(progress.done)
        FileHandle.standardError.write(Data("\r\u{1B}[K[\(done)/\(progress.total)] sources · \(progress.itemsNew) new item(s) · \(progress.failures) failed".utf8))
    }

    /// `update` as an ingest progress callback.
    var callback: @Sendable (IngestProgress, SourceIngestResult) -> Void { { [self] progress, _ in update(progress) } }

    /// Clears the line.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        drawn = false
    }
}

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Ingest every configured source once, store it, and print the divergence report.",
        discussion: "Sources that fail are listed on stderr with their reason; the report is still printed from what the store holds (exit 3). Exit 1 when another ingest keeps the store's writer lock longer than --lock-wait.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var report: ReportOutputOptions
    @OptionGroup var lock: LockOptions

    @Flag(name: .long, help: "Also fetch sources that are backing off after failures.")
    var all = false

    func run() async throws {
        let config = try global.loadConfig()
        let writerLock = try acquireWriterLock(config, wait: lock.lockWait)
        defer { writerLock?.release() }
        let store = try global.openStore(config)
        let allSucceeded = try await ingestOnce(config, store: store, options: global, includeBackingOff: all)
        let built = try CommandFailure.store { () throws(StoreError) in try ReportBuilder(config: config, store: store).build(asOf: report.instant) }
        if built.store.isEmpty { global.diagnose("the store at \(store.path) is empty: nothing to report yet", level: .warning) }
        try CommandFailure.store { () throws(StoreError) in try store.saveSnapshot(built.snapshot) }
        if report.asOf == nil {
            try await CommandFailure.storeAsync { () async throws(StoreError) in try await afterIngest(config, store: store, report: built, global: global) }
        }
        try report.emit(built, store: store)
        if !allSucceeded { throw ExitCode(3) }
    }
}

struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Ingest every configured source once into the store, or keep ingesting with --every.",
        discussion: """
            Each source commits in its own transaction; re-ingesting the same items never duplicates them. Exit 3 when some sources failed.
            With --every the command runs until SIGTERM or SIGINT: each source is fetched when it is due (its interval after a success, exponential backoff after failures, Retry-After when asked, plus a small fixed jitter), the scheduler wakes at least every --every, and a score snapshot is saved after each round. On a signal the round in progress gets --shutdown-grace seconds, then in-flight fetches are cancelled; exit 0.
            Only one ingest writes a store at a time (lock file <store>.lock): a second --every refuses at once; a one-shot ingest waits --lock-wait seconds, then exits 1 naming the holder.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var lock: LockOptions

    @Flag(name: .long, help: "Also fetch sources that are backing off after failures (one-shot only).")
    var all = false

    @Option(name: .long, help: ArgumentHelp("Keep running, waking at least this often (15m, 1h, or seconds).", valueName: "duration"))
    var every: String?

    @Option(name: .long, help: ArgumentHelp("With --every: seconds a round may keep running after SIGTERM before its fetches are cancelled.", valueName: "seconds"))
    var shutdownGrace: Double = 10

    func validate() throws {
        if let every, (Interval.seconds(every) ?? 0) < 1 { throw ValidationError("--every '\(every)' is not a duration like 15m, 1h or 1d (at least 1 second)") }
        guard shutdownGrace >= 0, shutdownGrace.isFinite else { throw ValidationError("--shutdown-grace must be a number of seconds ≥ 0") }
        if every != nil && all { throw ValidationError("--all applies to a one-shot ingest, not to --every") }
    }

    func run() async throws {
        let config = try global.loadConfig()
        if let every = every.flatMap(Interval.seconds) {
            try await runScheduler(config, every: every)
            return
        }
        let writerLock = try acquireWriterLock(config, wait: lock.lockWait)
        defer { writerLock?.release() }
        let store = try global.openStore(config)
        let allSucceeded = try await ingestOnce(config, store: store, options: global, includeBackingOff: all)
        try await CommandFailure.storeAsync { () async throws(StoreError) in try await afterIngest(config, store: store, global: global) }
        if !allSucceeded { throw ExitCode(3) }
    }

    /// Runs the scheduler in a service group until SIGTERM/SIGINT; a second scheduler on the same store refuses at once.
    func runScheduler(_ config: DivergenceConfig, every: TimeInterval) async throws {
        let writerLock = try acquireWriterLock(config, wait: 0)
        defer { writerLock?.release() }
        let store = try global.openStore(config)
        let scheduler = makeIngestScheduler(config, store: store, lock: writerLock, global: global, every: every, shutdownGrace: shutdownGrace)
        var groupConfig = ServiceGroupConfiguration(services: [scheduler], gracefulShutdownSignals: [.sigterm, .sigint],
                                                    logger: global.logger("divergence.lifecycle", defaultLevel: .notice))
        groupConfig.maximumGracefulShutdownDuration = Duration.seconds(shutdownGrace + 5)
        groupConfig.maximumCancellationDuration = Duration.seconds(5)
        let global = global
        let notice = InterruptNotice { line in global.diagnose(line, level: .notice) }
        defer { withExtendedLifetime(notice) {} }
        do {
            try await ServiceGroup(configuration: groupConfig).run()
        } catch {
            throw CommandFailure.fail("ingest scheduler stopped: \(error)", code: 1)
        }
    }
}

/// The ingest scheduler over `store`, saving a score snapshot after each round, with a progress line on a terminal.
///
/// For `ingest --every` and `serve --ingest-every`: take the writer lock first (`acquireWriterLock(config, wait: 0)`),
/// keep it until the service group returns, and give the group SIGTERM/SIGINT as graceful-shutdown signals.
func makeIngestScheduler(_ config: DivergenceConfig, store: Store, lock: StoreLock?, global: GlobalOptions, every: TimeInterval, shutdownGrace: TimeInterval = 10) -> IngestScheduler {
    let logger = global.logger("divergence.scheduler", defaultLevel: .notice)
    let ingestor = Ingestor(config: config, store: store, logger: global.logger("divergence.ingest", defaultLevel: .notice))
    let display = global.quiet ? nil : ProgressDisplay.forStderr(format: global.logFormat)
    return IngestScheduler(
        ingestor: ingestor, lock: lock, options: IngestScheduler.Options(every: every, shutdownGrace: shutdownGrace), logger: logger,
        progress: display?.callback,
        afterRound: { _ in
            display?.finish()
            do { _ = try await backfillHistory(ingestor, options: global) } catch { logger.error("backfill not run", metadata: ["reason": "\(error)"]) }
            do { try await afterIngest(config, store: store, global: global) } catch { logger.error("snapshot not saved", metadata: ["reason": "\(error)"]) }
        })
}

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Print the divergence report from what the store holds (point-in-time with --as-of).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var report: ReportOutputOptions

    func run() async throws {
        let config = try global.loadConfig()
        let store = try openExistingStore(config)
        let built = try CommandFailure.store { () throws(StoreError) in try ReportBuilder(config: config, store: store).build(asOf: report.instant) }
        if built.store.isEmpty { global.diagnose("the store at \(store.path) is empty: nothing to report yet", level: .warning) }
        try report.emit(built, store: store)
    }
}
