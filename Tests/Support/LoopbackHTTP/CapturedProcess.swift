import Foundation

/// A child process run to completion with its stdout and stderr captured, both drained at once so neither pipe can
/// fill up and stall it. Shared by the end-to-end tests (the `divergence` binary) and the browser tests (`chromium`).
public struct CapturedProcess: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String

    /// Runs `executable` with `arguments` on the calling thread (callers keep it off Swift's cooperative threads).
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                           currentDirectory: URL? = nil) throws -> CapturedProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        if let environment { process.environment = environment }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        final class Box: @unchecked Sendable { var data = Data() }
        let errors = Box()
        let drained = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            errors.data = err.fileHandleForReading.readDataToEndOfFile()
            drained.signal()
        }
        let output = out.fileHandleForReading.readDataToEndOfFile()
        drained.wait()
        process.waitUntilExit()
        return CapturedProcess(status: process.terminationStatus, stdout: String(decoding: output, as: UTF8.self),
                               stderr: String(decoding: errors.data, as: UTF8.self))
    }
}
