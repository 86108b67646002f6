import Foundation

/// How old a series' last point may be, in whole UTC days behind the as-of day, before readings on it are stale.
public struct FreshnessLimits: Sendable, Codable, Equatable {
    /// Daily price candles (default 3 days).
    public var priceDays: Int
    /// Daily hashrate samples (default 7 days).
    public var hashrateDays: Int

    /// Limits for each series.
    public init(priceDays: Int, hashrateDays: Int) {
        self.priceDays = priceDays
        self.hashrateDays = hashrateDays
    }

    /// Defaults: prices 3 days, hashrate 7 days.
    public static let defaults = FreshnessLimits(priceDays: 3, hashrateDays: 7)

    enum CodingKeys: String, CodingKey {
        case priceDays = "price_days", hashrateDays = "hashrate_days"
    }
}

/// A reading left out of its score because its input is older than its freshness limit (it is null, not a number).
public struct StaleReading: Sendable, Codable, Equatable {
    /// The signal or component id, e.g. `ichimoku` or `news`.
    public var id: String
    public var name: String
    /// The configured weight it would have carried.
    public var weight: Double
    /// The UTC day of the newest input it had.
    public var dataDay: UTCDay?
    /// e.g. `stale: last candle 2026-02-07`.
    public var reason: String

    /// A stale reading with its reason.
    public init(id: String, name: String, weight: Double, dataDay: UTCDay?, reason: String) {
        self.id = id
        self.name = name
        self.weight = weight
        self.dataDay = dataDay
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey {
        case id, name, weight, dataDay = "data_day", reason
    }

    /// The share (0–1) of the weight of `live` and `stale` together that is stale; 0 when there is none.
    public static func share(stale: [StaleReading], liveWeight: Double) -> Double {
        let staleWeight = stale.reduce(0) { $0 + $1.weight }
        return staleWeight + liveWeight > 0 ? staleWeight / (staleWeight + liveWeight) : 0
    }
}
