import Fetching
import Foundation
import LoopbackHTTP
import Synchronization

/// What one run of `benchmarkFetching` measured.
public struct FetchBenchmarkResult: Sendable {
    /// Feeds fetched successfully.
    public var fetched: Int
    /// Bytes of body received in total.
    public var bytes: Int
    /// Wall-clock seconds for the fetch part (all requests, from submission to the last result).
    public var seconds: Double
    /// Resident set size in kB just before fetching (server and its 1,000 bodies already built).
    public var residentBeforeFetchKB: Int?
    /// Peak resident set size of the process in kB (`VmHWM` in /proc/self/status), nil where unavailable.
    public var peakResidentKB: Int?
}

/// Runs `measureFetching` (1,000 feeds of ~50 KB from a loopback server) from synchronous code, printing one
/// summary line; nil when the server could not start. Call it from `main`, not from inside a Swift task.
@discardableResult
public func benchmarkFetching(feeds: Int = 1_000, feedBytes: Int = 50_000) -> FetchBenchmarkResult? {
    let outcome = Mutex<Result<FetchBenchmarkResult, any Error>?>(nil)
    let done = DispatchSemaphore(value: 0)
    Task.detached {
        do {
            let measured = try await measureFetching(feeds: feeds, feedBytes: feedBytes)
            outcome.withLock { $0 = .success(measured) }
        } catch {
            outcome.withLock { $0 = .failure(error) }
        }
        done.signal()
    }
    done.wait()
    switch outcome.withLock({ $0 }) {
    case .success(let result):
        return result
    case .failure(let error):
        print("fetching benchmark: \(error)")
        return nil
    case nil:
        return nil
    }
}

/// Fetches `feeds` documents of about `feedBytes` bytes each from a loopback server and reports wall time and
/// peak RSS (targets: ≤ 5 s and ≤ 200 MB for 1,000 × 50 KB on 2 cores, release build).
public func measureFetching(feeds: Int = 1_000, feedBytes: Int = 50_000) async throws -> FetchBenchmarkResult {
    let server = try LoopbackHTTPServer()
    defer { server.stop() }
    for index in 0..<feeds {
        server.setRoute("/feeds/\(index).xml", .respond(
            headers: [("Content-Type", "application/rss+xml"), ("ETag", "\"feed-\(index)\"")],
            body: syntheticFeed(index: index, bytes: feedBytes)
        ))
    }
    let policy = FetchPolicy(allowPrivateNetwork: true)
    let requests = (0..<feeds).map { FetchRequest(url: server.url("/feeds/\($0).xml"), policy: policy) }
    let fetcher = HTTPFetcher(globalConcurrency: 8, perHostConcurrency: 8)

    let residentBefore = procStatusKB("VmRSS:")
    let started = ContinuousClock.now
    let results = await fetcher.fetchAll(requests)
    let elapsed = ContinuousClock.now - started

    var fetched = 0
    var bytes = 0
    for case .success(let response) in results {
        fetched += 1
        bytes += response.body.count
    }
    let result = FetchBenchmarkResult(
        fetched: fetched,
        bytes: bytes,
        seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
        residentBeforeFetchKB: residentBefore,
        peakResidentKB: procStatusKB("VmHWM:")
    )
    let failures = results.compactMap { result -> String? in
        if case .failure(let error) = result { return error.description }
        return nil
    }
    print("fetching: \(result.fetched)/\(feeds) feeds, \(result.bytes) bytes in \(String(format: "%.3f", result.seconds)) s "
        + "(\(String(format: "%.0f", Double(feeds) / max(result.seconds, 1e-9))) feeds/s, "
        + "\(String(format: "%.1f", Double(result.bytes) / 1e6 / max(result.seconds, 1e-9))) MB/s); "
        + "RSS before fetch \(result.residentBeforeFetchKB.map { "\($0 / 1024) MB" } ?? "n/a"), "
        + "peak RSS \(result.peakResidentKB.map { "\($0 / 1024) MB" } ?? "n/a"); "
        + "server saw \(server.connectionCount) connections, at most \(server.maxConcurrentRequests) requests at once")
    for failure in failures.prefix(5) { print("  failed: \(failure)") }
    return result
}

/// An RSS 2.0 document of about `bytes` bytes: items with titles, links and descriptions.
func syntheticFeed(index: Int, bytes: Int) -> [UInt8] {
    var text = """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0"><channel><title>Benchmark feed \(index)</title><link>http://127.0.0.1/\(index)</link>
        <description>Synthetic feed for the fetching benchmark.</description>

        """
    var item = 0
    while text.utf8.count < bytes - 200 {
        text += """
            <item><title>Item \(item) of feed \(index): miners weigh hashprice against production cost</title>\
            <link>http://127.0.0.1/\(index)/\(item)</link><guid>feed-\(index)-item-\(item)</guid>\
            <pubDate>Mon, 02 Feb 2026 09:30:00 GMT</pubDate><description>Institutions surveyed still call the \
            asset undervalued while the weekly cloud turns red.</description></item>

            """
        item += 1
    }
    text += "</channel></rss>\n"
    return Array(text.utf8)
}

/// A kB figure (`VmHWM:`, `VmRSS:`) from /proc/self/status.
func procStatusKB(_ field: String) -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
    for line in status.split(separator: "\n") where line.hasPrefix(field) {
        return Int(line.split(separator: " ").dropFirst().first ?? "")
    }
    return nil
}
