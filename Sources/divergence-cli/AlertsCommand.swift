import Alerting
import ArgumentParser
import Foundation
import Reporting
import Storage

struct AlertsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "alerts", abstract: "List alert rules with their state, or send a test alert.", subcommands: [List.self, Test.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Each [[alert]] rule, what it watches, its last value and when it last fired.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let config = try global.loadConfig()
            if config.alerts.isEmpty { print("no [[alert]] rules in the config"); return }
            let states = try CommandFailure.store { () throws(StoreError) in try Store.openIfPresent(location: storeLocation(config))?.alertStates() ?? [:] }
            for rule in config.alerts {
                let state = states[rule.name]
                let targets = [rule.command.map { "command \($0.joined(separator: " "))" }, rule.webhook.map { "webhook \($0)" }].compactMap { $0 }.joined(separator: ", ")
                print("\(rule.name): \(rule.condition.name) → \(targets); last value \(state?.value ?? "—"); last fired \(state?.firedAt.map { $0.formatted(.iso8601) } ?? "never")")
            }
        }
    }

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "test", abstract: "Deliver a test alert (\"test\": true) for every rule now; exit 1 when a delivery fails.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let config = try global.loadConfig()
            if config.alerts.isEmpty {
                print("no [[alert]] rules in \(config.file ?? "the config"): nothing to test")
                return
            }
            let store = try openExistingStore(config)
            let report = try CommandFailure.store { () throws(StoreError) in try ReportBuilder(config: config, store: store).build(asOf: Date()) }
            let deliveries = await AlertRunner(config: config, store: store, logger: global.logger("divergence.alerts")).test(report)
            for delivery in deliveries {
                print(delivery.failures.isEmpty ? "delivered: \(delivery.event.message)" : "FAILED: \(delivery.failures.joined(separator: "; "))")
            }
            if deliveries.contains(where: { !$0.failures.isEmpty }) { throw ExitCode(1) }
        }
    }
}
