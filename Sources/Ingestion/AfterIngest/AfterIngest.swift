import Alerting
import Foundation
import Logging
import Reporting
import Settings
import Storage

/// The work that follows an ingest once per round: the score snapshot as of the round's end, and the alert rules
/// evaluated against it (each crossing fires once).
///
/// One-shot `ingest`, `run` and the scheduler's rounds all call `run`. On a shared (PostgreSQL) store it runs under the
/// store's round lock: workers take turns, each seeing the alert states the one before saved, so no crossing fires twice.
public struct AfterIngest: Sendable {
    public let config: DivergenceConfig
    public let store: Store
    let logger: Logger

    /// The follow-up for `store` under `config`; `logger` receives the alert runner's diagnostics.
    public init(config: DivergenceConfig, store: Store, logger: Logger) {
        self.config = config
        self.store = store
        self.logger = logger
    }

    /// Saves the snapshot of `report` (else of a report built as of `now`) and evaluates the alert rules against it;
    /// returns the alerts that fired, each with its delivery failures, for the caller to show.
    public func run(report: DivergenceReport? = nil, now: Date) async throws(StoreError) -> [AlertDelivery] {
        do {
            return try await store.exclusively { try await snapshotAndAlerts(report: report, now: now) }
        } catch let error as StoreError {
            throw error
        } catch {
            throw .database(path: store.path, reason: "\(error)")
        }
    }

    func snapshotAndAlerts(report: DivergenceReport?, now: Date) async throws(StoreError) -> [AlertDelivery] {
        let built: DivergenceReport
        if let report { built = report } else { built = try ReportBuilder(config: config, store: store).build(asOf: now) }
        try store.saveSnapshot(built.snapshot)
        return try await AlertRunner(config: config, store: store, logger: logger).evaluate(built, now: now)
    }
}
