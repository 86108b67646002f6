import Foundation
import Logging
import ServiceLifecycle
import Storage

/// The long-running ingest: rounds of fetching whichever sources are due, each followed by `afterRound` (the CLI runs
/// `AfterIngest` there: the score snapshot and the alert rules), until graceful shutdown.
///
/// Run it in a `ServiceGroup` with SIGTERM/SIGINT as graceful-shutdown signals. On shutdown the round in progress
/// gets `shutdownGrace` seconds to finish; then its in-flight transfers are cancelled and responses not yet
/// committed are dropped (each source commits in its own transaction, so nothing is half-written) and `run()`
/// returns. Holding a `StoreLock` is required: only one scheduler or ingest writes a store at a time.
public struct IngestScheduler: Service {
    /// Tuning of the schedule and of shutdown.
    public struct Options: Sendable {
        /// Longest sleep between rounds, in seconds; a snapshot follows every round.
        public var every: TimeInterval
        /// Seconds the round in progress may keep running after shutdown is requested.
        public var shutdownGrace: TimeInterval = 10
        /// Shortest sleep between rounds, in seconds.
        public var minimumGap: TimeInterval = 1
        /// Stop after this many rounds (nil: until shutdown).
        public var maxRounds: Int?
        /// Give up after this many consecutive rounds failed on the store (a transient lock or I/O error is retried).
        public var maxStoreFailures = 5

        public init(every: TimeInterval, shutdownGrace: TimeInterval = 10, minimumGap: TimeInterval = 1, maxRounds: Int? = nil) {
            self.every = every
            self.shutdownGrace = shutdownGrace
            self.minimumGap = minimumGap
            self.maxRounds = maxRounds
        }
    }

    let ingestor: Ingestor
    let lock: StoreLock?
    let options: Options
    let logger: Logger
    let progress: (@Sendable (IngestProgress, SourceIngestResult) -> Void)?
    let afterRound: @Sendable (IngestRoundSummary) async -> Void

    /// Creates a scheduler over `ingestor`'s config and store; `lock` must be that store's writer lock.
    public init(ingestor: Ingestor, lock: StoreLock?, options: Options, logger: Logger,
                progress: (@Sendable (IngestProgress, SourceIngestResult) -> Void)? = nil,
                afterRound: @escaping @Sendable (IngestRoundSummary) async -> Void) {
        self.ingestor = ingestor
        self.lock = lock
        self.options = options
        self.logger = logger
        self.progress = progress
        self.afterRound = afterRound
    }

    /// Runs rounds until graceful shutdown, cancellation or `maxRounds`.
    public func run() async throws {
        logger.notice("scheduler started", metadata: ["store": "\(ingestor.store.path)", "every": "\(options.every)", "pid": "\(ProcessInfo.processInfo.processIdentifier)"])
        var rounds = 0, storeFailures = 0
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            switch await roundWithGrace() {
            case .success(let summary):
                storeFailures = 0
                rounds += 1
                logger.notice("round finished", metadata: [
                    "round": "\(rounds)", "fetched": "\(summary.fetched)", "new": "\(summary.itemsNew)", "failed": "\(summary.failures)",
                    "seconds": "\(String(format: "%.2f", summary.finished.timeIntervalSince(summary.started)))", "cancelled": "\(summary.cancelled)",
                ])
                for result in summary.results where result.outcome.isFailure { logger.warning("source failed", metadata: ["source": "\(result.name)", "reason": "\(result.summaryLine)"]) }
                if !summary.cancelled { await afterRound(summary) }
            case .failure(let error):
                storeFailures += 1
                logger.error("round failed", metadata: ["reason": "\(error)", "consecutive": "\(storeFailures)"])
                if storeFailures >= options.maxStoreFailures { throw error }
            }
            if let maxRounds = options.maxRounds, rounds >= maxRounds { break }
            if Task.isShuttingDownGracefully || Task.isCancelled { break }
            let sources = (try? ingestor.store.sources()) ?? []
            let wake = IngestSchedule.nextWake(sources, after: Date(), every: options.every, minimumGap: options.minimumGap)
            logger.debug("sleeping", metadata: ["until": "\(wake.formatted(.iso8601))"])
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(max(0, wake.timeIntervalSinceNow))) }
            } catch {
                break
            }
        }
        logger.notice("scheduler stopped", metadata: ["rounds": "\(rounds)"])
    }

    /// One round of due sources; on shutdown it gets `shutdownGrace` seconds before it is cancelled.
    func roundWithGrace() async -> Result<IngestRoundSummary, StoreError> {
        let grace = options.shutdownGrace
        return await withTaskGroup(of: Result<IngestRoundSummary, StoreError>?.self) { group in
            group.addTask {
                do throws(StoreError) { return .success(try await self.round()) } catch { return .failure(error) }
            }
            group.addTask {
                do {
                    try await gracefulShutdown()
                    try await Task.sleep(for: .seconds(grace))
                } catch {}
                return nil
            }
            var outcome: Result<IngestRoundSummary, StoreError>?
            while let next = await group.next() {
                if let next { outcome = next }
                // Either the round ended (stop the watcher) or the grace period did (cancel the round).
                group.cancelAll()
            }
            return outcome ?? .failure(.database(path: ingestor.store.path, reason: "the round ended without a result"))
        }
    }

    /// Fetches and commits every source due now.
    func round() async throws(StoreError) -> IngestRoundSummary {
        let started = Date()
        try ingestor.store.syncConfiguredSources(ingestor.config.sources.map(Ingestor.definition(for:)), now: started)
        let sources = try ingestor.store.sources()
        let due = IngestSchedule.due(sources, at: started)
        let results = try await ingestor.ingest(due, onlyIfDue: true, progress: progress)
        let cancelled = Task.isCancelled || results.contains { $0.outcome.isSkipped }
        return IngestRoundSummary(started: started, finished: Date(), results: results, cancelled: cancelled)
    }
}
