import Foundation
import Ingestion
import Logging
import LoopbackHTTP
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
    let connection = try RawHTTPConnection(port: port, timeoutSeconds: 10)
    let started = DispatchTime.now().uptimeNanoseconds
    let body = try ok(connection.request("GET", target))
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
                var connection = try? RawHTTPConnection(port: port, timeoutSeconds: 10)
                while DispatchTime.now().uptimeNanoseconds < deadline {
                    guard let open = connection else {
                        errors += 1
                        connection = try? RawHTTPConnection(port: port, timeoutSeconds: 10)
                        continue
                    }
                    let before = DispatchTime.now().uptimeNanoseconds
                    do {
                        _ = try ok(open.request("GET", target))
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

/// The body of a 200 response; anything else is an error.
private func ok(_ response: RawHTTPResponse) throws -> Data {
    guard response.status == 200 else { throw BenchError("status \(response.status)") }
    return response.body
}

private struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
