import ArgumentParser

struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "doctor", abstract: "Check config, store, sources and clock.")
    func run() async throws { throw ExitCode(1) }
}

struct PruneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "prune", abstract: "Delete old documents and compact the store.")
    func run() async throws { throw ExitCode(1) }
}
