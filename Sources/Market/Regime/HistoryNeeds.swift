import Foundation

/// A daily market series a reading reads.
public enum MarketSeries: String, Sendable, CaseIterable {
    case prices, hashrate
}

/// A reading that means what its name says only over a fixed stretch of history: with less, it is null with a reason,
/// never a number from a truncated window.
public struct HistoryNeed: Sendable, Equatable {
    /// The reading's key in the technicals JSON, e.g. `sma200w` or `hashprice.percentile_since_2016`.
    public var reading: String
    /// The reading in words, e.g. "200-week average".
    public var name: String
    /// The series it reads (both must reach back far enough).
    public var series: [MarketSeries]
    /// What it needs, in words, e.g. "200 complete weeks of closes".
    public var rule: String
    let neededFrom: @Sendable (UTCDay) -> UTCDay

    /// The first UTC day the series must hold for the reading on `day`.
    public func firstDayNeeded(on day: UTCDay) -> UTCDay { neededFrom(day) }

    /// Why the reading is null on `day` when its series start on `starts` (nil: the series is empty), or nil when they
    /// reach back far enough.
    public func shortfall(on day: UTCDay, starts: [MarketSeries: UTCDay]) -> String? {
        let needed = neededFrom(day)
        let short = series.compactMap { series -> String? in
            guard let first = starts[series] else { return "no \(series.rawValue) stored" }
            return first > needed ? "\(series.rawValue) stored from \(first.iso)" : nil
        }
        guard !short.isEmpty else { return nil }
        return "needs \(rule) (from \(needed.iso)); \(short.joined(separator: ", "))"
    }

    /// The last Sunday (end of a complete Monday–Sunday week) on or before `day`.
    static func lastWeekEnding(_ day: UTCDay) -> UTCDay { day.weekday == 7 ? day : day.weekEnding.adding(days: -7) }

    /// 200 complete weeks of closes: the 200-week average.
    public static let sma200w = HistoryNeed(reading: "sma200w", name: "200-week average", series: [.prices],
                                            rule: "200 complete weeks of closes (1,400 days)") { lastWeekEnding($0).adding(days: -1_399) }
    /// 78 complete weeks: Senkou B spans 52 weeks and is drawn 26 weeks ahead, so the cloud at a week needs 52 + 26.
    public static let weeklyCloud = HistoryNeed(reading: "ichimoku_weekly.span_b", name: "weekly Ichimoku cloud", series: [.prices],
                                                rule: "78 complete weeks of candles (52-week span B drawn 26 weeks ahead; 546 days)") {
        lastWeekEnding($0).adding(days: -545)
    }
    /// 200 daily closes: the Mayer multiple (price / 200-day average).
    public static let mayerMultiple = HistoryNeed(reading: "mayer_multiple", name: "Mayer multiple", series: [.prices],
                                                  rule: "200 daily closes") { $0.adding(days: -199) }
    /// 60 daily samples: the hash ribbon's slow average.
    public static let hashRibbon = HistoryNeed(reading: "hash_ribbon", name: "hash ribbon", series: [.hashrate],
                                               rule: "60 days of hashrate (the 60-day average)") { $0.adding(days: -59) }
    /// Prices and hashrate from 2016-01-01: hashprice's percentile since 2016.
    public static let hashpricePercentile = HistoryNeed(reading: "hashprice.percentile_since_2016", name: "hashprice percentile since 2016",
                                                        series: [.prices, .hashrate], rule: "prices and hashrate since 2016-01-01") { _ in
        HashpriceSeries.percentileStart
    }

    /// Every reading with a history need, in report order.
    public static let all: [HistoryNeed] = [sma200w, weeklyCloud, mayerMultiple, hashRibbon, hashpricePercentile]

    /// The days of history `series` needs for every reading on `day`: the earliest first day of the needs that read it.
    public static func firstDayNeeded(for series: MarketSeries, on day: UTCDay) -> UTCDay? {
        all.filter { $0.series.contains(series) }.map { $0.firstDayNeeded(on: day) }.min()
    }

    /// Needs are the same when they are for the same reading.
    public static func == (lhs: HistoryNeed, rhs: HistoryNeed) -> Bool { lhs.reading == rhs.reading }
}

/// A reading that is null, with why: `stale: …`, or `needs 200 complete weeks of closes (from …); prices stored from …`.
public struct UnavailableReading: Sendable, Codable, Equatable {
    /// The reading's key in the technicals JSON.
    public var reading: String
    /// What it needs and where the stored series start, or why else it is null.
    public var reason: String

    /// A null reading and its reason.
    public init(reading: String, reason: String) {
        self.reading = reading
        self.reason = reason
    }
}
