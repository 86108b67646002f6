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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.currentDirectoryURL = packageRoot
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        final class Box: @unchecked Sendable { var data = Data() }
        let errBox = Box()
        let drained = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            errBox.data = err.fileHandleForReading.readDataToEndOfFile()
            drained.signal()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        drained.wait()
        process.waitUntilExit()
        return BinaryRun(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errBox.data, as: UTF8.self))
    }
}

/// A temporary folder removed when the test ends.
final class ScratchDirectory {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("divergence-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    deinit { try? FileManager.default.removeItem(at: url) }
}
