import Foundation
import Market
@testable import Reporting
@testable import Scoring
import Testing

@Suite("Stated and revealed bullishness in Prometheus, CSV and the brief")
struct RevealedRenderingTests {
    /// Bₛ +60, Bᵣ −40 with one flow component, mixed 50/50 into B +10.
    static func snapshot() -> ScoreSnapshot {
        let stated = BullishnessScore(asOf: Date(timeIntervalSince1970: 1_770_508_800), score: 60, components: [], retail: [])
        let flow = ScoreComponent(id: "etf_flow_20d", name: "ETF net flow, 20 days", weight: 0.35, value: -40, contribution: -40, explanation: "x", evidence: [])
        let revealed = RevealedBullishness(asOf: stated.asOf, score: -40, components: [flow],
                                           leveragedFunds: LeveragedFundsReading(reportDate: UTCDay(year: 2026, month: 2, day: 3), netShare: -0.5, cotIndex: 70, explanation: "basis trade"),
                                           notes: ["CME positioning: stale: last TFF report as of 2026-01-06"], lastFlowDay: UTCDay(year: 2026, month: 2, day: 6),
                                           lastReportDate: nil, outflowStreak: 4)
        return ScoreSnapshot(asOf: stated.asOf, bullishness: stated, regime: nil, thresholds: DivergenceThresholds(), revealed: revealed)
    }

    @Test("Prometheus carries Bₛ, Bᵣ, the gap, Bᵣ's components, leveraged funds and the outflow streak")
    func prometheus() {
        let families = Dictionary(uniqueKeysWithValues: RevealedRendering.prometheusFamilies(Self.snapshot()).map { ($0.name, $0.samples) })
        #expect(families["bullishness_stated_score"]?.map(\.value) == [60])
        #expect(families["bullishness_revealed_score"]?.map(\.value) == [-40])
        #expect(families["bullishness_revealed_stated_gap"]?.map(\.value) == [-100])
        #expect(families["bullishness_revealed_component_score"] == [PrometheusFamily.Sample(labels: [.init("component", "etf_flow_20d")], value: -40)])
        #expect(families["leveraged_funds_net_share"]?.map(\.value) == [-0.5])
        #expect(families["etf_outflow_streak_days"]?.map(\.value) == [4])
    }

    @Test("CSV rows and the brief name both sides, their gap and why a component is missing")
    func csvAndBrief() {
        let snapshot = Self.snapshot()
        #expect(snapshot.bullishness.score == 10)
        let rows = RevealedRendering.csvRows(snapshot) { $0.map { String(format: "%g", $0) } ?? "" }
        #expect(rows.map { $0[1] } == ["B_stated", "B_revealed", "etf_flow_20d", "gap", "leveraged_funds"])
        #expect(rows[0][3] == "60" && rows[1][3] == "-40" && rows[3][3] == "-100")
        #expect(rows[3][7] == "institutions say bullish, flows say bearish")
        let lines = RevealedRendering.lines(snapshot, style: TerminalStyle(colour: false))
        #expect(lines.first == "B = mix of stated Bₛ +60.0 and revealed Bᵣ -40.0 → B +10.0")
        #expect(lines.contains("  gap Bᵣ − Bₛ -100.0: institutions say bullish, flows say bearish"))
        #expect(lines.contains("  CME positioning: stale: last TFF report as of 2026-01-06"))
        #expect(lines.contains("  net ETF outflows on the last 4 trading day(s)"))
    }
}
