import ArgumentParser
import Settings
import Foundation
import Ingestion
import Market
import Reporting
import Storage

/// Opens the store read-only (`.readWrite` for a reader that also saves), or explains that it does not exist yet (exit 1).
func openExistingStore(_ config: DivergenceConfig, access: Store.Access = .readOnly) throws -> Store {
    let location = try CommandFailure.store { () throws(StoreError) in try storeLocation(config) }
    guard let store = try CommandFailure.store({ () throws(StoreError) in try Store.openIfPresent(location: location, access: access) }) else {
        // The location as messages name it: a PostgreSQL URL without its password.
        printDiagnostic("the store at \(location.description) does not exist yet: run `divergence ingest` first")
        throw ExitCode(1)
    }
    return store
}

/// The store the config names: a file path, or a PostgreSQL URL with its password from the URL, `password_file` or `PGPASSWORD`.
func storeLocation(_ config: DivergenceConfig) throws(StoreError) -> StoreLocation {
    try StoreLocation.parse(config.storePath, passwordFile: config.storePasswordFile)
}

/// `--from` and `--to` as UTC days, shared by the commands that cover a date range.
struct DayRange: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("First UTC day (YYYY-MM-DD); default in the command's help (--help).", valueName: "date")) var from: String?
    @Option(name: .long, help: ArgumentHelp("Last UTC day (YYYY-MM-DD), also the point-in-time cut-off; default in the command's help.", valueName: "date")) var to: String?

    func validate() throws {
        for (flag, value) in [("--from", from), ("--to", to)] {
            if let value, UTCDay(iso: value) == nil { throw ValidationError("\(flag) '\(value)' is not a date like 2026-02-07") }
        }
        if let first = fromDay, let last = toDay, first > last { throw ValidationError("--from \(first.iso) is after --to \(last.iso)") }
    }

    var fromDay: UTCDay? { from.flatMap(UTCDay.init(iso:)) }
    var toDay: UTCDay? { to.flatMap(UTCDay.init(iso:)) }
}

struct TechnicalsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "technicals",
        abstract: "Every technical reading behind R: production cost, hash ribbon, weekly Ichimoku, support, trend, momentum, stress test.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var report: ReportOptions

    func run() async throws {
        let config = try global.loadConfig()
        let store = try openExistingStore(config)
        let snapshot = try CommandFailure.store { () throws(StoreError) in try MarketQueries(config: config, store: store).technicals(asOf: report.instant) }
        guard let snapshot else {
            printDiagnostic("no price data in the store at this date")
            throw ExitCode(1)
        }
        switch report.format {
        case .table: print(TechnicalsRendering.table(snapshot, style: .automatic), terminator: "")
        case .json: print(TechnicalsRendering.json(snapshot), terminator: "")
        }
    }
}

enum EventsFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json
}

struct SignalsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signals",
        abstract: "Dated market events: Kumo twists, capitulation start/end, buy signals, death/golden crosses, price vs production cost.",
        discussion: "Defaults: --from is the first stored day and --to today (UTC): every event in the store.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var range: DayRange
    @Option(name: .long, help: "Output format: table, csv or json.") var format: EventsFormat = .table

    func run() async throws {
        let config = try global.loadConfig()
        let store = try openExistingStore(config)
        let events = try CommandFailure.store { () throws(StoreError) in
            try MarketQueries(config: config, store: store).events(from: range.fromDay, to: range.toDay, asOf: range.toDay?.end ?? Date())
        }
        switch format {
        case .table: print(TechnicalsRendering.eventsTable(events), terminator: "")
        case .csv: print(TechnicalsRendering.eventsCSV(events), terminator: "")
        case .json: print(TechnicalsRendering.json(events), terminator: "")
        }
    }
}

struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "The event study: what price did 30/90/180 days after every past occurrence of each signal.")

    @OptionGroup var global: GlobalOptions
    @Flag(name: .long, help: "Summarise per event type: independent occurrences (declustered by the horizon), median and worst, beside the median return of every day of the same years; without it, list every occurrence.") var study = false
    @Option(name: .long, help: "Output format: table or json.") var format: OutputFormat = .table

    func run() async throws {
        let config = try global.loadConfig()
        let store = try openExistingStore(config)
        let queries = MarketQueries(config: config, store: store)
        if study {
            let studies = try CommandFailure.store { () throws(StoreError) in try queries.eventStudy(asOf: Date()) }
            switch format {
            case .json: print(TechnicalsRendering.json(Dictionary(uniqueKeysWithValues: studies.map { ($0.kind.rawValue, $0.horizons) })), terminator: "")
            case .table: print(TechnicalsRendering.studyTable(studies), terminator: "")
            }
            return
        }
        let outcomes = try CommandFailure.store { () throws(StoreError) in try queries.eventOutcomes(asOf: Date()) }
        switch format {
        case .json: print(TechnicalsRendering.json(outcomes), terminator: "")
        case .table: print(TechnicalsRendering.outcomesTable(outcomes), terminator: "")
        }
    }
}

struct SeriesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "series", abstract: "Load your own price, hashrate or fees history, or delete stored days.", subcommands: [Import.self, Delete.self])

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "delete",
            abstract: "Delete stored days of a series, e.g. the rows `doctor` names as failing validation.")

        @OptionGroup var global: GlobalOptions
        @Option(name: .long, help: "btc_usd, hashrate or fees.") var series: DailySeries
        @Option(name: .long, help: ArgumentHelp("One stored day (YYYY-MM-DD, or the exact text `doctor` shows for a day that is not a date).", valueName: "date"))
        var day: String?
        @OptionGroup var range: DayRange

        func validate() throws {
            if day != nil && (range.from != nil || range.to != nil) { throw ValidationError("give --day or --from/--to, not both") }
            if day == nil && range.from == nil && range.to == nil { throw ValidationError("give --day, or --from and/or --to") }
        }

        func run() async throws {
            let config = try global.loadConfig()
            let store = try openExistingStore(config, access: .readWrite)
            let deleted: Int, what: String
            if let day, UTCDay(iso: day) == nil {
                deleted = try CommandFailure.store { () throws(StoreError) in try store.deleteSeriesPoints(series: series.stored, day: day) }
                what = "day '\(day)'"
            } else {
                let first = day.flatMap(UTCDay.init(iso:)) ?? range.fromDay ?? UTCDay(year: 0, month: 1, day: 1)
                let last = day.flatMap(UTCDay.init(iso:)) ?? range.toDay ?? UTCDay(year: 9999, month: 12, day: 31)
                deleted = try CommandFailure.store { () throws(StoreError) in try store.deleteSeriesPoints(series: series.stored, from: first, to: last) }
                what = first == last ? first.iso : "\(first.iso)…\(last.iso)"
            }
            guard deleted > 0 else { throw CommandFailure.fail("\(series.rawValue): no stored point on \(what)", code: 1) }
            print("deleted \(deleted) \(series.rawValue) point(s) on \(what)")
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Import a daily CSV into the store (idempotent; a newer row for a stored day replaces it and is reported).")

        @OptionGroup var global: GlobalOptions
        @Option(name: .long, help: "btc_usd (date,open,high,low,close[,volume]), hashrate (date,value) or fees (date,fees_btc|fees_usd[,blocks]).") var series: DailySeries
        @Option(name: .long, help: "Hashrate unit (default: from the column name, else EH/s).") var unit: HashrateUnit?
        @Flag(name: .long, help: "Keep prices beyond the plausibility bounds (a close over 10× or under 0.1× its neighbours, over $1e9, hashrate over 1e9 EH/s).")
        var allowOutliers = false
        @Argument(help: ArgumentHelp("The CSV file.", valueName: "file")) var file: String

        func validate() throws {
            if unit != nil && series != .hashrate { throw ValidationError("--unit applies to --series hashrate only") }
        }

        func run() async throws {
            let config = try global.loadConfig()
            guard let data = FileManager.default.contents(atPath: file) else { throw CommandFailure.fail("\(file): cannot be read", code: 1) }
            let imported: SeriesFileImport
            do {
                imported = try SeriesFileImport(Array(data), file: file, series: series, unit: unit, allowOutliers: allowOutliers)
            } catch {
                throw CommandFailure.fail(error.description, code: 1)
            }
            for line in imported.problems.prefix(20) { printDiagnostic("rejected: \(line)") }
            if imported.problems.count > 20 { printDiagnostic("… and \(imported.problems.count - 20) more rejected row(s)") }
            for line in imported.warnings.prefix(20) { printDiagnostic("warning: \(line)") }
            if imported.warnings.count > 20 { printDiagnostic("… and \(imported.warnings.count - 20) more warning(s)") }
            let store = try global.openStore(config)
            let counts = try CommandFailure.store { () throws(StoreError) in try imported.commit(to: store) }
            print(imported.summary(counts))
        }
    }
}
