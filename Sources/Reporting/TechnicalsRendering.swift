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
        if let broken = t.brokenSupport { row("broken support", "\(usd(broken.low))–\(usd(broken.high))") }
        if let rsi = t.rsi14 { row("RSI(14)", fixed(rsi, 1)) }
        if let macd = t.macd { row("MACD(12,26,9)", "line \(fixed(macd.macd, 0)), signal \(fixed(macd.signal, 0)), histogram \(fixed(macd.histogram, 0))") }
        if let mayer = t.mayerMultiple { row("Mayer multiple", fixed(mayer, 2)) }
        if let weekly = t.sma200w { row("200-week average", "\(usd(weekly)) (price \(percent(t.price / weekly - 1)))") }
        row("drawdown from high", percent(t.drawdown))
        if let stress = t.stress {
            row("miners under water", "\(percent(stress.shareUnderWater, signed: false)) of hashrate now; \(percent(stress.shareUnderWaterAfter10PercentDrop, signed: false)) after −10%; \(percent(stress.shareUnderWaterAfter15PercentDrop, signed: false)) after −15%")
            for cohort in stress.cohorts {
                row("", "\(fixed(cohort.joulesPerTerahash, 0)) J/TH (\(percent(cohort.hashrateShare, signed: false)) of hashrate) breaks even at \(usd(cohort.breakEvenUSD))")
            }
        }
        lines.append(style.bold("  regime R \(fixed(t.regime.score, 1)) (\(t.regime.label))"))
        return lines.joined(separator: "\n") + "\n"
    }

    /// Events as `day,kind,detail` CSV with a header.
    public static func eventsCSV(_ events: [MarketEvent]) -> String {
        "day,kind,detail\n" + events.map { "\($0.day.iso),\($0.kind.rawValue),\(csvField($0.detail))" }.joined(separator: "\n") + (events.isEmpty ? "" : "\n")
    }

    /// Events one per line.
    public static func eventsTable(_ events: [MarketEvent]) -> String {
        events.map { "\($0.day.iso)  \(ReportRendering.pad($0.kind.rawValue, 20)) \($0.detail)" }.joined(separator: "\n") + (events.isEmpty ? "no events in range\n" : "\n")
    }

    /// The event study: per event kind, count, median and worst forward return and drawdown per horizon.
    public static func studyTable(_ outcomes: [EventOutcome]) -> String {
        var lines = ["event                  horizon  count  median return  worst return  median max drawdown  worst max drawdown"]
        for kind in MarketEventKind.allCases {
            let ofKind = outcomes.filter { $0.event.kind == kind }
            guard !ofKind.isEmpty else { continue }
            for summary in EventStudy.summary(ofKind) {
                lines.append("\(ReportRendering.pad(kind.rawValue, 22)) \(ReportRendering.pad("\(summary.horizonDays)d", 8)) \(ReportRendering.pad("\(summary.count)", 6)) "
                    + "\(ReportRendering.pad(summary.medianReturn.map { percent($0) } ?? "—", 14)) \(ReportRendering.pad(summary.worstReturn.map { percent($0) } ?? "—", 13)) "
                    + "\(ReportRendering.pad(summary.medianMaxDrawdown.map { percent($0) } ?? "—", 20)) \(summary.worstMaxDrawdown.map { percent($0) } ?? "—")")
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
