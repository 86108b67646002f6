import ArgumentParser
import Fetching
import Foundation
import Ingestion
import JSONOutput

struct ParseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Parse feeds or article pages (files or URLs) and print the normalised result as JSON.",
        discussion: """
            Inputs are parsed on --jobs cores and printed in input order. Exit 1 when any input could not be parsed \\
            (its line carries "error"); the others are still printed.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case json, jsonl }

    @Argument(help: ArgumentHelp("Files or http(s) URLs.", valueName: "file-or-url")) var inputs: [String]
    @Option(name: .long, help: "json: one document (an array for several inputs); jsonl: one line per input, each with \"source\".") var format: Format = .json
    @Flag(name: .long, help: "Allow private, loopback and link-local addresses for URLs.") var allowPrivateNetwork = false
    @Option(name: .long, help: "Inputs parsed on this many cores at once (default: all).") var jobs: Int?

    func validate() throws {
        guard (jobs ?? 1) >= 1 else { throw ValidationError("--jobs must be at least 1") }
    }

    func run() async throws {
        var policy = FetchPolicy()
        policy.allowPrivateNetwork = allowPrivateNetwork
        let failures: Int
        do {
            failures = try await ParseOutput.run(inputs, policy: policy, layout: format == .jsonl ? .lines : .document, jobs: jobs ?? availableCores()) { reason in
                printDiagnostic("divergence: \(reason)")
            }
        } catch let error as OutputWriteError {
            throw CommandFailure.fail(error.description, code: 1)
        }
        if failures > 0 { throw ExitCode(1) }
    }
}
