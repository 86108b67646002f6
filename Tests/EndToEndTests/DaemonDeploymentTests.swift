import Foundation
import StoreTestSupport
import Testing

/// An INI-style systemd unit: sections of `key=value` lines (repeated keys kept in order).
struct SystemdUnit {
    var sections: [String: [(key: String, value: String)]] = [:]

    init(_ text: String) throws {
        var current: String?
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                current = String(line.dropFirst().dropLast())
                sections[current!, default: []] = sections[current!] ?? []
                continue
            }
            guard let section = current, let equals = line.firstIndex(of: "=") else {
                throw UnitError(line: number + 1, text: String(raw))
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber }) else { throw UnitError(line: number + 1, text: String(raw)) }
            sections[section, default: []].append((key, line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)))
        }
    }

    func value(_ section: String, _ key: String) -> String? { sections[section]?.last { $0.key == key }?.value }

    struct UnitError: Error { var line: Int; var text: String }
}

@Suite("Deployment examples in contrib/", .serialized)
struct DaemonDeploymentTests {
    static let contrib = Binary.packageRoot.appendingPathComponent("contrib")

    func unit(_ name: String) throws -> SystemdUnit {
        let data = try #require(FileManager.default.contents(atPath: Self.contrib.appendingPathComponent("systemd/\(name)").path), "contrib/systemd/\(name) is missing")
        return try SystemdUnit(String(decoding: data, as: UTF8.self))
    }

    /// The divergence subcommand and flags an ExecStart runs, checked against the real binary's parser.
    func checkExecStart(_ execStart: String?, subcommand: String) throws -> [String] {
        let words = try #require(execStart).split(separator: " ").map(String.init)
        #expect(words.first?.hasPrefix("/") == true && words.first?.hasSuffix("/divergence") == true, "ExecStart runs divergence by absolute path: \(words)")
        #expect(words.dropFirst().first == subcommand)
        return Array(words.dropFirst())
    }

    @Test("the one-shot ingest service and its timer carry the required keys; the timer is persistent")
    func oneShotServiceAndTimer() async throws {
        let service = try unit("divergence-ingest.service")
        #expect(service.value("Unit", "Description") != nil)
        #expect(service.value("Service", "Type") == "oneshot")
        let arguments = try checkExecStart(service.value("Service", "ExecStart"), subcommand: "ingest")
        #expect(arguments.contains("--lock-wait"), "a timer run must not pile up behind a running ingest forever")
        #expect(service.value("Service", "SuccessExitStatus") == "3", "exit 3 (some sources failed) is not a unit failure")
        #expect(service.value("Service", "User") != nil && service.value("Service", "ReadWritePaths") != nil)

        let timer = try unit("divergence-ingest.timer")
        #expect(timer.value("Timer", "OnCalendar") != nil)
        #expect(timer.value("Timer", "Persistent") == "true")
        #expect(timer.value("Timer", "Unit") == "divergence-ingest.service")
        #expect(timer.value("Install", "WantedBy") == "timers.target")
    }

    @Test("the long-running service serves with scheduled ingest and stops on SIGTERM")
    func longRunningService() async throws {
        let service = try unit("divergence.service")
        #expect(service.value("Service", "Type") == "simple")
        let arguments = try checkExecStart(service.value("Service", "ExecStart"), subcommand: "serve")
        let every = try #require(arguments.firstIndex(of: "--ingest-every"))
        #expect(arguments.indices.contains(every + 1) && arguments[every + 1] == "15m")
        #expect(service.value("Service", "KillSignal") == "SIGTERM")
        #expect(service.value("Service", "Restart") == "on-failure")
        #expect(Double(service.value("Service", "TimeoutStopSec") ?? "") ?? 0 > 10, "longer than the default shutdown grace of 10 s")
        #expect(service.value("Install", "WantedBy") == "multi-user.target")
    }

    @Test("the cron line runs a one-shot ingest every 15 minutes as a named user")
    func cronLine() async throws {
        let data = try #require(FileManager.default.contents(atPath: Self.contrib.appendingPathComponent("cron/divergence").path))
        let jobs = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
            .filter { line in line.first.map { $0 == "*" || $0 == "@" || $0.isNumber } ?? false }
        #expect(jobs.count == 1, "\(jobs)")
        let fields = try #require(jobs.first).split(separator: " ", maxSplits: 6).map(String.init)
        #expect(fields.count == 7)
        #expect(Array(fields.prefix(5)) == ["*/15", "*", "*", "*", "*"])
        #expect(fields[5] == "divergence", "/etc/cron.d lines name the user")
        #expect(fields[6].contains("/divergence ingest ") && fields[6].contains("--lock-wait"))
    }

    @Test("the ingest flags used in contrib/ are accepted by the real binary")
    func flagsParse() async throws {
        let help = try await Binary.run(["ingest", "--help"])
        #expect(help.status == 0)
        for flag in ["--lock-wait", "--log-format", "--every", "--shutdown-grace", "--store", "--config"] {
            #expect(help.stdout.contains(flag), "ingest --help lists \(flag)")
        }
    }

    @Test("systemd-analyze verify accepts the units (skipped when systemd-analyze is absent)")
    func systemdAnalyzeVerify() async throws {
        guard let analyze = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].first(where: FileManager.default.isExecutableFile(atPath:)) else {
            print("systemd-analyze not installed: skipping `systemd-analyze verify` of contrib/systemd (the units were still parsed above)")
            return
        }
        let scratch = try ScratchDirectory()
        // verify checks that ExecStart's binary exists: point it at the binary under test.
        var units: [String] = []
        for name in ["divergence-ingest.service", "divergence-ingest.timer", "divergence.service"] {
            let text = String(decoding: FileManager.default.contents(atPath: Self.contrib.appendingPathComponent("systemd/\(name)").path) ?? Data(), as: UTF8.self)
            try text.replacingOccurrences(of: "/usr/local/bin/divergence", with: Binary.path).write(toFile: scratch.path(name), atomically: true, encoding: .utf8)
            units.append(scratch.path(name))
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: analyze)
        process.arguments = ["verify", "--man=no"] + units
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        let complaints = text.split(separator: "\n").filter { $0.contains(scratch.url.path) || $0.contains("divergence") }
        #expect(complaints.isEmpty, "\(complaints)")
    }
}
