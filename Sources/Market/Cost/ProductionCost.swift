import Foundation

/// The Bitcoin block subsidy by UTC day, in BTC per block.
public enum BlockSubsidy {
    /// Halving days (UTC) and the subsidy from that day on.
    public static let halvings: [(day: UTCDay, btc: Double)] = [
        (UTCDay(year: 2012, month: 11, day: 28), 25),
        (UTCDay(year: 2016, month: 7, day: 9), 12.5),
        (UTCDay(year: 2020, month: 5, day: 11), 6.25),
        (UTCDay(year: 2024, month: 4, day: 20), 3.125),
    ]

    /// Subsidy in BTC per block on `day`: 50 before 2012-11-28, then halving on each listed day.
    public static func btc(on day: UTCDay) -> Double {
        var subsidy = 50.0
        for halving in halvings where day >= halving.day { subsidy = halving.btc }
        return subsidy
    }
}

/// Fleet efficiency from a UTC day on, in joules per terahash.
public struct EfficiencyStep: Sendable, Codable, Equatable {
    public var since: UTCDay
    public var joulesPerTerahash: Double

    /// Fleet efficiency `joulesPerTerahash` (J/TH) from `since` (UTC) on.
    public init(since: UTCDay, joulesPerTerahash: Double) {
        self.since = since
        self.joulesPerTerahash = joulesPerTerahash
    }
}

/// The cost of producing one BTC on one day, in USD per BTC.
public struct ProductionCost: Sendable, Codable, Equatable {
    /// Electricity only, USD per BTC.
    public var electricityUSD: Double
    /// Electricity × the all-in overhead multiplier, USD per BTC.
    public var allInUSD: Double
    /// Fleet efficiency used, J/TH.
    public var joulesPerTerahash: Double
    /// Electricity price used, USD per kWh.
    public var electricityUSDPerKWh: Double
    /// Block subsidy on the day, BTC per block.
    public var subsidyBTC: Double
}

/// Miners' production cost model: dated fleet efficiency, electricity price, overhead and fees.
///
/// Defaults: efficiency 1 500 J/TH (2014, early 28 nm ASICs) → 250 (2016, 16 nm S9 class ≈ 100 J/TH mixed with older
/// fleet) → 100 (2018) → 60 (2020) → 40 (2022) → 30 (2024) → 25 J/TH (2025 on); electricity $0.06/kWh;
/// all-in multiplier 1.2; fees 0 BTC per block (so the DESIGN.md check, 913 EH/s → ≈ $73k electricity, holds);
/// a price-vs-cost crossing needs 5 consecutive closes more than 3% beyond the cost.
public struct ProductionCostModel: Sendable, Codable, Equatable {
    /// Dated fleet efficiency, ascending by day; the step in force on a day is the last with `since` ≤ day.
    public var efficiencySchedule: [EfficiencyStep]
    /// Electricity price, USD per kWh.
    public var electricityUSDPerKWh: Double
    /// All-in overhead multiplier over electricity (hardware, hosting, staff).
    public var allInMultiplier: Double
    /// Transaction fees per block, BTC, added to the subsidy when no daily fees series is stored.
    public var feesPerBlockBTC: Double
    /// The fleet behind the stress test: efficiency cohorts × an electricity-price distribution.
    public var fleet: MinerFleet
    /// Band around the all-in cost a close must clear for a price-vs-cost crossing, fraction (0.03 = 3%).
    public var crossingBand: Double = 0.03
    /// Consecutive closes beyond the band before a crossing is an event.
    public var crossingConfirmCloses: Int = 5

    /// A model with the given schedule (sorted by day on creation), price, multiplier, fees and fleet.
    public init(efficiencySchedule: [EfficiencyStep], electricityUSDPerKWh: Double = 0.06,
                allInMultiplier: Double = 1.2, feesPerBlockBTC: Double = 0, fleet: MinerFleet = .defaults) {
        self.efficiencySchedule = efficiencySchedule.sorted { $0.since < $1.since }
        self.electricityUSDPerKWh = electricityUSDPerKWh
        self.allInMultiplier = allInMultiplier
        self.feesPerBlockBTC = feesPerBlockBTC
        self.fleet = fleet
    }

    /// The documented defaults (see the type's summary).
    public static let defaults = ProductionCostModel(efficiencySchedule: [
        EfficiencyStep(since: UTCDay(year: 2009, month: 1, day: 1), joulesPerTerahash: 1_500),
        EfficiencyStep(since: UTCDay(year: 2016, month: 1, day: 1), joulesPerTerahash: 250),
        EfficiencyStep(since: UTCDay(year: 2018, month: 1, day: 1), joulesPerTerahash: 100),
        EfficiencyStep(since: UTCDay(year: 2020, month: 1, day: 1), joulesPerTerahash: 60),
        EfficiencyStep(since: UTCDay(year: 2022, month: 1, day: 1), joulesPerTerahash: 40),
        EfficiencyStep(since: UTCDay(year: 2024, month: 1, day: 1), joulesPerTerahash: 30),
        EfficiencyStep(since: UTCDay(year: 2025, month: 1, day: 1), joulesPerTerahash: 25),
    ])

    /// Fleet efficiency in force on `day`, J/TH (the first step's value before the schedule starts).
    public func joulesPerTerahash(on day: UTCDay) -> Double {
        var value = efficiencySchedule.first?.joulesPerTerahash ?? 25
        for step in efficiencySchedule where step.since <= day { value = step.joulesPerTerahash }
        return value
    }

    /// Cost per BTC on `day` for network hashrate `hashrateEHs` (EH/s); `feesPerBlock` (BTC) overrides the config's.
    public func cost(on day: UTCDay, hashrateEHs: Double, feesPerBlock: Double? = nil) -> ProductionCost {
        let efficiency = joulesPerTerahash(on: day)
        let subsidy = BlockSubsidy.btc(on: day)
        let electricity = ProductionCostModel.electricityPerBTC(
            hashrateEHs: hashrateEHs, joulesPerTerahash: efficiency, usdPerKWh: electricityUSDPerKWh,
            btcPerBlock: subsidy + (feesPerBlock ?? feesPerBlockBTC))
        return ProductionCost(electricityUSD: electricity, allInUSD: electricity * allInMultiplier,
                              joulesPerTerahash: efficiency, electricityUSDPerKWh: electricityUSDPerKWh,
                              subsidyBTC: subsidy)
    }

    /// Electricity cost per BTC, USD: hashrate (TH/s) × J/TH × 24 h × $/kWh / 1000 ÷ (144 blocks × BTC per block).
    public static func electricityPerBTC(hashrateEHs: Double, joulesPerTerahash: Double, usdPerKWh: Double,
                                         btcPerBlock: Double) -> Double {
        // DESIGN.md "Production cost": daily energy in kWh times price, over the BTC mined per day.
        let terahashes = hashrateEHs * 1e6
        let dailyUSD = terahashes * joulesPerTerahash * 24 * usdPerKWh / 1000
        return btcPerBlock > 0 ? dailyUSD / (144 * btcPerBlock) : .infinity
    }
}
