import Foundation

/// A support zone: a price band (USD) built from clustered swing lows, with the number of lows in it.
public struct SupportZone: Sendable, Codable, Equatable {
    public var low: Double
    public var high: Double
    public var touches: Int

    /// A zone from `low` to `high` (USD) with `touches` swing lows.
    public init(low: Double, high: Double, touches: Int) {
        self.low = low
        self.high = high
        self.touches = touches
    }

    /// Whether `price` lies within the band.
    public func contains(_ price: Double) -> Bool { price >= low && price <= high }
}

/// A swing low: the candle's low is the lowest within ±`radius` days; knowable `radius` days later.
public struct SwingLow: Sendable, Equatable {
    public var index: Int
    public var day: UTCDay
    public var price: Double
}

/// Where the price sits against the support zones on one day.
public struct SupportPosition: Sendable, Equatable {
    public var zones: [SupportZone]
    /// The highest zone containing the price or below it.
    public var nearest: SupportZone?
    /// price / nearest.high − 1 (0 when inside the zone).
    public var distance: Double?
    /// The lowest zone above the price that some close in the last `brokenLookbackDays` was at or above (lost support).
    public var broken: SupportZone?
}

/// Support zones from clustered swing lows.
///
/// Rule: a swing low is a daily low that is the lowest of the `radius` (10) days either side, so it is confirmed only
/// `radius` days later. Confirmed swing lows of the last `lookbackDays` (365) are sorted by price and grouped greedily:
/// a low joins the current zone while it is within `tolerance` (4%) above the zone's lowest low. A zone is "broken"
/// when it lies above the price and a close in the last `brokenLookbackDays` (30) was at or above its low.
public struct SupportZones: Sendable {
    /// Days either side a swing low must be lowest over (and the confirmation delay), days.
    public var radius = 10
    /// Age limit of swing lows used for zones, days.
    public var lookbackDays = 365
    /// Clustering tolerance above a zone's lowest low, fraction (0.04 = 4%).
    public var tolerance = 0.04
    /// Window in which a close at or above a zone above the price marks that zone broken, days.
    public var brokenLookbackDays = 30

    /// The rule's defaults (see the type's summary).
    public init() {}

    /// Swing lows in sorted `candles`, each with the index of its candle; includes only confirmed ones.
    public func swingLows(_ candles: [PriceCandle]) -> [SwingLow] {
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
            if lowest { result.append(SwingLow(index: index, day: candles[index].day, price: low)) }
        }
        return result
    }

    /// Clusters swing-low prices (USD) into zones, ascending by price.
    public func cluster(_ prices: [Double]) -> [SupportZone] {
        var zones: [SupportZone] = []
        for price in prices.sorted() {
            if let last = zones.last, price <= last.low * (1 + tolerance) {
                zones[zones.count - 1].high = price
                zones[zones.count - 1].touches += 1
            } else {
                zones.append(SupportZone(low: price, high: price, touches: 1))
            }
        }
        return zones
    }

    /// The position at the last candle of sorted `candles` knowable at `asOf` (day end ≤ `asOf`); nil without one.
    public func position(candles: [PriceCandle], asOf: Date) -> SupportPosition? {
        let last = UTCDay.lastComplete(asOf: asOf)
        let knowable = Array(candles.prefix { $0.day <= last })
        guard !knowable.isEmpty else { return nil }
        return position(at: knowable.count - 1, candles: knowable, swings: swingLows(knowable))
    }

    /// The position at candle `index` of sorted `candles`, from `swings` (all swing lows of the series, ascending).
    ///
    /// Point-in-time: only swing lows confirmed by `index` (swing index + radius ≤ index) are used.
    public func position(at index: Int, candles: [PriceCandle], swings: [SwingLow]) -> SupportPosition {
        let today = candles[index].day
        let earliest = today.adding(days: -lookbackDays)
        var prices: [Double] = []
        var upper = swings.count
        var lo = 0
        while lo < upper {
            let mid = (lo + upper) / 2
            if swings[mid].index + radius <= index { lo = mid + 1 } else { upper = mid }
        }
        var cursor = lo - 1
        while cursor >= 0, swings[cursor].day >= earliest {
            prices.append(swings[cursor].price)
            cursor -= 1
        }
        let zones = cluster(prices)
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
