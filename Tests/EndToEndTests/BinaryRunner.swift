import Foundation
import LoopbackHTTP

/// Runs the built `divergence` binary and captures its output.
struct BinaryRun {
    var status: Int32
    var stdout: String
    var stderr: String
}

enum Binary {
    static let packageRoot = BuiltBinary.packageRoot

    /// The `divergence` binary of the build these tests belong to.
    static let path = BuiltBinary.path("divergence")

    /// Runs the binary to completion without blocking Swift's cooperative threads (other suites run meanwhile).
    static func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> BinaryRun {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                do { continuation.resume(returning: try runBlocking(arguments, environment: environment)) } catch { continuation.resume(throwing: error) }
            }
        }
    }

    /// Runs the binary on the calling thread; stdout and stderr are drained concurrently so neither pipe can fill up.
    static func runBlocking(_ arguments: [String], environment: [String: String] = [:]) throws -> BinaryRun {
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        for (key, value) in environment { env[key] = value }
        let run = try CapturedProcess.run(path, arguments, environment: env, currentDirectory: packageRoot)
        return BinaryRun(status: run.status, stdout: run.stdout, stderr: run.stderr)
    }
}
