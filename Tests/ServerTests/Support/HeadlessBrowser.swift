import Foundation
import LoopbackHTTP

/// Debian's `chromium`, headless, as a user's browser: it loads a page from the server under test, runs its scripts and
/// its fetches, and hands back the DOM after they settle, or a screenshot.
enum HeadlessBrowser {
    static let path = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// True where the browser is installed, or in CI (where `.ci/run` installs it, so a missing browser fails the test).
    static var enabled: Bool { path != nil || ProcessInfo.processInfo.environment["CI"] != nil }

    /// Runs the browser on `url` with `arguments` (e.g. `--dump-dom`), in a profile folder of its own under `scratch`.
    /// Virtual time lets the page's fetches finish before the DOM is read, however busy the machine is.
    static func run(_ url: String, _ arguments: [String], scratch: URL) async throws -> CapturedProcess {
        guard let path else { throw BrowserError("chromium is not installed (apt-get install chromium)") }
        let profile = scratch.appendingPathComponent("chromium-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = profile.path
        let arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars", "--user-data-dir=\(profile.path)",
                         "--virtual-time-budget=15000", "--enable-logging=stderr", "--v=0"] + arguments + [url]
        let settled = environment
        // Under coreutils' `timeout`, which ends the browser's whole process group: a headless browser once hung for 12
        // minutes on a loaded machine. A run that hangs is tried once more, then fails with the reason.
        let limit = String(Int(TestTime.bound(seconds: 120)))
        let attempt = { try await offPool { try CapturedProcess.run("/usr/bin/timeout", ["-k", "5", limit, path] + arguments, environment: settled) } }
        let hung = { (run: CapturedProcess) in run.status == 124 || run.status == 137 }
        var run = try await attempt()
        if hung(run) { run = try await attempt() }
        if hung(run) { throw BrowserError("chromium did not finish within \(limit) s, twice, on \(url)") }
        return run
    }

    /// The text of the element with `id` in a dumped DOM (entities for &, <, > decoded), or nil.
    static func text(ofID id: String, in dom: String) -> String? {
        guard let start = dom.range(of: "id=\"\(id)\"") else { return nil }
        guard let open = dom[start.upperBound...].firstIndex(of: ">") else { return nil }
        let rest = dom[dom.index(after: open)...]
        guard let close = rest.range(of: "</") else { return nil }
        return String(rest[..<close.lowerBound]).replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    /// Lines the browser logged for uncaught script errors or failed console assertions.
    static func scriptErrors(_ stderr: String) -> [String] {
        stderr.split(separator: "\n").map(String.init).filter { $0.contains("Uncaught") || ($0.contains("CONSOLE") && $0.contains("rror")) }
    }
}

struct BrowserError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
