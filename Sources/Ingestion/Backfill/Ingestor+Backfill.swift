import Foundation
import Storage

extension Ingestor {
    /// Backfills every active prices or hashrate source with a `backfill` endpoint whose stored history is shorter than
    /// the readings need; `announce(source, line)` hears which readings are missing before its pages are fetched.
    ///
    /// Sources whose history is long enough cost one read of their series and no request. A source whose endpoint
    /// answered with a `Retry-After` longer than a run waits is left alone by this ingestor until then (`ingest --every`).
    public func backfillHistory(now: Date = Date(), pause: Duration = .seconds(1),
                                announce: (String, String) -> Void = { _, _ in }) async throws(StoreError) -> [BackfillResult] {
        var backfill = HistoryBackfill(store: store, fetcher: fetcher, policy: config.fetchPolicy, logger: logger)
        backfill.pause = pause
        var results: [BackfillResult] = []
        for source in try store.sources() where !source.disabled {
            guard let (settings, plan) = try backfill.plan(for: source, now: now), plan.start != nil else { continue }
            if let until = backfillHolds.hold(source.id, now: now) {
                announce(source.name, "backfill waits until \(until.formatted(.iso8601)), as the endpoint's Retry-After asked")
                continue
            }
            if let line = plan.shortfallLine { announce(source.name, line) }
            guard let result = try await backfill.run(source, settings: settings, plan: plan, now: now) else { continue }
            if let seconds = result.retryAfter { backfillHolds.set(source.id, seconds: seconds, now: now) }
            results.append(result)
        }
        return results
    }
}
