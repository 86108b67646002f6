import Foundation
import LoopbackHTTP

/// Runs blocking client work on a thread of its own: neither on Swift's cooperative threads nor on libdispatch's
/// shared pool, which the server under test needs (blocked threads there starve it on Linux).
func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}

/// One request on a fresh connection.
func httpRequest(port: Int, _ method: String = "GET", _ target: String, headers: [(String, String)] = [], body: Data? = nil) async throws -> RawHTTPResponse {
    try await offPool {
        let connection = try RawHTTPConnection(port: port)
        return try connection.request(method, target, headers: headers, body: body)
    }
}

/// Whether two JSON texts hold the same document, numbers equal to 1e-12 (relative) — the scores sum floating-point
/// terms in an order that can differ between runs, so the last digit may differ while the meaning does not.
func sameJSON(_ left: String, _ right: String) -> Bool {
    guard let a = try? JSONSerialization.jsonObject(with: Data(left.utf8), options: [.fragmentsAllowed]),
          let b = try? JSONSerialization.jsonObject(with: Data(right.utf8), options: [.fragmentsAllowed]) else { return false }
    return sameJSONValue(a, b)
}

private func sameJSONValue(_ a: Any, _ b: Any) -> Bool {
    switch (a, b) {
    case let (x as [String: Any], y as [String: Any]):
        return x.keys.sorted() == y.keys.sorted() && x.allSatisfy { key, value in sameJSONValue(value, y[key]!) }
    case let (x as [Any], y as [Any]):
        return x.count == y.count && zip(x, y).allSatisfy(sameJSONValue)
    case let (x as String, y as String):
        return x == y
    case let (x as NSNumber, y as NSNumber):
        let (u, v) = (x.doubleValue, y.doubleValue)
        return u == v || abs(u - v) <= 1e-12 * max(abs(u), abs(v))
    case (is NSNull, is NSNull):
        return true
    default:
        return false
    }
}

/// Both nil, or both numbers equal to 1e-12 (relative; see `sameJSON`).
func close(_ a: Double?, _ b: Double?) -> Bool {
    switch (a, b) {
    case (nil, nil): true
    case let (x?, y?): x == y || abs(x - y) <= 1e-12 * max(abs(x), abs(y))
    default: false
    }
}
