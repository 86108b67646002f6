import ArgumentParser
import Foundation
import Ingestion
import Reporting
import Storage
import Surveys

struct SurveysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "surveys", abstract: "Import and list survey observations.", subcommands: [Import.self, List.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Load a survey file into the store without touching the config.",
            discussion: "Bad rows are reported with file, line and reason; the good rows are stored. Exit 1 when nothing could be imported.")

        enum Layout: String, ExpressibleByArgument, CaseIterable { case longCSV = "long-csv", json, wideCSV = "wide-csv" }

        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("The survey file.", valueName: "file")) var file: String
        @Option(name: .long, help: "long-csv, json or wide-csv (default: json for .json files, else long-csv).") var layout: Layout?
        @Option(name: .long, help: "Column mapping for wide-csv: \(WideSurveyMapping.builtIn.keys.sorted().joined(separator: ", ")).") var mapping: String?

        func validate() throws {
            if let mapping, WideSurveyMapping.builtIn[mapping] == nil {
                throw ValidationError("--mapping '\(mapping)' is not one of \(WideSurveyMapping.builtIn.keys.sorted().joined(separator: ", "))")
            }
            if mapping != nil && layout != .wideCSV { throw ValidationError("--mapping needs --layout wide-csv") }
        }

        func run() async throws {
            let config = try global.loadConfig()
            guard let data = FileManager.default.contents(atPath: file) else { throw CommandFailure.fail("\(file): cannot be read", code: 1) }
            let imported: SurveyFileImport
            do { imported = try SurveyFileImport(Array(data), file: file, layout: layout?.rawValue, mapping: mapping) } catch { throw CommandFailure.fail(error.description, code: 1) }
            for problem in imported.read.problems.prefix(50) { printDiagnostic("rejected: \(problem)") }
            if imported.read.problems.count > 50 { printDiagnostic("… and \(imported.read.problems.count - 50) more rejected row(s)") }
            for warning in imported.read.warnings.prefix(20) { printDiagnostic("warning: \(warning)") }
            let store = try global.openStore(config)
            let counts = try CommandFailure.store { () throws(StoreError) in try imported.commit(to: store) }
            print(imported.summary(counts))
            if imported.read.observations.isEmpty { throw ExitCode(1) }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List stored survey observations, oldest first.")

        enum Format: String, ExpressibleByArgument, CaseIterable { case table, json, csv }

        @OptionGroup var global: GlobalOptions
        @Option(name: .long, help: "Only this population.") var population: SurveyPopulation?
        @Option(name: .long, help: "table, json or csv.") var format: Format = .table

        func run() async throws {
            let config = try global.loadConfig()
            let store = try openExistingStore(config)
            let rows = try CommandFailure.store { () throws(StoreError) in try store.surveyObservations(population: population) }
            switch format {
            case .json: print(TechnicalsRendering.json(rows), terminator: "")
            case .csv: print(SurveyRendering.csv(rows), terminator: "")
            case .table: print(SurveyRendering.table(rows), terminator: "")
            }
        }
    }
}
