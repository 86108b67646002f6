import Foundation
import LoopbackHTTP
import Market
import Reporting
import Server
import Storage
import StoreTestSupport
import Testing

/// Every route of the real server on 127.0.0.1, over the demo scenario, against what the library computes directly.
@Suite("HTTP API routes over the demo scenario, on either backend")
struct APIRouteTests {
    func shared(_ backend: StoreBackendKind = .sqlite) async throws -> SharedDemo { try await SharedDemo.on(backend) }

    func get(_ target: String, on backend: StoreBackendKind = .sqlite) async throws -> RawHTTPResponse {
        try await httpRequest(port: try await shared(backend).port, "GET", target)
    }

    func reportJSON(asOf: Date, on backend: StoreBackendKind = .sqlite) async throws -> String {
        let demo = try await shared(backend).demo
        return ReportRendering.json(try ReportBuilder(config: demo.config, store: demo.store).build(asOf: asOf))
    }

    @Test("/v1/divergence/latest is the report as of now, the JSON of `report --format json`", arguments: StoreBackendKind.available)
    func latest(_ backend: StoreBackendKind) async throws {
        let response = try await get("/v1/divergence/latest", on: backend)
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "application/json; charset=utf-8")
        #expect(sameJSON(response.text, try await reportJSON(asOf: demoNow, on: backend)))
        let report = try response.json()
        #expect(report["schema"] as? String == "divergence.report/1")
        #expect(report["as_of"] as? String == "2026-02-08T00:00:00Z")
        let divergence = try #require(report["divergence"] as? [String: Any])
        let b = try #require((report["bullishness"] as? [String: Any])?["score"] as? Double)
        let r = try #require((report["regime"] as? [String: Any])?["score"] as? Double)
        #expect(abs((divergence["value"] as? Double ?? .nan) - (b - r) / 2) < 1e-9)
        #expect(divergence["label"] as? String == "strong", "D ≈ +45 on the demo (DemoScenarioTests works it by hand)")
        #expect((report["data"] as? [String: Any])?["documents"] as? Int == 11)
    }

    @Test("/v1/divergence?as_of= reads a date as the end of that UTC day and an ISO instant as given", arguments: StoreBackendKind.available)
    func divergenceAsOf(_ backend: StoreBackendKind) async throws {
        let day = try await get("/v1/divergence?as_of=2026-02-07", on: backend)
        #expect(day.status == 200)
        #expect(sameJSON(day.text, try await reportJSON(asOf: demoNow, on: backend)))

        let noon = try await get("/v1/divergence?as_of=2026-02-07T12:00:00Z", on: backend)
        #expect(noon.status == 200)
        #expect(sameJSON(noon.text, try await reportJSON(asOf: UTCDay(year: 2026, month: 2, day: 7).start.addingTimeInterval(12 * 3_600), on: backend)))
        #expect(try noon.json()["as_of"] as? String == "2026-02-07T12:00:00Z")

        // Percent-encoded "+01:00" and an unencoded "+" both mean an offset, not a space.
        let encoded = try await get("/v1/divergence?as_of=2026-02-07T13:00:00%2B01:00", on: backend)
        let plain = try await get("/v1/divergence?as_of=2026-02-07T13:00:00+01:00", on: backend)
        #expect(encoded.status == 200 && plain.status == 200)
        #expect(try encoded.json()["as_of"] as? String == "2026-02-07T12:00:00Z")
        #expect(sameJSON(encoded.text, plain.text))
    }

    @Test("as_of is point-in-time: a report as of 2025-06-30 sees no candle after that day", arguments: StoreBackendKind.available)
    func pointInTime(_ backend: StoreBackendKind) async throws {
        let response = try await get("/v1/divergence?as_of=2025-06-30", on: backend)
        #expect(response.status == 200)
        let data = try #require(try response.json()["data"] as? [String: Any])
        let lastPriceDay = try #require(data["last_price_day"] as? String)
        #expect(lastPriceDay <= "2025-06-30")
        #expect(sameJSON(response.text, try await reportJSON(asOf: UTCDay(year: 2025, month: 6, day: 30).end, on: backend)))
    }

    @Test("/v1/history gives one point per step, the same as HistoryBuilder, and stores no snapshot", arguments: StoreBackendKind.available)
    func history(_ backend: StoreBackendKind) async throws {
        let demo = try await shared(backend).demo
        let snapshotsBefore = try demo.store.summary().snapshots
        let response = try await get("/v1/history?from=2026-01-01&to=2026-02-07&step=1w", on: backend)
        #expect(response.status == 200)
        let body = try response.json()
        #expect(body["schema"] as? String == "divergence.history/1")
        #expect(body["step"] as? String == "1w")
        let points = try #require(body["points"] as? [[String: Any]])
        // 2026-01-01 + 0, 7, …, 35 days: Jan 1, 8, 15, 22, 29 and Feb 5 (Feb 12 is past `to`).
        #expect(points.compactMap { $0["day"] as? String } == ["2026-01-01", "2026-01-08", "2026-01-15", "2026-01-22", "2026-01-29", "2026-02-05"])
        #expect(points.allSatisfy { $0["stored"] as? Bool == false })
        let expected = try HistoryBuilder(config: demo.config, store: demo.store)
            .history(from: UTCDay(year: 2026, month: 1, day: 1), to: UTCDay(year: 2026, month: 2, day: 7), step: .week)
        #expect(expected.count == points.count)
        #expect(points.contains { $0["divergence"] is Double }, "the demo has D in these weeks")
        for (point, reference) in zip(points, expected) {
            #expect(close(point["divergence"] as? Double, reference.divergence))
            #expect(close(point["regime"] as? Double, reference.regime))
            #expect(close(point["bullishness"] as? Double, reference.bullishness))
        }
        #expect(try demo.store.summary().snapshots == snapshotsBefore, "the server never persists backfilled points")
    }

    @Test("/v1/history defaults: step 1d, to = yesterday (UTC) of the server's now, from = 90 days before", arguments: StoreBackendKind.available)
    func historyDefaults(_ backend: StoreBackendKind) async throws {
        let response = try await get("/v1/history", on: backend)
        #expect(response.status == 200)
        let body = try response.json()
        #expect(body["to"] as? String == "2026-02-07")
        #expect(body["from"] as? String == "2025-11-09")
        #expect((body["points"] as? [Any])?.count == 91)
    }

    @Test("/v1/technicals is `technicals --format json` as of the instant", arguments: StoreBackendKind.available)
    func technicals(_ backend: StoreBackendKind) async throws {
        let demo = try await shared(backend).demo
        let response = try await get("/v1/technicals?as_of=2026-02-07", on: backend)
        #expect(response.status == 200)
        let snapshot = try #require(try MarketQueries(config: demo.config, store: demo.store).technicals(asOf: demoNow))
        #expect(sameJSON(response.text, TechnicalsRendering.json(snapshot)))
        #expect(try response.json()["price"] as? Double == 64_478)
    }

    @Test("/v1/technicals before the first candle is a 404 with a JSON error", arguments: StoreBackendKind.available)
    func technicalsWithoutData(_ backend: StoreBackendKind) async throws {
        let response = try await get("/v1/technicals?as_of=2001-01-01", on: backend)
        #expect(response.status == 404)
        #expect((try response.json()["error"] as? String)?.contains("no price data") == true)
    }

    @Test("/v1/bullishness is B with its components, as `bullishness --format json` prints it", arguments: StoreBackendKind.available)
    func bullishness(_ backend: StoreBackendKind) async throws {
        let demo = try await shared(backend).demo
        let response = try await get("/v1/bullishness?as_of=2026-02-07", on: backend)
        #expect(response.status == 200)
        let report = try ReportBuilder(config: demo.config, store: demo.store).build(asOf: demoNow)
        #expect(sameJSON(response.text, ReportRendering.bullishnessJSON(report.snapshot)))
        let components = try #require(try response.json()["components"] as? [[String: Any]])
        // Every claim in the demo's news restates the stored Northbridge survey, so it is the survey's evidence, not a component.
        #expect(Set(components.compactMap { $0["id"] as? String }) == ["surveys", "news"])
    }

    @Test("/v1/documents lists documents newest first, honouring since and limit", arguments: StoreBackendKind.available)
    func documents(_ backend: StoreBackendKind) async throws {
        let demo = try await shared(backend).demo
        let all = try await get("/v1/documents?limit=1000", on: backend)
        #expect(all.status == 200)
        let listed = try #require(try all.json()["documents"] as? [[String: Any]])
        #expect(listed.count == 11)
        let published = listed.compactMap { $0["published"] as? String }
        #expect(published == published.sorted(by: >), "newest first")
        #expect(listed.first?["source_id"] is Int)

        let three = try await get("/v1/documents?limit=3", on: backend)
        #expect((try three.json()["documents"] as? [[String: Any]])?.compactMap { $0["id"] as? Int } == listed.prefix(3).compactMap { $0["id"] as? Int })

        let since = try await get("/v1/documents?since=2026-02-05", on: backend)
        let body = try since.json()
        #expect(body["since"] as? String == "2026-02-05T00:00:00Z")
        let expected = try demo.store.documents(since: UTCDay(year: 2026, month: 2, day: 5).start, limit: 50)
        #expect((body["documents"] as? [[String: Any]])?.compactMap { $0["id"] as? Int } == expected.map { Int($0.id) })
        #expect(body["count"] as? Int == expected.count)
        #expect(expected.count < 11, "the demo has documents before 2026-02-05")
    }

    @Test("/healthz answers ok; HEAD gives the headers of GET without a body")
    func health() async throws {
        let port = try await shared().port
        let response = try await httpRequest(port: port, "GET", "/healthz")
        #expect(response.status == 200)
        #expect(try response.json()["status"] as? String == "ok")
        let head = try await httpRequest(port: port, "HEAD", "/healthz")
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
        #expect(head.header("Content-Length") == String(response.body.count))
    }

    @Test("/openapi.json is the repository's document and describes exactly the routes the server has")
    func openAPI() async throws {
        let response = try await get("/openapi.json")
        #expect(response.status == 200)
        let inRepository = try Data(contentsOf: packageRoot.appendingPathComponent("Sources/Server/openapi.json"))
        #expect(response.body == inRepository)
        let document = try response.json()
        #expect(document["openapi"] as? String == "3.1.0")
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        #expect(Set(paths.keys) == Set(APIRoute.allCases.map(\.path)))
        for route in APIRoute.allCases {
            let method = route.acceptsPost ? "post" : "get"
            let get = try #require(paths[route.path]?[method] as? [String: Any], "\(route.path) has a \(method.uppercased()) operation")
            let names = (get["parameters"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            #expect(names.sorted() == route.parameters.sorted(), "\(route.path) documents exactly its parameters")
            let responses = try #require(get["responses"] as? [String: Any])
            #expect(responses[route.acceptsPost ? "303" : "200"] != nil)
            if route.requiresToken { #expect(responses["401"] != nil, "\(route.path) documents 401") }
            #expect(paths[route.path]?.keys.sorted() == [method], "only \(method.uppercased()) is documented (HEAD is implied for GET)")
        }
        let security = try #require((document["paths"] as? [String: [String: [String: Any]]])?["/healthz"]?["get"]?["security"] as? [Any])
        #expect(security.isEmpty, "/healthz is documented as open")
    }

    @Test("several requests share one keep-alive connection")
    func keepAlive() async throws {
        let port = try await shared().port
        let statuses = try await offPool {
            let connection = try RawHTTPConnection(port: port)
            return try ["/healthz", "/v1/divergence/latest", "/v1/nope", "/healthz"].map { try connection.request("GET", $0).status }
        }
        #expect(statuses == [200, 200, 404, 200])
    }
}
