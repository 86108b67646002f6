import Foundation
import Synchronization

/// How the loopback server answers one path.
public indirect enum LoopbackRoute: Sendable {
    /// A fixed status, extra headers and body, framed by an honest `Content-Length`.
    case respond(status: Int = 200, headers: [(String, String)] = [], body: [UInt8])
    /// A redirect to `location` (absolute or relative) with the given 3xx status.
    case redirect(status: Int, location: String)
    /// `Transfer-Encoding: chunked`, `bytes` bytes of `x` in chunks of `chunkSize`; no `Content-Length`.
    case chunked(bytes: Int, chunkSize: Int = 4096)
    /// Announces `Content-Length: claimed` but sends `actual` bytes chunked (the announced length is a lie).
    case lyingLength(claimed: Int, actual: Int)
    /// `bytes` bytes with no length at all, delimited by closing the connection.
    case unframed(bytes: Int)
    /// Announces `bytes` bytes, then sends one byte every `interval` seconds.
    case trickle(bytes: Int, interval: Double = 1)
    /// 200 with `ETag` and `Last-Modified`; 304 when the request's `If-None-Match` or `If-Modified-Since` matches.
    case conditional(etag: String, lastModified: String, body: [UInt8])
    /// A body already gzip-compressed, sent with `Content-Encoding: gzip`, framed by `Content-Length` or chunked.
    case gzip(compressed: [UInt8], contentType: String = "application/xml", chunked: Bool = false)
    /// Waits `seconds` before answering as `then`.
    case delayed(seconds: Double, then: LoopbackRoute)
    /// Waits until the test opens `gate`, then answers as `then`: a wait that ends on the test's state, not a time.
    case held(LoopbackGate, then: LoopbackRoute)
    /// The n-th request to the path answered as the n-th route, every later one as the last (e.g. a 429, then the page).
    case sequence([LoopbackRoute])
}

/// A latch the test opens once; every answer held on it (`LoopbackRoute.held`) goes out then.
public final class LoopbackGate: @unchecked Sendable {
    // Entered once at creation and left once by `open()`: every `wait()` before it blocks, every one after passes.
    private let group = DispatchGroup()
    private let opened = Mutex(false)

    public init() { group.enter() }

    /// Lets every held answer go; opening again does nothing.
    public func open() {
        if opened.withLock({ was in defer { was = true }; return !was }) { group.leave() }
    }

    /// Blocks the calling (connection) thread until the gate is open.
    func wait() { group.wait() }
}

/// One request the server received.
public struct LoopbackRequest: Sendable {
    /// The method, e.g. `GET`.
    public var method: String
    /// The request target (path and query).
    public var path: String
    /// Header fields in arrival order.
    public var headers: [(name: String, value: String)]
    /// When the request head was read.
    public var receivedAt = ContinuousClock.now
    /// The request body (Content-Length framed), empty when none.
    public var body: [UInt8] = []

    /// The first value of a header, matched case-insensitively.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }
}

/// Why the loopback server could not start.
public enum LoopbackServerError: Error, Sendable, CustomStringConvertible {
    /// Only 127.0.0.0/8 addresses may be bound.
    case notLoopback(String)
    /// A socket call failed with `errno`.
    case socket(call: String, errno: Int32)

    /// One line naming the failed step.
    public var description: String {
        switch self {
        case .notLoopback(let host): "loopback server: \(host) is not a 127.0.0.0/8 address"
        case .socket(let call, let errno): "loopback server: \(call) failed (errno \(errno))"
        }
    }
}
