import Settings
import Feeds
import Fetching
import Foundation
import Logging
import Sentiment
import Storage

/// Ingests every configured and user-added source into the store: fetch all, then parse and commit one source at a time.
public struct Ingestor: Sendable {
    public let config: DivergenceConfig
    public let store: Store
    let fetcher: HTTPFetcher
    let scorer = SentimentScorer()
    let logger: Logger

    public init(config: DivergenceConfig, store: Store, logger: Logger) {
        self.config = config
        self.store = store
        self.logger = logger
        fetcher = HTTPFetcher(globalConcurrency: config.globalConcurrency, perHostConcurrency: config.perHostConcurrency)
    }

    /// Syncs the config's sources into the store and ingests each active source once.
    ///
    /// Sources disabled (HTTP 410) or backing off after failures are skipped unless `includeBackingOff` is set.
    /// Each source commits in its own transaction: one failure never touches another source's data.
    public func ingestAll(now: Date = Date(), includeBackingOff: Bool = false) async throws(StoreError) -> [SourceIngestResult] {
        let selection = try oneShotSelection(now: now, includeBackingOff: includeBackingOff)
        var requests: [FetchRequest] = []
        for source in selection.due { requests.append(try request(for: source, now: now)) }
        logger.info("fetching sources", metadata: ["count": "\(requests.count)"])
        let responses = await fetcher.fetchAll(requests)
        var results = selection.skipped
        for (source, response) in zip(selection.due, responses) {
            results.append(try await ingest(source, response: response, now: now))
        }
        return results
    }

    func request(for source: StoredSource, now: Date) throws(StoreError) -> FetchRequest {
        var policy = config.fetchPolicy
        if source.options["allow_private_network"] == "true" { policy.allowPrivateNetwork = true }
        let isLocal = source.location.hasPrefix("/")
        var url = isLocal ? URL(fileURLWithPath: source.location).absoluteString : source.location
        if !isLocal, source.kind == .prices || source.kind == .hashrate {
            url = MarketFormats.incrementalURL(for: source, lastDay: try store.lastDay(series: source.kind == .prices ? "btc_usd" : "hashrate_ehs"), now: now)
        }
        return FetchRequest(url: url, etag: source.etag, lastModified: source.lastModified, isLocalPath: isLocal, policy: policy)
    }

    func ingest(_ source: StoredSource, response: Result<FetchResponse, FetchError>, now: Date) async throws(StoreError) -> SourceIngestResult {
        let previous = FetchStates.state(of: source)
        var next = FetchOutcomePolicy.apply(response, to: previous, now: now, interval: source.intervalSeconds)
        switch response {
        case .failure(let error):
            logger.warning("fetch failed", metadata: ["source": "\(source.name)", "reason": "\(error)"])
            try store.recordFetchState(sourceID: source.id, FetchStates.update(from: next, succeeded: false, now: now, originalLocation: source.location))
            return SourceIngestResult(name: source.name, location: source.location, outcome: .failed(reason: error.description), warnings: [])
        case .success(let fetched) where fetched.notModified:
            next.nextFetch = now.addingTimeInterval(IngestSchedule.interval(configured: source.intervalSeconds, maxAge: fetched.maxAge, ttlMinutes: nil))
            try store.recordFetchState(sourceID: source.id, FetchStates.update(from: next, succeeded: true, now: now, originalLocation: source.location))
            return SourceIngestResult(name: source.name, location: source.location, outcome: .notModified, warnings: [])
        case .success(let fetched):
            do {
                let rules = config.siteRule(for: source.location).map { ArticleRules(bodyXPath: $0.bodyXPath, dropXPaths: $0.dropXPaths) }
                var (batch, warnings, ttlMinutes) = try SourceParsing.batchAndTTL(for: source, body: fetched.body, contentType: fetched.contentType, scorer: scorer, now: now, rules: rules)
                if source.kind == .news, source.options["full_text"] == "true" {
                    let (followed, pageWarnings) = try await FullTextFollowing.follow(batch, source: source, config: config, store: store, fetcher: fetcher, scorer: scorer, now: now)
                    batch = followed
                    warnings += pageWarnings
                }
                next.nextFetch = now.addingTimeInterval(IngestSchedule.interval(configured: source.intervalSeconds, maxAge: fetched.maxAge, ttlMinutes: ttlMinutes))
                let counts = try store.commit(batch, sourceID: source.id, fetchState: FetchStates.update(from: next, succeeded: true, now: now, originalLocation: source.location))
                for warning in warnings { logger.notice("\(warning)") }
                return SourceIngestResult(name: source.name, location: source.location, outcome: .stored(counts), warnings: warnings)
            } catch let error as SourceParseError {
                next.lastError = error.reason
                next.consecutiveFailures = previous.consecutiveFailures + 1
                next.nextFetch = now.addingTimeInterval(FetchOutcomePolicy.backoff(failures: next.consecutiveFailures, interval: source.intervalSeconds, cap: FetchOutcomePolicy.defaultMaxBackoff))
                next.etag = previous.etag
                next.lastModified = previous.lastModified
                try store.recordFetchState(sourceID: source.id, FetchStates.update(from: next, succeeded: false, now: now, originalLocation: source.location))
                return SourceIngestResult(name: source.name, location: source.location, outcome: .failed(reason: error.reason), warnings: [])
            } catch let error as StoreError {
                throw error
            } catch {
                return SourceIngestResult(name: source.name, location: source.location, outcome: .failed(reason: "\(error)"), warnings: [])
            }
        }
    }

    /// The store's view of a configured source.
    public static func definition(for source: ConfiguredSource) -> SourceDefinition {
        SourceDefinition(location: source.location, name: source.name, kind: SourceKind(rawValue: source.kind.rawValue) ?? .news,
                         publisherType: PublisherType(rawValue: source.publisherType.rawValue) ?? .media,
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
