import Foundation

/// A slice of the mining fleet: its efficiency relative to the fleet efficiency in force, and its hashrate share.
public struct MinerCohort: Sendable, Codable, Equatable {
    /// Efficiency as a multiple of the schedule's fleet J/TH on the day (0.6 = 40% fewer joules per terahash).
    public var relativeEfficiency: Double
    /// Share of network hashrate, 0–1.
    public var hashrateShare: Double

    /// A cohort at `relativeEfficiency` × the schedule's J/TH holding `hashrateShare` (0–1) of the network.
    public init(relativeEfficiency: Double, hashrateShare: Double) {
        self.relativeEfficiency = relativeEfficiency
        self.hashrateShare = hashrateShare
    }

    /// Default cohorts, as multiples of the schedule's J/TH: 0.6 × (10%), 0.8 × (25%), 1.0 × (30%), 1.2 × (20%),
    /// 1.52 × (15%) — at 25 J/TH (2025 on) 15, 20, 25, 30 and 38 J/TH, mean ≈ 25.7 J/TH.
    public static let defaults: [MinerCohort] = [
        MinerCohort(relativeEfficiency: 0.6, hashrateShare: 0.10),
        MinerCohort(relativeEfficiency: 0.8, hashrateShare: 0.25),
        MinerCohort(relativeEfficiency: 1.0, hashrateShare: 0.30),
        MinerCohort(relativeEfficiency: 1.2, hashrateShare: 0.20),
        MinerCohort(relativeEfficiency: 1.52, hashrateShare: 0.15),
    ]
}

/// The electricity prices the fleet pays from a UTC day on: a piecewise-linear distribution through quantile points.
public struct ElectricityPriceDistribution: Sendable, Codable, Equatable {
    public var since: UTCDay
    /// Price at each quantile point, USD per kWh, ascending.
    public var usdPerKWh: [Double]
    /// Cumulative share of hashrate (0–1) paying at most the matching price; ascending from 0 to 1.
    public var quantiles: [Double]

    /// A distribution in force from `since` (UTC) through the points (`usdPerKWh[i]`, `quantiles[i]`).
    public init(since: UTCDay, usdPerKWh: [Double], quantiles: [Double]) {
        self.since = since
        self.usdPerKWh = usdPerKWh
        self.quantiles = quantiles
    }

    /// Why the points do not form a distribution (nil when they do): ≥ 2 points, prices ascending and ≥ 0,
    /// quantiles non-decreasing from exactly 0 to exactly 1.
    public var problem: String? {
        guard usdPerKWh.count == quantiles.count else { return "usd_per_kwh and quantiles differ in length" }
        guard usdPerKWh.count >= 2 else { return "needs at least two points" }
        guard usdPerKWh.allSatisfy({ $0.isFinite && $0 >= 0 }), zip(usdPerKWh, usdPerKWh.dropFirst()).allSatisfy({ $0 < $1 })
        else { return "usd_per_kwh must be ascending and non-negative" }
        guard quantiles.first == 0, quantiles.last == 1, zip(quantiles, quantiles.dropFirst()).allSatisfy({ $0 <= $1 })
        else { return "quantiles must rise from 0 to 1" }
        return nil
    }

    /// Share of hashrate (0–1) paying at most `price` USD/kWh: linear between points, 0 below the first, 1 past the last.
    public func share(payingAtMost price: Double) -> Double {
        guard let first = usdPerKWh.first, let last = usdPerKWh.last else { return 1 }
        if price < first { return 0 }
        if price >= last { return 1 }
        var index = 1
        while usdPerKWh[index] < price { index += 1 }
        let x0 = usdPerKWh[index - 1], x1 = usdPerKWh[index]
        return quantiles[index - 1] + (quantiles[index] - quantiles[index - 1]) * (price - x0) / (x1 - x0)
    }
}

/// The fleet behind the stress test: efficiency cohorts × a dated electricity-price distribution.
///
/// Defaults are modelling assumptions (README "Miner stress test"): cohorts spread ±40–50% around the schedule's fleet
/// efficiency, as newer and older ASIC generations run side by side; electricity from $0.02 to $0.10 per kWh with the
/// median at the point model's $0.06 (10th percentile $0.035, quartiles $0.045 and $0.075).
public struct MinerFleet: Sendable, Codable, Equatable {
    public var cohorts: [MinerCohort]
    /// Distributions ascending by `since`; the one in force on a day is the last with `since` ≤ day.
    public var electricity: [ElectricityPriceDistribution]

    /// A fleet of `cohorts` paying `electricity` (sorted by day on creation).
    public init(cohorts: [MinerCohort], electricity: [ElectricityPriceDistribution]) {
        self.cohorts = cohorts
        self.electricity = electricity.sorted { $0.since < $1.since }
    }

    /// The documented defaults (see the type's summary).
    public static let defaults = MinerFleet(cohorts: MinerCohort.defaults, electricity: [
        ElectricityPriceDistribution(since: UTCDay(year: 2009, month: 1, day: 1),
                                     usdPerKWh: [0.02, 0.035, 0.045, 0.06, 0.075, 0.10],
                                     quantiles: [0, 0.10, 0.25, 0.50, 0.75, 1]),
    ])

    /// The distribution in force on `day` (the first one before the schedule starts).
    public func electricity(on day: UTCDay) -> ElectricityPriceDistribution? {
        electricity.last { $0.since <= day } ?? electricity.first
    }
}

/// Share of hashrate under water as a function of the BTC price, for one day's network, revenue and fleet.
///
/// A cohort with efficiency e paying p USD/kWh breaks even at electricityPerBTC(hashrate, e, p) (× the all-in
/// multiplier), linear in p; so at price P it is under water for every p above P ÷ that cost per $1/kWh, and the
/// share under water is Σ cohort share × (1 − F(P ÷ cost per $1/kWh)) with F the electricity distribution —
/// continuous and non-increasing in P.
public struct UnderWaterCurve: Sendable, Equatable {
    struct Slice: Sendable, Equatable {
        var share: Double
        var joulesPerTerahash: Double
        /// Electricity-only cost per BTC at $1/kWh, USD.
        var usdPerBTCAtOneDollar: Double
    }

    var slices: [Slice]
    var distribution: ElectricityPriceDistribution
    var allInMultiplier: Double

    /// The curve on `day` for network hashrate `hashrateEHs` (EH/s) and revenue `btcPerBlock` (subsidy + fees, BTC).
    public init(on day: UTCDay, hashrateEHs: Double, btcPerBlock: Double, model: ProductionCostModel) {
        let fleetEfficiency = model.joulesPerTerahash(on: day)
        slices = model.fleet.cohorts.map { cohort in
            let joules = fleetEfficiency * cohort.relativeEfficiency
            return Slice(share: cohort.hashrateShare, joulesPerTerahash: joules,
                         usdPerBTCAtOneDollar: ProductionCostModel.electricityPerBTC(
                            hashrateEHs: hashrateEHs, joulesPerTerahash: joules, usdPerKWh: 1, btcPerBlock: btcPerBlock))
        }
        distribution = model.fleet.electricity(on: day)
            ?? ElectricityPriceDistribution(since: day, usdPerKWh: [model.electricityUSDPerKWh, model.electricityUSDPerKWh + 1e-9],
                                            quantiles: [0, 1])
        allInMultiplier = model.allInMultiplier
    }

    /// Share of hashrate (0–1) whose cost per BTC is above `price` (USD): all-in, or electricity only.
    public func shareUnderWater(at price: Double, allIn: Bool) -> Double {
        slices.reduce(0) { sum, slice in
            let perDollar = slice.usdPerBTCAtOneDollar * (allIn ? allInMultiplier : 1)
            guard perDollar > 0, perDollar.isFinite else { return sum + (perDollar.isFinite ? 0 : slice.share) }
            return sum + slice.share * (1 - distribution.share(payingAtMost: price / perDollar))
        }
    }

    /// The BTC price (USD) at which `share` (0–1) of hashrate is under water; nil when no price gives that much.
    ///
    /// The lowest price whose share under water is at most `share`, by bisection to $0.01 — or to a few parts in 10¹⁵
    /// where prices are so large that neighbouring doubles lie further apart than a cent.
    public func price(atShare share: Double, allIn: Bool) -> Double? {
        guard shareUnderWater(at: 0, allIn: allIn) >= share else { return nil }
        let top = (distribution.usdPerKWh.last ?? 0) * (allIn ? allInMultiplier : 1)
            * (slices.map(\.usdPerBTCAtOneDollar).filter(\.isFinite).max() ?? 0)
        guard top.isFinite else { return nil }
        var low = 0.0, high = top
        while high - low > max(0.01, high * 1e-15) {
            let middle = (low + high) / 2
            if shareUnderWater(at: middle, allIn: allIn) > share { low = middle } else { high = middle }
        }
        return high
    }
}
