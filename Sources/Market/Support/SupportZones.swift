import Foundation

/// A support zone: a price band (USD) where swing lows clustered, with its touches, last touch and rank.
public struct SupportZone: Sendable, Codable, Equatable {
    public var low: Double
    public var high: Double
    /// Swing lows (daily or weekly pivots, one per day) inside the band.
    public var touches: Int
    /// The most recent swing low in the band (UTC day).
    public var lastTouch: UTCDay?
    /// 1 = strongest: most touches, then most recent last touch.
    public var rank: Int?

    /// A zone from `low` to `high` (USD) with `touches` swing lows, the latest on `lastTouch`, ranked `rank`.
    public init(low: Double, high: Double, touches: Int, lastTouch: UTCDay? = nil, rank: Int? = nil) {
        self.low = low
        self.high = high
        self.touches = touches
        self.lastTouch = lastTouch
        self.rank = rank
    }

    enum CodingKeys: String, CodingKey {
        case low, high, touches, lastTouch = "last_touch", rank
    }

    /// Whether `price` lies within the band.
    public func contains(_ price: Double) -> Bool { price >= low && price <= high }
}

/// A swing low: a daily low lowest within ±`radius` days, or a weekly low lowest within ±`weeklyRadius` weeks.
public struct SwingLow: Sendable, Equatable {
    /// Index of the daily candle holding the low.
    public var index: Int
    public var day: UTCDay
    public var price: Double
    /// Index of the candle at whose end the pivot is confirmed (knowable).
    public var confirmedIndex: Int
    /// Whether it came from weekly candles (kept over the longer look-back).
    public var weekly: Bool
}

/// Where the price sits against the support zones on one day.
public struct SupportPosition: Sendable, Equatable {
    /// Ranked zones, ascending by price.
    public var zones: [SupportZone]
    /// The highest zone containing the price or below it.
    public var nearest: SupportZone?
    /// price / nearest.high − 1 (0 when inside the zone).
    public var distance: Double?
    /// The lowest zone above the price that some close in the last `brokenLookbackDays` was at or above (lost support).
    public var broken: SupportZone?
}

/// Support zones from clustered swing lows over a long look-back.
///
/// Rule: pivots are daily lows lowest over ±`radius` (10) days, confirmed `radius` days later and kept for
/// `lookbackDays` (730), and weekly lows (Monday–Sunday UTC weeks) lowest over ±`weeklyRadius` (3) weeks, confirmed at
/// the end of the third following week and kept for `weeklyLookbackDays` (1 460); a day counts once. Pivots sorted by
/// price are grouped while within `tolerance` (3%) above the group's lowest low; neighbouring groups whose gap is
/// within the tolerance merge. A zone needs `minTouches` (2) pivots; a band narrower than `minWidth` (1% of its
/// midpoint) is widened to it around the midpoint. Zones rank by touches, then by last touch (recent first); the
/// `maxZones` (8) best are kept. A zone is "broken" when it lies above the price and a close in the last
/// `brokenLookbackDays` (30) was at or above its low.
public struct SupportZones: Sendable {
    /// Days either side a daily swing low must be lowest over (and its confirmation delay), days.
    public var radius = 10
    /// Weeks either side a weekly swing low must be lowest over (and its confirmation delay), weeks.
    public var weeklyRadius = 3
    /// Age limit of daily swing lows used for zones, days.
    public var lookbackDays = 730
    /// Age limit of weekly swing lows used for zones, days.
    public var weeklyLookbackDays = 1_460
    /// Clustering tolerance above a zone's lowest low, fraction (0.03 = 3%).
    public var tolerance = 0.03
    /// Fewest swing lows a zone needs.
    public var minTouches = 2
    /// Narrowest band, as a fraction of its midpoint.
    public var minWidth = 0.01
    /// Most zones kept, best ranked first.
    public var maxZones = 8
    /// Window in which a close at or above a zone above the price marks that zone broken, days.
    public var brokenLookbackDays = 30

    /// The rule's defaults (see the type's summary).
    public init() {}

    /// Daily and weekly swing lows in sorted `candles`, one per day, ascending by confirmation.
    public func swingLows(_ candles: [PriceCandle]) -> [SwingLow] {
        var byDay: [UTCDay: SwingLow] = [:]
        for swing in dailySwingLows(candles) + weeklySwingLows(candles) {
            if let seen = byDay[swing.day], seen.confirmedIndex <= swing.confirmedIndex { continue }
            byDay[swing.day] = swing
        }
        return byDay.values.sorted { ($0.confirmedIndex, $0.index) < ($1.confirmedIndex, $1.index) }
    }

    func dailySwingLows(_ candles: [PriceCandle]) -> [SwingLow] {
        guard candles.count > 2 * radius else { return [] }
        var result: [SwingLow] = []
        for index in radius..<(candles.count - radius) {
            let low = candles[index].low
            var lowest = true
            for other in (index - radius)...(index + radius) where other != index {
                if candles[other].low < low || (candles[other].low == low && other < index) {
                    lowest = false
                    break
                }
            }
            if lowest {
                result.append(SwingLow(index: index, day: candles[index].day, price: low, confirmedIndex: index + radius,
                                       weekly: false))
            }
        }
        return result
    }

    func weeklySwingLows(_ candles: [PriceCandle]) -> [SwingLow] {
        // Each week: the index of its lowest daily low and of its last candle; only weeks that reached their Sunday.
        var weeks: [(lowest: Int, last: Int)] = []
        var currentWeek: UTCDay?
        for (index, candle) in candles.enumerated() {
            let sunday = candle.day.weekEnding
            if sunday == currentWeek, var week = weeks.last {
                if candle.low < candles[week.lowest].low { week.lowest = index }
                week.last = index
                weeks[weeks.count - 1] = week
            } else {
                weeks.append((index, index))
                currentWeek = sunday
            }
        }
        if let last = weeks.last, candles[last.last].day != candles[last.last].day.weekEnding { weeks.removeLast() }
        guard weeks.count > 2 * weeklyRadius else { return [] }
        var result: [SwingLow] = []
        for week in weeklyRadius..<(weeks.count - weeklyRadius) {
            let low = candles[weeks[week].lowest].low
            let lowest = ((week - weeklyRadius)...(week + weeklyRadius)).allSatisfy { other in
                other == week || candles[weeks[other].lowest].low > low
                    || (candles[weeks[other].lowest].low == low && other > week)
            }
            if lowest {
                let index = weeks[week].lowest
                result.append(SwingLow(index: index, day: candles[index].day, price: low,
                                       confirmedIndex: weeks[week + weeklyRadius].last, weekly: true))
            }
        }
        return result
    }

    /// Clusters swing lows into ranked zones (see the rule), ascending by price.
    public func cluster(_ lows: [SwingLow]) -> [SupportZone] {
        var groups: [SupportZone] = []
        for swing in lows.sorted(by: { $0.price < $1.price }) {
            if let last = groups.last, swing.price <= last.low * (1 + tolerance) {
                groups[groups.count - 1].high = swing.price
                groups[groups.count - 1].touches += 1
                groups[groups.count - 1].lastTouch = max(last.lastTouch ?? swing.day, swing.day)
            } else {
                groups.append(SupportZone(low: swing.price, high: swing.price, touches: 1, lastTouch: swing.day))
            }
        }
        var merged: [SupportZone] = []
        for group in groups {
            if let last = merged.last, group.low <= last.high * (1 + tolerance) {
                merged[merged.count - 1].high = group.high
                merged[merged.count - 1].touches += group.touches
                merged[merged.count - 1].lastTouch = max(last.lastTouch ?? group.lastTouch!, group.lastTouch!)
            } else {
                merged.append(group)
            }
        }
        var zones = merged.filter { $0.touches >= minTouches }.map { zone in
            var zone = zone
            let middle = (zone.low + zone.high) / 2
            if zone.high - zone.low < minWidth * middle {
                zone.low = middle * (1 - minWidth / 2)
                zone.high = middle * (1 + minWidth / 2)
            }
            return zone
        }
        let ranked = zones.indices.sorted { a, b in
            zones[a].touches != zones[b].touches ? zones[a].touches > zones[b].touches
                : (zones[a].lastTouch ?? UTCDay(daysSinceEpoch: 0)) > (zones[b].lastTouch ?? UTCDay(daysSinceEpoch: 0))
        }
        for (rank, index) in ranked.enumerated() { zones[index].rank = rank + 1 }
        return zones.filter { ($0.rank ?? .max) <= maxZones }
    }

    /// The position at the last candle of sorted `candles` knowable at `asOf` (day end ≤ `asOf`); nil without one.
    public func position(candles: [PriceCandle], asOf: Date) -> SupportPosition? {
        let last = UTCDay.lastComplete(asOf: asOf)
        let knowable = Array(candles.prefix { $0.day <= last })
        guard !knowable.isEmpty else { return nil }
        return position(at: knowable.count - 1, candles: knowable, swings: swingLows(knowable))
    }

    /// The position at candle `index` of sorted `candles`, from `swings` (all swing lows of the series, by confirmation).
    ///
    /// Point-in-time: only swing lows confirmed by `index` (`confirmedIndex` ≤ index) are used.
    public func position(at index: Int, candles: [PriceCandle], swings: [SwingLow]) -> SupportPosition {
        let today = candles[index].day
        let earliestDaily = today.adding(days: -lookbackDays), earliestWeekly = today.adding(days: -weeklyLookbackDays)
        let earliest = min(earliestDaily, earliestWeekly)
        var upper = swings.count
        var lo = 0
        while lo < upper {
            let mid = (lo + upper) / 2
            if swings[mid].confirmedIndex <= index { lo = mid + 1 } else { upper = mid }
        }
        var used: [SwingLow] = []
        var cursor = lo - 1
        while cursor >= 0, candles[swings[cursor].confirmedIndex].day >= earliest {
            let swing = swings[cursor]
            if swing.day >= (swing.weekly ? earliestWeekly : earliestDaily) { used.append(swing) }
            cursor -= 1
        }
        let zones = cluster(used)
        let price = candles[index].close
        let nearest = zones.last { $0.low <= price }
        let distance = nearest.map { $0.contains(price) ? 0 : price / $0.high - 1 }
        var broken: SupportZone?
        if let above = zones.first(where: { $0.low > price }) {
            var back = index - 1
            while back >= 0, candles[back].day >= today.adding(days: -brokenLookbackDays) {
                if candles[back].close >= above.low {
                    broken = above
                    break
                }
                back -= 1
            }
        }
        return SupportPosition(zones: zones, nearest: nearest, distance: distance, broken: broken)
    }
}
