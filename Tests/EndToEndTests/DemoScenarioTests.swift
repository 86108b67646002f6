import Foundation
import StoreTestSupport
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

    @Test("make demo's report: B, R and D match the fixtures worked by hand, and a second run adds no documents", arguments: StoreBackendKind.available)
    func demoReport(_ backend: StoreBackendKind) async throws {
        let scratch = try ScratchDirectory()
        let arguments = ["run", "--config", "feeds/demo/divergence.toml", "--store", try backend.freshLocation("demo", in: scratch), "--as-of", "2026-02-07", "--format", "json"]
        let first = try await Binary.run(arguments)
        #expect(first.status == 0, "\(first.stderr)")
        let report = try json(first.stdout)
        #expect(report["schema"] as? String == "divergence.report/1")

        // Survey component by hand from feeds/demo/surveys/northbridge-pulse-2026-01.json (institutional, n=75):
        // valuation 0.71 − 0.12 = 0.59; market phase 0.41 − 0.26 = 0.15; allocation 0.44 − 0.14 = 0.30;
        // mean = 1.04 / 3 = 0.346667 → 34.67; published "2026-01-27" (date-only: knowable at the end of that day,
        // 2026-01-28T00:00Z), seen at 2026-02-08T00:00Z (11 days) with a 90-day half-life: × 0.5^(11/90) = 0.91882 → 31.85.
        // (Non-institutional respondents are not in B.)
        let bullishness = try #require(report["bullishness"] as? [String: Any])
        let components = try #require(bullishness["components"] as? [[String: Any]])
        let survey = try #require(components.first { $0["id"] as? String == "surveys" })
        let surveyValue = 104.0 / 3 * pow(0.5, 11.0 / 90)
        #expect(abs((survey["value"] as? Double ?? 0) - surveyValue) < 1e-9)

        // Claims: every institutional claim in the demo's news (the write-up's 71% / 12% / 26% / 44% / 14%, the
        // headline's and summary's 70% and 26%) restates that survey (same population and proposition, within 0.02,
        // within 14 days of its publication): they are the survey's evidence at weight 0, and there is no claim component.
        #expect(!components.contains { $0["id"] as? String == "claims" })
        let restating = (survey["evidence"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "claim" }
        #expect(restating.count >= 5 && restating.allSatisfy { $0["weight"] as? Double == 0 })

        // News component by hand: the demo's opinion units held by institutional investors (the only holders inside B
        // by default), each scored by `divergence score-text` below, decaying with a 7-day half-life from its
        // document's publication to 2026-02-08T00:00Z: value = 100 × Σ decay × score / count.
        // The Kumo-twist headline (media, technical) and every analyst, media, retail or miner unit stay out.
        let institutionalSentences: [(published: String, sentences: [String])] = [
            ("2026-01-28T12:00:00Z", ["Institutions stay bullish on Bitcoin despite bear market fears",
                                      "Seven in ten institutional investors believe Bitcoin is undervalued, according to the January Digital Asset Investor Pulse published by Northbridge Research, which polled 148 respondents between January 5 and January 16."]),
            ("2026-01-29T11:00:00Z", ["Asset manager raises its bitcoin ETF allocation despite the sell-off",
                                      "A large asset manager said it increased its allocation to spot bitcoin ETFs in January, calling the pullback a buying opportunity for long-term investors."]),
            ("2026-02-04T09:30:00Z", ["Survey: 70% of institutional investors still see Bitcoin as undervalued",
                                      "About 70% of institutional investors surveyed believe Bitcoin is undervalued at current prices, even as 26% of institutional respondents say the market has entered a bear market."]),
            ("2026-02-07T10:00:00Z", ["Fund managers keep long Bitcoin books through the drawdown",
                                      "Fund managers said they remain bullish on Bitcoin over a twelve-month horizon and plan to add to positions on weakness, according to a desk note from a global bank."]),
        ]
        let asOf = try Date("2026-02-08T00:00:00Z", strategy: .iso8601)
        var decayedSum = 0.0, unitCount = 0
        for (published, sentences) in institutionalSentences {
            let scored = try await Binary.run(["score-text", "--format", "jsonl"] + sentences)
            #expect(scored.status == 0, "\(scored.stderr)")
            let age = asOf.timeIntervalSince(try Date(published, strategy: .iso8601))
            for line in scored.stdout.split(separator: "\n") {
                for unit in try json(String(line))["units"] as? [[String: Any]] ?? []
                where unit["speaker_type"] as? String == "institutional" && unit["topic"] as? String == "belief" {
                    decayedSum += pow(0.5, age / (7 * 86_400)) * (unit["score"] as? Double ?? .nan)
                    unitCount += 1
                }
            }
        }
        let news = try #require(components.first { $0["id"] as? String == "news" })
        #expect((news["explanation"] as? String)?.hasPrefix("\(unitCount) opinion unit(s)") == true, "\(news["explanation"] ?? "")")
        let newsValue = 100 * decayedSum / Double(unitCount)
        // score-text prints scores to 4 decimals; the store keeps them whole: a few thousandths of a point apart.
        #expect(abs((news["value"] as? Double ?? 0) - newsValue) < 0.01, "news \(news["value"] ?? "") vs \(newsValue)")

        // B = Σ weight × value / Σ weight over the components present: (0.5 × surveys + 0.2 × news) / 0.7.
        let b = try #require(bullishness["score"] as? Double)
        #expect(abs(b - (0.5 * surveyValue + 0.2 * newsValue) / 0.7) < 0.01)
        let contributionSum = components.reduce(0.0) { $0 + ($1["contribution"] as? Double ?? 0) }
        #expect(abs(b - contributionSum) < 1e-9, "B is the sum of its components' contributions")

        // Beside B: the analysts' bankruptcy warning, the miners' sales and the media's price headlines are scored on
        // their own lines, all bearish here; none of them moves B.
        let voices = try #require(bullishness["voices"] as? [[String: Any]])
        for type in ["analyst", "media", "miner"] {
            let voice = try #require(voices.first { $0["speaker_type"] as? String == type }, "\(type) beside B")
            #expect((voice["score"] as? Double ?? 0) < 0, "\(type)")
        }

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

        // Drawdown by hand: the last close over the highest close to date, − 1; scored clamp(1 + drawdown / 0.25): 0 at −25%, −1 at −50%.
        let closes = try demoColumn("btc-usd-daily.csv", 4, last: 100_000)
        let drawdownValue = close / closes.max()! - 1
        let drawdown = try #require(signals.first { $0["id"] as? String == "drawdown" })
        #expect(abs((drawdown["value"] as? Double ?? 0) - drawdownValue) < 1e-9)
        #expect(abs((drawdown["score"] as? Double ?? 0) - max(-1, min(1, 1 + drawdownValue / 0.25))) < 1e-9)

        // Support by hand: the demo's only zone of two swing lows (±10-day pivots) below the close is 2024-08-16 $52,554.64
        // and 2024-08-30 $52,505.98, widened to 1% of its midpoint $52,530.31: $52,267.66–$52,792.96. The November 2025
        // low ($82,947) is a single touch, so no zone, and nothing broke; the close is 22.1% above the zone's top, and
        // the rule scores clamp(distance / 0.15, 0, 1) = +1.
        let support = try #require(signals.first { $0["id"] as? String == "support" })
        let zoneTop = (52_505.98 + 52_554.64) / 2 * 1.005
        #expect(abs((support["value"] as? Double ?? 0) - (close / zoneTop - 1)) < 1e-6)
        #expect(support["score"] as? Double == 1)

        // D = (B − R) / 2, with B worked by hand above. With the support signal at +1 (a single broken swing low scored
        // −1 before zones needed two touches), R is 20 × 0.1 = 20 points higher and D ≈ +45: `strong` (30 ≤ |D| < 50).
        let divergence = try #require(report["divergence"] as? [String: Any])
        let d = try #require(divergence["value"] as? Double)
        #expect(abs(d - (b - r) / 2) < 1e-9)
        #expect(abs(d - ((0.5 * surveyValue + 0.2 * newsValue) / 0.7 - r) / 2) < 0.01)
        #expect(d >= 30 && d < 50, "D \(d)")
        #expect(divergence["label"] as? String == "strong")
        #expect((report["verdict"] as? String)?.hasPrefix("STRONG divergence") == true)

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
        #expect(lines.last?.hasPrefix("STRONG divergence (D +") == true, "D ≈ +45 on the demo, worked in `report`")
        #expect(!run.stdout.contains("\u{1B}["), "no colour codes when NO_COLOR is set or stdout is a pipe")
    }

    @Test("report --as-of before the data exists says there is no verdict, and never looks ahead", arguments: StoreBackendKind.available)
    func pointInTime(_ backend: StoreBackendKind) async throws {
        let scratch = try ScratchDirectory()
        let store = try backend.freshLocation("demo", in: scratch)
        #expect(try await Binary.run(["ingest", "--config", "feeds/demo/divergence.toml", "--store", store]).status == 0)
        let early = try await Binary.run(["report", "--config", "feeds/demo/divergence.toml", "--store", store, "--as-of", "2021-05-01", "--format", "json"])
        #expect(early.status == 0)
        let report = try json(early.stdout)
        #expect(report["divergence"] == nil)
        #expect((report["verdict"] as? String)?.hasPrefix("No verdict") == true)
        let beforeSurvey = try json(try await Binary.run(["report", "--config", "feeds/demo/divergence.toml", "--store", store, "--as-of", "2026-01-25", "--format", "json"]).stdout)
        let components = (beforeSurvey["bullishness"] as? [String: Any])?["components"] as? [[String: Any]] ?? []
        #expect(!components.contains { $0["id"] as? String == "surveys" }, "the survey published 2026-01-27 is not knowable at the end of 2026-01-25")
        // "published": "2026-01-27" is date-only: knowable at the end of the 27th, not in the report as of the 26th.
        func surveyIn(_ day: String) async throws -> Bool {
            let report = try json(try await Binary.run(["report", "--config", "feeds/demo/divergence.toml", "--store", store, "--as-of", day, "--format", "json"]).stdout)
            return ((report["bullishness"] as? [String: Any])?["components"] as? [[String: Any]] ?? []).contains { $0["id"] as? String == "surveys" }
        }
        #expect(try await surveyIn("2026-01-26") == false)
        #expect(try await surveyIn("2026-01-27"))
    }

    @Test("months after the demo's last candle the report scores nothing stale: R and D are null with the reason", arguments: StoreBackendKind.available)
    func staleDemo(_ backend: StoreBackendKind) async throws {
        let scratch = try ScratchDirectory()
        let store = try backend.freshLocation("demo", in: scratch)
        let global = ["--config", "feeds/demo/divergence.toml", "--store", store]
        #expect(try await Binary.run(["ingest"] + global).status == 0)
        // 2026-06-01: prices and hashrate end 2026-02-07 (stale); the news (last 2026-02-07, 7-day half-life) is stale
        // too; the survey (published once, 2026-01-27) is within its 365 days.
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
        // The news claims restate the stored survey and add no weight, so only the news is stale: 0.2 of surveys 0.5 +
        // news 0.2 is B's stale share; D's is (0.2 / 0.7 + 1) / 2.
        #expect(Set(stale) == ["news"])
        #expect(abs((freshness["bullishness_stale_share"] as? Double ?? 0) - 0.2 / 0.7) < 1e-12)
        #expect(abs((freshness["divergence_stale_share"] as? Double ?? 0) - (0.2 / 0.7 + 1) / 2) < 1e-12)

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
