import Foundation
import Market
import Positioning
import Testing
@testable import Scoring

@Suite("Revealed bullishness")
struct RevealedIndexTests {
    static let firstDay = UTCDay(year: 2025, month: 11, day: 3)

    /// One flow per calendar day from `firstDay`, of the given sizes (USD m).
    static func flows(_ values: [Double]) -> [ETFFlowDay] {
        values.enumerated().map { ETFFlowDay(day: firstDay.adding(days: $0.offset), netUSDMillions: $0.element) }
    }

    static func report(_ day: UTCDay, amLong: Double, amShort: Double, oi: Double = 1_000) -> TFFReport {
        TFFReport(market: TFFReport.cmeBitcoin, reportDate: day, unit: .contracts, openInterest: oi, assetManagerLong: amLong, assetManagerShort: amShort,
                  leveragedFundsLong: 100, leveragedFundsShort: 400, dealerLong: 0, dealerShort: 0)
    }

    @Test("a steady inflow scores 100 × tanh(1): every rolling sum equals its own RMS")
    func steadyInflow() throws {
        let days = Self.flows(Array(repeating: 10, count: 40))
        let asOf = days[39].day.end
        let revealed = RevealedIndex.compute(flows: days, reports: [], asOf: asOf, parameters: RevealedParameters())
        let flow20 = try #require(revealed.components.first { $0.id == "etf_flow_20d" })
        // 20-day sums are all 200, so RMS = 200 and the value is 100 × tanh(200 / 200) = 76.1594…
        #expect(abs(flow20.value - 76.159_415_595) < 1e-6)
        #expect(abs((revealed.score ?? 0) - 76.159_415_595) < 1e-6, "both flow windows agree; no positioning component")
        #expect(revealed.outflowStreak == 0)
    }

    @Test("a 20-day outflow after inflows scores negative, scaled by the rolling sums' RMS")
    func outflowAfterInflow() throws {
        // 40 days: 20 × +10 then 20 × −10. The 21 rolling 20-day sums run 200, 180, …, 0, …, −200 (steps of 20):
        // RMS = 20 × sqrt(Σ_{k=-10}^{10} k² / 21) = 20 × sqrt(770 / 21) = 121.106…; value = 100 × tanh(−200 / 121.106) = −92.90…
        let days = Self.flows(Array(repeating: 10, count: 20) + Array(repeating: -10, count: 20))
        let revealed = RevealedIndex.compute(flows: days, reports: [], asOf: days[39].day.end, parameters: RevealedParameters())
        let flow20 = try #require(revealed.components.first { $0.id == "etf_flow_20d" })
        let rms = 20 * (770.0 / 21).squareRoot()
        #expect(abs(flow20.value - 100 * tanh(-200 / rms)) < 1e-9)
        #expect(flow20.value < -92.9 && flow20.value > -93.0)
        #expect(revealed.outflowStreak == 20)
    }

    @Test("flows older than the freshness limit give no flow component and say why")
    func staleFlows() {
        let days = Self.flows(Array(repeating: 10, count: 40))
        let asOf = days[39].day.adding(days: 8).end
        let revealed = RevealedIndex.compute(flows: days, reports: [], asOf: asOf, parameters: RevealedParameters())
        #expect(revealed.score == nil)
        #expect(revealed.notes.contains("ETF flows: stale: last flow day \(days[39].day.iso)"))
        #expect(revealed.outflowStreak == nil, "no streak alert on stale data")
    }

    @Test("COT index: 0 at the range's low, 100 at its high, 50 when flat")
    func cotIndex() {
        #expect(abs((RevealedIndex.cotIndex([0.1, 0.3, 0.2]) ?? 0) - 50) < 1e-9)
        #expect(RevealedIndex.cotIndex([0.1, 0.3, 0.1]) == 0)
        #expect(abs((RevealedIndex.cotIndex([0.1, 0.3, 0.3]) ?? 0) - 100) < 1e-9)
        #expect(RevealedIndex.cotIndex([0.25, 0.5, 0.5]) == 100)
        #expect(RevealedIndex.cotIndex([0.2, 0.2]) == 50)
    }

    @Test("positioning reads asset managers' net long / OI of the last report published by the as-of instant")
    func positioningPointInTime() throws {
        let tuesdays = (0..<4).map { UTCDay(year: 2026, month: 1, day: 13).adding(days: 7 * $0) }  // 13, 20, 27 Jan, 3 Feb
        // Net shares 0.10, 0.30, 0.20, 0.50.
        let reports = zip(tuesdays, [(300.0, 200.0), (500, 200), (400, 200), (700, 200)]).map { Self.report($0, amLong: $1.0, amShort: $1.1) }
        let thursday = UTCDay(year: 2026, month: 2, day: 5)
        #expect(thursday.weekday == 4)
        let onThursday = RevealedIndex.compute(flows: [], reports: reports, asOf: thursday.end, parameters: RevealedParameters())
        #expect(onThursday.lastReportDate?.iso == "2026-01-27", "as of a Thursday the newest report is the previous week's")
        // Range over 0.10, 0.30, 0.20: index (0.20 − 0.10) / 0.20 = 50 → value 0.
        let positioning = try #require(onThursday.components.first { $0.id == "asset_manager_positioning" })
        #expect(abs(positioning.value) < 1e-9)
        #expect(positioning.evidence.first?.value == 0.2)

        let onFriday = RevealedIndex.compute(flows: [], reports: reports, asOf: thursday.adding(days: 1).end, parameters: RevealedParameters())
        #expect(onFriday.lastReportDate?.iso == "2026-02-03")
        #expect(onFriday.components.first { $0.id == "asset_manager_positioning" }?.value == 100, "0.50 is the top of its range")
        #expect(onFriday.leveragedFunds?.netShare == -0.3, "(100 − 400) / 1000, shown beside Bᵣ")
    }

    @Test("B mixes Bₛ and Bᵣ by their weights and names a gap between words and money")
    func mix() throws {
        var weights = BullishnessMixWeights()
        #expect(BullishnessMix.mix(stated: 60, revealed: -40, weights: weights) == 10)
        #expect(BullishnessMix.mix(stated: 60, revealed: nil, weights: weights) == 60)
        #expect(BullishnessMix.mix(stated: nil, revealed: nil, weights: weights) == nil)
        weights.stated = 3
        weights.revealed = 1
        #expect(BullishnessMix.mix(stated: 60, revealed: -40, weights: weights) == 35)
        weights.revealed = 0
        #expect(BullishnessMix.mix(stated: 60, revealed: -40, weights: weights) == 60, "a side weighted 0 is shown beside B, not in it")
        #expect(BullishnessMix.mix(stated: nil, revealed: -40, weights: weights) == nil)
        let gap = try #require(BullishnessMix.gap(stated: 60, revealed: -40, weights: BullishnessMixWeights()))
        #expect(gap.gap == -100)
        #expect(gap.summary == "institutions say bullish, flows say bearish")
        #expect(BullishnessMix.gap(stated: 30, revealed: 25, weights: BullishnessMixWeights())?.summary.hasPrefix("words and flows agree") == true)
    }

    @Test("the snapshot's B is the mix, D uses it, and Bₛ is kept beside")
    func snapshot() {
        let stated = BullishnessScore(asOf: Date(timeIntervalSince1970: 0), score: 60, components: [], retail: [])
        let revealed = RevealedBullishness(asOf: Date(timeIntervalSince1970: 0), score: -40, components: [], leveragedFunds: nil, notes: [],
                                           lastFlowDay: nil, lastReportDate: nil, outflowStreak: 3)
        let snapshot = ScoreSnapshot(asOf: Date(timeIntervalSince1970: 0), bullishness: stated, regime: nil, thresholds: DivergenceThresholds(), revealed: revealed)
        #expect(snapshot.bullishness.score == 10)
        #expect(snapshot.statedScore == 60)
        #expect(snapshot.statedRevealedGap?.gap == -100)
    }

    @Test("alerts: the gap rule fires when |Bᵣ − Bₛ| rises above its level; the streak rule at n outflow days")
    func alerts() {
        let stated = BullishnessScore(asOf: Date(timeIntervalSince1970: 0), score: 60, components: [], retail: [])
        let revealed = RevealedBullishness(asOf: Date(timeIntervalSince1970: 0), score: -40, components: [], leveragedFunds: nil, notes: [],
                                           lastFlowDay: nil, lastReportDate: nil, outflowStreak: 3)
        let snapshot = ScoreSnapshot(asOf: Date(timeIntervalSince1970: 0), bullishness: stated, regime: nil, thresholds: DivergenceThresholds(), revealed: revealed)
        let gap = AlertRule(name: "gap", condition: .revealedStatedGapAbove(50), command: ["true"], webhook: nil)
        #expect(gap.value(snapshot: snapshot, technicals: nil) == "true")
        #expect(gap.fires(previous: "false", current: "true"))
        #expect(!gap.fires(previous: "true", current: "true"))
        #expect(AlertRule(name: "g", condition: .revealedStatedGapAbove(100), command: ["true"], webhook: nil).value(snapshot: snapshot, technicals: nil) == "false")
        #expect(AlertRule(name: "s", condition: .etfFlowStreak(3), command: ["true"], webhook: nil).value(snapshot: snapshot, technicals: nil) == "true")
        #expect(AlertRule(name: "s", condition: .etfFlowStreak(4), command: ["true"], webhook: nil).value(snapshot: snapshot, technicals: nil) == "false")
    }

    @Test("the gap rule is silent while part of Bₛ is stale, like D's rules: no alert on stale data")
    func gapAlertOnStaleStated() {
        var stated = BullishnessScore(asOf: Date(timeIntervalSince1970: 0), score: 60, components: [], retail: [])
        stated.stale = [StaleReading(id: "surveys", name: "Surveys", weight: 0.5, dataDay: UTCDay(year: 2025, month: 6, day: 30),
                                     reason: "stale: last survey 2025-06-30")]
        stated.staleShare = 0.5
        let revealed = RevealedBullishness(asOf: Date(timeIntervalSince1970: 0), score: -40, components: [], leveragedFunds: nil, notes: [],
                                           lastFlowDay: nil, lastReportDate: nil, outflowStreak: 3)
        let snapshot = ScoreSnapshot(asOf: Date(timeIntervalSince1970: 0), bullishness: stated, regime: nil, thresholds: DivergenceThresholds(), revealed: revealed)
        #expect(snapshot.statedRevealedGap?.gap == -100, "the gap is still reported")
        #expect(AlertRule(name: "gap", condition: .revealedStatedGapAbove(50), command: ["true"], webhook: nil).value(snapshot: snapshot, technicals: nil) == nil)
        #expect(AlertRule(name: "s", condition: .etfFlowStreak(3), command: ["true"], webhook: nil).value(snapshot: snapshot, technicals: nil) == "true",
                "the streak reads flows alone, whose staleness Bᵣ judges")
    }
}
