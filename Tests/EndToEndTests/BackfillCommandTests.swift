import Foundation
import LoopbackHTTP
import StoreTestSupport
import Testing

@Suite("ingest backfills short market history and says what is missing", .serialized)
struct BackfillCommandTests {
    /// A store of `backend` with an empty live hashrate file and a backfill from a loopback hashrate chart starting 2026-01-01.
    func config(_ scratch: ScratchDirectory, _ backend: StoreBackendKind, chart: String) throws -> String {
        try "date,hashrate_ehs\n".write(toFile: scratch.path("live.csv"), atomically: true, encoding: .utf8)
        let path = scratch.path("divergence.toml")
        try """
            store = "\(try backend.freshLocation(in: scratch))"
            [[source]]
            name = "live hashrate"
            kind = "hashrate"
            path = "live.csv"
            backfill = "\(chart)"
            backfill_format = "blockchain-charts"
            backfill_from = "2026-01-01"
            allow_private_network = true
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("a first ingest names the readings missing until the backfill completes, then stores the chart's days", arguments: StoreBackendKind.available)
    func completes(_ backend: StoreBackendKind) async throws {
        let scratch = try ScratchDirectory()
        // 2026-01-01 … 2026-02-01 (32 days) at 900,000,000 TH/s = 900 EH/s.
        let values = (0..<32).map { "{\"x\":\(1_767_225_600 + $0 * 86_400),\"y\":900000000}" }.joined(separator: ",")
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let target = "/charts/hash-rate?timespan=all&sampled=false&format=json&start=2026-01-01"
        server.setRoute(target, .respond(body: Array("{\"status\":\"ok\",\"unit\":\"Hash Rate TH/s\",\"values\":[\(values)]}".utf8)))
        let run = try await Binary.run(["ingest", "--config", try config(scratch, backend, chart: server.url("/charts/hash-rate?format=json"))])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("history  live hashrate: no hashrate stored; the readings need hashrate from 2016-01-01: missing until the backfill completes: hash ribbon (60 days of hashrate (the 60-day average)), hashprice percentile since 2016"),
                "\(run.stderr)")
        #expect(run.stderr.contains("ok       live hashrate: backfill completed: 1 page(s) from blockchain-charts, 32 new day(s), 0 replaced"), "\(run.stderr)")
        #expect(server.requests(path: target).count == 1)
    }

    @Test("a Retry-After longer than a run waits stops the backfill at once: exit 3, and the next ingest resumes it", arguments: StoreBackendKind.available)
    func rateLimited(_ backend: StoreBackendKind) async throws {
        let scratch = try ScratchDirectory()
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let target = "/charts/hash-rate?timespan=all&sampled=false&format=json&start=2026-01-01"
        server.setRoute(target, .respond(status: 429, headers: [("Retry-After", "600")], body: Array("slow down\n".utf8)))
        let run = try await Binary.run(["ingest", "--config", try config(scratch, backend, chart: server.url("/charts/hash-rate?format=json"))])
        #expect(run.status == 3, "\(run.stderr)")
        #expect(run.stderr.contains("FAILED   live hashrate: backfill stopped after 0 page(s) from blockchain-charts, 0 new day(s), 0 replaced: "), "\(run.stderr)")
        #expect(run.stderr.contains("HTTP 429 (retry after 600 s): longer than the 120 s this run waits; resumes from 2026-01-01 on the next ingest"), "\(run.stderr)")
        #expect(server.requests(path: target).count == 1, "asked to wait 10 minutes, the run does not ask again")

        server.setRoute(target, .respond(body: Array("{\"status\":\"ok\",\"unit\":\"Hash Rate TH/s\",\"values\":[{\"x\":1767225600,\"y\":900000000}]}".utf8)))
        let again = try await Binary.run(["ingest", "--config", scratch.path("divergence.toml")])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.contains("backfill completed: 1 page(s) from blockchain-charts, 1 new day(s)"), "\(again.stderr)")
    }
}
