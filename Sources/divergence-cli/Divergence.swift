import ArgumentParser
import Foundation

@main
struct Divergence: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "divergence",
        abstract: "Measure how far institutional Bitcoin sentiment has drifted from the market's own technicals.",
        discussion: """
            Ingests news feeds, article pages, survey results, prices and hashrate into one SQLite store, scores \
            institutional bullishness B and the technical regime R (-100 to +100 each), and reports D = (B - R) / 2 \
            with the evidence behind every number.

            Exit codes: 0 success; 1 the command could not do its job (store, I/O); 2 bad config; \
            3 ingest finished but some sources failed, or are still failing and backing off (the report is still \
            printed); 64 bad flags. Data goes to stdout, diagnostics to stderr. Colour only on a terminal and when \
            NO_COLOR is unset.

            Examples:
              divergence run --config feeds/demo/divergence.toml --as-of 2026-02-07
              divergence report --format json
              divergence history --from 2026-01-01 --step 1w
              divergence serve --port 8080

            Shell completions: divergence --generate-completion-script bash|zsh|fish (see the README).
            """,
        version: "0.1.0",
        subcommands: [RunCommand.self, IngestCommand.self, ReportCommand.self, SourcesCommand.self, TechnicalsCommand.self, SignalsCommand.self, EventsCommand.self, SeriesCommand.self, ParseCommand.self, SurveysCommand.self, ServeCommand.self, DoctorCommand.self, PruneCommand.self, ScoreTextCommand.self, BullishnessCommand.self, HistoryCommand.self, ChartCommand.self, AlertsCommand.self, StoreCommand.self])

    /// Parses the command line and runs the command, as swift-argument-parser's own `main` does, with `parse`'s inputs
    /// set aside while the line is parsed (see `ParseCommand.setAsideInputs`).
    static func main() async {
        var arguments = Array(CommandLine.arguments.dropFirst())
        let inputs = ParseCommand.setAsideInputs(&arguments)
        do {
            var command = try await asyncParseAsRoot(arguments)
            if let inputs, var parse = command as? ParseCommand {
                parse.inputs = inputs
                try parse.validate()
                command = parse
            }
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
