import Foundation
import LoopbackHTTP
import StoreTestSupport
import Testing

/// The read commands and `serve` work for a user who cannot write the store (the API's own unprivileged user).
@Suite("Readers of a store they cannot write", .serialized)
struct ReadOnlyReaderTests {
    /// Runs the binary as a user without write access to the store: as root, through `setpriv` as `nobody` (root ignores
    /// file modes); otherwise as ourselves, with the store's folder and files made read-only.
    static func readerCommand(_ arguments: [String], binary: String) -> (executable: String, arguments: [String]) {
        geteuid() == 0
            ? ("/usr/bin/setpriv", ["--reuid=nobody", "--regid=nogroup", "--clear-groups", binary] + arguments)
            : (binary, arguments)
    }

    static func run(_ arguments: [String], binary: String, in directory: String) throws -> BinaryRun {
        let command = readerCommand(arguments, binary: binary)
        let run = try CapturedProcess.run(command.executable, command.arguments, environment: ["NO_COLOR": "1", "PATH": "/usr/bin:/bin"],
                                          currentDirectory: URL(fileURLWithPath: directory))
        return BinaryRun(status: run.status, stdout: run.stdout, stderr: run.stderr)
    }

    @Test("report, technicals, signals and history read a store they cannot write, and change none of its bytes")
    func readCommands() async throws {
        let scratch = try ScratchDirectory()
        // The reader may not be able to reach the build folder: it runs a copy of the binary and config in the scratch folder.
        let binary = scratch.path("divergence")
        try FileManager.default.copyItem(atPath: Binary.path, toPath: binary)
        try FileManager.default.copyItem(atPath: Binary.packageRoot.appendingPathComponent("feeds/demo/divergence.toml").path, toPath: scratch.path("demo.toml"))
        let storeFolder = scratch.path("store")
        let store = storeFolder + "/demo.sqlite"
        let ingest = try await Binary.run(["ingest", "--config", "feeds/demo/divergence.toml", "--store", store])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let expected = try await Binary.run(["report", "--format", "json", "--as-of", "2026-02-07", "--config", "feeds/demo/divergence.toml", "--store", store])
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: scratch.url.path)
        for name in try FileManager.default.contentsOfDirectory(atPath: storeFolder) {
            try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: storeFolder + "/" + name)
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: storeFolder)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: storeFolder) }
        let before = try Data(contentsOf: URL(fileURLWithPath: store))

        let global = ["--config", scratch.path("demo.toml"), "--store", store]
        let report = try Self.run(["report", "--format", "json", "--as-of", "2026-02-07"] + global, binary: binary, in: scratch.url.path)
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.stdout == expected.stdout, "the reader's report is the writer's")
        for command in [["technicals", "--as-of", "2026-02-07"], ["signals"], ["history", "--from", "2026-02-01", "--to", "2026-02-07"], ["surveys", "list"]] {
            let run = try Self.run(command + global, binary: binary, in: scratch.url.path)
            #expect(run.status == 0, "\(command[0]): \(run.stderr)")
        }
        let save = try Self.run(["history", "--save", "--from", "2026-02-01", "--to", "2026-02-02"] + global, binary: binary, in: scratch.url.path)
        #expect(save.status == 1 && save.stderr.contains("cannot write"), "saving needs write access: \(save.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: store)) == before, "no reader changed the store file")
    }

    @Test("a --store that is a URL is a bad flag, not a folder")
    func urlFlag() async throws {
        let scratch = try ScratchDirectory()
        let run = try await Binary.run(["report", "--config", scratch.path("none.toml"), "--store", "ftp://host/store.sqlite"])
        #expect(run.status == 64)
        #expect(run.stderr.contains("--store 'ftp://host/store.sqlite': 'ftp://' is not a store location"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: Binary.packageRoot.appendingPathComponent("ftp:").path))
    }
}
