import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Who holds a store's writer lock, as written into the lock file by the holder.
public struct StoreLockHolder: Sendable, Equatable, CustomStringConvertible {
    /// The holder's process id.
    public var pid: Int32
    /// The holder's command line, e.g. `divergence ingest --every 15m`.
    public var command: String
    /// When the lock was taken (UTC).
    public var since: Date

    public init(pid: Int32, command: String, since: Date) {
        self.pid = pid
        self.command = command
        self.since = since
    }

    /// `pid 4711 (divergence ingest --every 15m) since 2026-02-07T12:00:00Z`.
    public var description: String { "pid \(pid) (\(command)) since \(since.formatted(.iso8601))" }

    /// The lock file's text: `pid=…`, `since=…`, `command=…`, one per line.
    var fileText: String { "pid=\(pid)\nsince=\(since.formatted(.iso8601))\ncommand=\(command.replacingOccurrences(of: "\n", with: " "))\n" }

    /// Parses the lock file's text; nil when it is empty or incomplete.
    static func parse(_ text: String) -> StoreLockHolder? {
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            fields[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        guard let pid = fields["pid"].flatMap(Int32.init), let command = fields["command"],
              let since = fields["since"].flatMap({ try? Date.ISO8601FormatStyle().parse($0) }) else { return nil }
        return StoreLockHolder(pid: pid, command: command, since: since)
    }
}

/// Why the writer lock could not be taken.
public enum StoreLockError: Error, Sendable, CustomStringConvertible {
    /// Another process holds the lock (its holder when the lock file could be read).
    case held(store: String, holder: StoreLockHolder?, waited: TimeInterval)
    /// The lock file cannot be created or locked (e.g. the store's directory is not writable).
    case unavailable(store: String, lockPath: String, reason: String)

    public var description: String {
        switch self {
        case .held(let store, let holder, let waited):
            let who = holder.map { "\($0)" } ?? "another process"
            let wait = waited > 0 ? " (waited \(Self.seconds(waited)) s)" : ""
            return "store \(store) is being written by \(who)\(wait); only one ingest may write a store at a time"
        case .unavailable(let store, let lockPath, let reason): return "store \(store): cannot write: lock file \(lockPath): \(reason)"
        }
    }

    private static func seconds(_ value: TimeInterval) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }
}

/// The advisory writer lock beside a store (`<store>.lock`, `flock(2)`): at most one ingest writes a store at a time.
///
/// The kernel drops the lock when the holder exits or is killed, so a stale file never blocks anyone; the holder's
/// pid, command and start time are written into the file so a refused process can say who holds it. Readers
/// (`report`, `serve`) never take it: the store is in WAL mode.
public final class StoreLock: @unchecked Sendable {
    /// The lock file.
    public let path: String
    /// What was written into the lock file.
    public let holder: StoreLockHolder
    private let state = NSLock()
    private var descriptor: Int32

    private init(path: String, holder: StoreLockHolder, descriptor: Int32) {
        self.path = path
        self.holder = holder
        self.descriptor = descriptor
    }

    deinit { release() }

    /// `<store>.lock`.
    public static func lockPath(forStore storePath: String) -> String { storePath + ".lock" }

    /// Takes the writer lock of the store at `storePath`, retrying every 100 ms for up to `wait` seconds.
    ///
    /// - Throws: `held` naming the holder when another process keeps it longer than `wait`.
    public static func acquire(storePath: String, command: String, wait: TimeInterval = 0) throws(StoreLockError) -> StoreLock {
        let path = lockPath(forStore: storePath)
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .unavailable(store: storePath, lockPath: path, reason: "cannot create directory \(directory)")
        }
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .unavailable(store: storePath, lockPath: path, reason: String(cString: strerror(errno))) }
        let started = Date()
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            guard code == EWOULDBLOCK || code == EINTR else {
                close(fd)
                throw .unavailable(store: storePath, lockPath: path, reason: String(cString: strerror(code)))
            }
            let waited = Date().timeIntervalSince(started)
            if waited >= wait {
                close(fd)
                throw .held(store: storePath, holder: readHolder(path: path), waited: wait)
            }
            usleep(UInt32(min(0.1, max(0.01, wait - waited)) * 1_000_000))
        }
        // Whole seconds: the file records the start time to the second.
        let holder = StoreLockHolder(pid: getpid(), command: command, since: Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down)))
        let bytes = Array(holder.fileText.utf8)
        _ = ftruncate(fd, 0)
        _ = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        return StoreLock(path: path, holder: holder, descriptor: fd)
    }

    /// The process recorded in the lock file while it is still running; nil when the store is not being written.
    ///
    /// Reads the file without locking it (a probe must never make a starting ingest fail); a pid that no longer
    /// exists means the last holder was killed and the kernel has already released its lock.
    public static func currentHolder(storePath: String) -> StoreLockHolder? {
        guard let holder = readHolder(path: lockPath(forStore: storePath)) else { return nil }
        if kill(holder.pid, 0) != 0 && errno == ESRCH { return nil }
        return holder
    }

    /// Clears the holder and unlocks; called by `deinit` if not before. Safe to call twice.
    public func release() {
        state.lock()
        defer { state.unlock() }
        guard descriptor >= 0 else { return }
        _ = ftruncate(descriptor, 0)
        _ = flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    private static func readHolder(path: String) -> StoreLockHolder? {
        // The holder truncates then writes: retry briefly when the file is caught empty in between.
        for attempt in 0..<5 {
            // FileHandle rather than FileManager.contents(atPath:), which leaks a 4 KiB buffer on every empty file
            // (swift-foundation 6.3), and a daemon reads this file often.
            if let handle = FileHandle(forReadingAtPath: path), let data = try? handle.readToEnd(), (try? handle.close()) != nil,
               let holder = StoreLockHolder.parse(String(decoding: data, as: UTF8.self)) {
                return holder
            }
            if attempt < 4 { usleep(20_000) }
        }
        return nil
    }
}
