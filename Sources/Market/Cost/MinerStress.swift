import Foundation

/// One cohort's efficiency, share and break-even BTC price at the distribution's median electricity price, USD.
public struct CohortBreakEven: Sendable, Codable, Equatable {
    public var joulesPerTerahash: Double
    public var hashrateShare: Double
    /// All-in break-even at the median electricity price, USD per BTC.
    public var breakEvenUSD: Double

    enum CodingKeys: String, CodingKey {
        case joulesPerTerahash = "j_per_th", hashrateShare = "hashrate_share", breakEvenUSD = "break_even_usd"
    }
}

/// The BTC price (USD) at which a share of hashrate is under water, all-in and electricity only; nil when never.
public struct UnderWaterLevel: Sendable, Codable, Equatable {
    /// Share of hashrate, 0–1.
    public var share: Double
    public var allInUSD: Double?
    public var electricityOnlyUSD: Double?

    enum CodingKeys: String, CodingKey {
        case share, allInUSD = "all_in_usd", electricityOnlyUSD = "electricity_only_usd"
    }
}

/// One point of the under-water curve: a BTC price (USD) and the share of hashrate (0–1) under water there.
public struct UnderWaterPoint: Sendable, Codable, Equatable {
    public var price: Double
    public var allIn: Double
    public var electricityOnly: Double

    enum CodingKeys: String, CodingKey {
        case price, allIn = "all_in", electricityOnly = "electricity_only"
    }
}

/// Miner stress test: the share of hashrate under water now and after 10% and 15% drops, from the continuous curve.
public struct MinerStress: Sendable, Codable, Equatable {
    /// Close the test starts from, USD.
    public var price: Double
    /// Share of hashrate (0–1) whose all-in cost is above the price.
    public var shareUnderWater: Double
    /// Same, at the price 10% lower.
    public var shareUnderWaterAfter10PercentDrop: Double
    /// Same, at the price 15% lower.
    public var shareUnderWaterAfter15PercentDrop: Double
    /// Share (0–1) whose electricity alone costs more than the price, now, −10% and −15%.
    public var electricityOnlyShareUnderWater: Double
    public var electricityOnlyAfter10PercentDrop: Double
    public var electricityOnlyAfter15PercentDrop: Double
    /// Prices at which 25%, 50% and 75% of hashrate is under water.
    public var levels: [UnderWaterLevel]
    /// The curve from 40% to 160% of the price in 5% steps.
    public var curve: [UnderWaterPoint]
    public var cohorts: [CohortBreakEven]

    enum CodingKeys: String, CodingKey {
        case price, cohorts, levels, curve
        case shareUnderWater = "share_under_water"
        case shareUnderWaterAfter10PercentDrop = "share_under_water_minus_10pct"
        case shareUnderWaterAfter15PercentDrop = "share_under_water_minus_15pct"
        case electricityOnlyShareUnderWater = "electricity_only_share_under_water"
        case electricityOnlyAfter10PercentDrop = "electricity_only_share_under_water_minus_10pct"
        case electricityOnlyAfter15PercentDrop = "electricity_only_share_under_water_minus_15pct"
    }

    /// Shares whose under-water price `levels` reports.
    public static let levelShares = [0.25, 0.50, 0.75]

    /// Runs the test on `day` (UTC) for network hashrate `hashrateEHs` (EH/s) and `price` (USD).
    ///
    /// Revenue per terahash is the same for every miner, so a cohort's break-even is the cost per BTC as if the whole
    /// network ran at its efficiency and electricity price. `feesPerBlock` (BTC) overrides the model's fees.
    public static func run(price: Double, hashrateEHs: Double, on day: UTCDay, model: ProductionCostModel,
                           feesPerBlock: Double? = nil) -> MinerStress {
        let revenue = BlockSubsidy.btc(on: day) + (feesPerBlock ?? model.feesPerBlockBTC)
        let curve = UnderWaterCurve(on: day, hashrateEHs: hashrateEHs, btcPerBlock: revenue, model: model)
        let median = curve.distribution.quantilePrice(0.5)
        let cohorts = curve.slices.map { slice in
            CohortBreakEven(joulesPerTerahash: slice.joulesPerTerahash, hashrateShare: slice.share,
                            breakEvenUSD: slice.usdPerBTCAtOneDollar * median * curve.allInMultiplier)
        }
        return MinerStress(
            price: price,
            shareUnderWater: curve.shareUnderWater(at: price, allIn: true),
            shareUnderWaterAfter10PercentDrop: curve.shareUnderWater(at: price * 0.90, allIn: true),
            shareUnderWaterAfter15PercentDrop: curve.shareUnderWater(at: price * 0.85, allIn: true),
            electricityOnlyShareUnderWater: curve.shareUnderWater(at: price, allIn: false),
            electricityOnlyAfter10PercentDrop: curve.shareUnderWater(at: price * 0.90, allIn: false),
            electricityOnlyAfter15PercentDrop: curve.shareUnderWater(at: price * 0.85, allIn: false),
            levels: levelShares.map { share in
                UnderWaterLevel(share: share, allInUSD: curve.price(atShare: share, allIn: true),
                                electricityOnlyUSD: curve.price(atShare: share, allIn: false))
            },
            curve: stride(from: 8, through: 32, by: 1).map { step in
                let level = price * Double(step) * 0.05
                return UnderWaterPoint(price: level, allIn: curve.shareUnderWater(at: level, allIn: true),
                                       electricityOnly: curve.shareUnderWater(at: level, allIn: false))
            },
            cohorts: cohorts)
    }
}

extension ElectricityPriceDistribution {
    /// The price (USD/kWh) below which `share` (0–1) of hashrate pays: the inverse of the piecewise-linear CDF.
    public func quantilePrice(_ share: Double) -> Double {
        guard let index = quantiles.firstIndex(where: { $0 >= share }) else { return usdPerKWh.last ?? 0 }
        guard index > 0, quantiles[index] > quantiles[index - 1] else { return usdPerKWh[index] }
        let fraction = (share - quantiles[index - 1]) / (quantiles[index] - quantiles[index - 1])
        return usdPerKWh[index - 1] + fraction * (usdPerKWh[index] - usdPerKWh[index - 1])
    }
}
