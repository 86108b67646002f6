import Foundation
import LoopbackHTTP
@testable import Server
import StoreTestSupport
import Testing

/// The dashboard at `/`, its data routes, and its login, over the shared demo store.
@Suite("Dashboard")
struct DashboardTests {
    static let token = "dashboard-token-for-tests-0123456789"

    /// "+41.4" for 41.38: what the page prints for a score.
    static func shown(_ value: Double) -> String { (value > 0 ? "+" : "") + String(format: "%.1f", value) }

    @Test("/ serves the self-contained page with a strict content-security policy, whatever its query string")
    func page() async throws {
        let port = try await sharedDemo.value.port
        let response = try await httpRequest(port: port, "GET", "/?utm_source=bookmark&probe=hover")
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "text/html; charset=utf-8")
        #expect(response.header("Content-Security-Policy")?.contains("default-src 'none'") == true)
        for external in ["src=\"http", "href=\"http", "url(http", "@import", "src=\"//"] {
            #expect(!response.text.contains(external), "no external resource: \(external)")
        }
        for id in ["d-value", "b-value", "r-value", "chart", "b-components", "r-signals", "events", "sources"] {
            #expect(response.text.contains("id=\"\(id)\""), "\(id)")
        }
    }

    @Test("/v1/chart gives the chart's series, events, capitulations and support zones for the last year by default", arguments: StoreBackendKind.available)
    func chartData(_ backend: StoreBackendKind) async throws {
        let port = try await SharedDemo.on(backend).port
        let response = try await httpRequest(port: port, "GET", "/v1/chart")
        #expect(response.status == 200)
        let chart = try response.json()
        #expect(chart["schema"] as? String == "divergence.chart/1")
        // The demo's last price day is 2026-02-07; the default range is the 365 days before it.
        #expect(chart["to"] as? String == "2026-02-07" && chart["from"] as? String == "2025-02-07")
        #expect((chart["close"] as? [[String: Any]])?.count == 366)
        let events = try #require(chart["events"] as? [[String: Any]])
        #expect(events.contains { $0["kind"] as? String == "bearish_twist" && $0["code"] as? String == "KT−" })
        #expect((chart["capitulations"] as? [[String: Any]])?.first?["start"] as? String == "2025-11-16")
        let narrow = try await httpRequest(port: port, "GET", "/v1/chart?from=2026-01-01&to=2026-02-07&step=1d")
        #expect((try narrow.json()["close"] as? [Any])?.count == 38)
        #expect(try await httpRequest(port: port, "GET", "/v1/chart?from=2026-02-07&to=2026-01-01").status == 400)
    }

    @Test("/v1/sources lists every source with its status and each series' last day", arguments: StoreBackendKind.available)
    func sources(_ backend: StoreBackendKind) async throws {
        let shared = try await SharedDemo.on(backend)
        let response = try await httpRequest(port: shared.port, "GET", "/v1/sources")
        let body = try response.json()
        let sources = try #require(body["sources"] as? [[String: Any]])
        #expect(sources.count == (try shared.demo.store.sources().count))
        #expect(sources.allSatisfy { $0["consecutive_failures"] as? Int == 0 && $0["last_status"] != nil })
        let series = try #require(body["series"] as? [[String: Any]])
        #expect(series.first { $0["series"] as? String == "btc_usd" }?["last_day"] as? String == "2026-02-07")
    }

    @Test("with a token, / shows a login form; a wrong token is refused; the right one sets an HttpOnly cookie the API accepts")
    func login() async throws {
        let demo = try await sharedDemo.value.demo
        let server = try demo.server { $0.token = try? BearerToken(Self.token) }
        let running = try await server.start()
        defer { Task { await running.stop() } }
        let port = running.port

        let form = try await httpRequest(port: port, "GET", "/")
        #expect(form.status == 401 && form.text.contains("<form method=\"post\" action=\"/login\">"))
        #expect(!form.text.contains("id=\"d-value\""), "no data before signing in")
        let formHeaders = [("Content-Type", "application/x-www-form-urlencoded")]
        let wrong = try await httpRequest(port: port, "POST", "/login", headers: formHeaders, body: Data("token=guess".utf8))
        #expect(wrong.status == 401 && wrong.text.contains("id=\"login-error\""))
        #expect(wrong.header("Set-Cookie") == nil)
        let right = try await httpRequest(port: port, "POST", "/login", headers: formHeaders, body: Data("token=\(Self.token)".utf8))
        #expect(right.status == 303 && right.header("Location") == "/")
        let cookie = try #require(right.header("Set-Cookie"))
        #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
        let pair = String(cookie.split(separator: ";")[0])
        #expect(try await httpRequest(port: port, "GET", "/", headers: [("Cookie", pair)]).text.contains("id=\"d-value\""))
        #expect(try await httpRequest(port: port, "GET", "/v1/divergence/latest", headers: [("Cookie", "theme=dark; " + pair)]).status == 200)
        #expect(try await httpRequest(port: port, "GET", "/v1/divergence/latest", headers: [("Cookie", pair + "x")]).status == 401)
        #expect(try await httpRequest(port: port, "GET", "/login").status == 405)
    }

    @Test("in a real browser the page loads without script errors, shows the API's numbers, and hovering shows a day's values",
          .enabled(if: HeadlessBrowser.enabled, "chromium is not installed (CI installs it)"))
    func inBrowser() async throws {
        let shared = try await sharedDemo.value
        let scratch = try ScratchDirectory()
        let latest = try await httpRequest(port: shared.port, "GET", "/v1/divergence/latest").json()
        let run = try await HeadlessBrowser.run("http://127.0.0.1:\(shared.port)/?probe=hover", ["--dump-dom"], scratch: scratch.url)
        #expect(run.status == 0, "\(run.stderr.suffix(500))")
        let dom = run.stdout
        #expect(HeadlessBrowser.text(ofID: "errors", in: dom) == "", "script errors on the page: \(HeadlessBrowser.text(ofID: "errors", in: dom) ?? "?")")
        #expect(HeadlessBrowser.scriptErrors(run.stderr).isEmpty, "\(HeadlessBrowser.scriptErrors(run.stderr))")
        let d = try #require((latest["divergence"] as? [String: Any])?["value"] as? Double)
        let b = try #require((latest["bullishness"] as? [String: Any])?["score"] as? Double)
        let r = try #require((latest["regime"] as? [String: Any])?["score"] as? Double)
        #expect(HeadlessBrowser.text(ofID: "d-value", in: dom) == Self.shown(d))
        #expect(HeadlessBrowser.text(ofID: "b-value", in: dom) == Self.shown(b))
        #expect(HeadlessBrowser.text(ofID: "r-value", in: dom) == Self.shown(r))
        #expect(HeadlessBrowser.text(ofID: "verdict", in: dom) == latest["verdict"] as? String)
        // The demo stores ETF flows and TFF reports: the page shows Bᵣ as the API computed it, and B's voices beside it.
        let sides = try #require((latest["bullishness"] as? [String: Any])?["stated_revealed"] as? [String: Any])
        let revealed = try #require((sides["revealed"] as? [String: Any])?["score"] as? Double)
        #expect(HeadlessBrowser.text(ofID: "b-sides", in: dom)?.contains("revealed Bᵣ \(Self.shown(revealed))") == true,
                "\(HeadlessBrowser.text(ofID: "b-sides", in: dom) ?? "-")")
        #expect(HeadlessBrowser.text(ofID: "b-voices", in: dom)?.contains("analyst") == true)
        // The probe moved the pointer to the middle of the chart: the tooltip names a day of the range and its close.
        let probe = try #require(HeadlessBrowser.text(ofID: "probe", in: dom))
        let day = try #require(probe.firstMatch(of: /day (\d{4}-\d{2}-\d{2})/)?.1)
        #expect(("2025-02-07"..."2026-02-07").contains(String(day)), "\(probe)")
        #expect(probe.hasPrefix(String(day)) && probe.contains("close $"), "\(probe)")
        #expect(dom.components(separatedBy: "<tr>").count > 10, "tables filled from the API")
    }

    @Test("a screenshot of the dashboard is far from blank: it outweighs a blank page's by a wide margin",
          .enabled(if: HeadlessBrowser.enabled, "chromium is not installed (CI installs it)"))
    func screenshot() async throws {
        let shared = try await sharedDemo.value
        let scratch = try ScratchDirectory()
        let page = scratch.path("dashboard.png"), blank = scratch.path("blank.png")
        _ = try await HeadlessBrowser.run("http://127.0.0.1:\(shared.port)/", ["--window-size=1200,1600", "--screenshot=\(page)"], scratch: scratch.url)
        _ = try await HeadlessBrowser.run("about:blank", ["--window-size=1200,1600", "--screenshot=\(blank)"], scratch: scratch.url)
        let pageBytes = try #require(FileManager.default.attributesOfItem(atPath: page)[.size] as? Int)
        let blankBytes = try #require(FileManager.default.attributesOfItem(atPath: blank)[.size] as? Int)
        // A blank 1200×1600 PNG compresses to a few kilobytes; text, tables and a chart cannot.
        #expect(pageBytes > 20 * blankBytes, "dashboard \(pageBytes) B vs blank \(blankBytes) B")
    }
}
