import Foundation
import Testing

@testable import Fetching

@Suite("fetch outcome policy")
struct FetchOutcomePolicyTests {
    let now = Date(timeIntervalSince1970: 1_770_000_000)
    let interval: TimeInterval = 900
    let url = "https://example.org/feed.xml"

    private func ok(_ status: Int, etag: String? = nil, lastModified: String? = nil, permanent: String? = nil) -> Result<FetchResponse, FetchError> {
        .success(FetchResponse(status: status, finalURL: url, body: [], etag: etag, lastModified: lastModified, permanentRedirect: permanent))
    }

    @Test("backoff doubles per consecutive failure from 2 × interval and stops at the cap", arguments: [
        // interval 900 s, cap 86,400 s: 900 × 2^k → 1800, 3600, 7200, 14400, 28800, 57600, then capped.
        (0, 1_800.0), (1, 3_600.0), (2, 7_200.0), (3, 14_400.0), (4, 28_800.0), (5, 57_600.0), (6, 86_400.0), (50, 86_400.0),
    ])
    func backoff(previousFailures: Int, expectedDelay: Double) {
        let state = SourceFetchState(url: url, consecutiveFailures: previousFailures)
        let failure = Result<FetchResponse, FetchError>.failure(.transport(url: url, code: 7, message: "refused"))
        let next = FetchOutcomePolicy.apply(failure, to: state, now: now, interval: interval)
        #expect(next.consecutiveFailures == previousFailures + 1)
        #expect(next.nextFetch == now.addingTimeInterval(expectedDelay))
        #expect(next.lastError == "\(url): refused (curl error 7)")
        #expect(!next.disabled)
    }

    @Test("429 and 503 honour Retry-After but never poll sooner than the interval, and cut hostile values to 7 days", arguments: [
        (429, 3_600.0, 3_600.0), (503, 120.0, 900.0), (503, 1e9, 604_800.0),
    ])
    func retryAfter(status: Int, retryAfter: Double, expectedDelay: Double) {
        let state = SourceFetchState(url: url, consecutiveFailures: 3)
        let failure = Result<FetchResponse, FetchError>.failure(.httpStatus(url: url, status: status, retryAfter: retryAfter))
        let next = FetchOutcomePolicy.apply(failure, to: state, now: now, interval: interval)
        #expect(next.nextFetch == now.addingTimeInterval(expectedDelay))
        #expect(next.lastStatus == status)
        #expect(next.consecutiveFailures == 4)
    }

    @Test("429 without Retry-After falls back to exponential backoff")
    func rateLimitedWithoutRetryAfter() {
        let failure = Result<FetchResponse, FetchError>.failure(.httpStatus(url: url, status: 429, retryAfter: nil))
        let next = FetchOutcomePolicy.apply(failure, to: SourceFetchState(url: url), now: now, interval: interval)
        #expect(next.nextFetch == now.addingTimeInterval(1_800))
    }

    @Test("410 disables the source and schedules nothing")
    func gone() {
        let failure = Result<FetchResponse, FetchError>.failure(.httpStatus(url: url, status: 410, retryAfter: nil))
        let next = FetchOutcomePolicy.apply(failure, to: SourceFetchState(url: url, etag: "\"a\""), now: now, interval: interval)
        #expect(next.disabled)
        #expect(next.nextFetch == nil)
        #expect(next.lastStatus == 410)
        #expect(next.lastError == "\(url): HTTP 410")
    }

    @Test("304 keeps the stored validators and resets failures")
    func notModifiedKeepsValidators() {
        let state = SourceFetchState(url: url, etag: "\"v1\"", lastModified: "Mon, 02 Feb 2026 09:30:00 GMT", lastError: "x", consecutiveFailures: 2)
        let next = FetchOutcomePolicy.apply(ok(304), to: state, now: now, interval: interval)
        #expect(next == SourceFetchState(
            url: url, etag: "\"v1\"", lastModified: "Mon, 02 Feb 2026 09:30:00 GMT", lastStatus: 304,
            consecutiveFailures: 0, nextFetch: now.addingTimeInterval(interval)
        ))
    }

    @Test("200 replaces validators with the response's, clearing ones it no longer sends")
    func okReplacesValidators() {
        let state = SourceFetchState(url: url, etag: "\"v1\"", lastModified: "Mon, 02 Feb 2026 09:30:00 GMT")
        let next = FetchOutcomePolicy.apply(ok(200, etag: "\"v2\""), to: state, now: now, interval: interval)
        #expect(next.etag == "\"v2\"")
        #expect(next.lastModified == nil)
        #expect(next.nextFetch == now.addingTimeInterval(interval))
    }

    @Test("a permanent redirect moves the source to the new URL")
    func permanentRedirect() {
        let next = FetchOutcomePolicy.apply(ok(200, permanent: "https://example.org/new.xml"), to: SourceFetchState(url: url), now: now, interval: interval)
        #expect(next.url == "https://example.org/new.xml")
    }

    @Test("a cancelled fetch leaves the state unchanged")
    func cancelled() {
        let state = SourceFetchState(url: url, consecutiveFailures: 2, nextFetch: now)
        #expect(FetchOutcomePolicy.apply(.failure(.cancelled(url: url)), to: state, now: now, interval: interval) == state)
    }

    @Test("the state round-trips through JSON")
    func codable() throws {
        let state = SourceFetchState(url: url, etag: "\"e\"", lastStatus: 200, consecutiveFailures: 1, nextFetch: now, disabled: false)
        let decoded = try JSONDecoder().decode(SourceFetchState.self, from: JSONEncoder().encode(state))
        #expect(decoded == state)
    }
}
