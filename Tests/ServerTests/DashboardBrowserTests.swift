import Foundation
import LoopbackHTTP
@testable import Server
import Testing

/// The dashboard at `/` in a real browser: headless Chromium against the server on 127.0.0.1.
@Suite("Dashboard in headless Chromium", .serialized)
struct DashboardBrowserTests {
    /// Chromium from PATH; CI installs Debian's `chromium` (.ci/run), so its absence fails rather than skips.
    static func chromium() throws -> String {
        try #require(MonitoringContribTests.executable("chromium") ?? MonitoringContribTests.executable("chromium-browser"),
                     "chromium is not installed: install Debian's chromium package (.ci/run does)")
    }

    /// Runs headless Chromium on `url` with `flags`; its stdout and its log (console messages are logged there).
    static func browse(_ url: String, _ flags: [String]) throws -> (dom: String, log: String) {
        let profile = try ScratchDirectory()
        let logPath = profile.path("chromium.log")
        FileManager.default.createFile(atPath: logPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try chromium())
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--user-data-dir=\(profile.path("profile"))",
                             "--enable-logging=stderr", "--v=0", "--virtual-time-budget=30000"] + flags + [url]
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        try process.run()
        let dom = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (dom, (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "")
    }

    /// The text of the element with `id` in a dumped DOM.
    static func element(_ id: String, in dom: String) -> String? {
        guard let range = dom.range(of: "id=\"\(id)\"") else { return nil }
        let rest = dom[range.upperBound...]
        guard let open = rest.firstIndex(of: ">"), let close = rest[open...].firstIndex(of: "<") else { return nil }
        return String(rest[rest.index(after: open)..<close])
    }

    /// The page's number format: sign, one decimal, a true minus sign.
    static func signed(_ value: Double) -> String { (value >= 0 ? "+" : "\u{2212}") + String(format: "%.1f", abs(value)) }

    @Test("the page loads with no console errors and shows the numbers of /v1/divergence/latest")
    func numbersMatchTheAPI() async throws {
        let shared = try await sharedDemo.value
        let latest = try await httpRequest(port: shared.port, "GET", "/v1/divergence/latest").json()
        let d = try #require((latest["divergence"] as? [String: Any])?["value"] as? Double)
        let b = try #require((latest["bullishness"] as? [String: Any])?["score"] as? Double)
        let r = try #require((latest["regime"] as? [String: Any])?["score"] as? Double)
        let (dom, log) = try Self.browse("http://127.0.0.1:\(shared.port)/", ["--dump-dom"])
        #expect(dom.contains("data-state=\"ready\""), "the script finished without an error")
        #expect(Self.element("d-value", in: dom) == Self.signed(d))
        #expect(Self.element("b-value", in: dom) == Self.signed(b))
        #expect(Self.element("r-value", in: dom) == Self.signed(r))
        #expect(Self.element("verdict", in: dom) == latest["verdict"] as? String)
        #expect(Self.element("asof", in: dom) == "as of end of 2026-02-07 UTC")
        #expect(dom.contains("<path d=\"M"), "the chart drew its lines")
        #expect(dom.contains("Northbridge Digital Asset Investor Pulse (demo survey)"), "the sources table is filled from /metrics")
        let console = log.split(separator: "\n").filter { $0.contains(":CONSOLE") }
        #expect(console.isEmpty, "console messages: \(console)")
    }

    @Test("with a token the page asks for it, and the cookie its form sets opens the API like the header")
    func tokenRules() async throws {
        let demo = try await sharedDemo.value.demo
        let token = "dashboard-token-0123456789abcdef"
        let server = try demo.server { $0.token = try? BearerToken(token) }
        let running = try await server.start()
        let page = try await httpRequest(port: running.port, "GET", "/")
        #expect(page.status == 200, "the page itself holds no data")
        #expect(page.header("Content-Type") == "text/html; charset=utf-8")
        #expect(page.header("Content-Security-Policy")?.contains("default-src 'none'") == true)
        #expect(try await httpRequest(port: running.port, "GET", "/v1/divergence/latest").status == 401)
        #expect(try await httpRequest(port: running.port, "GET", "/v1/divergence/latest",
                                      headers: [("Cookie", "theme=dark; divergence_token=\(token)")]).status == 200)
        #expect(try await httpRequest(port: running.port, "GET", "/v1/divergence/latest",
                                      headers: [("Cookie", "divergence_token=wrong-token-0123456789abcdef")]).status == 401)
        let (dom, _) = try Self.browse("http://127.0.0.1:\(running.port)/", ["--dump-dom"])
        #expect(dom.contains("data-state=\"login\""))
        #expect(!dom.contains("<form id=\"login\" hidden"), "the login form is shown")
        await running.stop()
    }

    @Test("a screenshot of the dashboard is far from a blank page's (control: about:blank in the same run)")
    func screenshotIsNotBlank() async throws {
        let shared = try await sharedDemo.value
        let scratch = try ScratchDirectory()
        _ = try Self.browse("about:blank", ["--window-size=1000,1400", "--screenshot=\(scratch.path("blank.png"))"])
        _ = try Self.browse("http://127.0.0.1:\(shared.port)/", ["--window-size=1000,1400", "--screenshot=\(scratch.path("page.png"))"])
        let blank = try FileManager.default.attributesOfItem(atPath: scratch.path("blank.png"))[.size] as? Int ?? 0
        let page = try FileManager.default.attributesOfItem(atPath: scratch.path("page.png"))[.size] as? Int ?? 0
        #expect(blank > 0)
        // A uniform PNG compresses to a few kilobytes; text, tables and the chart do not.
        #expect(page > 10 * blank, "dashboard \(page) bytes vs blank \(blank) bytes")
    }
}
