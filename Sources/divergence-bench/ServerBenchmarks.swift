import Foundation
import Ingestion
import Logging
import Reporting
import Server
import Settings
import Storage
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The HTTP API under load: the server on 127.0.0.1 over a store holding the demo scenario, `connections` keep-alive
/// connections each sending `GET /v1/divergence/latest` back to back for `seconds` (after a one-second warm-up).
/// Prints requests per second and p50/p99 latency. Targets: ≥ 5,000 req/s and p99 ≤ 10 ms on 2 cores.
func benchmarkServer(connections: Int = 16, seconds: Double = 5, target: String = "/v1/divergence/latest") {
    let config = URL(fileURLWithPath: "feeds/demo/divergence.toml")
    guard FileManager.default.fileExists(atPath: config.path) else {
        print("server: skipped (run from the repository root: feeds/demo/divergence.toml not found)")
        return
    }
    let done = DispatchSemaphore(value: 0)
    let report = Mutex<[String]>([])
    Task.detached {
        do {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("divergence-bench-server-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: directory) }
            var settings = try ConfigLoader.load(path: config.path)
            settings.storePath = directory.appendingPathComponent("demo.sqlite").path
            let store = try Store(path: settings.storePath)
            _ = try await Ingestor(config: settings, store: store, logger: Logger(label: "bench")).ingestAll()
            var options = APIServerOptions()
            options.port = 0
            let server = try APIServer(config: settings, store: store, options: options, logger: Logger(label: "bench"))
            let running = try await server.start()

            let cold = try measureOnce(port: running.port, target: target)
            let warmUp = LoadGenerator(port: running.port, target: target, connections: connections)
            _ = warmUp.run(seconds: 1)
            let result = LoadGenerator(port: running.port, target: target, connections: connections).run(seconds: seconds)
            let metrics = try measureOnce(port: running.port, target: "/metrics").body
            await running.stop()

            let computations = metrics.split(separator: "\n").first { $0.hasPrefix("divergence_latest_report_computations_total ") }.map { String($0.split(separator: " ")[1]) } ?? "?"
            report.withLock {
                $0.append(String(format: "server: first GET %@ (report computed) %.1f ms, %d bytes", target, cold.milliseconds, cold.bytes))
                $0.append(String(format: "server: GET %@ × %d keep-alive connections for %.0f s: %d responses (%d errors), %.0f req/s, p50 %.2f ms, p99 %.2f ms, max %.2f ms; %@ report computations (targets ≥ 5,000 req/s, p99 ≤ 10 ms)",
                                  target, connections, seconds, result.latencies.count, result.errors, result.requestsPerSecond,
                                  result.percentile(0.50), result.percentile(0.99), result.percentile(1.0), computations))
            }
        } catch {
            report.withLock { $0.append("server benchmark: \(error)") }
        }
        done.signal()
    }
    done.wait()
    report.withLock { $0.forEach { print($0) } }
}

/// One request on a fresh connection: the latency and the body.
private func measureOnce(port: Int, target: String) throws -> (milliseconds: Double, bytes: Int, body: String) {
    let connection = try BenchConnection(port: port)
    let started = DispatchTime.now().uptimeNanoseconds
    let body = try connection.get(target)
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6
    return (elapsed, body.count, String(decoding: body, as: UTF8.self))
}

/// Closed-loop load: each connection sends its next request when the previous response has been read completely.
private struct LoadGenerator {
    let port: Int
    let target: String
    let connections: Int

    struct Result {
        var latencies: [UInt64]
        var errors: Int
        var elapsedSeconds: Double
        var requestsPerSecond: Double { Double(latencies.count) / elapsedSeconds }
        /// Latency at `fraction` (0…1) in milliseconds.
        func percentile(_ fraction: Double) -> Double {
            guard !latencies.isEmpty else { return .nan }
            let index = min(latencies.count - 1, Int((Double(latencies.count) * fraction).rounded(.up)) - 1)
            return Double(latencies[max(0, index)]) / 1e6
        }
    }

    func run(seconds: Double) -> Result {
        let collected = Mutex<(latencies: [UInt64], errors: Int)>(([], 0))
        let started = DispatchTime.now().uptimeNanoseconds
        let deadline = started + UInt64(seconds * 1e9)
        let group = DispatchGroup()
        for _ in 0..<connections {
            group.enter()
            let thread = Thread {
                var latencies: [UInt64] = []
                latencies.reserveCapacity(100_000)
                var errors = 0
                var connection = try? BenchConnection(port: port)
                while DispatchTime.now().uptimeNanoseconds < deadline {
                    guard let open = connection else {
                        errors += 1
                        connection = try? BenchConnection(port: port)
                        continue
                    }
                    let before = DispatchTime.now().uptimeNanoseconds
                    do {
                        _ = try open.get(target)
                        latencies.append(DispatchTime.now().uptimeNanoseconds - before)
                    } catch {
                        errors += 1
                        connection = nil
                    }
                }
                collected.withLock {
                    $0.latencies.append(contentsOf: latencies)
                    $0.errors += errors
                }
                group.leave()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        group.wait()
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        let (latencies, errors) = collected.withLock { ($0.latencies, $0.errors) }
        return Result(latencies: latencies.sorted(), errors: errors, elapsedSeconds: elapsed)
    }
}

/// One blocking keep-alive HTTP/1.1 connection to 127.0.0.1 that reads `Content-Length` bodies.
private final class BenchConnection {
    let descriptor: Int32
    var buffer: [UInt8] = []
    var scratch = [UInt8](repeating: 0, count: 128 * 1024)

    init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw BenchError("socket() failed") }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var noDelay: Int32 = 1
        setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            close(descriptor)
            throw BenchError("cannot connect to 127.0.0.1:\(port)")
        }
    }

    deinit { close(descriptor) }

    /// Sends a GET and returns the body of a 200 response.
    func get(_ target: String) throws -> [UInt8] {
        let request = Array("GET \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8)
        let sent = request.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == request.count else { throw BenchError("send failed") }
        var headerEnd: Int?
        while headerEnd == nil {
            headerEnd = Self.find([13, 10, 13, 10], in: buffer)
            if headerEnd == nil { try fill() }
        }
        let head = String(decoding: buffer[0..<headerEnd!], as: UTF8.self)
        guard head.hasPrefix("HTTP/1.1 200") else { throw BenchError("status: \(head.prefix(40))") }
        guard let lengthLine = head.split(separator: "\r\n").first(where: { $0.lowercased().hasPrefix("content-length:") }),
              let length = Int(lengthLine.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) else { throw BenchError("no Content-Length") }
        let bodyStart = headerEnd! + 4
        while buffer.count < bodyStart + length { try fill() }
        let body = Array(buffer[bodyStart..<(bodyStart + length)])
        buffer.removeFirst(bodyStart + length)
        return body
    }

    private func fill() throws {
        let count = scratch.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { throw BenchError("connection closed") }
        buffer.append(contentsOf: scratch[0..<count])
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        outer: for index in 0...(haystack.count - needle.count) {
            for offset in needle.indices where haystack[index + offset] != needle[offset] { continue outer }
            return index
        }
        return nil
    }
}

private struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
