import Foundation
import JSONOutput
import Market
import Scoring
import Storage

/// Styling for terminal output: colour only on a TTY and when `NO_COLOR` is unset.
public struct TerminalStyle: Sendable {
    public var colour: Bool

    public init(colour: Bool) { self.colour = colour }

    /// Colour when stdout is a terminal and `NO_COLOR` is not set (https://no-color.org).
    public static var automatic: TerminalStyle {
        TerminalStyle(colour: isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil)
    }

    func bold(_ text: String) -> String { colour ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
    func dim(_ text: String) -> String { colour ? "\u{1B}[2m\(text)\u{1B}[0m" : text }
    func signed(_ value: Double, _ text: String) -> String {
        guard colour else { return text }
        return value > 0 ? "\u{1B}[32m\(text)\u{1B}[0m" : value < 0 ? "\u{1B}[31m\(text)\u{1B}[0m" : text
    }
}

/// Renders a report as an analyst's brief or as versioned JSON.
public enum ReportRendering {
    /// The bullishness block: B, each component with its explanation and strongest evidence, retail beside it.
    static func bullishnessLines(_ b: BullishnessScore, style: TerminalStyle) -> [String] {
        var lines: [String] = []
        lines.append(style.bold("Institutional bullishness B: \(b.score.map { signed($0, style) } ?? "n/a")"))
        if b.components.isEmpty && b.stale.isEmpty { lines.append("  no institutional survey, claim or news data at this date") }
        lines.append(contentsOf: staleLines(b.stale, share: b.staleShare, score: "B"))
        for component in b.components {
            lines.append("  \(pad(component.name, 28)) \(pad(format(component.value, "%+.1f"), 7)) × weight \(format(component.weight, "%.2f")) → \(format(component.contribution, "%+.1f"))")
            lines.append(style.dim("    \(component.explanation)"))
            for evidence in component.evidence.prefix(5) {
                let date = evidence.date.map { UTCDay(containing: $0).iso } ?? ""
                let value = evidence.value.map { format($0 * 100, "%+.0f") } ?? ""
                lines.append("    • \(date) \(evidence.reference): \(evidence.text) \(style.dim("[\(value)]"))")
            }
        }
        for retail in b.retail {
            lines.append(style.dim("  beside the index (retail): \(retail.survey) \(UTCDay(containing: retail.published).iso): net bullish \(format(retail.netBullish * 100, "%+.0f")) pts"))
        }
        lines.append(contentsOf: voiceLines(b.voices, style: style))
        return lines
    }

    /// Analysts', media, retail and miners' views in the news, each scored beside B with its strongest evidence.
    static func voiceLines(_ voices: [VoiceReading], style: TerminalStyle) -> [String] {
        voices.flatMap { voice in
            [style.dim("  beside the index (\(voice.speakerType.rawValue) views in the news): \(format(voice.score, "%+.1f")) from \(voice.count) opinion unit(s)")]
                + voice.evidence.prefix(2).map { evidence in
                    style.dim("    • \(evidence.date.map { UTCDay(containing: $0).iso } ?? "") \(evidence.reference): \(evidence.text) [\(evidence.value.map { format($0 * 100, "%+.0f") } ?? "")]")
                }
        }
    }

    /// `bullishness --format table`.
    public static func bullishnessTable(_ b: BullishnessScore, style: TerminalStyle) -> String {
        ([style.bold("as of \(AsOfInstant.describe(b.asOf))")] + bullishnessLines(b, style: style)).joined(separator: "\n") + "\n"
    }

    /// The report as CSV: one row per score, component and signal —
    /// `section,id,name,value,weight,score,contribution,explanation` (`value` −100…+100 for B, R, D and B's components;
    /// a signal's own reading in its unit, its `score` −1…+1).
    public static func csv(_ report: DivergenceReport) -> String {
        let snapshot = report.snapshot
        var rows = [["section", "id", "name", "value", "weight", "score", "contribution", "explanation"]]
        func number(_ value: Double?) -> String { value.map { String(format: "%.6g", $0) } ?? "" }
        rows.append(["divergence", "D", "Divergence D = (B − R) / 2", number(snapshot.divergence?.value), "", "", "", snapshot.divergence?.label.rawValue ?? ""])
        rows.append(["bullishness", "B", "Institutional bullishness B", number(snapshot.bullishness.score), "", "", "", ""])
        for component in snapshot.bullishness.components {
            rows.append(["bullishness", component.id, component.name, number(component.value), number(component.weight), "", number(component.contribution), component.explanation])
        }
        rows += RevealedRendering.csvRows(snapshot, number: number)
        rows.append(["regime", "R", "Technical regime R", number(snapshot.regime?.score), "", "", "", snapshot.regime?.label ?? ""])
        for signal in snapshot.regime?.signals ?? [] {
            rows.append(["regime", signal.id, signal.name, number(signal.value), number(signal.weight), number(signal.score), number(signal.contribution), signal.explanation])
        }
        return rows.map { $0.map(TechnicalsRendering.csvField).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    /// The JSON schema identifier; bumped when a field changes meaning or disappears.
    public static let schema = "divergence.report/1"

    /// A plain-text brief: verdict, B with evidence, R with every signal, D.
    public static func table(_ report: DivergenceReport, style: TerminalStyle) -> String {
        let snapshot = report.snapshot
        var lines: [String] = []
        lines.append(style.bold("divergence report — as of \(AsOfInstant.describe(snapshot.asOf))"))
        lines.append(style.dim("store: \(report.store.documents) documents, \(report.store.claims) claims, \(report.store.surveyObservations) survey rows, \(report.store.pricePoints) price days (last \(report.lastPriceDay?.iso ?? "—")), \(report.store.hashratePoints) hashrate days (last \(report.lastHashrateDay?.iso ?? "—"))"))
        lines.append("")

        lines.append(contentsOf: bullishnessLines(snapshot.bullishness, style: style))
        lines.append("")
        let revealed = RevealedRendering.lines(snapshot, style: style)
        if !revealed.isEmpty { lines.append(contentsOf: revealed + [""]) }

        if let regime = snapshot.regime {
            lines.append(style.bold("Technical regime R: \(signed(regime.score, style)) (\(regime.label))"))
            for signal in regime.signals {
                lines.append("  \(pad(signal.name, 28)) \(pad(format(signal.score, "%+.2f"), 6)) × weight \(format(signal.weight, "%.2f")) → \(format(signal.contribution, "%+.1f"))")
                lines.append("    \(signal.explanation)")
            }
            lines.append(contentsOf: staleLines(regime.stale, share: regime.staleShare, score: "R"))
        } else if !snapshot.freshness.regimeStale.isEmpty {
            lines.append(style.bold("Technical regime R: n/a (no fresh data)"))
            lines.append(contentsOf: staleLines(snapshot.freshness.regimeStale, share: 1, score: "R"))
        } else {
            lines.append(style.bold("Technical regime R: n/a"))
            lines.append("  not enough price and hashrate history at this date")
        }
        lines.append("")

        if let technicals = report.technicals {
            lines.append(style.bold("Context"))
            if let hashrate = technicals.hashrate {
                lines.append("  hashrate \(Format.fixed(hashrate.currentEHs, 0)) EH/s (7-day mean), \(format(hashrate.drawdown * 100, "%+.1f"))% from the \(Format.fixed(hashrate.peakEHs, 0)) EH/s peak of \(hashrate.peakDate.iso)")
            }
            if let support = technicals.nearestSupport {
                lines.append("  nearest support \(Format.usd(support.low))–\(Format.usd(support.high)) (\(support.touches) touch(es)); price \(format((technicals.price / support.high - 1) * 100, "%+.1f"))% from its top")
            }
            if let stress = technicals.stress {
                lines.append("  miner stress: \(format(stress.shareUnderWater * 100, "%.0f"))% of hashrate under water at \(Format.usd(stress.price)); \(format(stress.shareUnderWaterAfter10PercentDrop * 100, "%.0f"))% after −10%, \(format(stress.shareUnderWaterAfter15PercentDrop * 100, "%.0f"))% after −15%"
                    + stress.levels.compactMap { level in level.allInUSD.map { "; \(format(level.share * 100, "%.0f"))% at \(Format.usd($0))" } }.joined())
            }
            if let hashprice = technicals.hashprice {
                lines.append("  hashprice $\(Format.fixed(hashprice.usdPerPHPerDay, 2))/PH/s/day" + (hashprice.percentileSince2016.map { ", percentile \(format($0 * 100, "%.0f")) since 2016" } ?? "")
                    + (technicals.minerLossPerCoin.map { $0 > 0 ? "; miners lose \(Format.usd($0)) per coin all-in" : "" } ?? ""))
            }
            for precedent in report.precedents {
                let summary = precedent.horizons.compactMap { horizon -> String? in
                    guard let median = horizon.medianReturn, let worst = horizon.worstReturn else { return nil }
                    return "\(horizon.horizonDays)d median \(format(median * 100, "%+.0f"))%, worst \(format(worst * 100, "%+.0f"))% (n=\(horizon.count))"
                }
                let body = summary.isEmpty ? "no earlier occurrence with enough history" : summary.joined(separator: "; ")
                lines.append("  after past \(precedent.event) events (\(precedent.reason)): \(body)")
            }
            lines.append(contentsOf: TechnicalsRendering.unavailableLines(technicals))
            lines.append("")
        }

        if let divergence = snapshot.divergence {
            let percentile = divergence.percentile.map { ", \(format($0, "%.0f"))th percentile of \(report.store.snapshots) stored snapshot(s)" } ?? ", percentile after \(DivergenceScore.minimumHistory) stored snapshots (\(report.store.snapshots) so far)"
            lines.append(style.bold("Divergence D = (B − R) / 2 = \(signed(divergence.value, style)) — \(divergence.label.rawValue)\(percentile)"))
        }
        lines.append(style.bold(snapshot.verdict))
        return lines.joined(separator: "\n") + "\n"
    }

    /// The report as JSON (`schema` = `divergence.report/1`), keys sorted, dates ISO 8601 UTC.
    public static func json(_ report: DivergenceReport) -> String {
        let snapshot = report.snapshot
        let document = ReportJSON(
            schema: schema, asOf: snapshot.asOf, verdict: snapshot.verdict,
            divergence: snapshot.divergence.map { .init(value: $0.value, label: $0.label.rawValue, percentile: $0.percentile) },
            bullishness: .init(score: snapshot.bullishness.score, components: snapshot.bullishness.components, retail: snapshot.bullishness.retail,
                               voices: snapshot.bullishness.voices, statedRevealed: RevealedJSON(snapshot),
                               stale: snapshot.bullishness.stale, staleShare: snapshot.bullishness.staleShare),
            freshness: snapshot.freshness,
            regime: snapshot.regime,
            technicals: report.technicals,
            precedents: report.precedents,
            data: .init(documents: report.store.documents, claims: report.store.claims, surveyObservations: report.store.surveyObservations,
                        priceDays: report.store.pricePoints, hashrateDays: report.store.hashratePoints,
                        lastPriceDay: report.lastPriceDay?.iso, lastHashrateDay: report.lastHashrateDay?.iso))
        return JSONEncoding.document(document)
    }

    /// One line per stale reading (null, with its reason) and the share of the score's weight they hold.
    static func staleLines(_ stale: [StaleReading], share: Double, score: String) -> [String] {
        guard !stale.isEmpty else { return [] }
        return stale.map { "  \(pad($0.name, 28)) null   \($0.reason)" }
            + ["  \(format(share * 100, "%.0f"))% of \(score)'s weight is stale and left out"]
    }

    static func signed(_ value: Double, _ style: TerminalStyle) -> String { style.signed(value, format(value, "%+.1f")) }
    static func format(_ value: Double, _ pattern: String) -> String { String(format: pattern, value) }
    static func pad(_ text: String, _ width: Int) -> String { text.count >= width ? text : text + String(repeating: " ", count: width - text.count) }
}

/// The JSON document of `report --format json`.
struct ReportJSON: Encodable {
    struct Divergence: Encodable { var value: Double; var label: String; var percentile: Double? }
    struct Bullishness: Encodable {
        var score: Double?; var components: [ScoreComponent]; var retail: [RetailReading]; var voices: [VoiceReading]
        /// Present when positioning data is stored: `score` is then B, the mix of `stated` and `revealed`.
        var statedRevealed: RevealedJSON?
        var stale: [StaleReading]; var staleShare: Double
    }
    struct DataSummary: Encodable {
        var documents, claims, surveyObservations, priceDays, hashrateDays: Int
        var lastPriceDay, lastHashrateDay: String?
    }
    var schema: String
    var asOf: Date
    var verdict: String
    var divergence: Divergence?
    var bullishness: Bullishness
    /// Stale readings of B and R and the share of each score's (and D's) weight they hold.
    var freshness: SnapshotFreshness
    var regime: RegimeAssessment?
    var technicals: TechnicalsSnapshot?
    var precedents: [Precedent]
    var data: DataSummary
}
