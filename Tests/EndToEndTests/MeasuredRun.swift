import Foundation
#if canImport(Glibc)
import Glibc
import StoreTestSupport
#endif

/// One run of the `divergence` binary with what it cost: wall time and the child's own peak resident memory.
///
/// The peak is `VmHWM` of `/proc/<pid>/status`, sampled every 5 ms until the child exits: the high-water mark of the
/// memory the binary mapped after its `exec`. (`ru_maxrss` from `wait4` would be wrong here: Linux folds the
/// high-water mark of the address space an `exec` replaces into it, and `posix_spawn` runs the child in the test
/// process's address space until it execs, so every child would report at least the test process's own peak.)
struct MeasuredRun {
    /// The exit status, or 128 + the signal that ended the process.
    var status: Int32
    var stdout: String
    var stderr: String
    var seconds: Double
    var peakKiB: Int
    /// Killed after the run's time limit.
    var timedOut: Bool

    var peakMiB: Double { Double(peakKiB) / 1024 }

    /// How the child is started: `wrapper` programs exec the binary in place (so the measured process is the
    /// binary itself), e.g. `setpriv` to drop privileges or `prlimit` to cap the size of files it writes.
    struct Launch {
        var wrapper: [String] = []
        /// Seconds before the child is killed (reported as `timedOut`).
        var limit: Double = 120

        /// As the unprivileged user `nobody` (65534) when the tests run as root, else as the current user.
        static var unprivileged: Launch {
            getuid() == 0 ? Launch(wrapper: ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"]) : Launch()
        }

        /// With files capped at `bytes` (`RLIMIT_FSIZE`) and `SIGXFSZ` ignored, so a write past the cap fails with
        /// `EFBIG` the way a full disk fails with `ENOSPC`, instead of killing the process.
        static func fileSizeLimit(_ bytes: Int) -> Launch {
            Launch(wrapper: ["/bin/sh", "-c", "trap '' XFSZ; exec prlimit --fsize=\(bytes):\(bytes) -- \"$@\"", "sh"])
        }
    }

    /// Runs `Binary.path` with `arguments` to completion on a thread of its own; stdout and stderr go to files in
    /// `scratch` (so neither can fill a pipe) and are read back afterwards.
    static func run(_ arguments: [String], scratch: ScratchDirectory, launch: Launch = Launch()) async throws -> MeasuredRun {
        let directory = scratch.url.path
        return try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                do { continuation.resume(returning: try runBlocking(arguments, directory: directory, launch: launch)) } catch { continuation.resume(throwing: error) }
            }
        }
    }

    struct SpawnError: Error, CustomStringConvertible {
        var code: Int32
        var description: String { "posix_spawnp failed: \(String(cString: strerror(code)))" }
    }

    static func runBlocking(_ arguments: [String], directory: String, launch: Launch) throws -> MeasuredRun {
        let tag = UUID().uuidString
        let outPath = directory + "/run-\(tag).out", errPath = directory + "/run-\(tag).err"
        let argv = launch.wrapper + [Binary.path] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        let envp = environment.map { "\($0.key)=\($0.value)" }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        // Every signal starts at its default disposition in the child (the test process ignores SIGPIPE).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var all = sigset_t()
        sigfillset(&all)
        sigdelset(&all, SIGKILL)
        sigdelset(&all, SIGSTOP)
        posix_spawnattr_setsigdefault(&attributes, &all)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let cArgv = argv.map { strdup($0) } + [nil]
        let cEnvp = envp.map { strdup($0) } + [nil]
        defer { (cArgv + cEnvp).forEach { free($0) } }
        var pid: pid_t = 0
        let clock = ContinuousClock()
        let started = clock.now
        let spawned = posix_spawnp(&pid, argv[0], &actions, &attributes, cArgv, cEnvp)
        guard spawned == 0 else { throw SpawnError(code: spawned) }

        var status: Int32 = 0
        var timedOut = false
        var peak = 0
        while true {
            peak = max(peak, highWaterKiB(pid))
            let reaped = wait4(pid, &status, WNOHANG, nil)
            if reaped == pid { break }
            if reaped < 0 && errno != EINTR { break }
            if !timedOut, clock.now - started > .seconds(launch.limit) {
                timedOut = true
                kill(pid, SIGKILL)
            }
            usleep(5_000)
        }
        let elapsed = clock.now - started
        let signal = status & 0x7F
        let code = signal == 0 ? (status >> 8) & 0xFF : 128 + signal
        func text(_ path: String) -> String { String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self) }
        return MeasuredRun(status: code, stdout: text(outPath), stderr: text(errPath),
                           seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
                           peakKiB: peak, timedOut: timedOut)
    }

    /// `VmHWM` of a running process in KiB; 0 once it has exited (a zombie has no memory left to report).
    static func highWaterKiB(_ pid: pid_t) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return 0 }
        return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
    }
}
