import ArgumentParser
import Foundation
import Ingestion
import Reporting
import Settings
import Storage
import Vocabulary

struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check config, store, sources and clock.",
        discussion: """
            One line per check on stdout, PASS or FAIL with the reason. Nothing is written: the store is not created or migrated, \
            sources are fetched and parsed but not stored. Exit 0 when every check passes, 1 when any fails.
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "Do not fetch the sources (config, store and clock only).")
    var skipSources = false
    @Option(name: .long, help: ArgumentHelp("Probe at most this many sources (local files and market sources first); the rest are counted.", valueName: "count"))
    var maxProbes = 50
    @Option(name: .long, help: ArgumentHelp("Seconds all source probes together may take.", valueName: "seconds"))
    var probeBudget = 20.0

    func validate() throws {
        guard maxProbes >= 0 else { throw ValidationError("--max-probes must be 0 or more") }
        guard probeBudget > 0, probeBudget.isFinite, probeBudget <= 86_400 else { throw ValidationError("--probe-budget must be between 0 and 86400 seconds") }
    }

    func run() async throws {
        var failed = false
        func line(_ passed: Bool, _ check: String, _ detail: String) {
            if !passed { failed = true }
            print("\(passed ? "PASS" : "FAIL")  \(check.padding(toLength: 7, withPad: " ", startingAt: 0)) \(detail)")
        }

        // Config.
        var config = DivergenceConfig()
        let configPath = global.config ?? ["divergence.toml", "feeds/divergence.toml"].first { FileManager.default.fileExists(atPath: $0) }
        if let configPath {
            do {
                config = try ConfigLoader.load(path: configPath)
                line(true, "config", "\(configPath): \(config.sources.count) source(s)")
            } catch {
                line(false, "config", error.description)
            }
        } else {
            line(true, "config", "no config file: built-in defaults, no sources")
        }
        if let store = global.store { config.storePath = store }

        // Store: examined without creating or migrating it.
        let location: StoreLocation
        do { location = try storeLocation(config) } catch {
            line(false, "store", error.description)
            location = .sqlite(path: config.storePath)
        }
        let inspection = Store.inspect(location: location)
        var definitions = config.sources.map(Ingestor.definition(for:))
        if !inspection.exists {
            line(false, "store", "\(location.description): does not exist yet (run `divergence ingest`)")
        } else if inspection.integrity != "ok" {
            line(false, "store", "\(location.description): \(inspection.integrity ?? "unreadable")")
        } else if !inspection.unknownMigrations.isEmpty {
            line(false, "store", "\(location.description): written by a newer divergence (schema \(inspection.unknownMigrations.joined(separator: ", ")) unknown to this build)")
        } else if !inspection.pendingMigrations.isEmpty {
            line(false, "store", "\(location.description): schema \(inspection.appliedMigrations.last ?? "none") needs \(inspection.pendingMigrations.joined(separator: ", ")) (applied by the next `divergence ingest`)")
        } else {
            line(true, "store", "\(location.description): integrity ok, schema \(inspection.appliedMigrations.last ?? "?") (current), \(inspection.documents) document(s)")
            // Stored series points an import would refuse today (an older version, a hand edit).
            if let store = try? Store(location: location, access: .readOnly), let invalid = try? store.invalidSeriesPoints() {
                if invalid.isEmpty {
                    line(true, "series", "every stored price, hashrate and fees point passes validation")
                } else {
                    for point in invalid.prefix(20) {
                        line(false, "series", "\(point) (remove: divergence series delete --series \(point.series == "hashrate_ehs" ? "hashrate" : point.series) --day \(point.day))")
                    }
                    if invalid.count > 20 { line(false, "series", "… and \(invalid.count - 20) more stored point(s) failing validation") }
                }
            }
            // Stored words (source kinds, publisher types, survey populations and metrics, claim words, speaker types, topics)
            // this build does not know.
            if let store = try? Store(location: location, access: .readOnly), let unknown = try? store.unknownStoredWords() {
                if unknown.isEmpty { line(true, "words", "every stored source kind, publisher type, survey population and metric, claim population and proposition, speaker type and topic is known") }
                for word in unknown.prefix(20) { line(false, "words", word.description) }
                if unknown.count > 20 { line(false, "words", "… and \(unknown.count - 20) more unknown stored word(s)") }
            }
            // Sources added with `sources add` live only in the store; a row this version cannot read is named.
            if let store = try? Store(location: location, access: .readOnly) {
                do {
                    let known = Set(definitions.map(\.location))
                    definitions += try store.sources().filter { $0.origin == "cli" && !known.contains($0.location) }.map {
                        SourceDefinition(location: $0.location, name: $0.name, kind: $0.kind, publisherType: $0.publisherType, intervalSeconds: $0.intervalSeconds, options: $0.options)
                    }
                } catch {
                    line(false, "sources", "\(error)")
                }
            }
        }
        if location.isShared {
            let leases = (try? Store(location: location, access: .readOnly).leases(at: Date())) ?? [:]
            let workers = Set(leases.values)
            line(true, "lock", "shared store, no writer lock: \(leases.count) source(s) leased now by \(workers.count) worker(s)")
        } else if let holder = StoreLock.currentHolder(storePath: config.storePath) {
            line(true, "lock", "an ingest is writing the store: \(holder)")
        } else {
            line(true, "lock", "no ingest is writing the store")
        }

        // Clock: plausible, and not behind what the store already recorded.
        let now = Date()
        let floor = Date(timeIntervalSince1970: 1_735_689_600)  // 2025-01-01
        if now < floor {
            line(false, "clock", "\(now.formatted(.iso8601)) is before 2025-01-01: the system clock is wrong")
        } else if let latest = inspection.latestFetch, latest > now.addingTimeInterval(300) {
            line(false, "clock", "\(now.formatted(.iso8601)) is behind the store's latest fetch \(latest.formatted(.iso8601)): the clock went backwards")
        } else {
            line(true, "clock", "\(now.formatted(.iso8601)) UTC")
        }

        // Data: each stored market series is no older than its freshness limit.
        if inspection.exists, inspection.integrity == "ok", inspection.pendingMigrations.isEmpty,
           let store = try? Store(location: location, access: .readOnly) {
            let ages = SeriesAge.ages(lastPriceDay: try? store.lastDay(series: "btc_usd"),
                                      lastHashrateDay: try? store.lastDay(series: "hashrate_ehs"), asOf: now, limits: config.freshness)
            for age in ages where age.lastDay != nil {
                let kind: SourceKind = age.series == "btc_usd" ? .prices : .hashrate
                let sources = config.sources.filter { $0.kind == kind }.map { "'\($0.name)' (\($0.location))" }
                let look = sources.isEmpty ? "no \(kind.rawValue) source is configured" : "check source \(sources.joined(separator: ", "))"
                line(!age.isStale, "data", age.isStale ? "\(age.summary): stale; \(look)" : age.summary)
            }
        }

        // Sources: fetched and parsed, nothing stored.
        if skipSources {
            print("SKIP  sources (--skip-sources)")
        } else if definitions.isEmpty {
            line(true, "sources", "none configured")
        } else {
            let report = await SourceProbe.probe(definitions, config: config, limits: SourceProbeLimits(maxSources: maxProbes, budgetSeconds: probeBudget))
            for result in report.results {
                line(result.passed, "source", "\(result.name): \(result.detail)")
            }
            if report.notSampled > 0 || report.outOfTime > 0 {
                print("SKIP  sources \(report.notSampled) of \(definitions.count) source(s) not probed (--max-probes \(maxProbes))"
                      + (report.outOfTime > 0 ? ", \(report.outOfTime) probe(s) unanswered within \(Int(probeBudget)) s (--probe-budget)" : ""))
            }
        }
        if failed { throw ExitCode(1) }
    }
}

struct PruneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Delete old documents and compact the store.",
        discussion: """
            Deletes documents (with their sentences and claims) knowable before now minus --older-than, in one transaction; series, \
            surveys, sources and score snapshots are kept, and a pruned item a feed still serves is not stored again. Then compacts the \
            file (VACUUM). Runs under the store's writer lock: waits --lock-wait seconds for a running ingest, then exits 1.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var lock: LockOptions

    @Option(name: .long, help: ArgumentHelp("Age limit: 365d, 52w, 12h, or seconds.", valueName: "duration"))
    var olderThan: String

    @Flag(name: .long, help: "Do not compact the file after deleting.")
    var noVacuum = false

    func validate() throws {
        guard Interval.seconds(olderThan) != nil else { throw ValidationError("--older-than '\(olderThan)' is not a duration like 365d, 52w or 12h") }
    }

    func run() async throws {
        let config = try global.loadConfig()
        guard StoreLocationRule.isPostgreSQL(config.storePath) || FileManager.default.fileExists(atPath: config.storePath) else {
            throw CommandFailure.fail("the store at \(config.storePath) does not exist yet: nothing to prune", code: 1)
        }
        let writerLock = try acquireWriterLock(config, wait: lock.lockWait)
        defer { writerLock?.release() }
        let store = try openExistingStore(config, access: .readWrite)
        let cutoff = Date().addingTimeInterval(-(Interval.seconds(olderThan) ?? 0))
        let counts = try CommandFailure.store { () throws(StoreError) in try store.prune(olderThan: cutoff) }
        print("pruned \(counts.documents) document(s), \(counts.sentences) sentence(s), \(counts.claims) claim(s) knowable before \(cutoff.formatted(.iso8601))")
        guard !noVacuum else { return }
        if store.location.isShared {
            try CommandFailure.store { () throws(StoreError) in try store.compact() }
            print("vacuumed \(store.path) (VACUUM ANALYZE)")
            return
        }
        let before = Self.size(store.path)
        try CommandFailure.store { () throws(StoreError) in try store.compact() }
        print("compacted \(store.path): \(Self.megabytes(before)) → \(Self.megabytes(Self.size(store.path)))")
    }

    static func size(_ path: String) -> Int64 {
        ["", "-wal"].reduce(0) { total, suffix in
            total + (((try? FileManager.default.attributesOfItem(atPath: path + suffix))?[.size] as? NSNumber)?.int64Value ?? 0)
        }
    }

    static func megabytes(_ bytes: Int64) -> String { String(format: "%.1f MB", Double(bytes) / 1_000_000) }
}
