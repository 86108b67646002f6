import Foundation
import Testing

/// Drives the real binary on the offline demo scenario and checks the report against values worked by hand.
@Suite("Demo scenario, end to end", .serialized)
struct DemoScenarioTests {
    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// The last `count` rows of a demo CSV as [date: value of `column`].
    func demoColumn(_ file: String, _ column: Int, last count: Int) throws -> [Double] {
        let text = try String(contentsOf: Binary.packageRoot.appendingPathComponent("feeds/demo/market/\(file)"), encoding: .utf8)
        let rows = text.split(separator: "\n").dropFirst().filter { $0.hasPrefix("20") && $0 <= "2026-02-07~" }
        return rows.suffix(count).map { Double($0.split(separator: ",")[column])! }
    }

    @Test("make demo's report: B, R and D match the fixtures worked by hand, and a second run adds no documents")
    func demoReport() async throws {
        let scratch = try ScratchDirectory()
        let arguments = ["run", "--config", "feeds/demo/divergence.toml", "--store", scratch.path("demo.sqlite"), "--as-of", "2026-02-07", "--format", "json"]
        let first = try await Binary.run(arguments)
        #expect(first.status == 0, "\(first.stderr)")
        let report = try json(first.stdout)
        #expect(report["schema"] as? String == "divergence.report/1")

        // Survey component by hand from feeds/demo/surveys/northbridge-pulse-2026-01.json (institutional, n=75):
        // valuation 0.71 − 0.12 = 0.59; market phase 0.41 − 0.26 = 0.15; allocation 0.44 − 0.14 = 0.30;
        // mean = 1.04 / 3 = 0.346667 → 34.67; published 2026-01-27T00:00Z, seen at 2026-02-08T00:00Z (12 days) with a
        // 90-day half-life: × 0.5^(12/90) = 0.91178 → 31.61. (Non-institutional respondents are not in B.)
        let bullishness = try #require(report["bullishness"] as? [String: Any])
        let components = try #require(bullishness["components"] as? [[String: Any]])
        let survey = try #require(components.first { $0["id"] as? String == "surveys" })
        #expect(abs((survey["value"] as? Double ?? 0) - 104.0 / 3 * pow(0.5, 12.0 / 90)) < 1e-9)
        let b = try #require(bullishness["score"] as? Double)
        let contributionSum = components.reduce(0.0) { $0 + ($1["contribution"] as? Double ?? 0) }
        #expect(abs(b - contributionSum) < 1e-9, "B is the sum of its components' contributions")

        // Retail beside the index: the AAII-layout file's latest week (2026-02-05): 0.254 − 0.464 = −0.210.
        let retail = try #require((bullishness["retail"] as? [[String: Any]])?.first)
        #expect(abs((retail["net_bullish"] as? Double ?? 0) - (-0.21)) < 1e-9)

        // Price vs production cost by hand (DESIGN.md): the 7-day mean of the demo hashrate (EH/s) × 10^6 TH/s per EH/s
        // × 25 J/TH (2025+ fleet) × 24 h / 1000 × $0.06/kWh ÷ (144 blocks × 3.125 BTC) × 1.2 all-in.
        let hashrate = try demoColumn("hashrate-daily.csv", 1, last: 7)
        let meanEHs = hashrate.reduce(0, +) / 7
        let allIn = meanEHs * 1e6 * 25 * 24 / 1000 * 0.06 / (144 * 3.125) * 1.2
        let close = try #require(try demoColumn("btc-usd-daily.csv", 4, last: 1).first)
        #expect(close == 64_478)
        let regime = try #require(report["regime"] as? [String: Any])
        let signals = try #require(regime["signals"] as? [[String: Any]])
        let cost = try #require(signals.first { $0["id"] as? String == "production_cost" })
        #expect(abs((cost["value"] as? Double ?? 0) - (close / allIn - 1)) < 1e-9)
        #expect(abs((cost["score"] as? Double ?? 0) - max(-1, (close / allIn - 1) / 0.3)) < 1e-9)

        // R = Σ weight × score / Σ weight × 100 over the signals present.
        let r = try #require(regime["score"] as? Double)
        let weights = signals.map { $0["weight"] as? Double ?? 0 }, scores = signals.map { $0["score"] as? Double ?? 0 }
        let weighted = zip(weights, scores).reduce(0) { $0 + $1.0 * $1.1 } / weights.reduce(0, +) * 100
        #expect(abs(r - weighted) < 1e-9)
        #expect(r < -50, "the demo's technicals are deeply bearish")
        let ribbon = try #require(signals.first { $0["id"] as? String == "hash_ribbon" })
        #expect(ribbon["score"] as? Double == -1, "the demo hashrate falls into capitulation")

        // D = (B − R) / 2.
        let divergence = try #require(report["divergence"] as? [String: Any])
        let d = try #require(divergence["value"] as? Double)
        #expect(abs(d - (b - r) / 2) < 1e-9)
        #expect(divergence["label"] as? String == "extreme")
        #expect((report["verdict"] as? String)?.hasPrefix("EXTREME divergence") == true)

        // Run it again: the same documents, survey rows and series points — nothing duplicated.
        let data = try #require(report["data"] as? [String: Any])
        #expect(data["documents"] as? Int == 11, "5 + 3 + 2 feed items and 1 article page")
        #expect(data["survey_observations"] as? Int == 13 + 12, "13 Northbridge rows and 4 retail weeks × 3")
        #expect(data["price_days"] as? Int == 1_713 && data["hashrate_days"] as? Int == 1_713)
        let second = try await Binary.run(arguments)
        #expect(second.status == 0)
        let again = try #require(try json(second.stdout)["data"] as? [String: Any])
        for key in ["documents", "claims", "survey_observations", "price_days", "hashrate_days"] {
            #expect(again[key] as? Int == data[key] as? Int, "\(key)")
        }
        #expect(second.stderr.contains("0 new document(s), 5 already stored"))
    }

    @Test("the table report is an analyst's brief ending in a one-line verdict")
    func tableReport() async throws {
        let scratch = try ScratchDirectory()
        let run = try await Binary.run(["run", "--config", "feeds/demo/divergence.toml", "--store", scratch.path("demo.sqlite"), "--as-of", "2026-02-07"])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "divergence report — as of end of 2026-02-07 UTC")
        #expect(lines.contains { $0.hasPrefix("Institutional bullishness B: +") })
        #expect(lines.contains { $0.hasPrefix("Technical regime R: -") && $0.contains("capitulation") })
        #expect(lines.contains { $0.contains("Digital Asset Investor Pulse") })
        #expect(lines.contains { $0.contains("under the all-in production cost") })
        #expect(lines.last?.hasPrefix("EXTREME divergence (D +") == true)
        #expect(!run.stdout.contains("\u{1B}["), "no colour codes when NO_COLOR is set or stdout is a pipe")
    }

    @Test("report --as-of before the data exists says there is no verdict, and never looks ahead")
    func pointInTime() async throws {
        let scratch = try ScratchDirectory()
        let store = scratch.path("demo.sqlite")
        #expect(try await Binary.run(["ingest", "--config", "feeds/demo/divergence.toml", "--store", store]).status == 0)
        let early = try await Binary.run(["report", "--config", "feeds/demo/divergence.toml", "--store", store, "--as-of", "2021-05-01", "--format", "json"])
        #expect(early.status == 0)
        let report = try json(early.stdout)
        #expect(report["divergence"] == nil)
        #expect((report["verdict"] as? String)?.hasPrefix("No verdict") == true)
        let beforeSurvey = try json(try await Binary.run(["report", "--config", "feeds/demo/divergence.toml", "--store", store, "--as-of", "2026-01-25", "--format", "json"]).stdout)
        let components = (beforeSurvey["bullishness"] as? [String: Any])?["components"] as? [[String: Any]] ?? []
        #expect(!components.contains { $0["id"] as? String == "surveys" }, "the survey published 2026-01-27 is not knowable at the end of 2026-01-25")
    }

    @Test("months after the demo's last candle the report scores nothing stale: R and D are null with the reason")
    func staleDemo() async throws {
        let scratch = try ScratchDirectory()
        let store = scratch.path("demo.sqlite")
        let global = ["--config", "feeds/demo/divergence.toml", "--store", store]
        #expect(try await Binary.run(["ingest"] + global).status == 0)
        // 2026-06-01: prices and hashrate end 2026-02-07 (stale); the news (last 2026-02-07, 7-day half-life) and the
        // claims (30-day half-life) are stale too; the survey (published once, 2026-01-27) is within its 365 days.
        // (A plain `report` on the demo store today shows the same; this test pins its instant.)
        let run = try await Binary.run(["report", "--as-of", "2026-06-01", "--format", "json"] + global)
        #expect(run.status == 0, "\(run.stderr)")
        let report = try json(run.stdout)
        #expect(report["divergence"] == nil && report["regime"] == nil)
        #expect(report["verdict"] as? String
                == "No verdict: no fresh market data to score the technical regime (stale: last day with both price and hashrate 2026-02-07; stale: last hashrate sample 2026-02-07; stale: last candle 2026-02-07).")
        let freshness = try #require(report["freshness"] as? [String: Any])
        let regimeStale = try #require(freshness["regime_stale"] as? [[String: Any]])
        #expect(regimeStale.count == 7)
        #expect(regimeStale.contains { $0["id"] as? String == "ichimoku" && $0["reason"] as? String == "stale: last candle 2026-02-07" })
        #expect(freshness["regime_stale_share"] as? Double == 1)
        let bullishness = try #require(report["bullishness"] as? [String: Any])
        let components = bullishness["components"] as? [[String: Any]] ?? []
        #expect(components.map { $0["id"] as? String } == ["surveys"])
        let stale = (bullishness["stale"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        #expect(Set(stale) == ["claims", "news"])
        // Claims 0.3 + news 0.2 of 1.0 are stale: B's stale share 0.5; D's (0.5 + 1) / 2 = 0.75.
        #expect(freshness["bullishness_stale_share"] as? Double == 0.5)
        #expect(freshness["divergence_stale_share"] as? Double == 0.75)

        let table = try await Binary.run(["report", "--as-of", "2026-06-01"] + global)
        #expect(table.stdout.contains("Technical regime R: n/a (no fresh data)"))
        #expect(table.stdout.contains("Weekly Ichimoku              null   stale: last candle 2026-02-07"))
    }

    @Test("an as-of in the future is refused with one line and exit 64")
    func futureAsOf() async throws {
        let scratch = try ScratchDirectory()
        let run = try await Binary.run(["report", "--config", "feeds/demo/divergence.toml", "--store", scratch.path("demo.sqlite"), "--as-of", "2999-01-01"])
        #expect(run.status == 64)
        #expect(run.stderr.contains("--as-of '2999-01-01' is in the future"))
    }
}
