import ArgumentParser
import Fetching
import Foundation
import Ingestion

struct ParseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Parse feeds or article pages (files or URLs) and print the normalised result as JSON.",
        discussion: "Exit 1 when any input could not be parsed (its line carries \"error\"); the others are still printed.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case json, jsonl }

    @Argument(help: ArgumentHelp("Files or http(s) URLs.", valueName: "file-or-url")) var inputs: [String]
    @Option(name: .long, help: "json: one document (an array for several inputs); jsonl: one line per input, each with \"source\".") var format: Format = .json
    @Flag(name: .long, help: "Allow private, loopback and link-local addresses for URLs.") var allowPrivateNetwork = false

    func run() async throws {
        var policy = FetchPolicy()
        policy.allowPrivateNetwork = allowPrivateNetwork
        let read = await InputReader.read(inputs, policy: policy)
        var failed = false
        var documents: [[UInt8]] = []
        let out = FileHandle.standardOutput
        for (input, result) in zip(inputs, read) {
            let parsed: ParsedInput
            switch result {
            case .success(let (bytes, contentType)): parsed = ParsedInput.parse(bytes, source: input, contentType: contentType)
            case .failure(let error): parsed = .failure(error.reason)
            }
            if case .failure(let reason) = parsed {
                failed = true
                printDiagnostic("divergence: \(reason)")
            }
            switch format {
            case .jsonl: out.write(Data(parsed.json(source: input) + [0x0A]))
            case .json: documents.append(parsed.json(source: inputs.count > 1 ? input : nil))
            }
        }
        if format == .json {
            let body = documents.count == 1 ? documents[0] : [UInt8]("[".utf8) + Array(documents.joined(separator: [UInt8](",\n".utf8))) + [UInt8]("]".utf8)
            out.write(Data(body + [0x0A]))
        }
        if failed { throw ExitCode(1) }
    }
}
