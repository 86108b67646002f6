import Foundation
import Storage

/// A private PostgreSQL server for the tests: `initdb` and `pg_ctl` in a temporary folder, listening only on a Unix
/// socket there, started once per test process and stopped when it exits. No shared server, no credentials.
///
/// As root (CI containers), the server runs as the `postgres` user, which `initdb` requires.
public final class PostgresTestCluster: Sendable {
    /// The folder holding the data directory and the socket.
    public let directory: String
    public let port: Int
    /// The superuser `initdb` created (trust authentication on the socket).
    public let superuser = "divergence"
    let binaries: String
    let runAs: String?

    /// Why the shared cluster could not start, or the cluster.
    nonisolated(unsafe) private static var started: Result<PostgresTestCluster, ClusterError>?
    private static let lock = NSLock()

    /// What went wrong starting the cluster, with the command's output.
    public struct ClusterError: Error, CustomStringConvertible {
        public var description: String
    }

    /// The process's cluster, started on first use.
    public static func shared() throws -> PostgresTestCluster {
        lock.lock()
        defer { lock.unlock() }
        if let started { return try started.get() }
        let result: Result<PostgresTestCluster, ClusterError>
        do { result = .success(try PostgresTestCluster()) } catch let error as ClusterError { result = .failure(error) } catch {
            result = .failure(ClusterError(description: "\(error)"))
        }
        started = result
        if case .success(let cluster) = result {
            atexit { PostgresTestCluster.stopShared() }
            _ = cluster
        }
        return try result.get()
    }

    /// True when PostgreSQL's server programs are installed here; CI installs them, so a test there never skips.
    public static var isInstalled: Bool { findBinaries() != nil }

    nonisolated(unsafe) private static var startedInBackground = false

    /// Starts the shared cluster on a thread of its own, once: `initdb` takes seconds (much longer on a loaded
    /// machine), and a test that waited for it on one of Swift's few cooperative threads would stall every other
    /// test. Called when the test arguments are built, before any test runs.
    static func startInBackground() {
        lock.lock()
        defer { lock.unlock() }
        guard !startedInBackground, started == nil else { return }
        startedInBackground = true
        Thread.detachNewThread { _ = try? PostgresTestCluster.shared() }
    }

    static func stopShared() {
        if case .success(let cluster) = started { cluster.stop() }
    }

    static func findBinaries() -> String? {
        // Debian keeps every server program (initdb, pg_ctl, psql) in /usr/lib/postgresql/<version>/bin; elsewhere, PATH.
        var candidates: [String] = []
        if let versions = try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql") {
            candidates += versions.sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }.map { "/usr/lib/postgresql/\($0)/bin" }
        }
        candidates += (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        return candidates.first { folder in ["initdb", "pg_ctl", "psql"].allSatisfy { FileManager.default.isExecutableFile(atPath: folder + "/" + $0) } }
    }

    init() throws {
        guard let binaries = Self.findBinaries() else {
            throw ClusterError(description: "PostgreSQL server programs (initdb, pg_ctl) are not installed: apt-get install postgresql")
        }
        self.binaries = binaries
        runAs = getuid() == 0 ? "postgres" : nil
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("divergence-pg-\(UUID().uuidString.prefix(8))").path
        port = 20_000 + Int(getpid() % 20_000)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if let runAs {
            try run("/bin/chown", [runAs, directory], as: nil)
        }
        try run(binaries + "/initdb", ["-D", directory + "/data", "-U", superuser, "--auth=trust", "-E", "UTF8", "--no-locale"], as: runAs)
        let options = "-c listen_addresses='' -c unix_socket_directories='\(directory)' -p \(port) -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        try run(binaries + "/pg_ctl", ["-D", directory + "/data", "-l", directory + "/server.log", "-o", options, "-w", "-t", "60", "start"], as: runAs)
    }

    /// Stops the server at once and removes its folder.
    public func stop() {
        _ = try? run(binaries + "/pg_ctl", ["-D", directory + "/data", "-m", "immediate", "-w", "stop"], as: runAs)
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A URL for `database` as `user` over the cluster's socket.
    public func url(database: String, user: String? = nil) -> String {
        "postgresql://\(user ?? superuser)@/\(database)?host=\(directory)&port=\(port)&sslmode=disable"
    }

    /// Creates a fresh, empty database and returns its URL.
    public func createDatabase(_ prefix: String = "t") throws -> String {
        let name = "\(prefix)_\(UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: ""))"
        // One CREATE DATABASE at a time: two copying the template at once can fail.
        Self.lock.lock()
        defer { Self.lock.unlock() }
        try psql("CREATE DATABASE \(name)", database: "postgres")
        return url(database: name)
    }

    /// Runs SQL with `psql` as the superuser.
    public func psql(_ sql: String, database: String) throws {
        try run(binaries + "/psql", ["-h", directory, "-p", "\(port)", "-U", superuser, "-d", database, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql], as: nil)
    }

    /// Runs a program to its end with its output in a file, and returns that output; throws when it fails.
    ///
    /// Spawned with `posix_spawn` and reaped with `waitpid` rather than with Foundation's `Process`, which waits for
    /// descriptors the server started by `pg_ctl` inherits and so would never see `pg_ctl` end.
    @discardableResult
    func run(_ program: String, _ arguments: [String], as user: String?) throws -> String {
        let argv = (user.map { ["/usr/sbin/runuser", "-u", $0, "--"] } ?? []) + [program] + arguments
        let outputFile = FileManager.default.temporaryDirectory.appendingPathComponent("divergence-pg-\(UUID().uuidString).out").path
        defer { try? FileManager.default.removeItem(atPath: outputFile) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputFile, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var cArguments = argv.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, &cArguments, environ)
        guard spawned == 0 else { throw ClusterError(description: "cannot start \(argv[0]): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let text = (try? String(contentsOfFile: outputFile, encoding: .utf8)) ?? ""
        let exited = (status & 0x7f) == 0, code = (status >> 8) & 0xff
        guard exited && code == 0 else {
            throw ClusterError(description: "\((program as NSString).lastPathComponent) failed (status \(status)): \(text)")
        }
        return text
    }
}

/// The store backends a parameterised test runs on.
public enum StoreBackendKind: String, Sendable, CaseIterable, CustomStringConvertible {
    case sqlite, postgresql

    public var description: String { rawValue }

    /// Every backend; PostgreSQL only where its server programs are installed, except in CI (`CI` set), where a missing
    /// server fails the PostgreSQL cases instead of skipping them.
    public static var available: [StoreBackendKind] {
        if PostgresTestCluster.isInstalled {
            PostgresTestCluster.startInBackground()
            return allCases
        }
        return ProcessInfo.processInfo.environment["CI"] != nil ? allCases : [.sqlite]
    }

    /// A new, empty store location of this kind: a file named `name` in `scratch` (removed with it) or, without one, in
    /// a fresh folder under the process's scratch folder (removed when the process exits); or a fresh database on the
    /// process's private cluster (removed with the cluster when the process exits).
    public func freshLocation(_ name: String = "store", in scratch: ScratchDirectory? = nil) throws -> String {
        switch self {
        case .sqlite:
            if let scratch { return scratch.path("\(name).sqlite") }
            let folder = try ProcessScratch.folder().appendingPathComponent("\(name)-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            return folder.appendingPathComponent("\(name).sqlite").path
        case .postgresql:
            return try PostgresTestCluster.shared().createDatabase()
        }
    }

    /// A new, empty, migrated store of this kind.
    public func freshStore(_ name: String = "store", in scratch: ScratchDirectory? = nil) throws -> Store {
        try Store(path: freshLocation(name, in: scratch))
    }
}
