import Foundation
import StoreTestSupport
import Testing

/// The analysis and import commands, driven through the real binary on the demo scenario.
@Suite("Commands on the demo store", .serialized)
struct CommandTests {
    func json(_ text: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8)) }

    /// A scratch store of `backend` holding the ingested demo scenario.
    func demoStore(_ backend: StoreBackendKind = .sqlite) async throws -> (ScratchDirectory, [String]) {
        let scratch = try ScratchDirectory()
        let global = ["--config", "feeds/demo/divergence.toml", "--store", try backend.freshLocation("demo", in: scratch)]
        let ingest = try await Binary.run(["ingest"] + global)
        #expect(ingest.status == 0, "\(ingest.stderr)")
        return (scratch, global)
    }

    @Test("technicals JSON carries the documented fields and agrees with the report's R")
    func technicals() async throws {
        let (scratch, global) = try await demoStore()
        defer { withExtendedLifetime(scratch) {} }
        let run = try await Binary.run(["technicals", "--as-of", "2026-02-07", "--format", "json"] + global)
        #expect(run.status == 0, "\(run.stderr)")
        let t = try #require(try json(run.stdout) as? [String: Any])
        for key in ["as_of", "price", "production_cost", "cost_gap", "miner_loss_per_coin", "hashrate", "hash_ribbon", "ichimoku_weekly", "rsi14", "macd",
                    "mayer_multiple", "sma200w", "drawdown", "support_zones", "stress", "regime"] {
            #expect(t[key] != nil, "missing \(key)")
        }
        #expect(t["price"] as? Double == 64_478)
        let cost = try #require(t["production_cost"] as? [String: Any])
        let allIn = try #require(cost["all_in"] as? Double)
        #expect(abs((t["cost_gap"] as? Double ?? 0) - (64_478 / allIn - 1)) < 1e-9)
        #expect(abs((t["miner_loss_per_coin"] as? Double ?? 0) - (allIn - 64_478)) < 1e-6)
        #expect((t["hash_ribbon"] as? [String: Any])?["state"] as? String == "capitulation")
        let twist = (t["ichimoku_weekly"] as? [String: Any])?["last_twist"] as? [String: Any]
        #expect(twist?["direction"] as? String == "bearish")
        // The table: one number format everywhere, the as-of instant in words, the cloud now vs the cloud ahead.
        let table = try await Binary.run(["technicals", "--as-of", "2026-02-07"] + global).stdout
        #expect(table.hasPrefix("technicals — as of end of 2026-02-07 UTC"))
        #expect(table.contains("price                      $64,478"), "\(table)")
        #expect(table.contains("the cloud now") && table.contains("the cloud ahead last turned bearish"))

        let report = try #require(try json(try await Binary.run(["report", "--as-of", "2026-02-07", "--format", "json"] + global).stdout) as? [String: Any])
        let r = (report["regime"] as? [String: Any])?["score"] as? Double
        #expect(r != nil && r == (t["regime"] as? [String: Any])?["score"] as? Double)
    }

    @Test("history backfills point-in-time: its last point equals the report as of that day", arguments: StoreBackendKind.available)
    func historyMatchesReport(_ backend: StoreBackendKind) async throws {
        let (scratch, global) = try await demoStore(backend)
        defer { withExtendedLifetime(scratch) {} }
        let history = try await Binary.run(["history", "--from", "2026-01-25", "--to", "2026-02-07", "--format", "csv"] + global)
        #expect(history.status == 0, "\(history.stderr)")
        let rows = history.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.first == ["day", "bullishness", "regime", "regime_label", "divergence", "label", "percentile", "stored", "stated", "revealed"])
        #expect(rows.count == 1 + 14)
        let last = try #require(rows.last)
        #expect(last[0] == "2026-02-07")
        let report = try #require(try json(try await Binary.run(["report", "--as-of", "2026-02-07", "--format", "json"] + global).stdout) as? [String: Any])
        let d = try #require((report["divergence"] as? [String: Any])?["value"] as? Double)
        #expect(last[4] == String(format: "%.2f", d))
        #expect(rows[1][4].isEmpty, "on 2026-01-25 no institutional data was knowable yet, so D is empty")
        #expect(rows[1][8].isEmpty && !rows[1][9].isEmpty, "no stated Bₛ yet; revealed Bᵣ (flows, TFF reports) is shown beside, weighted 0 in the demo")
        #expect(!last[8].isEmpty && !last[9].isEmpty && last[1] == last[8], "by 2026-02-07 both sides are known; the demo's B is Bₛ")

        let weekly = try await Binary.run(["history", "--from", "2026-01-04", "--to", "2026-02-07", "--step", "1w", "--format", "jsonl"] + global)
        #expect(weekly.stdout.split(separator: "\n").count == 5)
        let bad = try await Binary.run(["history", "--from", "2026-02-07", "--to", "2026-01-01"] + global)
        #expect(bad.status == 64)
    }

    @Test("signals and the event study list dated events in range")
    func signalsAndEvents() async throws {
        let (scratch, global) = try await demoStore()
        defer { withExtendedLifetime(scratch) {} }
        let signals = try await Binary.run(["signals", "--from", "2025-10-01", "--to", "2026-02-07", "--format", "csv"] + global)
        #expect(signals.status == 0)
        let lines = signals.stdout.split(separator: "\n")
        #expect(lines.first == "day,kind,detail")
        #expect(lines.dropFirst().allSatisfy { $0 >= "2025-10-01" && $0 < "2026-02-08" })
        #expect(lines.contains { $0.contains(",capitulation_start,") })
        #expect(lines.contains { $0.contains(",bearish_twist,") })
        let study = try #require(try json(try await Binary.run(["events", "--study", "--format", "json"] + global).stdout) as? [String: Any])
        let horizons = try #require(study["capitulation_start"] as? [[String: Any]])
        #expect(horizons.map { $0["horizon_days"] as? Int } == [30, 90, 180])
    }

    @Test("series import is idempotent and reports replaced and rejected rows", arguments: StoreBackendKind.available)
    func seriesImport(_ backend: StoreBackendKind) async throws {
        let scratch = try ScratchDirectory()
        let global = ["--config", scratch.path("none.toml"), "--store", try backend.freshLocation("s", in: scratch)]
        try "".write(toFile: scratch.path("none.toml"), atomically: true, encoding: .utf8)
        let csv = scratch.path("prices.csv")
        try "date,open,high,low,close,volume\n2026-02-05,1,2,1,2,10\n2026-02-06,2,3,2,3,10\n2026-02-06,2,3.5,2,3.5,10\nnot-a-date,1,1,1,1,1\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let first = try await Binary.run(["series", "import", "--series", "btc_usd", csv] + global)
        #expect(first.status == 0, "\(first.stderr)")
        // Every row is counted once: 2 stored, 1 superseded by the later row for its day, 1 rejected.
        #expect(first.stdout.hasPrefix("\(csv): 4 row(s): 2 new day(s), 0 replaced by newer rows, 0 unchanged, 1 superseded by a later row for the same day, 1 rejected"))
        #expect(first.stderr.contains("\(csv):5: unparseable date 'not-a-date'"))
        #expect(first.stderr.contains("1 duplicate day(s), the later row wins"))
        let again = try await Binary.run(["series", "import", "--series", "btc_usd", csv] + global)
        #expect(again.stdout.hasPrefix("\(csv): 4 row(s): 0 new day(s), 0 replaced by newer rows, 2 unchanged"))
        try "date,close\n2026-02-06,4\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let revised = try await Binary.run(["series", "import", "--series", "btc_usd", csv] + global)
        #expect(revised.stdout.hasPrefix("\(csv): 1 row(s): 0 new day(s), 1 replaced by newer rows"))
        let hashrate = scratch.path("h.csv")
        try "date,hashrate_ths\n2026-02-06,913000000\n".write(toFile: hashrate, atomically: true, encoding: .utf8)
        #expect(try await Binary.run(["series", "import", "--series", "hashrate", hashrate] + global).status == 0)
    }

    @Test("surveys import keeps good rows, names bad ones by line, and lists them back", arguments: StoreBackendKind.available)
    func surveysImport(_ backend: StoreBackendKind) async throws {
        let scratch = try ScratchDirectory()
        let global = ["--config", scratch.path("none.toml"), "--store", try backend.freshLocation("s", in: scratch)]
        try "".write(toFile: scratch.path("none.toml"), atomically: true, encoding: .utf8)
        let csv = scratch.path("pulse.csv")
        try """
            survey,publisher,population,metric,share,sample_size,published
            Pulse,North,institutional,undervalued,71%,75,2026-01-27
            Pulse,North,institutional,overvalued,12%,75,2026-01-27
            Pulse,North,institutional,moonish,5%,75,2026-01-27
            """.write(toFile: csv, atomically: true, encoding: .utf8)
        let run = try await Binary.run(["surveys", "import", csv] + global)
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("\(csv): 2 new observation(s), 0 already stored, 1 rejected row(s)"))
        #expect(run.stderr.contains("rejected: \(csv):4: unknown metric 'moonish'"))
        let list = try await Binary.run(["surveys", "list", "--format", "csv", "--population", "institutional"] + global)
        #expect(list.stdout.split(separator: "\n").count == 3)
        #expect(list.stdout.contains("2026-01-27,Pulse,North,institutional,undervalued,0.7100,75,,"))
    }

    @Test("parse prints the documented JSON for feeds and pages, one line per input with jsonl")
    func parse() async throws {
        let feed = "feeds/demo/news/ledger-desk.rss", page = "feeds/demo/articles/northbridge-survey.html", bad = "feeds/demo/surveys/retail-weekly.csv"
        let single = try #require(try json(try await Binary.run(["parse", feed]).stdout) as? [String: Any])
        #expect(single["format"] as? String == "rss20")
        let entries = try #require(single["entries"] as? [[String: Any]])
        #expect(entries.count == 5)
        #expect(entries[0]["published"] as? String == "2026-02-06T14:05:00Z")
        #expect((entries[0]["summary"] as? String)?.hasPrefix("Bitcoin fell to $64,200 on Friday") == true)
        let lines = try await Binary.run(["parse", "--format", "jsonl", feed, page, bad])
        #expect(lines.status == 1, "one input is not a feed")
        let objects = try lines.stdout.split(separator: "\n").map { try #require(try json(String($0)) as? [String: Any]) }
        #expect(objects.map { $0["source"] as? String } == [feed, page, bad])
        #expect(objects[1]["format"] as? String == "html")
        #expect(objects[1]["author"] as? String == "Jon Adair")
        #expect(objects[2]["error"] != nil)
        let many = Array(repeating: [feed, page], count: 20).joined().map { $0 }
        let parallel = try await Binary.run(["parse", "--format", "jsonl", "--jobs", "4"] + many)
        let serial = try await Binary.run(["parse", "--format", "jsonl", "--jobs", "1"] + many)
        #expect(parallel.status == 0 && parallel.stdout == serial.stdout, "inputs parsed on several cores print in input order")
        #expect(parallel.stdout.split(separator: "\n").map { (try? json(String($0)) as? [String: Any])?["source"] as? String } == many)
    }

    @Test("parse takes its options anywhere among the inputs, every word after -- as an input, and refuses bad flags with 64")
    func parseOptionsAmongInputs() async throws {
        let feed = "feeds/demo/news/ledger-desk.rss", page = "feeds/demo/articles/northbridge-survey.html", bad = "feeds/demo/surveys/retail-weekly.csv"
        func sources(_ run: BinaryRun) -> [String?] {
            run.stdout.split(separator: "\n").map { (try? json(String($0)) as? [String: Any])?["source"] as? String }
        }
        let mixed = try await Binary.run(["parse", feed, "--jobs", "2", page, "--format=jsonl", bad, "--allow-private-network"])
        #expect(mixed.status == 1 && sources(mixed) == [feed, page, bad], "\(mixed.stderr)")
        let terminated = try await Binary.run(["parse", "--format", "jsonl", feed, "--", "--jobs", "-"])
        #expect(sources(terminated) == [feed, "--jobs", "-"], "after --, option-like words are inputs")
        let unknown = try await Binary.run(["parse", feed, page, "--formt", "jsonl"])
        #expect(unknown.status == 64 && unknown.stderr.contains("Unknown option '--formt'"), "\(unknown.stderr)")
        let missing = try await Binary.run(["parse", feed, page, "--jobs"])
        #expect(missing.status == 64 && missing.stderr.contains("--jobs"), "\(missing.stderr)")
        let zero = try await Binary.run(["parse", "--jobs", "0", feed, page])
        #expect(zero.status == 64 && zero.stderr.contains("--jobs must be at least 1"), "\(zero.stderr)")
        let help = try await Binary.run(["parse", feed, page, "--help"])
        #expect(help.status == 0 && help.stdout.contains("USAGE: divergence parse"))
        // A word that is not one of parse's own options leaves the whole line to the argument parser.
        let completion = try await Binary.run(["parse", feed, page, "--generate-completion-script", "fish"], environment: ["SHELL": "/bin/bash"])
        #expect(completion.status == 0 && completion.stdout.contains("complete -c 'divergence'"), "\(completion.stderr)")
        let version = try await Binary.run(["parse", feed, page, "--version"])
        #expect(version.status == 0 && version.stdout == "0.1.0\n")
    }

    @Test("parse's options are the ones its command line is read with: --format and --jobs take a value, --allow-private-network does not")
    func parseOptionKinds() async throws {
        // ParseCommand.optionsWithValue and ParseCommand.flags list these for the fast reading of a long line of
        // inputs; when parse's options change, this test says so, and the two lists must change with them.
        let dump = try await Binary.run(["parse", "--experimental-dump-help"])
        let root = try #require(try json(dump.stdout) as? [String: Any])
        let arguments = try #require((root["command"] as? [String: Any])?["arguments"] as? [[String: Any]])
        var kinds: [String: String] = [:]
        for argument in arguments {
            for name in (argument["names"] as? [[String: Any]]) ?? [] {
                if let text = name["name"] as? String, let kind = argument["kind"] as? String { kinds[text] = kind }
            }
        }
        #expect(kinds == ["format": "option", "jobs": "option", "allow-private-network": "flag", "version": "flag", "h": "flag", "help": "flag"])
    }

    @Test("parse over thousands of inputs takes time linear in their number (the argument parser alone was quadratic)")
    func parseManyInputs() async throws {
        // Inputs that do not exist cost one failed open each. Eight times the inputs must cost well under 24 times the
        // time, best of three each, measured in the same run: quadratic parsing of the line made it ~64 times (2,000
        // inputs took 0.4 s before any was read, 8,000 took 6 s).
        func best(_ count: Int) async throws -> Duration {
            let inputs = (0..<count).map { "/nonexistent/divergence-\($0).xml" }
            var times: [Duration] = []
            for _ in 0..<3 {
                let start = ContinuousClock.now
                let run = try await Binary.run(["parse", "--format", "jsonl"] + inputs)
                times.append(ContinuousClock.now - start)
                #expect(run.status == 1 && run.stdout.split(separator: "\n").count == count)
            }
            return times.min()!
        }
        let few = try await best(2_500), many = try await best(20_000)
        #expect(many / few < 24, "2,500 inputs: \(few), 20,000: \(many)")
    }

    @Test("score-text prints one JSON line per input line, blank lines included, in input order, and finds survey claims")
    func scoreText() async throws {
        let scratch = try ScratchDirectory()
        let input = scratch.path("lines.txt")
        try "70% of institutions surveyed believe Bitcoin is undervalued\nMiners' losses widened as hashrate fell\n\nSpot bitcoin ETFs saw record inflows\n".write(toFile: input, atomically: true, encoding: .utf8)
        let run = try await Binary.run(["score-text", "--file", input])
        #expect(run.status == 0)
        let objects = try run.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { try #require(try json(String($0)) as? [String: Any]) }
        #expect(objects.count == 4, "the blank line has its own result, so outputs pair with inputs")
        let claims = try #require(objects[0]["claims"] as? [[String: Any]])
        #expect(claims.first?["share"] as? Double == 0.7)
        #expect(claims.first?["proposition"] as? String == "undervalued")
        #expect(objects[1]["label"] as? String == "negative")
        #expect(objects[2]["text"] as? String == "")
        #expect(objects[3]["label"] as? String == "positive")
    }

    @Test("score-text on many lines with several jobs prints the same lines as one job, in input order")
    func scoreTextJobs() async throws {
        let scratch = try ScratchDirectory()
        let input = scratch.path("many.txt")
        let sentences = ["Profits rose sharply", "", "Losses widened", "Bitcoin ETFs saw record inflows\r", "The fund said nothing"]
        try (0..<12_000).map { sentences[$0 % 5].isEmpty ? "" : "\($0) \(sentences[$0 % 5])" }.joined(separator: "\n").write(toFile: input, atomically: true, encoding: .utf8)
        let one = try await Binary.run(["score-text", "--jobs", "1", "--file", input])
        let four = try await Binary.run(["score-text", "--jobs", "4", "--file", input])
        #expect(one.status == 0 && four.status == 0)
        #expect(four.stdout == one.stdout)
        let lines = four.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 12_000, "the last line has no newline and still counts")
        #expect((try json(String(lines[11_999])) as? [String: Any])?["text"] as? String == "11999 The fund said nothing")
        #expect((try json(String(lines[3])) as? [String: Any])?["text"] as? String == "3 Bitcoin ETFs saw record inflows", "CRLF ends a line")
        #expect((try json(String(lines[1])) as? [String: Any])?["text"] as? String == "", "a blank line has its own result")
    }

    @Test("chart writes a self-contained SVG with four panels and the events")
    func chart() async throws {
        let (scratch, global) = try await demoStore()
        defer { withExtendedLifetime(scratch) {} }
        let out = scratch.path("chart.svg")
        let run = try await Binary.run(["chart", "--from", "2025-10-01", "--to", "2026-02-07", "--out", out] + global)
        #expect(run.status == 0, "\(run.stderr)")
        let svg = try String(contentsOfFile: out, encoding: .utf8)
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 10, "price, cost, 3 hashrate lines, B, R, D, and stated Bₛ and revealed Bᵣ (the demo stores positioning)")
        #expect(svg.contains("hash-ribbon capitulation starts") && svg.contains(">CAP</text>"), "the demo's 2025-11-16 capitulation is marked and in the legend")
        #expect(!svg.contains("<script"))
        let page = scratch.path("chart.html")
        #expect(try await Binary.run(["chart", "--from", "2025-10-01", "--to", "2026-02-07", "--out", page] + global).status == 0)
        let html = try String(contentsOfFile: page, encoding: .utf8)
        #expect(html.contains("DivergenceChart.render(") && html.contains("\"schema\":\"divergence.chart/1\""), "the interactive chart with its data")
        #expect(try await Binary.run(["chart", "--out", scratch.path("x.png")] + global).status == 64)
    }

    @Test("OPML import adds feeds with their folders; export writes them back", arguments: StoreBackendKind.available)
    func opml(_ backend: StoreBackendKind) async throws {
        let scratch = try ScratchDirectory()
        let global = ["--config", scratch.path("none.toml"), "--store", try backend.freshLocation("s", in: scratch)]
        try "".write(toFile: scratch.path("none.toml"), atomically: true, encoding: .utf8)
        let file = scratch.path("subs.opml")
        try """
            <?xml version="1.0"?><opml version="2.0"><head><title>subs</title></head><body>
            <outline text="Crypto"><outline text="Wire" type="rss" xmlUrl="https://wire.example/feed.xml"/>
              <outline text="Mining"><outline text="Hash" type="rss" xmlUrl="https://hash.example/rss"/></outline></outline>
            <outline text="Local" type="rss" xmlUrl="file:///etc/passwd"/>
            </body></opml>
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let run = try await Binary.run(["sources", "import-opml", file] + global)
        #expect(run.status == 0)
        #expect(run.stdout == "imported 2 feed(s) from \(file); 0 already listed\n")
        #expect(run.stderr.contains("skipped Local: file:///etc/passwd is not an http(s) URL"))
        let again = try await Binary.run(["sources", "import-opml", file] + global)
        #expect(again.stdout == "imported 0 feed(s) from \(file); 2 already listed\n")
        let exported = try await Binary.run(["sources", "export-opml"] + global).stdout
        #expect(exported.contains("xmlUrl=\"https://hash.example/rss\""))
        #expect(exported.contains("text=\"Mining\""))
    }
}

@Suite("Report formats and alerts through the binary", .serialized)
struct ReportOutputTests {
    func json(_ text: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8)) }

    @Test("report --format csv has one row per score, component and signal; prometheus is written atomically to --out")
    func formats() async throws {
        let scratch = try ScratchDirectory()
        let global = ["--config", "feeds/demo/divergence.toml", "--store", scratch.path("demo.sqlite")]
        #expect(try await Binary.run(["ingest"] + global).status == 0)
        let csv = try await Binary.run(["report", "--as-of", "2026-02-07", "--format", "csv"] + global)
        #expect(csv.status == 0)
        let lines = csv.stdout.split(separator: "\n")
        #expect(lines.first == "section,id,name,value,weight,score,contribution,explanation")
        #expect(lines.contains { $0.hasPrefix("divergence,D,") && $0.hasSuffix(",strong") }, "D ≈ +45 on the demo (DemoScenarioTests works it by hand)")
        #expect(lines.filter { $0.hasPrefix("regime,") }.count == 8, "R and its seven signals")
        #expect(lines.contains { $0.hasPrefix("bullishness,surveys,") })
        let out = scratch.path("divergence.prom")
        let prometheus = try await Binary.run(["report", "--as-of", "2026-02-07", "--format", "prometheus", "--out", out] + global)
        #expect(prometheus.status == 0)
        #expect(prometheus.stdout.isEmpty)
        let text = try String(contentsOfFile: out, encoding: .utf8)
        #expect(text.contains("# TYPE divergence_score gauge"))
        let report = try #require(try json(try await Binary.run(["report", "--as-of", "2026-02-07", "--format", "json"] + global).stdout) as? [String: Any])
        let d = try #require((report["divergence"] as? [String: Any])?["value"] as? Double)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("divergence_score ") })
        #expect(abs((Double(line.split(separator: " ")[1]) ?? .nan) - d) < 1e-6)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).filter { $0 != "demo.sqlite" && !$0.hasPrefix("demo.sqlite") } == ["divergence.prom"],
                "no temporary file is left behind")
    }

    @Test("an ingest evaluates the alert rules as of now: on the demo's stale data no rule fires", arguments: StoreBackendKind.available)
    func alertsAfterIngest(_ backend: StoreBackendKind) async throws {
        let scratch = try ScratchDirectory()
        let demo = try String(contentsOf: Binary.packageRoot.appendingPathComponent("feeds/demo/divergence.toml"), encoding: .utf8)
        let output = scratch.path("alert.json")
        // The demo's sources with absolute paths, and an alert on D (D +41 as of 2026-02-07). An ingest evaluates the
        // rules as of now, and the demo's market data ends 2026-02-07: any later day is past the freshness limits, so
        // R and D are null and nothing fires (the firing path itself: AlertRunnerTests, with pinned instants).
        let config = demo.replacingOccurrences(of: "path = \"", with: "path = \"\(Binary.packageRoot.path)/feeds/demo/")
            .replacingOccurrences(of: "store = \".divergence/demo.sqlite\"", with: "")
            + "\n[[alert]]\nname = \"divergence high\"\nrule = \"divergence_above\"\nlevel = 10\ncommand = [\"/usr/bin/tee\", \"\(output)\"]\n"
        try config.write(toFile: scratch.path("alerts.toml"), atomically: true, encoding: .utf8)
        let global = ["--config", scratch.path("alerts.toml"), "--store", try backend.freshLocation("s", in: scratch)]
        let first = try await Binary.run(["ingest"] + global)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(!first.stderr.contains("alert:"))
        #expect(!FileManager.default.fileExists(atPath: output), "the command never ran")
        let list = try await Binary.run(["alerts", "list"] + global)
        #expect(list.stdout.contains("divergence high: divergence_above → command /usr/bin/tee \(output); last value —; last fired never"))
    }

    @Test("--version prints the version; alerts test without rules says there is nothing to test")
    func versionAndEmptyAlerts() async throws {
        let version = try await Binary.run(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout == "0.1.0\n")
        let scratch = try ScratchDirectory()
        try "".write(toFile: scratch.path("empty.toml"), atomically: true, encoding: .utf8)
        let test = try await Binary.run(["alerts", "test", "--config", scratch.path("empty.toml"), "--store", scratch.path("s.sqlite")])
        #expect(test.status == 0)
        #expect(test.stdout == "no [[alert]] rules in \(scratch.path("empty.toml")): nothing to test\n")
    }

    @Test("every diagnostic obeys --log-format json and --log-level, and --quiet leaves only errors")
    func diagnosticsObeyLogSettings() async throws {
        let scratch = try ScratchDirectory()
        let global = ["--config", "feeds/demo/divergence.toml", "--store", scratch.path("s.sqlite")]
        let json = try await Binary.run(["ingest", "--log-format", "json"] + global)
        #expect(json.status == 0, "\(json.stderr)")
        let lines = json.stderr.split(separator: "\n")
        #expect(lines.count >= 8, "one record per source")
        for line in lines {
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String]
            #expect(object?["level"] != nil && object?["message"] != nil, "not a JSON record: \(line)")
        }
        #expect(lines.contains { $0.contains("\"source\":\"BTC-USD daily (demo)\"") && $0.contains("\"level\":\"notice\"") })
        let warningsOnly = try await Binary.run(["ingest", "--log-level", "warning"] + global)
        #expect(warningsOnly.status == 0 && !warningsOnly.stderr.contains("ok       "), "\(warningsOnly.stderr)")
        let quiet = try await Binary.run(["ingest", "--quiet"] + global)
        #expect(quiet.status == 0 && quiet.stderr.isEmpty, "\(quiet.stderr)")
    }
}
