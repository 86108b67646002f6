import Foundation
import Scoring
import Testing
@testable import Settings

@Suite("Config: positioning sources, the stated/revealed mix and its alerts")
struct RevealedConfigTests {
    func parse(_ text: String) throws(ConfigError) -> DivergenceConfig {
        try ConfigLoader.parse(text, file: "divergence.toml", baseDirectory: URL(fileURLWithPath: "/srv/divergence/feeds"))
    }

    @Test("etf_flows and cftc_tff sources, [revealed] parameters, the mix weights and both alert rules are read")
    func reads() throws {
        let config = try parse("""
            [bullishness]
            stated_weight = 0.7
            revealed_weight = 0.3
            gap_level = 25

            [revealed]
            flow_20d_weight = 0.4
            cot_weeks = 26
            markets = ["133741"]

            [[source]]
            kind = "etf_flows"
            path = "flows.html"
            layout = "html-table"
            table_xpath = "//table"

            [[source]]
            kind = "cftc_tff"
            url = "https://publicreporting.cftc.gov/resource/gpe5-46if.json"

            [[alert]]
            rule = "revealed_stated_gap_above"
            level = 60
            command = "notify"

            [[alert]]
            rule = "etf_flow_streak"
            days = 5
            command = "notify"
            """)
        #expect(config.sources.map(\.kind) == [.etfFlows, .cftcTFF])
        #expect(config.sources.map(\.publisherType) == [.institutional, .institutional])
        #expect(config.bullishnessMix.stated == 0.7 && config.bullishnessMix.revealed == 0.3 && config.bullishnessMix.gapLevel == 25)
        #expect(config.revealed.flow20Weight == 0.4 && config.revealed.cotWeeks == 26 && config.revealed.markets == ["133741"])
        #expect(config.revealed.flow5Weight == RevealedParameters().flow5Weight)
        #expect(config.alerts.map(\.condition) == [.revealedStatedGapAbove(60), .etfFlowStreak(5)])
    }

    @Test("bad positioning settings fail with file, line and key", arguments: [
        ("[[source]]\nkind = \"etf_flows\"\npath = \"f.csv\"\nlayout = \"xlsx\"\n", "divergence.toml:4: source.layout: 'xlsx' is not one of auto, long-csv, wide-csv, html-table"),
        ("[[alert]]\nrule = \"etf_flow_streak\"\ncommand = \"x\"\n", "divergence.toml:1: alert.days: required key is missing"),
        ("[[alert]]\nrule = \"label_change\"\ndays = 3\ncommand = \"x\"\n", "divergence.toml:3: alert.days: only etf_flow_streak takes days"),
        ("[revealed]\ncot_weeks = 2\n", "divergence.toml:2: revealed.cot_weeks: 2 is outside 4…520"),
    ])
    func refuses(text: String, message: String) {
        #expect(throws: ConfigError.self) { try parse(text) }
        do { _ = try parse(text) } catch { #expect(error.description == message) }
    }
}
