import ArgumentParser

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Serve the read-only HTTP API and /metrics.")
    func run() async throws { throw ExitCode(1) }
}
