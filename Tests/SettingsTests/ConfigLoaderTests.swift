import Foundation
import Sentiment
import Testing
@testable import Settings

@Suite("Config file")
struct ConfigLoaderTests {
    let base = URL(fileURLWithPath: "/srv/divergence/feeds")

    func parse(_ text: String) throws(ConfigError) -> DivergenceConfig {
        try ConfigLoader.parse(text, file: "divergence.toml", baseDirectory: base)
    }

    @Test("a full config reads sources, model parameters and the store path")
    func fullConfig() throws {
        let config = try parse("""
            # comment
            store = "/var/lib/divergence/store.sqlite"

            [production_cost]
            electricity_usd_per_kwh = 0.055   # trailing comment
            all_in_multiplier = 1.25

            [[production_cost.efficiency]]
            since = "2024-01-01"
            j_per_th = 30

            [[production_cost.efficiency]]
            since = "2025-01-01"
            j_per_th = 25

            [bullishness]
            news_half_life_days = 3
            [bullishness.speaker_weights]
            media = 0.1

            [[source]]
            name = "Feed A"
            kind = "news"
            url = "https://a.example/feed.xml"
            interval = "15m"

            [[source]]
            kind = "prices"
            path = "market/prices.csv"
            """)
        #expect(config.storePath == "/var/lib/divergence/store.sqlite")
        #expect(config.productionCost.electricityUSDPerKWh == 0.055)
        #expect(config.productionCost.allInMultiplier == 1.25)
        #expect(config.productionCost.efficiencySchedule.map(\.joulesPerTerahash) == [30, 25])
        #expect(config.bullishness.newsHalfLifeDays == 3)
        #expect(config.bullishness.speakerWeights[.media] == 0.1)
        #expect(config.sources.count == 2)
        #expect(config.sources[0].intervalSeconds == 900)
        #expect(config.sources[0].publisherType == .media)
        #expect(config.sources[1].location == "/srv/divergence/feeds/market/prices.csv")
        #expect(config.sources[1].isLocalPath)
        #expect(config.sources[1].line == 27)
    }

    struct BadConfig: Sendable, CustomTestStringConvertible {
        var text: String
        var line: Int?
        var key: String?
        var reasonContains: String
        var testDescription: String { reasonContains }
    }

    @Test("a bad config names the line, the key and the reason", arguments: [
        BadConfig(text: "store = \"x\"\ncolour = true\n", line: 2, key: "colour", reasonContains: "unknown key"),
        BadConfig(text: "[production_cost]\nelectricity_usd_per_kwh = \"cheap\"\n", line: 2, key: "production_cost.electricity_usd_per_kwh", reasonContains: "must be a number, got string"),
        BadConfig(text: "[production_cost]\nall_in_multiplier = 9\n", line: 2, key: "production_cost.all_in_multiplier", reasonContains: "outside"),
        BadConfig(text: "[[source]]\nkind = \"podcast\"\nurl = \"https://x.example\"\n", line: 2, key: "source.kind", reasonContains: "'podcast' is not one of"),
        BadConfig(text: "[[source]]\nkind = \"news\"\n", line: 1, key: "source.url", reasonContains: "required key is missing"),
        BadConfig(text: "[[source]]\nkind = \"news\"\nurl = \"ftp://x.example/feed\"\n", line: 3, key: "source.url", reasonContains: "not an http or https URL"),
        BadConfig(text: "[[source]]\nkind = \"news\"\nurl = \"https://x.example\"\ninterval = \"soon\"\n", line: 4, key: "source.interval", reasonContains: "not a duration"),
        BadConfig(text: "[[source]]\nkind = \"prices\"\nurl = \"https://x.example\"\nformat = \"rss\"\n", line: 4, key: "source.format", reasonContains: "not a prices format"),
        BadConfig(text: "[divergence]\nmild = 40\nstrong = 30\n", line: 1, key: "divergence", reasonContains: "mild ≤ strong ≤ extreme"),
        BadConfig(text: "store = \n", line: 1, key: nil, reasonContains: "expected a value"),
        BadConfig(text: "[fetch]\n[fetch]\n", line: 2, key: nil, reasonContains: "defined twice"),
        BadConfig(text: "a.b = 1\n", line: 1, key: nil, reasonContains: "dotted keys"),
        BadConfig(text: "store = \"unterminated\n", line: 1, key: nil, reasonContains: "never closes"),
        // 200,000 open brackets overflowed the stack (found by AddressSanitizer on the fuzz corpus).
        BadConfig(text: "x = " + String(repeating: "[", count: 200_000) + "\n", line: 1, key: nil, reasonContains: "arrays nested deeper than 32"),
    ])
    func badConfig(_ bad: BadConfig) {
        do {
            _ = try parse(bad.text)
            Issue.record("expected an error for \(bad.reasonContains)")
        } catch {
            #expect(error.file == "divergence.toml")
            #expect(error.line == bad.line)
            #expect(error.key == bad.key)
            #expect(error.reason.contains(bad.reasonContains), "\(error.reason)")
            #expect(!error.description.contains("\n"))
        }
    }

    @Test("[sentiment.holders] extends the holder gazetteer the scorer uses; a type that is not a speaker type is refused")
    func holders() throws {
        let config = try parse("[sentiment.holders]\n\"Acme Capital\" = \"institutional\"\n\"Orchard Research\" = \"analyst\"\n")
        #expect(config.holders == ["Acme Capital": .institutional, "Orchard Research": .analyst])
        #expect(config.scorer.holders.speakerType(of: "acme capital") == .institutional)
        #expect(DivergenceConfig().scorer.holders.speakerType(of: "Acme Capital") == nil)
        do {
            _ = try parse("[sentiment.holders]\n\"Acme\" = \"whale\"\n")
            Issue.record("expected an error for an unknown speaker type")
        } catch {
            #expect(error.line == 2 && error.key == "sentiment.holders.Acme" && error.reason.contains("'whale' is not a speaker type"), "\(error)")
        }
    }

    @Test("a missing file is one line naming the file")
    func missingFile() {
        #expect(throws: ConfigError(file: "/nonexistent/divergence.toml", line: nil, key: nil, reason: "no such file")) {
            try ConfigLoader.load(path: "/nonexistent/divergence.toml")
        }
    }

    @Test("the same source listed twice is refused with both lines")
    func duplicateSource() {
        #expect(throws: ConfigError(file: "divergence.toml", line: 4, key: "source.url", reason: "https://x.example/f is already listed on line 1")) {
            try parse("[[source]]\nkind = \"news\"\nurl = \"https://x.example/f\"\n[[source]]\nkind = \"news\"\nurl = \"https://x.example/f\"\n")
        }
    }

    @Test("durations accept s, m, h, d, w and plain seconds", arguments: [("90s", 90.0), ("15m", 900), ("1h", 3600), ("2d", 172_800), ("1w", 604_800), ("45", 45)])
    func durations(_ text: String, _ seconds: Double) {
        #expect(Interval.seconds(text) == seconds)
    }

    @Test("the shipped live and demo configs are valid")
    func shippedConfigs() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let live = try ConfigLoader.load(path: root.appendingPathComponent("feeds/divergence.toml").path)
        #expect(live.sources.filter { $0.kind == .news }.count >= 7)
        let kinds = Set(live.sources.map(\.kind))
        #expect(kinds == [.news, .prices, .hashrate, .fees, .survey, .cftcTFF])
        let demo = try ConfigLoader.load(path: root.appendingPathComponent("feeds/demo/divergence.toml").path)
        #expect(Set(demo.sources.map(\.kind)) == [.news, .article, .prices, .hashrate, .survey, .etfFlows, .cftcTFF])
        #expect(demo.sources.allSatisfy { $0.isLocalPath && FileManager.default.fileExists(atPath: $0.location) })
    }
}

@Suite("Store location in the config")
struct StoreLocationConfigTests {
    @Test("a postgresql:// store is accepted as it is, and password_file is read relative to the config's folder")
    func postgresqlIsAStore() throws {
        let config = try ConfigLoader.parse("store = \"postgresql://app@db.example:5432/divergence?sslmode=require\"\npassword_file = \"secrets/pg\"\n",
                                            file: "divergence.toml", baseDirectory: URL(fileURLWithPath: "/srv/divergence"))
        #expect(config.storePath == "postgresql://app@db.example:5432/divergence?sslmode=require")
        #expect(config.storePasswordFile == "/srv/divergence/secrets/pg")
    }

    @Test("a scheme:// store value is an error on its line, never a file name", arguments: [
        ("store = \"mysql://app@127.0.0.1:3306/divergence\"", "'mysql://' is not a store location"),
        ("store = \"s3://bucket/store.sqlite\"", "'s3://' is not a store location"),
        ("store = \"\"", "is empty"),
    ])
    func schemeIsRefused(line: String, reason: String) {
        // (A postgresql:// URL is a store location: see `postgresqlIsAStore`.)
        do {
            _ = try ConfigLoader.parse("# store\n" + line + "\n", file: "divergence.toml", baseDirectory: URL(fileURLWithPath: "/srv"))
            Issue.record("\(line) was accepted")
        } catch {
            #expect(error.line == 2 && error.key == "store")
            #expect(error.reason.contains(reason), "\(error.reason)")
        }
    }

    @Test("a path stays a SQLite file path")
    func pathIsKept() throws {
        let config = try ConfigLoader.parse("store = \"data/x.sqlite\"\n", file: "divergence.toml", baseDirectory: URL(fileURLWithPath: "/srv"))
        #expect(config.storePath == "data/x.sqlite")
    }
}
