import ArgumentParser
import Feeds
import Foundation
import Ingestion
import JSONOutput
import Settings
import Storage
import Vocabulary

struct SourcesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sources",
        abstract: "List, add or remove sources.",
        subcommands: [List.self, Add.self, Remove.self, ImportOPML.self, ExportOPML.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List sources with their last fetch status and error.")

        @OptionGroup var global: GlobalOptions
        @Option(name: .long, help: "Output format: table or json.")
        var format: OutputFormat = .table

        func run() async throws {
            let config = try global.loadConfig()
            let store = try global.openStore(config)
            try CommandFailure.store { () throws(StoreError) in
                try store.syncConfiguredSources(config.sources.map(Ingestor.definition(for:)))
            }
            let sources = try CommandFailure.store { () throws(StoreError) in try store.sources() }
            switch format {
            case .json:
                print(JSONEncoding.document(sources), terminator: "")
            case .table:
                print("KIND      PUBLISHER      ORIGIN  STATUS  NAME / LOCATION")
                for source in sources {
                    let status = source.disabled ? "gone" : source.lastError != nil ? "error" : source.lastSuccess != nil ? "ok" : "new"
                    print("\(pad(source.kind.rawValue, 9)) \(pad(source.publisherType.rawValue, 14)) \(pad(source.origin, 7)) \(pad(status, 7)) \(source.name)")
                    if source.name != source.location { print(String(repeating: " ", count: 41) + source.location) }
                    if let error = source.lastError { print(String(repeating: " ", count: 41) + "last error: \(error) (\(source.consecutiveFailures) failure(s))") }
                    if let success = source.lastSuccess { print(String(repeating: " ", count: 41) + "last success: \(success.formatted(.iso8601))") }
                }
            }
        }

        func pad(_ text: String, _ width: Int) -> String { text.count >= width ? text : text + String(repeating: " ", count: width - text.count) }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a source to the store (the config file is not changed).")

        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("An http(s) URL or a local file path.", valueName: "url-or-path"))
        var location: String
        @Option(name: .long, help: "What the source provides.")
        var kind: SourceKind
        @Option(name: .long, help: "Who publishes it.")
        var publisherType: PublisherType = .media
        @Option(name: .long, help: "A display name.")
        var name: String?
        @Option(name: .long, help: "How often to fetch: 15m, 1h, 1d, ...")
        var interval: String = "1h"
        @Option(name: .long, help: "Format for prices (csv, kraken-ohlc), hashrate (csv, blockchain-charts, mempool) or surveys (long-csv, json, wide-csv), ETF flows (csv, html-table).")
        var format: String?
        @Flag(name: .long, help: "Allow private, loopback and link-local addresses for this source.")
        var allowPrivateNetwork = false

        func validate() throws {
            guard Interval.seconds(interval) != nil else { throw ValidationError("--interval '\(interval)' is not a duration like 15m, 1h or 1d") }
            if let format, !(SourceOptions.formats[kind] ?? []).contains(format) {
                throw ValidationError("--format '\(format)' is not a \(kind.rawValue) format (\((SourceOptions.formats[kind] ?? []).joined(separator: ", ")))")
            }
            let isURL = location.lowercased().hasPrefix("http://") || location.lowercased().hasPrefix("https://")
            if !isURL {
                if location.contains("://") { throw ValidationError("'\(location)' is neither an http(s) URL nor a local path") }
                guard FileManager.default.fileExists(atPath: location) else { throw ValidationError("no such file: \(location)") }
            }
        }

        func run() async throws {
            let config = try global.loadConfig()
            let store = try global.openStore(config)
            let isURL = location.lowercased().hasPrefix("http")
            let resolved = isURL ? location : URL(fileURLWithPath: location).standardizedFileURL.path
            var options: [String: String] = [:]
            if let format { options[[.survey, .etfFlows].contains(kind) ? "layout" : "format"] = format }
            if allowPrivateNetwork { options["allow_private_network"] = "true" }
            let definition = SourceDefinition(location: resolved, name: name ?? resolved, kind: kind,
                                              publisherType: publisherType, intervalSeconds: Interval.seconds(interval)!, options: options)
            let added = try CommandFailure.store { () throws(StoreError) in try store.addSource(definition) }
            print("added \(added.kind.rawValue) source \(added.name)")
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a source added with `sources add` (its stored documents are kept).")

        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("The source's URL or path, as listed.", valueName: "url-or-path"))
        var location: String

        func run() async throws {
            let config = try global.loadConfig()
            let store = try global.openStore(config)
            let isURL = location.lowercased().hasPrefix("http")
            let resolved = isURL ? location : URL(fileURLWithPath: location).standardizedFileURL.path
            try CommandFailure.store { () throws(StoreError) in try store.removeSource(location: resolved) }
            print("removed \(resolved)")
        }
    }

    struct ImportOPML: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import-opml",
            abstract: "Add every feed of an OPML 1.0/2.0 file as a news source (folders kept as the source's folder).")

        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("The OPML file.", valueName: "file")) var file: String
        @Option(name: .long, help: "Publisher type for the imported feeds.") var publisherType: PublisherType = .media

        func run() async throws {
            let config = try global.loadConfig()
            guard let data = FileManager.default.contents(atPath: file) else { throw CommandFailure.fail("\(file): cannot be read", code: 1) }
            let outlines: [OPMLOutline]
            do { outlines = try OPML.parse(Array(data), source: file) } catch { throw CommandFailure.fail(error.description, code: 1) }
            let subscriptions = OPMLSubscriptions(outlines, publisherType: publisherType)
            for line in subscriptions.refused.prefix(20) { printDiagnostic("skipped \(line)") }
            if subscriptions.refused.count > 20 { printDiagnostic("… and \(subscriptions.refused.count - 20) more outline(s) without an http(s) URL") }
            let store = try global.openStore(config)
            let counts = try CommandFailure.store { () throws(StoreError) in try store.importSources(subscriptions.definitions) }
            for location in counts.repeatedLocations.prefix(20) { printDiagnostic("duplicate outline: \(location) is listed more than once in \(file); added once") }
            if counts.repeatedLocations.count > 20 { printDiagnostic("… and \(counts.repeatedLocations.count - 20) more duplicated feed(s)") }
            let repeats = counts.repeated > 0 ? ", \(counts.repeated) duplicate outline(s) ignored" : ""
            print("imported \(counts.added) feed(s) from \(file); \(counts.alreadyListed) already listed\(repeats)")
        }
    }

    struct ExportOPML: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "export-opml", abstract: "Print every news source as OPML 2.0 (folders as nested outlines).")

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let config = try global.loadConfig()
            let store = try global.openStore(config)
            try CommandFailure.store { () throws(StoreError) in try store.syncConfiguredSources(config.sources.map(Ingestor.definition(for:))) }
            let sources = try CommandFailure.store { () throws(StoreError) in try store.sources() }.filter { $0.kind == .news && !$0.location.hasPrefix("/") }
            let outlines = sources.map { source in
                OPMLOutline(title: source.name, xmlURL: source.location, category: source.options["folder"].map { $0.split(separator: "/").map(String.init) } ?? [], type: "rss")
            }
            print(OPML.export(outlines, title: "divergence sources"))
        }
    }
}
