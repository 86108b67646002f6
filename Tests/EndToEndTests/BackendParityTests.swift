import Foundation
import StoreTestSupport
import Testing

@Suite("The real binary on either backend", .serialized)
struct BackendParityTests {
    @Test("run, report, technicals and signals on the demo scenario succeed and a re-run stores nothing twice", arguments: StoreBackendKind.available)
    func demoCommands(_ backend: StoreBackendKind) async throws {
        let scratch = try ScratchDirectory()
        let global = ["--config", "feeds/demo/divergence.toml", "--store", try backend.freshLocation("demo", in: scratch)]
        let run = try await Binary.run(["run", "--as-of", "2026-02-07"] + global)
        #expect(run.status == 0, "\(run.stderr.suffix(800))")
        #expect(run.stdout.contains("Divergence D = (B − R) / 2 = +45.2"), "\(run.stdout.suffix(400))")
        let storeLine = run.stdout.split(separator: "\n").first { $0.hasPrefix("store: ") }.map(String.init)
        #expect(storeLine?.contains("11 documents") == true, "\(storeLine ?? "no store line")")
        let again = try await Binary.run(["ingest"] + global)
        #expect(again.status == 0, "\(again.stderr.suffix(800))")
        let commands: [[String]] = [["report", "--as-of", "2026-02-07"], ["report", "--format", "json", "--as-of", "2026-02-07"],
                                    ["technicals", "--format", "json", "--as-of", "2026-02-07"], ["signals", "--format", "csv"],
                                    ["history", "--format", "jsonl", "--from", "2026-02-01", "--to", "2026-02-07"]]
        for command in commands {
            let result = try await Binary.run(command + global)
            #expect(result.status == 0 && !result.stdout.isEmpty, "\(command.joined(separator: " ")): \(result.stderr.suffix(400))")
            if command == commands[0] {
                #expect(result.stdout.split(separator: "\n").first { $0.hasPrefix("store: ") }.map(String.init) == storeLine, "a re-run stores nothing twice")
            }
        }
    }

    @Test("the demo report is the same text on SQLite and PostgreSQL", .enabled(if: StoreBackendKind.available.contains(.postgresql), "PostgreSQL is not installed here (CI installs it)"))
    func sameReport() async throws {
        let scratch = try ScratchDirectory()
        var reports: [String] = []
        for backend in StoreBackendKind.allCases {
            let run = try await Binary.run(["run", "--as-of", "2026-02-07", "--config", "feeds/demo/divergence.toml", "--store", try backend.freshLocation("demo", in: scratch)])
            #expect(run.status == 0, "\(backend): \(run.stderr.suffix(800))")
            reports.append(run.stdout)
        }
        #expect(reports[0] == reports[1])
        #expect(reports[0].contains("Institutional bullishness B"))
    }
}
