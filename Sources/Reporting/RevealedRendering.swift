import Foundation
import JSONOutput
import Market
import Scoring
import Storage

/// Stated Bₛ, revealed Bᵣ and their gap in every output: the brief, CSV rows, JSON and Prometheus families.
public enum RevealedRendering {
    /// The brief's block: B as the mix, Bₛ, Bᵣ with its components and evidence, leveraged funds beside, the gap.
    static func lines(_ snapshot: ScoreSnapshot, style: TerminalStyle) -> [String] {
        guard let revealed = snapshot.revealed else { return [] }
        func score(_ value: Double?) -> String { value.map { ReportRendering.signed($0, style) } ?? "n/a" }
        var lines = [style.bold("B = mix of stated Bₛ \(score(snapshot.statedScore)) and revealed Bᵣ \(score(revealed.score)) → B \(score(snapshot.bullishness.score))")]
        if let gap = snapshot.statedRevealedGap {
            lines.append("  gap Bᵣ − Bₛ \(ReportRendering.format(gap.gap, "%+.1f")): \(gap.summary)")
        }
        lines.append(style.bold("Revealed bullishness Bᵣ: \(score(revealed.score))"))
        for component in revealed.components {
            lines.append("  \(ReportRendering.pad(component.name, 28)) \(ReportRendering.pad(ReportRendering.format(component.value, "%+.1f"), 7)) × weight \(ReportRendering.format(component.weight, "%.2f")) → \(ReportRendering.format(component.contribution, "%+.1f"))")
            lines.append(style.dim("    \(component.explanation)"))
            for evidence in component.evidence { lines.append("    • \(evidence.reference): \(evidence.text)") }
        }
        for note in revealed.notes { lines.append("  \(note)") }
        if let streak = revealed.outflowStreak, streak > 0 { lines.append("  net ETF outflows on the last \(streak) trading day(s)") }
        if let lev = revealed.leveragedFunds {
            lines.append(style.dim("  beside Bᵣ (not in it): leveraged funds net \(ReportRendering.format(lev.netShare * 100, "%+.1f"))% of open interest, COT index \(ReportRendering.format(lev.cotIndex, "%.0f")) (as of \(lev.reportDate.iso)) — \(lev.explanation)"))
        }
        return lines
    }

    /// CSV rows: `bullishness,B_stated…`, `revealed,Br…`, one per Bᵣ component, and the gap.
    static func csvRows(_ snapshot: ScoreSnapshot, number: (Double?) -> String) -> [[String]] {
        guard let revealed = snapshot.revealed else { return [] }
        var rows = [["bullishness", "B_stated", "Stated bullishness Bₛ", number(snapshot.statedScore), "", "", "", ""],
                    ["revealed", "B_revealed", "Revealed bullishness Bᵣ", number(revealed.score), "", "", "", revealed.notes.joined(separator: "; ")]]
        for component in revealed.components {
            rows.append(["revealed", component.id, component.name, number(component.value), number(component.weight), "", number(component.contribution), component.explanation])
        }
        if let gap = snapshot.statedRevealedGap { rows.append(["revealed", "gap", "Bᵣ − Bₛ", number(gap.gap), "", "", "", gap.summary]) }
        if let lev = revealed.leveragedFunds {
            rows.append(["revealed", "leveraged_funds", "Leveraged funds' net long / open interest (beside Bᵣ)", number(lev.netShare * 100), "", "", "", lev.explanation])
        }
        return rows
    }

    /// `bullishness_stated_score`, `bullishness_revealed_score`, the gap, Bᵣ's components, leveraged funds and the outflow streak.
    static func prometheusFamilies(_ snapshot: ScoreSnapshot) -> [PrometheusFamily] {
        typealias Sample = PrometheusFamily.Sample
        typealias Label = PrometheusFamily.Label
        let revealed = snapshot.revealed
        let components = revealed?.components ?? []
        return [
            PrometheusFamily(name: "bullishness_stated_score", help: "Stated institutional bullishness Bs (surveys, claims, statements) on -100..+100.",
                             samples: snapshot.statedScore.map { [Sample(value: $0)] } ?? []),
            PrometheusFamily(name: "bullishness_revealed_score", help: "Revealed institutional bullishness Br (ETF flows, CME asset-manager positioning) on -100..+100.",
                             samples: revealed?.score.map { [Sample(value: $0)] } ?? []),
            PrometheusFamily(name: "bullishness_revealed_stated_gap", help: "Br - Bs: negative when money is more bearish than words.",
                             samples: snapshot.statedRevealedGap.map { [Sample(value: $0.gap)] } ?? []),
            PrometheusFamily(name: "bullishness_revealed_component_score", help: "Value of each component of Br (etf_flow_20d, etf_flow_5d, asset_manager_positioning) on -100..+100.",
                             samples: components.map { Sample(labels: [Label("component", $0.id)], value: $0.value) }),
            PrometheusFamily(name: "bullishness_revealed_component_weight", help: "Configured weight of each component of Br.",
                             samples: components.map { Sample(labels: [Label("component", $0.id)], value: $0.weight) }),
            PrometheusFamily(name: "leveraged_funds_net_share", help: "Leveraged funds' CME net long / open interest (-1..+1), beside Br: mostly basis-trade shorts.",
                             samples: revealed?.leveragedFunds.map { [Sample(value: $0.netShare)] } ?? []),
            PrometheusFamily(name: "etf_outflow_streak_days", help: "Consecutive trading days of net US spot Bitcoin ETF outflows ending at the last flow day.",
                             samples: revealed?.outflowStreak.map { [Sample(value: Double($0))] } ?? []),
        ]
    }
}

extension ReportRendering {
    /// `bullishness --format json` and `/v1/bullishness`: {as_of, score, components[…], retail[…], voices[…], stated_revealed,
    /// stale[…], stale_share}; `stated_revealed` only when positioning data is stored.
    public static func bullishnessJSON(_ snapshot: ScoreSnapshot) -> String {
        struct Document: Encodable {
            var asOf: Date; var score: Double?; var components: [ScoreComponent]; var retail: [RetailReading]; var voices: [VoiceReading]
            var statedRevealed: RevealedJSON?
            var stale: [StaleReading]; var staleShare: Double
        }
        let b = snapshot.bullishness
        return JSONEncoding.document(Document(asOf: b.asOf, score: b.score, components: b.components, retail: b.retail, voices: b.voices,
                                              statedRevealed: RevealedJSON(snapshot), stale: b.stale, staleShare: b.staleShare))
    }

    /// `bullishness --format table`: B's block, then Bₛ, Bᵣ and their gap when positioning data is stored.
    public static func bullishnessTable(_ snapshot: ScoreSnapshot, style: TerminalStyle) -> String {
        let revealed = RevealedRendering.lines(snapshot, style: style)
        return bullishnessTable(snapshot.bullishness, style: style) + (revealed.isEmpty ? "" : revealed.joined(separator: "\n") + "\n")
    }
}

/// The JSON of stated and revealed bullishness inside `report --format json`.
struct RevealedJSON: Encodable {
    var stated: Double?
    var revealed: RevealedBullishness?
    var gap: StatedRevealedGap?

    init?(_ snapshot: ScoreSnapshot) {
        guard snapshot.revealed != nil else { return nil }
        stated = snapshot.statedScore
        revealed = snapshot.revealed
        gap = snapshot.statedRevealedGap
    }
}

extension ReportBuilder {
    /// Revealed Bᵣ from the stored ETF flows and TFF reports knowable at `asOf`; nil when the store holds neither
    /// (B is then stated Bₛ alone).
    func revealed(asOf: Date) throws(StoreError) -> RevealedBullishness? {
        let flows = try store.etfFlowDays(asOf: asOf), reports = try store.tffReports(asOf: asOf)
        guard !flows.isEmpty || !reports.isEmpty else { return nil }
        return RevealedIndex.compute(flows: flows, reports: reports, asOf: asOf, parameters: config.revealed)
    }
}
