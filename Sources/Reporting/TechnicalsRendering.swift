import Foundation
import JSONOutput
import Market

/// Renders the technical readings behind R, the dated market events and the event study.
public enum TechnicalsRendering {
    /// JSON with snake_case keys, dates ISO 8601 UTC (`technicals`, `signals`, `events`, `surveys list`).
    public static func json<T: Encodable>(_ value: T) -> String {
        JSONEncoding.document(value)
    }

    /// A plain-text sheet of every reading, with units and dates.
    public static func table(_ t: TechnicalsSnapshot, style: TerminalStyle) -> String {
        var lines: [String] = [style.bold("technicals — as of \(AsOfInstant.describe(t.asOf)) (last candle \(t.priceDay?.iso ?? "—"))")]
        func row(_ name: String, _ value: String) { lines.append("  \(ReportRendering.pad(name, 26)) \(value)") }
        row("price", usd(t.price))
        if let cost = t.productionCost {
            row("production cost", "\(usd(cost.allIn)) all-in, \(usd(cost.electricity)) electricity (\(fixed(cost.efficiencyJPerTH, 1)) J/TH, $\(fixed(cost.electricityUSDPerKWh, 3))/kWh, subsidy \(fixed(cost.subsidyBTC, 3)) BTC)")
        }
        if let gap = t.costGap { row("cost gap", percent(gap) + (t.minerLossPerCoin.map { $0 > 0 ? ", miner loss \(usd($0))/coin" : "" } ?? "")) }
        if let h = t.hashrate {
            row("hashrate (7-day mean)", "\(fixed(h.currentEHs, 0)) EH/s; peak \(fixed(h.peakEHs, 0)) EH/s on \(h.peakDate.iso); \(percent(h.drawdown)) from peak")
        }
        if let ribbon = t.hashRibbon {
            row("hash ribbon", "\(ribbon.state.rawValue)\(ribbon.since.map { " since \($0.iso)" } ?? ""); 30d \(fixed(ribbon.sma30, 0)) vs 60d \(fixed(ribbon.sma60, 0)) EH/s"
                + (ribbon.lastBuySignal.map { "; last buy signal \($0.day.iso) at \(usd($0.price))" } ?? ""))
        }
        if let cloud = t.ichimokuWeekly {
            let span = [cloud.spanA, cloud.spanB].compactMap { $0 }.map(usd).joined(separator: " / ")
            row("weekly Ichimoku", "week ending \(cloud.weekEnding.iso): close \(usd(cloud.close)) \(cloud.priceVsCloud?.rawValue ?? "?") the cloud now (\(cloud.cloud?.rawValue ?? "?"), \(span))"
                + (cloud.lastTwist.map { "; the cloud ahead last turned \($0.direction.rawValue) in the week ending \($0.weekEnding.iso)" } ?? ""))
            row("tenkan / kijun", "\(cloud.tenkan.map(usd) ?? "—") / \(cloud.kijun.map(usd) ?? "—")")
        }
        if let nearest = t.nearestSupport { row("nearest support", "\(usd(nearest.low))–\(usd(nearest.high)) (\(nearest.touches) touch(es)), price \(percent(t.price / nearest.high - 1)) from its top") }
        for zone in t.supportZones.sorted(by: { ($0.rank ?? .max) < ($1.rank ?? .max) }) {
            row(zone.rank == 1 ? "support zones (ranked)" : "", "#\(zone.rank ?? 0) \(usd(zone.low))–\(usd(zone.high)): \(zone.touches) touches, last \(zone.lastTouch?.iso ?? "—")")
        }
        let references = [t.sma200w.map { "200-week average \(usd($0))" }, t.productionCost.map { "all-in production cost \(usd($0.allIn))" }].compactMap { $0 }
        if !references.isEmpty { row("reference levels", references.joined(separator: "; ")) }
        if let broken = t.brokenSupport { row("broken support", "\(usd(broken.low))–\(usd(broken.high))") }
        if let rsi = t.rsi14 { row("RSI(14)", fixed(rsi, 1)) }
        if let macd = t.macd { row("MACD(12,26,9)", "line \(fixed(macd.macd, 0)), signal \(fixed(macd.signal, 0)), histogram \(fixed(macd.histogram, 0))") }
        if let mayer = t.mayerMultiple { row("Mayer multiple", fixed(mayer, 2)) }
        if let weekly = t.sma200w { row("200-week average", "\(usd(weekly)) (price \(percent(t.price / weekly - 1)))") }
        row("drawdown from high", percent(t.drawdown))
        if let stress = t.stress { minerRows(stress, row: row) }
        if let hashprice = t.hashprice {
            row("hashprice", "$\(fixed(hashprice.usdPerPHPerDay, 2)) per PH/s per day"
                + (hashprice.percentileSince2016.map { ", percentile \(fixed($0 * 100, 0)) since 2016" } ?? "")
                + " (fees \(fixed(hashprice.feesBTC, 2)) BTC/day from \(hashprice.feesSource == "series" ? "the fees series" : "fees_per_block_btc"))")
        }
        lines.append(contentsOf: unavailableLines(t))
        lines.append(style.bold("  regime R \(fixed(t.regime.score, 1)) (\(t.regime.label))"))
        return lines.joined(separator: "\n") + "\n"
    }

    /// One line per reading null for lack of history: its name, `null`, and what it needs.
    static func unavailableLines(_ t: TechnicalsSnapshot) -> [String] {
        t.unavailable.map { reading in
            "  \(ReportRendering.pad(HistoryNeed.all.first { $0.reading == reading.reading }?.name ?? reading.reading, 26)) null: \(reading.reason)"
        }
    }

    /// The stress-test rows: shares under water now and after drops, the prices of 25/50/75% under water, the cohorts.
    static func minerRows(_ stress: MinerStress, row: (String, String) -> Void) {
        func share(_ value: Double) -> String { percent(value, signed: false) }
        row("miners under water", "\(share(stress.shareUnderWater)) of hashrate all-in now; \(share(stress.shareUnderWaterAfter10PercentDrop)) after −10%; \(share(stress.shareUnderWaterAfter15PercentDrop)) after −15%")
        row("", "electricity only: \(share(stress.electricityOnlyShareUnderWater)) now; \(share(stress.electricityOnlyAfter10PercentDrop)) after −10%; \(share(stress.electricityOnlyAfter15PercentDrop)) after −15%")
        let levels = stress.levels.map { level in
            "\(fixed(level.share * 100, 0))% at \(level.allInUSD.map(usd) ?? "—") (electricity only \(level.electricityOnlyUSD.map(usd) ?? "—"))"
        }
        row("under water at", levels.joined(separator: "; "))
        for cohort in stress.cohorts {
            row("", "\(fixed(cohort.joulesPerTerahash, 1)) J/TH (\(share(cohort.hashrateShare)) of hashrate) breaks even at \(usd(cohort.breakEvenUSD)) at the median power price")
        }
    }

    /// Events as `day,kind,detail` CSV with a header.
    public static func eventsCSV(_ events: [MarketEvent]) -> String {
        "day,kind,detail\n" + events.map { "\($0.day.iso),\($0.kind.rawValue),\(csvField($0.detail))" }.joined(separator: "\n") + (events.isEmpty ? "" : "\n")
    }

    /// Events one per line.
    public static func eventsTable(_ events: [MarketEvent]) -> String {
        events.map { "\($0.day.iso)  \(ReportRendering.pad($0.kind.rawValue, 20)) \($0.detail)" }.joined(separator: "\n") + (events.isEmpty ? "no events in range\n" : "\n")
    }

    /// The event study: per event kind and horizon, independent occurrences (of all), median and worst forward return
    /// beside the median return of every day in the same years, and the median and worst max drawdown.
    public static func studyTable(_ studies: [EventKindStudy]) -> String {
        var lines = ["event                  horizon  independent/all  median return  baseline (years)        worst return  median max drawdown  worst max drawdown"]
        for study in studies {
            for summary in study.horizons {
                let baseline = (summary.baselineMedianReturn.map { percent($0) } ?? "—")
                    + (summary.baselineYears.map { " (\($0.lowerBound)–\($0.upperBound))" } ?? "")
                lines.append("\(ReportRendering.pad(study.kind.rawValue, 22)) \(ReportRendering.pad("\(summary.horizonDays)d", 8)) "
                    + "\(ReportRendering.pad("\(summary.count)/\(summary.occurrences)", 16)) "
                    + "\(ReportRendering.pad(summary.medianReturn.map { percent($0) } ?? "—", 14)) \(ReportRendering.pad(baseline, 23)) "
                    + "\(ReportRendering.pad(summary.worstReturn.map { percent($0) } ?? "—", 13)) "
                    + "\(ReportRendering.pad(summary.medianMaxDrawdown.map { percent($0) } ?? "—", 20)) \(summary.worstMaxDrawdown.map { percent($0) } ?? "—")"
                    + (summary.reason.map { "  (\($0))" } ?? ""))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Every occurrence with its close and forward returns.
    public static func outcomesTable(_ outcomes: [EventOutcome]) -> String {
        outcomes.map { outcome in
            let returns = EventStudy.horizons.map { horizon in outcome.forwardReturn[horizon].map { percent($0) } ?? "—" }
            return "\(outcome.event.day.iso)  \(ReportRendering.pad(outcome.event.kind.rawValue, 20)) close \(usd(outcome.close))  30d \(returns[0])  90d \(returns[1])  180d \(returns[2])"
        }.joined(separator: "\n") + "\n"
    }

    static func csvField(_ text: String) -> String {
        text.contains(",") || text.contains("\"") || text.contains("\n") ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
    static func usd(_ value: Double) -> String { Format.usd(value) }
    static func fixed(_ value: Double, _ digits: Int) -> String { Format.fixed(value, digits) }
    static func percent(_ value: Double, signed: Bool = true) -> String { String(format: signed ? "%+.1f%%" : "%.1f%%", value * 100) }
}
