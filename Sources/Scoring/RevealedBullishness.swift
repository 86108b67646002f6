import Foundation
import Market
import Positioning

/// Weights, windows and freshness limits of revealed bullishness Bᵣ; defaults documented in the README.
public struct RevealedParameters: Sendable, Codable, Equatable {
    /// Weight of the 20-trading-day ETF net flow.
    public var flow20Weight: Double = 0.35
    /// Weight of the 5-trading-day ETF net flow.
    public var flow5Weight: Double = 0.15
    /// Weight of asset managers' CME net long against its 52-week range.
    public var positioningWeight: Double = 0.5
    /// Trading days of rolling flow sums whose root mean square scales today's sum.
    public var flowScaleDays: Int = 250
    /// Reports in the COT-index range (52 weekly reports = 52 weeks).
    public var cotWeeks: Int = 52
    /// A flow reading older than this many days before the as-of day is stale.
    public var flowFreshDays: Int = 7
    /// A TFF report dated more than this many days before the as-of day is stale.
    public var reportFreshDays: Int = 17
    /// The TFF series read, first present wins: the Bitcoin-equivalent combination of CME Bitcoin and Micro, then CME Bitcoin.
    public var markets: [String] = ["cme_bitcoin_btc_equivalent", TFFReport.cmeBitcoin]

    public init() {}
}

/// Leveraged funds' CME positioning, shown beside Bᵣ and not inside it.
public struct LeveragedFundsReading: Sendable, Codable, Equatable {
    public var reportDate: UTCDay
    /// Net long as a share of open interest, −1…1 (usually negative).
    public var netShare: Double
    /// 0 = the lowest net long of the last 52 reports, 100 = the highest.
    public var cotIndex: Double
    public var explanation: String
}

/// Revealed institutional bullishness Bᵣ on −100…+100: what institutions do (ETF flows, CME positioning), with components.
public struct RevealedBullishness: Sendable, Codable, Equatable {
    public var asOf: Date
    /// −100…+100; nil when no component has fresh data.
    public var score: Double?
    public var components: [ScoreComponent]
    public var leveragedFunds: LeveragedFundsReading?
    /// Why a component is missing (`stale: last flow day …`, `no TFF report published by …`).
    public var notes: [String]
    public var lastFlowDay: UTCDay?
    /// The as-of Tuesday of the newest TFF report published by the as-of instant.
    public var lastReportDate: UTCDay?
    /// Consecutive trading days of net outflow ending at the last flow day (0 when it was an inflow); nil when flows are stale or absent.
    public var outflowStreak: Int?
}

/// Computes Bᵣ from daily ETF net flows and CFTC TFF reports, point-in-time.
public enum RevealedIndex {
    /// Bᵣ as of an instant: flow days that ended and TFF reports published (end of the Friday) at or before `asOf`.
    public static func compute(flows: [ETFFlowDay], reports: [TFFReport], asOf: Date, parameters: RevealedParameters) -> RevealedBullishness {
        let today = UTCDay(containing: asOf)
        let days = flows.filter { $0.day.end <= asOf }.sorted { $0.day < $1.day }
        let market = parameters.markets.first { name in reports.contains { $0.market == name && $0.knowable <= asOf } }
        let known = reports.filter { $0.market == market && $0.knowable <= asOf }.sorted { $0.reportDate < $1.reportDate }
        var components: [ScoreComponent] = []
        var notes: [String] = []
        var streak: Int?

        if let last = days.last, last.day.days(to: today) > parameters.flowFreshDays {
            notes.append("ETF flows: stale: last flow day \(last.day.iso)")
        } else if days.isEmpty {
            notes.append("ETF flows: no flow data by \(today.iso)")
        } else {
            streak = outflowStreak(days)
            for (window, weight, id) in [(20, parameters.flow20Weight, "etf_flow_20d"), (5, parameters.flow5Weight, "etf_flow_5d")] {
                if let component = flowComponent(days, window: window, weight: weight, id: id, parameters: parameters) { components.append(component) }
                else { notes.append("ETF flows: fewer than \(2 * window) trading days for the \(window)-day flow and its scale") }
            }
        }

        var leveraged: LeveragedFundsReading?
        if let latest = known.last, latest.reportDate.days(to: today) > parameters.reportFreshDays {
            notes.append("CME positioning: stale: last TFF report as of \(latest.reportDate.iso)")
        } else if known.isEmpty {
            notes.append("CME positioning: no TFF report published by \(today.iso)")
        } else {
            let window = Array(known.suffix(parameters.cotWeeks))
            if let component = positioningComponent(window, weight: parameters.positioningWeight) { components.append(component) }
            leveraged = leveragedReading(window)
        }
        let score = components.isEmpty ? nil : combine(&components)
        return RevealedBullishness(asOf: asOf, score: score, components: components, leveragedFunds: leveraged, notes: notes,
                                   lastFlowDay: days.last?.day, lastReportDate: known.last?.reportDate, outflowStreak: streak)
    }

    /// Flow component: s = Σ net flow over the last `window` trading days; scale = root mean square of the same
    /// rolling sums over the last `flowScaleDays` trading days; value = 100 × tanh(s / scale) (one typical sum ≈ ±76).
    static func flowComponent(_ days: [ETFFlowDay], window: Int, weight: Double, id: String, parameters: RevealedParameters) -> ScoreComponent? {
        guard days.count >= 2 * window else { return nil }
        let values = days.map(\.netUSDMillions)
        var prefix = [0.0]
        for value in values { prefix.append(prefix[prefix.count - 1] + value) }
        let ends = Array(max(window, values.count - parameters.flowScaleDays + 1)...values.count)
        let sums = ends.map { prefix[$0] - prefix[$0 - window] }
        let scale = (sums.reduce(0) { $0 + $1 * $1 } / Double(sums.count)).squareRoot()
        guard let current = sums.last, scale > 0 else { return nil }
        let first = days[days.count - window].day, last = days[days.count - 1].day
        let evidence = Evidence(kind: "signal", reference: "US spot Bitcoin ETFs, \(first.iso)…\(last.iso)",
                                text: "\(window)-day net flow \(usd(current)); typical size \(usd(scale)) (RMS of \(sums.count) rolling sums)",
                                value: current / scale, weight: weight, date: last.end)
        return ScoreComponent(id: id, name: "ETF net flow, \(window) days", weight: weight, value: 100 * tanh(current / scale),
            explanation: "net creations minus redemptions of US spot Bitcoin ETFs over \(window) trading days, 100 × tanh(sum / RMS of the last \(sums.count) such sums)",
            evidence: [evidence])
    }

    /// COT index of a net share over reports: 100 × (current − min) / (max − min); 50 when the range is flat.
    public static func cotIndex(_ values: [Double]) -> Double? {
        guard let current = values.last, let low = values.min(), let high = values.max() else { return nil }
        return high > low ? 100 * (current - low) / (high - low) : 50
    }

    /// Positioning component: asset managers' net long / open interest, as a COT index over the last 52 reports,
    /// mapped to −100…+100 (2 × index − 100).
    static func positioningComponent(_ reports: [TFFReport], weight: Double) -> ScoreComponent? {
        let shares = reports.compactMap(\.assetManagerNetShare)
        guard let latest = reports.last, let share = latest.assetManagerNetShare, let index = cotIndex(shares) else { return nil }
        let unit = latest.unit == .btc ? "BTC" : "contracts"
        let evidence = Evidence(kind: "signal", reference: "CFTC TFF \(latest.market), as of \(latest.reportDate.iso), published \(latest.publicationDay.iso)",
                                text: "asset managers long \(plain(latest.assetManagerLong)) short \(plain(latest.assetManagerShort)) of \(plain(latest.openInterest)) \(unit) open interest: net \(String(format: "%+.1f", share * 100))% of OI; COT index \(String(format: "%.0f", index)) over \(shares.count) report(s)",
                                value: share, weight: weight, date: latest.knowable)
        return ScoreComponent(id: "asset_manager_positioning", name: "Asset managers' CME net long", weight: weight, value: 2 * index - 100,
            explanation: "asset managers' net long as a share of open interest against its range over the last \(shares.count) weekly report(s) (COT index 0 = lowest, 100 = highest), mapped to 2 × index − 100",
            evidence: [evidence])
    }

    static func leveragedReading(_ reports: [TFFReport]) -> LeveragedFundsReading? {
        let shares = reports.compactMap(\.leveragedFundsNetShare)
        guard let latest = reports.last, let share = latest.leveragedFundsNetShare, let index = cotIndex(shares) else { return nil }
        return LeveragedFundsReading(reportDate: latest.reportDate, netShare: share, cotIndex: index,
            explanation: "leveraged funds' net short is mostly the short leg of the cash-and-carry basis trade (long spot or ETF, short CME futures), not a directional bet; shown beside Bᵣ, not in it")
    }

    /// Consecutive outflow days ending at the last day.
    public static func outflowStreak(_ days: [ETFFlowDay]) -> Int {
        var streak = 0
        for day in days.reversed() {
            guard day.netUSDMillions < 0 else { break }
            streak += 1
        }
        return streak
    }

    static func usd(_ millions: Double) -> String { String(format: "%@$%.0fM", millions < 0 ? "−" : "+", abs(millions)) }
    static func plain(_ value: Double) -> String { String(format: "%.0f", value) }
}
