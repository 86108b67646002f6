import Fetching
import Foundation
import Logging
import Storage
import Synchronization

/// How far a round has got, reported after each source is handled.
public struct IngestProgress: Sendable, Equatable {
    /// Sources in the round.
    public var total: Int
    /// Sources handled so far (stored, not modified or failed).
    public var done = 0
    /// Documents, survey rows and series points newly stored so far.
    public var itemsNew = 0
    /// Sources that failed so far.
    public var failures = 0

    public init(total: Int) { self.total = total }
}

/// What one round of ingest did.
public struct IngestRoundSummary: Sendable {
    public var started: Date
    public var finished: Date
    /// One result per source considered, skipped ones included.
    public var results: [SourceIngestResult]
    /// True when the round was cancelled (shutdown) before every due source was handled.
    public var cancelled: Bool

    public var itemsNew: Int { results.reduce(0) { $0 + $1.outcome.itemsNew } }
    public var failures: Int { results.filter(\.outcome.isFailure).count }
    public var fetched: Int { results.filter { !$0.outcome.isSkipped }.count }
    public var allSucceeded: Bool { failures == 0 }
}

extension SourceOutcome {
    /// Items newly stored (documents, survey rows, series points inserted or replaced).
    public var itemsNew: Int {
        guard case .stored(let counts) = self else { return 0 }
        return counts.itemsNew
    }

    /// Items delivered by the source, new or already stored.
    var itemsSeen: Int {
        guard case .stored(let counts) = self else { return 0 }
        return counts.itemsSeen
    }

    public var isFailure: Bool { if case .failed = self { true } else { false } }
    public var isSkipped: Bool { if case .skipped = self { true } else { false } }
}

extension Ingestor {
    /// The sources a one-shot ingest fetches, and a `skipped` result for each of the others.
    ///
    /// Disabled sources (HTTP 410) are skipped; so are sources backing off after failures, unless `includeBackingOff`.
    public func oneShotSelection(now: Date = Date(), includeBackingOff: Bool) throws(StoreError) -> (due: [StoredSource], skipped: [SourceIngestResult]) {
        try store.syncConfiguredSources(config.sources.map(Self.definition(for:)), now: now)
        var due: [StoredSource] = [], skipped: [SourceIngestResult] = []
        for source in try store.sources() {
            if source.disabled {
                skipped.append(SourceIngestResult(name: source.name, location: source.location, outcome: .skipped(reason: "disabled after HTTP \(source.lastStatus ?? 410) (gone)"), warnings: []))
            } else if !includeBackingOff, source.consecutiveFailures > 0, let next = source.nextFetch, next > now {
                skipped.append(SourceIngestResult(name: source.name, location: source.location,
                    outcome: .skipped(reason: "backing off after \(source.consecutiveFailures) failure(s) until \(next.formatted(.iso8601)) (last: \(source.lastError ?? "?"))"), warnings: [],
                    stillFailing: true))
            } else {
                due.append(source)
            }
        }
        return (due, skipped)
    }

    /// Fetches `sources` concurrently and commits each one as soon as it is prepared: alone, or with the others
    /// prepared while the writer was busy, in one transaction (see `Store.commit(_:)`).
    ///
    /// Each handled source's metrics are recorded and `progress` is called. When the calling task is cancelled
    /// (shutdown), in-flight transfers are abandoned and responses not yet committed are dropped: they are reported
    /// as skipped and fetched again next time; nothing is half-written. Results are in the order of `sources`.
    ///
    /// On a shared store, sources are leased first (see `Store.leaseSources`); with `onlyIfDue` (the scheduler), a
    /// source another worker fetched since `sources` was read is left to its next due time.
    public func ingest(_ sources: [StoredSource], onlyIfDue: Bool = false,
                       progress: (@Sendable (IngestProgress, SourceIngestResult) -> Void)? = nil) async throws(StoreError) -> [SourceIngestResult] {
        var counts = IngestProgress(total: sources.count)
        guard store.location.isShared else { return try await ingestLeased(sources, counts: &counts, progress: progress) }
        // A shared store: lease a window's worth of sources at a time, so workers started together split the round
        // instead of the first one taking it all; a source another worker holds (or already fetched) is skipped here.
        let chunkSize = max(8, 4 * config.globalConcurrency)
        var byID: [Int64: SourceIngestResult] = [:]
        defer { try? store.releaseLeases(owner: workerID) }
        // Sources held back by their host's limit (other workers are fetching from that host) go to the back of the
        // queue; when only those are left, wait for leases to end, at most a lease's length.
        var queue = sources[...]
        var waitedSince: Date?
        while !queue.isEmpty, !Task.isCancelled {
            let chunk = Array(queue.prefix(chunkSize))
            queue = queue.dropFirst(chunk.count)
            let lease = try store.leaseSources(chunk.map(\.id), owner: workerID, now: clock(), duration: leaseDuration, perHost: config.perHostConcurrency,
                                               onlyIfDue: onlyIfDue)
            let mine = chunk.filter { lease.granted.contains($0.id) }
            // One count for the whole round, carried across its lease windows.
            for (source, result) in zip(mine, try await ingestLeased(mine, counts: &counts, progress: progress)) { byID[source.id] = result }
            let heldBack = Set(lease.heldBack)
            queue.append(contentsOf: chunk.filter { heldBack.contains($0.id) })
            if mine.isEmpty && !heldBack.isEmpty {
                let since = waitedSince ?? Date()
                waitedSince = since
                if Date().timeIntervalSince(since) > leaseDuration { break }
                try? await Task.sleep(for: .milliseconds(200))
            } else {
                waitedSince = nil
            }
        }
        return sources.map { source in
            byID[source.id] ?? SourceIngestResult(name: source.name, location: source.location,
                                                  outcome: .skipped(reason: "fetched by another worker (leased, or no longer due)"), warnings: [])
        }
    }

    /// How long a lease lasts: long enough for a fetch at the configured timeout and its commit; a worker that dies
    /// holds its sources this long at most.
    var leaseDuration: TimeInterval { max(10, 2 * config.fetchPolicy.totalTimeout + 5) }

    /// Fetches and commits sources this process may fetch (all of them on SQLite, its leased ones on PostgreSQL),
    /// adding each handled source to `counts`, the round's progress.
    func ingestLeased(_ sources: [StoredSource], counts: inout IngestProgress,
                      progress: (@Sendable (IngestProgress, SourceIngestResult) -> Void)?) async throws(StoreError) -> [SourceIngestResult] {
        var requests: [FetchRequest] = []
        let wallClock = clock
        for source in sources { requests.append(try request(for: source, now: wallClock())) }
        let fetcher = self.fetcher
        // Each task fetches and prepares (parses, scores) its source, so several sources are parsed at once on the
        // available cores, and leaves it in `finished`; this loop is the single writer. It commits every source
        // waiting there in one transaction: while it writes one group, the next gathers.
        let finished = FinishedSources()
        let outcome: Result<[SourceIngestResult], StoreError> = await withTaskGroup(of: Void.self) { group in
            // A sliding window: at most `window` sources are being fetched, prepared or waiting for the writer (besides
            // the group it is writing), so prepared batches never pile up in memory faster than the writer stores them.
            let window = max(4, 2 * config.globalConcurrency)
            var pending = requests.enumerated().makeIterator()
            var inFlight = 0
            /// Starts the next source's task; false when none is left.
            @discardableResult
            func startNext(_ group: inout TaskGroup<Void>) -> Bool {
                guard let (index, request) = pending.next() else { return false }
                inFlight += 1
                let source = sources[index]
                group.addTask {
                    let clock = ContinuousClock()
                    let start = clock.now
                    let result: Result<FetchResponse, FetchError>
                    do throws(FetchError) { result = .success(try await fetcher.fetch(request)) } catch { result = .failure(error) }
                    let elapsed = start.duration(to: clock.now)
                    let at = wallClock()
                    var prepared: PreparedSource?
                    let cancelled: Bool = if case .failure(.cancelled) = result { true } else { false }
                    if !Task.isCancelled, !cancelled {
                        prepared = await self.prepare(source, response: result, now: at)
                    }
                    finished.add(FinishedSource(index: index, response: result, waited: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
                                                prepared: prepared, at: at))
                }
                return true
            }
            for _ in 0..<window { startNext(&group) }
            var results = [SourceIngestResult?](repeating: nil, count: sources.count)
            // Each finished task wakes the loop; the sources it finds were left by that task and by any that finished
            // while the last group was being written (their wake-ups then find nothing).
            while await group.next() != nil {
                let ready = finished.takeAll()
                inFlight -= ready.count
                while inFlight < window, startNext(&group) {}
                var waiting: [(prepared: PreparedSource, now: Date, metrics: IngestMetricsUpdate?)] = []
                var indices: [Int] = []
                for item in ready {
                    let source = sources[item.index]
                    if Task.isCancelled {
                        results[item.index] = SourceIngestResult(name: source.name, location: source.location, outcome: .skipped(reason: "stopped before it was stored (shutting down)"), warnings: [])
                        continue
                    }
                    if case .failure(.cancelled) = item.response {
                        results[item.index] = SourceIngestResult(name: source.name, location: source.location, outcome: .skipped(reason: "fetch cancelled"), warnings: [])
                        continue
                    }
                    guard let prepared = item.prepared else { continue }
                    let seconds: Double? = if case .success(let fetched) = item.response { fetched.elapsed > 0 ? fetched.elapsed : item.waited } else { item.waited }
                    // The source's metrics are written in the same transaction as its data and fetch state.
                    waiting.append((prepared, item.at, IngestMetricsUpdate(sourceID: source.id, at: item.at, succeeded: true, fetchSeconds: seconds)))
                    indices.append(item.index)
                }
                guard !waiting.isEmpty else { continue }
                let committed: [SourceIngestResult]
                do throws(StoreError) {
                    committed = try commit(waiting)
                } catch {
                    group.cancelAll()
                    return .failure(error)
                }
                for (index, (result, item)) in zip(indices, zip(committed, waiting)) {
                    results[index] = result
                    counts.done += 1
                    counts.itemsNew += result.outcome.itemsNew
                    if result.outcome.isFailure { counts.failures += 1 }
                    logger.info("source ingested", metadata: [
                        "source": "\(sources[index].name)", "outcome": "\(result.outcome.label)", "new": "\(result.outcome.itemsNew)",
                        "seconds": "\(String(format: "%.3f", item.metrics?.fetchSeconds ?? 0))",
                    ])
                    progress?(counts, result)
                }
            }
            return .success(zip(sources, results).map { source, result in
                result ?? SourceIngestResult(name: source.name, location: source.location, outcome: .skipped(reason: "not fetched"), warnings: [])
            })
        }
        return try outcome.get()
    }
}

/// A source whose fetch (and, unless cancelled, preparation) is over, waiting for the writer.
struct FinishedSource: Sendable {
    var index: Int
    var response: Result<FetchResponse, FetchError>
    /// Seconds from the start of the fetch to its end.
    var waited: Double
    var prepared: Ingestor.PreparedSource?
    var at: Date
}

/// The sources finished since the writer last looked, in the order they finished.
final class FinishedSources: Sendable {
    private let items = Mutex<[FinishedSource]>([])

    func add(_ source: FinishedSource) { items.withLock { $0.append(source) } }

    func takeAll() -> [FinishedSource] { items.withLock { items in defer { items.removeAll() }; return items } }
}

extension SourceOutcome {
    /// `stored`, `not_modified`, `skipped` or `failed`, for logs.
    public var label: String {
        switch self {
        case .stored: "stored"
        case .notModified: "not_modified"
        case .skipped: "skipped"
        case .failed: "failed"
        }
    }
}
