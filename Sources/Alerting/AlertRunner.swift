import Fetching
import Foundation
import Logging
import Reporting
import Scoring
import Settings
import Storage

/// One alert that fired and how its delivery went.
public struct AlertDelivery: Sendable {
    public var event: AlertEvent
    /// One line per failed delivery (command exit status, webhook error); empty when all succeeded.
    public var failures: [String]
}

/// Evaluates the config's alert rules against a report and delivers those that cross, each crossing once.
public struct AlertRunner: Sendable {
    public let config: DivergenceConfig
    public let store: Store
    let logger: Logger
    /// How long a command may run before it is terminated.
    public var commandTimeout: TimeInterval = 10

    public init(config: DivergenceConfig, store: Store, logger: Logger) {
        self.config = config
        self.store = store
        self.logger = logger
    }

    /// Evaluates every rule against `report`, stores each rule's new value, and delivers the alerts that fired.
    ///
    /// A rule fires once per crossing: its last value is kept in the store, so the same state seen again (the next
    /// ingest, another process) does not fire again.
    public func evaluate(_ report: DivergenceReport, now: Date = Date()) async throws(StoreError) -> [AlertDelivery] {
        guard !config.alerts.isEmpty else { return [] }
        let previous = try store.alertStates()
        var states: [AlertState] = []
        var fired: [(AlertRule, AlertEvent)] = []
        for rule in config.alerts {
            let current = rule.value(snapshot: report.snapshot, technicals: report.technicals)
            let before = previous[rule.name]
            var state = AlertState(name: rule.name, value: current ?? before?.value, evaluatedAt: now, firedAt: before?.firedAt)
            if let current, rule.fires(previous: before?.value, current: current) {
                fired.append((rule, AlertEvent(rule: rule, asOf: report.snapshot.asOf, previous: before?.value, current: current, snapshot: report.snapshot)))
                state.firedAt = now
            }
            states.append(state)
        }
        try store.saveAlertStates(states)
        var deliveries: [AlertDelivery] = []
        for (rule, event) in fired {
            deliveries.append(AlertDelivery(event: event, failures: await deliver(event, rule: rule)))
        }
        return deliveries
    }

    /// Delivers a test alert for every rule (marked `"test": true`), whatever its state; nothing is stored.
    public func test(_ report: DivergenceReport) async -> [AlertDelivery] {
        var deliveries: [AlertDelivery] = []
        for rule in config.alerts {
            let current = rule.value(snapshot: report.snapshot, technicals: report.technicals) ?? "unknown"
            let event = AlertEvent(rule: rule, asOf: report.snapshot.asOf, previous: nil, current: current, snapshot: report.snapshot, test: true)
            deliveries.append(AlertDelivery(event: event, failures: await deliver(event, rule: rule)))
        }
        return deliveries
    }

    func deliver(_ event: AlertEvent, rule: AlertRule) async -> [String] {
        var failures: [String] = []
        let body = event.json
        if let command = rule.command {
            if let failure = await Self.run(command, stdin: body, timeout: commandTimeout) { failures.append("\(rule.name): command \(command[0]): \(failure)") }
        }
        if let webhook = rule.webhook {
            var policy = config.fetchPolicy
            policy.allowPrivateNetwork = policy.allowPrivateNetwork || rule.allowPrivateNetwork
            var request = FetchRequest(url: webhook, policy: policy)
            request.postBody = body
            do { _ = try await HTTPFetcher(globalConcurrency: 1, perHostConcurrency: 1).fetch(request) } catch {
                failures.append("\(rule.name): webhook: \(error.description)")
            }
        }
        for failure in failures { logger.error("alert delivery failed", metadata: ["reason": "\(failure)"]) }
        return failures
    }

    /// Runs `argv` without a shell, writes `stdin`, waits up to `timeout`; nil on exit status 0, else the reason.
    static func run(_ argv: [String], stdin: [UInt8], timeout: TimeInterval) async -> String? {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                let process = Process()
                let program = argv[0]
                if program.contains("/") {
                    process.executableURL = URL(fileURLWithPath: program)
                    process.arguments = Array(argv.dropFirst())
                } else {
                    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                    process.arguments = argv
                }
                let input = Pipe()
                process.standardInput = input
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                do { try process.run() } catch {
                    continuation.resume(returning: "cannot start: \(error.localizedDescription)")
                    return
                }
                // A command that exits without reading its input must not take this process down: SIGPIPE is
                // ignored and the write's EPIPE is a failed delivery at worst, reported by the exit status.
                signal(SIGPIPE, SIG_IGN)
                try? input.fileHandleForWriting.write(contentsOf: Data(stdin))
                try? input.fileHandleForWriting.close()
                let deadline = Date().addingTimeInterval(timeout)
                while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
                if process.isRunning {
                    process.terminate()
                    process.waitUntilExit()
                    continuation.resume(returning: "timed out after \(Int(timeout)) s")
                    return
                }
                // Returns at once for an exited child; until it is called, Foundation's Process keeps itself alive, so
                // without it every delivery leaks its Process (found by LeakSanitizer).
                process.waitUntilExit()
                continuation.resume(returning: process.terminationStatus == 0 ? nil : "exit status \(process.terminationStatus)")
            }
        }
    }
}
