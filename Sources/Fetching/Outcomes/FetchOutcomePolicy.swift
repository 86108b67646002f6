import Foundation

/// How one fetch result changes a source's schedule: a pure function for the scheduler.
public enum FetchOutcomePolicy {
    /// Longest exponential backoff after repeated failures, in seconds (one day).
    public static let defaultMaxBackoff: TimeInterval = 86_400
    /// Longest `Retry-After` honoured, in seconds (seven days); a longer request is cut to this.
    public static let maxRetryAfter: TimeInterval = 7 * 86_400

    /// The state after `result`, fetched at `now` for a source polled every `interval` seconds.
    ///
    /// - 2xx: validators replaced by the response's, failures reset, next fetch `now + interval`.
    /// - 304: validators kept (replaced only by ones the 304 carries), failures reset.
    /// - 301/308 in the chain: `url` becomes the permanent target.
    /// - 410: disabled, no next fetch.
    /// - 429/503 with `Retry-After` r: next fetch `now + min(max(r, interval), maxRetryAfter)`.
    /// - Any other failure, after k consecutive failures: next fetch `now + max(interval, min(interval × 2^k,
    ///   maxBackoff))` (exponential backoff doubling per failure, capped).
    /// - `cancelled`: says nothing about the source; the state is returned unchanged.
    public static func apply(
        _ result: Result<FetchResponse, FetchError>,
        to state: SourceFetchState,
        now: Date,
        interval: TimeInterval,
        maxBackoff: TimeInterval = defaultMaxBackoff
    ) -> SourceFetchState {
        var next = state
        switch result {
        case .success(let response):
            if let permanent = response.permanentRedirect { next.url = permanent }
            if response.notModified {
                next.etag = response.etag ?? state.etag
                next.lastModified = response.lastModified ?? state.lastModified
            } else {
                next.etag = response.etag
                next.lastModified = response.lastModified
            }
            next.lastStatus = response.status
            next.lastError = nil
            next.consecutiveFailures = 0
            next.nextFetch = now.addingTimeInterval(interval)
        case .failure(.cancelled):
            return state
        case .failure(let error):
            next.consecutiveFailures = state.consecutiveFailures + 1
            next.lastError = error.description
            if case .httpStatus(_, let status, let retryAfter) = error {
                next.lastStatus = status
                if status == 410 {
                    next.disabled = true
                    next.nextFetch = nil
                    return next
                }
                if let retryAfter, status == 429 || status == 503 {
                    next.nextFetch = now.addingTimeInterval(min(max(retryAfter, interval), maxRetryAfter))
                    return next
                }
            }
            next.nextFetch = now.addingTimeInterval(backoff(failures: next.consecutiveFailures, interval: interval, cap: maxBackoff))
        }
        return next
    }

    /// Seconds to wait after `failures` consecutive failures: interval × 2^failures, capped, never under interval.
    public static func backoff(failures: Int, interval: TimeInterval, cap: TimeInterval) -> TimeInterval {
        let exponent = Double(min(max(failures, 0), 40))
        return max(interval, min(interval * pow(2, exponent), cap))
    }
}
