import Fetching
import Foundation
import Logging
import Market
import Settings
import Storage
import Vocabulary
import Synchronization

/// What one source's history backfill did.
public struct BackfillResult: Sendable {
    /// The source's name.
    public var name: String
    /// The endpoint the pages came from.
    public var endpoint: BackfillEndpoint
    /// The plan it followed (what was held and missing before it ran).
    public var plan: BackfillPlan
    /// Pages fetched and committed.
    public var pages = 0
    /// Days stored that the store did not hold.
    public var inserted = 0
    /// Stored days a page carried different values for (the newer row replaced the stored one).
    public var replaced = 0
    /// Requests answered 429/503 and retried after their `Retry-After`.
    public var rateLimited = 0
    /// Rows rejected and other findings, each naming the page's URL.
    public var warnings: [String] = []
    /// Why it stopped before reaching the stored history (it resumes on the next ingest), or nil when it completed.
    public var stopped: String?
    /// Seconds the endpoint asked to be left alone when it stopped the run with a `Retry-After` longer than a run waits.
    public var retryAfter: TimeInterval?
    /// Where the next backfill resumes when it stopped.
    public var resumeFrom: UTCDay?
    /// The readings still short of history afterwards.
    public var stillMissing: [HistoryNeed] = []

    /// One line for a person: pages, new and replaced days, and how it ended.
    public var summaryLine: String {
        let counts = "\(pages) page(s) from \(endpoint.rawValue), \(inserted) new day(s), \(replaced) replaced"
            + (rateLimited > 0 ? ", \(rateLimited) rate-limited request(s) retried" : "")
        if let stopped {
            let still = stillMissing.isEmpty ? "" : "; still missing: \(stillMissing.map(\.name).joined(separator: ", "))"
            return "FAILED   \(name): backfill stopped after \(counts): \(stopped); resumes from \(resumeFrom?.iso ?? "the start") on the next ingest\(still)"
        }
        let still = stillMissing.isEmpty ? "" : "; the endpoint's history is too short for: \(stillMissing.map(\.name).joined(separator: ", "))"
        return "ok       \(name): backfill \(plan.resumes ? "resumed and " : "")completed: \(counts)\(still)"
    }
}

/// Fills a prices or hashrate source's history from the paged endpoint its `backfill` option names, when the store
/// holds less history than the readings need (`HistoryNeed`).
///
/// Pages are fetched one at a time through the ingest's fetcher (its per-host limit applies), with `pause` between
/// them; a 429 or 503 is retried after its `Retry-After` (at most `maxRetryWait`, else the backfill stops and resumes on
/// the next ingest). Each page commits in its own transaction, so an interruption loses at most the page in flight.
/// Only days before the stored run the readings use are written: the live source's days stay as it stored them.
public struct HistoryBackfill: Sendable {
    let store: Store
    let fetcher: HTTPFetcher
    let policy: FetchPolicy
    let logger: Logger
    /// Wait between pages.
    public var pause: Duration = .seconds(1)
    /// Longest `Retry-After` waited for within one run.
    public var maxRetryWait: TimeInterval = 120
    /// Wait before retrying a 429/503 that gave no `Retry-After`.
    public var defaultRetryWait: TimeInterval = 10
    /// Tries per page for 429/503 answers.
    public var attemptsPerPage = 3
    /// A bound on pages per run (Bitstamp needs 6 for 2011–2026, Coinbase 14).
    public var maxPages = 100

    /// A backfill writing to `store` through `fetcher` with the fetch `policy` (a source's `allow_private_network` adds to it).
    public init(store: Store, fetcher: HTTPFetcher, policy: FetchPolicy, logger: Logger) {
        self.store = store
        self.fetcher = fetcher
        self.policy = policy
        self.logger = logger
    }

    /// Where `source`'s series stands (nil when it declares no backfill or is not a prices or hashrate source).
    public func plan(for source: StoredSource, now: Date) throws(StoreError) -> (BackfillSettings, BackfillPlan)? {
        guard let settings = BackfillSettings(options: source.options), let series = Self.series(of: source.kind),
              series == settings.endpoint.series else { return nil }
        let days = series == .prices ? try store.prices().map(\.day) : try store.hashrate().map(\.day)
        return (settings, BackfillPlan(series: series, days: days, settings: settings, today: UTCDay.lastComplete(asOf: now)))
    }

    /// Runs the backfill `plan` for `source`; nil when the plan has nothing to fetch.
    public func run(_ source: StoredSource, settings: BackfillSettings, plan: BackfillPlan, now: Date) async throws(StoreError) -> BackfillResult? {
        guard var from = plan.start else { return nil }
        var result = BackfillResult(name: source.name, endpoint: settings.endpoint, plan: plan)
        var sourcePolicy = policy
        if source.options["allow_private_network"] == "true" { sourcePolicy.allowPrivateNetwork = true }
        while result.stopped == nil {
            guard result.pages < maxPages else { result.stopped = "more than \(maxPages) pages"; break }
            guard let url = settings.endpoint.pageURL(settings.url, from: from) else { result.stopped = "\(settings.url): invalid URL"; break }
            let body: [UInt8]
            switch await fetch(url, policy: sourcePolicy, result: &result) {
            case .success(let bytes): body = bytes
            case .failure(let reason, let retryAfter): (result.stopped, result.retryAfter) = (reason, retryAfter); continue
            }
            let page: BackfillEndpoint.Page
            do { page = try settings.endpoint.page(body, source: url, url: url, from: from, now: now) } catch {
                result.stopped = error.description; continue
            }
            // History before the stored run only: the days the live source holds stay as it stored them.
            let before = { (day: UTCDay) in plan.held.map { day < $0.lowerBound } ?? true }
            var batch = IngestBatch()
            batch.prices = page.prices.filter { before($0.day) }
            batch.hashrate = page.hashrate.filter { before($0.day) }
            let counts = try store.commit(batch, sourceID: source.id, fetchState: nil)
            result.pages += 1
            result.inserted += counts.seriesPointsInserted
            result.replaced += counts.seriesPointsReplaced
            result.warnings += (page.problems + page.warnings).map(\.description)
            logger.info("backfill page", metadata: ["source": "\(source.name)", "url": "\(url)", "new": "\(counts.seriesPointsInserted)",
                                                    "replaced": "\(counts.seriesPointsReplaced)"])
            // Done at the endpoint's last page, or where the history already stored begins.
            guard let next = page.next, next > from, plan.held.map({ next <= $0.lowerBound }) != false else { break }
            from = next
            try? await Task.sleep(for: pause)
        }
        if result.stopped != nil { result.resumeFrom = try self.plan(for: source, now: now)?.1.start ?? from }
        result.stillMissing = try self.plan(for: source, now: now)?.1.missing ?? []
        return result
    }

    enum PageFetch { case success([UInt8]), failure(String, retryAfter: TimeInterval? = nil) }

    /// The page's body, retrying 429/503 after their `Retry-After`; a failure says why in one line.
    func fetch(_ url: String, policy: FetchPolicy, result: inout BackfillResult) async -> PageFetch {
        for attempt in 1...attemptsPerPage {
            do {
                return .success(try await fetcher.fetch(FetchRequest(url: url, policy: policy)).body)
            } catch {
                guard case .httpStatus(_, let status, let retryAfter) = error, status == 429 || status == 503 else { return .failure(error.description) }
                let wait = retryAfter ?? defaultRetryWait
                guard wait <= maxRetryWait else { return .failure("\(error.description): longer than the \(Int(maxRetryWait)) s this run waits", retryAfter: wait) }
                guard attempt < attemptsPerPage else { return .failure("\(error.description) \(attemptsPerPage) times") }
                result.rateLimited += 1
                logger.notice("backfill rate-limited", metadata: ["url": "\(url)", "retry_after": "\(wait)"])
                try? await Task.sleep(for: .seconds(wait))
            }
        }
        return .failure("\(url): no answer", retryAfter: nil)
    }

    static func series(of kind: SourceKind) -> MarketSeries? {
        switch kind {
        case .prices: .prices
        case .hashrate: .hashrate
        default: nil
        }
    }
}

/// Per source, the instant before which a long-running ingest leaves a backfill endpoint alone, as its `Retry-After` asked.
final class BackfillHolds: Sendable {
    private let until = Mutex<[Int64: Date]>([:])

    /// The instant `source` may be backfilled again, when it is still in the future at `now`.
    func hold(_ source: Int64, now: Date) -> Date? {
        until.withLock { $0[source].flatMap { $0 > now ? $0 : nil } }
    }

    /// Leaves `source` alone for `seconds` from `now` (at most `FetchOutcomePolicy.maxRetryAfter`).
    func set(_ source: Int64, seconds: TimeInterval, now: Date) {
        until.withLock { $0[source] = now.addingTimeInterval(min(seconds, FetchOutcomePolicy.maxRetryAfter)) }
    }
}
