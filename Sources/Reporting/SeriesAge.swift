import Foundation
import Market

/// How old a stored market series is at an instant, against its freshness limit (UTC days).
public struct SeriesAge: Sendable, Equatable {
    /// `btc_usd` or `hashrate_ehs`.
    public var series: String
    /// The last stored day knowable at the instant; nil when the series is empty.
    public var lastDay: UTCDay?
    /// Whole days from `lastDay` to the last complete day at the instant.
    public var ageDays: Int?
    public var limitDays: Int

    /// True when the last point is older than the limit.
    public var isStale: Bool { ageDays.map { $0 > limitDays } ?? false }

    /// Both series' ages at `asOf`: the day that ended last at `asOf` minus each last day.
    public static func ages(lastPriceDay: UTCDay?, lastHashrateDay: UTCDay?, asOf: Date,
                            limits: FreshnessLimits) -> [SeriesAge] {
        let today = UTCDay.lastComplete(asOf: asOf)
        return [("btc_usd", lastPriceDay, limits.priceDays), ("hashrate_ehs", lastHashrateDay, limits.hashrateDays)].map {
            SeriesAge(series: $0.0, lastDay: $0.1, ageDays: $0.1.map { $0.days(to: today) }, limitDays: $0.2)
        }
    }

    /// One line: "btc_usd: last day 2026-02-07 is 297 days old (limit 3)".
    public var summary: String {
        guard let lastDay, let ageDays else { return "\(series): no data stored" }
        return "\(series): last day \(lastDay.iso) is \(ageDays) day\(ageDays == 1 ? "" : "s") old (limit \(limitDays))"
    }
}
