import Foundation

/// A temporary folder for one test, removed with everything in it when the value goes away: the one temp-folder
/// helper of the test suites.
public final class ScratchDirectory: Sendable {
    /// The folder.
    public let url: URL

    /// Creates a fresh, empty folder under the system's temporary directory; with `removedAtExit`, under the test
    /// process's own folder, removed when the process exits (for a fixture shared by a whole run, never released).
    public init(removedAtExit: Bool = false) throws {
        let parent = removedAtExit ? try ProcessScratch.folder() : FileManager.default.temporaryDirectory
        url = parent.appendingPathComponent("divergence-scratch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// The path of `name` inside the folder.
    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// The folder under which `StoreBackendKind.freshLocation` puts SQLite stores not tied to a scratch directory: one per
/// test process, removed when the process exits.
enum ProcessScratch {
    nonisolated(unsafe) private static var root: URL?
    private static let lock = NSLock()

    /// The process's folder, created (and its removal at exit registered) on first use.
    static func folder() throws -> URL {
        lock.lock()
        defer { lock.unlock() }
        if let root { return root }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("divergence-tests-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        root = folder
        atexit { ProcessScratch.remove() }
        return folder
    }

    static func remove() {
        if let root { try? FileManager.default.removeItem(at: root) }
    }
}
