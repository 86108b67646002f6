import Settings
import Feeds
import Fetching
import Foundation
import Logging
import Sentiment
import Storage
import Vocabulary

/// Ingests every configured and user-added source into the store: fetch all, then parse and commit one source at a time.
public struct Ingestor: Sendable {
    public let config: DivergenceConfig
    public let store: Store
    let fetcher: HTTPFetcher
    let scorer: SentimentScorer
    let logger: Logger
    /// When each source's backfill may ask its endpoint again after a `Retry-After` longer than one run waits.
    let backfillHolds = BackfillHolds()
    /// This ingestor's name in source leases (a shared store): host, process ID and a random suffix.
    public let workerID: String
    /// The time of each fetch and commit: the wall clock, or a fixed instant in tests (`ingestAll(now:)`).
    var clock: @Sendable () -> Date = { Date() }

    public init(config: DivergenceConfig, store: Store, logger: Logger) {
        workerID = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):\(UUID().uuidString.prefix(8).lowercased())"
        self.config = config
        self.store = store
        self.logger = logger
        scorer = config.scorer
        fetcher = HTTPFetcher(globalConcurrency: config.globalConcurrency, perHostConcurrency: config.perHostConcurrency)
    }

    /// Syncs the config's sources into the store and ingests each active source once.
    ///
    /// Sources disabled (HTTP 410) or backing off after failures are skipped unless `includeBackingOff` is set.
    /// Sources prepared while the writer was busy commit together, in one transaction; a group that fails is committed
    /// again one source per transaction, so one failure never touches another source's data.
    ///
    /// The same path `divergence ingest` takes (`oneShotSelection`, then `ingest`), with the clock pinned at `now`.
    public func ingestAll(now: Date = Date(), includeBackingOff: Bool = false) async throws(StoreError) -> [SourceIngestResult] {
        var pinned = self
        pinned.clock = { now }
        let selection = try pinned.oneShotSelection(now: now, includeBackingOff: includeBackingOff)
        return selection.skipped + (try await pinned.ingest(selection.due))
    }

    func request(for source: StoredSource, now: Date) throws(StoreError) -> FetchRequest {
        var policy = config.fetchPolicy
        if source.options["allow_private_network"] == "true" { policy.allowPrivateNetwork = true }
        let isLocal = source.location.hasPrefix("/")
        var url = isLocal ? URL(fileURLWithPath: source.location).absoluteString : source.location
        let series: [SourceKind: String] = [.prices: "btc_usd", .hashrate: "hashrate_ehs", .fees: "fees"]
        if !isLocal, let name = series[source.kind] {
            url = MarketFormats.incrementalURL(for: source, lastDay: try store.lastDay(series: name), now: now)
        }
        return FetchRequest(url: url, etag: source.etag, lastModified: source.lastModified, isLocalPath: isLocal, policy: policy)
    }

    /// A fetched source turned into data, before anything is written.
    enum PreparedSource: Sendable {
        case fetchFailed(StoredSource, FetchError)
        case notModified(StoredSource, FetchResponse)
        case parsed(StoredSource, FetchResponse, IngestBatch, warnings: [String], ttlMinutes: Int?)
        case parseFailed(StoredSource, FetchResponse, reason: String)
    }

    /// Parses, scores (and, with `full_text`, follows entries to their pages): the CPU-heavy part, safe to run for
    /// several sources at once because it only reads the store.
    func prepare(_ source: StoredSource, response: Result<FetchResponse, FetchError>, now: Date) async -> PreparedSource {
        switch response {
        case .failure(let error): return .fetchFailed(source, error)
        case .success(let fetched) where fetched.notModified: return .notModified(source, fetched)
        case .success(let fetched):
            do {
                let rules = config.siteRule(for: source.location).map { ArticleRules(bodyXPath: $0.bodyXPath, dropXPaths: $0.dropXPaths) }
                var (batch, warnings, ttlMinutes) = try SourceParsing.batchAndTTL(for: source, body: fetched.body, contentType: fetched.contentType, scorer: scorer, now: now, rules: rules)
                if source.kind == .news, source.options["full_text"] == "true" {
                    do {
                        let (followed, pageWarnings) = try await FullTextFollowing.follow(batch, source: source, config: config, store: store, fetcher: fetcher, scorer: scorer, now: now)
                        batch = followed
                        warnings += pageWarnings
                    } catch {
                        warnings.append("\(source.name): full text not followed: \(error.description)")
                    }
                }
                batch.prepareForCommit()
                return .parsed(source, fetched, batch, warnings: warnings, ttlMinutes: ttlMinutes)
            } catch {
                return .parseFailed(source, fetched, reason: error.reason)
            }
        }
    }

    /// A prepared source ready for the writer: what to store, and how to report it once stored.
    struct PlannedCommit {
        var commit: SourceCommit
        var report: (IngestCounts) -> SourceIngestResult
    }

    /// Writes prepared sources, each with its fetch state and its ingest `metrics` (their success flag and item counts
    /// set from the outcome), in one transaction (see `Store.commit(_:)`): the single-writer part.
    func commit(_ sources: [(prepared: PreparedSource, now: Date, metrics: IngestMetricsUpdate?)]) throws(StoreError) -> [SourceIngestResult] {
        let plans = sources.map { plan($0.prepared, now: $0.now, metrics: $0.metrics) }
        let counts = try store.commit(plans.map(\.commit))
        return zip(plans, counts).map { plan, counts in plan.report(counts) }
    }

    /// What committing `prepared` writes: its batch, if it parsed, and its next fetch state.
    func plan(_ prepared: PreparedSource, now: Date, metrics: IngestMetricsUpdate?) -> PlannedCommit {
        let failedMetrics = metrics.map { var update = $0; update.succeeded = false; return update }
        func planned(_ source: StoredSource, _ batch: IngestBatch?, next: SourceFetchState, succeeded: Bool,
                     report: @escaping (IngestCounts) -> SourceIngestResult) -> PlannedCommit {
            PlannedCommit(commit: SourceCommit(sourceID: source.id, batch: batch,
                                               fetchState: FetchStates.update(from: next, succeeded: succeeded, now: now, originalLocation: source.location),
                                               metrics: succeeded ? metrics : failedMetrics), report: report)
        }
        switch prepared {
        case .fetchFailed(let source, let error):
            let next = FetchOutcomePolicy.apply(.failure(error), to: FetchStates.state(of: source), now: now, interval: source.intervalSeconds)
            logger.warning("fetch failed", metadata: ["source": "\(source.name)", "reason": "\(error)"])
            return planned(source, nil, next: next, succeeded: false) { _ in
                SourceIngestResult(name: source.name, location: source.location, outcome: .failed(reason: error.description), warnings: [])
            }
        case .notModified(let source, let fetched):
            var next = FetchOutcomePolicy.apply(.success(fetched), to: FetchStates.state(of: source), now: now, interval: source.intervalSeconds)
            next.nextFetch = now.addingTimeInterval(IngestSchedule.interval(configured: source.intervalSeconds, maxAge: fetched.maxAge, ttlMinutes: nil))
            return planned(source, nil, next: next, succeeded: true) { _ in
                SourceIngestResult(name: source.name, location: source.location, outcome: .notModified, warnings: [])
            }
        case .parsed(let source, let fetched, let batch, let warnings, let ttlMinutes):
            var next = FetchOutcomePolicy.apply(.success(fetched), to: FetchStates.state(of: source), now: now, interval: source.intervalSeconds)
            next.nextFetch = now.addingTimeInterval(IngestSchedule.interval(configured: source.intervalSeconds, maxAge: fetched.maxAge, ttlMinutes: ttlMinutes))
            return planned(source, batch, next: next, succeeded: true) { [logger] counts in
                // A revised fund-day or report replaced the stored figure: say which.
                let revised = counts.revisions.map { "\(source.name): revised \($0)" }
                    + (counts.positioningRowsRevised > counts.revisions.count ? ["\(source.name): \(counts.positioningRowsRevised - counts.revisions.count) more revised row(s)"] : [])
                for warning in warnings + revised { logger.notice("\(warning)") }
                return SourceIngestResult(name: source.name, location: source.location, outcome: .stored(counts), warnings: warnings + revised)
            }
        case .parseFailed(let source, let fetched, let reason):
            // The response arrived (its status and any permanent redirect are kept) but could not be read: keep the
            // old validators so the next fetch is not answered 304, and back off.
            let previous = FetchStates.state(of: source)
            var next = FetchOutcomePolicy.apply(.success(fetched), to: previous, now: now, interval: source.intervalSeconds)
            next.etag = previous.etag
            next.lastModified = previous.lastModified
            next.lastError = reason
            next.consecutiveFailures = previous.consecutiveFailures + 1
            next.nextFetch = now.addingTimeInterval(FetchOutcomePolicy.backoff(failures: next.consecutiveFailures, interval: source.intervalSeconds, cap: FetchOutcomePolicy.defaultMaxBackoff))
            return planned(source, nil, next: next, succeeded: false) { _ in
                SourceIngestResult(name: source.name, location: source.location, outcome: .failed(reason: reason), warnings: [])
            }
        }
    }

    /// The store's view of a configured source.
    public static func definition(for source: ConfiguredSource) -> SourceDefinition {
        SourceDefinition(location: source.location, name: source.name, kind: source.kind, publisherType: source.publisherType,
                         intervalSeconds: source.intervalSeconds, options: source.options)
    }
}

/// Conversions between the store's source rows and the fetch layer's state.
enum FetchStates {
    static func state(of source: StoredSource) -> SourceFetchState {
        SourceFetchState(url: source.location, etag: source.etag, lastModified: source.lastModified, lastStatus: source.lastStatus,
                         lastError: source.lastError, consecutiveFailures: source.consecutiveFailures, nextFetch: source.nextFetch, disabled: source.disabled)
    }

    static func update(from state: SourceFetchState, succeeded: Bool, now: Date, originalLocation: String) -> FetchStateUpdate {
        FetchStateUpdate(location: state.url == originalLocation || originalLocation.hasPrefix("/") ? nil : state.url,
                         etag: state.etag, lastModified: state.lastModified, lastStatus: state.lastStatus,
                         lastError: succeeded ? nil : state.lastError, consecutiveFailures: succeeded ? 0 : state.consecutiveFailures,
                         nextFetch: state.nextFetch, succeededAt: succeeded ? now : nil, disabled: state.disabled)
    }
}
