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

    /// The options of `parse` that take a value (`--format json`), and its flags (a test compares both with what
    /// swift-argument-parser reports).
    static let optionsWithValue: Set<String> = ["--format", "--jobs"]
    static let flags: Set<String> = ["--allow-private-network"]

    /// Takes `parse`'s inputs out of a command line (the words after the subcommand), leaving its options and the first
    /// input; nil (the line untouched) for any other command, when there is at most one input, or when the line holds
    /// a dash word that is not one of `parse`'s own options (help, version, completion, a typo: the parser sees it all).
    ///
    /// swift-argument-parser takes time quadratic in the number of values of an array argument (each value copies the
    /// array and merges the set of positions seen so far): 2,000 files took 0.4 s before any was read, 8,000 took 6 s.
    /// Set aside, the inputs are given back to the command after parsing, in order. A word is an input unless it
    /// starts with `-` (an option, or `-` alone) or is the value of an option in `optionsWithValue`; after `--`, every
    /// word is an input.
    static func setAsideInputs(_ arguments: inout [String]) -> [String]? {
        guard arguments.first == configuration.commandName else { return nil }
        var kept = [arguments[0]]
        var inputs: [String] = []
        var index = 1
        while index < arguments.count {
            let word = arguments[index]
            if word == "--" {
                inputs += arguments[(index + 1)...]
                break
            }
            if word.hasPrefix("-") && word != "-" {
                let name = word.split(separator: "=", maxSplits: 1).first.map(String.init) ?? word
                if flags.contains(word) || (optionsWithValue.contains(name) && name != word) {
                    kept.append(word)
                } else if optionsWithValue.contains(word), index + 1 < arguments.count {
                    kept += [word, arguments[index + 1]]
                    index += 1
                } else {
                    return nil
                }
            } else {
                inputs.append(word)
            }
            index += 1
        }
        guard inputs.count > 1 else { return nil }
        // The first input stays, so the parser sees the required argument; `--` keeps it an input whatever it looks like.
        arguments = kept + ["--", inputs[0]]
        return inputs
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
