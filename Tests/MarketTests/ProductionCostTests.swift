import Foundation
import Testing
@testable import Market

@Suite("Production cost and stress test")
struct ProductionCostTests {
    @Test("block subsidy halves on each halving day", arguments: [
        ("2012-11-27", 50.0), ("2012-11-28", 25.0), ("2016-07-08", 25.0), ("2016-07-09", 12.5),
        ("2020-05-10", 12.5), ("2020-05-11", 6.25), ("2024-04-19", 6.25), ("2024-04-20", 3.125),
        ("2026-02-07", 3.125), ("2009-01-03", 50.0),
    ])
    func subsidy(iso: String, btc: Double) throws {
        #expect(BlockSubsidy.btc(on: try #require(UTCDay(iso: iso))) == btc)
    }

    @Test("913 EH/s at 25 J/TH and $0.06/kWh costs ≈ $73.0k electricity and ≈ $87.6k all-in per BTC")
    func designCheck() {
        // 913e6 TH/s × 25 J/TH = 22.825e9 W; × 24 h / 1000 = 547.8e6 kWh/day; × $0.06 = $32,868,000/day;
        // ÷ (144 × 3.125 = 450 BTC/day) = $73,040; × 1.2 = $87,648. DESIGN.md rounds this to ≈ $72.6k / ≈ $87k.
        let cost = ProductionCostModel.defaults.cost(on: UTCDay(year: 2026, month: 2, day: 7), hashrateEHs: 913)
        #expect(abs(cost.electricityUSD - 73_040) < 1e-6)
        #expect(abs(cost.allInUSD - 87_648) < 1e-6)
        #expect(abs(cost.electricityUSD / 72_600 - 1) < 0.01)
        #expect(abs(cost.allInUSD / 87_000 - 1) < 0.01)
        #expect(cost.joulesPerTerahash == 25)
        #expect(cost.electricityUSDPerKWh == 0.06)
        #expect(cost.subsidyBTC == 3.125)
    }

    @Test("fees add to the subsidy in the denominator and the schedule picks the step in force")
    func feesAndSchedule() {
        var model = ProductionCostModel.defaults
        model.feesPerBlockBTC = 3.125
        let cost = model.cost(on: UTCDay(year: 2026, month: 2, day: 7), hashrateEHs: 913)
        #expect(abs(cost.electricityUSD - 36_520) < 1e-6)
        #expect(ProductionCostModel.defaults.joulesPerTerahash(on: UTCDay(year: 2024, month: 12, day: 31)) == 30)
        #expect(ProductionCostModel.defaults.joulesPerTerahash(on: UTCDay(year: 2025, month: 1, day: 1)) == 25)
        #expect(ProductionCostModel.defaults.joulesPerTerahash(on: UTCDay(year: 2008, month: 1, day: 1)) == 1_500)
        let steps = ProductionCostModel.defaults.efficiencySchedule.map(\.joulesPerTerahash)
        #expect(steps == steps.sorted(by: >))
    }

    /// One cohort at the schedule's 25 J/TH paying electricity spread evenly over $0.04–$0.08/kWh.
    static let uniformFleet: ProductionCostModel = {
        var model = ProductionCostModel.defaults
        model.fleet = MinerFleet(cohorts: [MinerCohort(relativeEfficiency: 1, hashrateShare: 1)], electricity: [
            ElectricityPriceDistribution(since: UTCDay(year: 2009, month: 1, day: 1), usdPerKWh: [0.04, 0.08],
                                         quantiles: [0, 1]),
        ])
        return model
    }()

    @Test("stress test: a continuous under-water curve, worked by hand for a uniform electricity price")
    func stress() throws {
        // At 913 EH/s and 25 J/TH the cost per BTC is $73,040 at $0.06/kWh, so $1,217,333.33 per $1/kWh electricity
        // only and $1,460,800 all-in (× 1.2). A miner paying p is under water at price P when p > P / 1,460,800;
        // with p uniform on 0.04…0.08, share = 1 − (P / 1,460,800 − 0.04) / 0.04.
        // P = 87,648 → p* 0.06 → 0.5; × 0.9 → p* 0.054 → 0.65; × 0.85 → p* 0.051 → 0.725.
        // Electricity only at 87,648: p* = 0.072 → 0.2. 25% under water at p* 0.07 → $102,256; 75% at 0.05 → $73,040.
        let stress = MinerStress.run(price: 87_648, hashrateEHs: 913, on: UTCDay(year: 2026, month: 2, day: 7),
                                     model: Self.uniformFleet)
        #expect(abs(stress.shareUnderWater - 0.5) < 1e-9)
        #expect(abs(stress.shareUnderWaterAfter10PercentDrop - 0.65) < 1e-9)
        #expect(abs(stress.shareUnderWaterAfter15PercentDrop - 0.725) < 1e-9)
        #expect(abs(stress.electricityOnlyShareUnderWater - 0.2) < 1e-9)
        #expect(stress.levels.map(\.share) == [0.25, 0.5, 0.75])
        let levels = stress.levels.map { $0.allInUSD ?? .nan }
        for (level, expected) in zip(levels, [102_256, 87_648, 73_040.0]) { #expect(abs(level - expected) < 0.02) }
        #expect(abs((stress.levels[1].electricityOnlyUSD ?? .nan) - 73_040) < 0.02)
        // The one cohort breaks even at the median $0.06: $87,648 all-in.
        #expect(abs(try #require(stress.cohorts.first).breakEvenUSD - 87_648) < 1e-6)
    }

    @Test("under-water prices come out for hashrates so large that neighbouring doubles lie more than a cent apart")
    func hugeHashrateLevels() throws {
        // Scaled from the hand-worked case above: 913 × 10²⁹⁰ EH/s puts 50% under water at $87,648 × 10²⁹⁰, where
        // doubles are ~10²⁷⁴ dollars apart; the bisection stops at a few parts in 10¹⁵ instead of a cent it cannot reach.
        let stress = MinerStress.run(price: 87_648e290, hashrateEHs: 913e290, on: UTCDay(year: 2026, month: 2, day: 7),
                                     model: Self.uniformFleet)
        let half = try #require(stress.levels[1].allInUSD)
        #expect(abs(half / 87_648e290 - 1) < 1e-12)
        #expect(abs(stress.shareUnderWater - 0.5) < 1e-9)
    }

    @Test("the default fleet's under-water share falls strictly as the price rises and changes between −0% and −15%")
    func defaultCurveIsContinuous() {
        let stress = MinerStress.run(price: 75_000, hashrateEHs: 1_000, on: UTCDay(year: 2026, month: 2, day: 4),
                                     model: .defaults)
        let shares = stress.curve.map(\.allIn)
        #expect(zip(shares, shares.dropFirst()).allSatisfy { $0 > $1 })
        #expect(stress.shareUnderWater < stress.shareUnderWaterAfter10PercentDrop)
        #expect(stress.shareUnderWaterAfter10PercentDrop < stress.shareUnderWaterAfter15PercentDrop)
        #expect(stress.electricityOnlyShareUnderWater < stress.shareUnderWater)
        #expect(abs(MinerCohort.defaults.reduce(0) { $0 + $1.hashrateShare } - 1) < 1e-12)
        #expect(MinerFleet.defaults.electricity.allSatisfy { $0.problem == nil })
    }

    @Test("the electricity distribution interpolates its quantile points and names bad points", arguments: [
        ([0.02, 0.06, 0.10], [0.0, 0.5, 1.0], nil as String?),
        ([0.06, 0.02], [0.0, 1.0], "usd_per_kwh must be ascending and non-negative"),
        ([0.02, 0.06], [0.1, 1.0], "quantiles must rise from 0 to 1"),
        ([0.02], [0.0], "needs at least two points"),
        ([0.02, 0.06], [0.0], "usd_per_kwh and quantiles differ in length"),
    ])
    func distribution(prices: [Double], quantiles: [Double], problem: String?) {
        let distribution = ElectricityPriceDistribution(since: UTCDay(year: 2020, month: 1, day: 1), usdPerKWh: prices,
                                                        quantiles: quantiles)
        #expect(distribution.problem == problem)
        guard problem == nil else { return }
        // Halfway between 0.02 (0) and 0.06 (0.5) is 0.04 → 0.25; 0.08 → 0.75; outside the points 0 and 1.
        #expect(abs(distribution.share(payingAtMost: 0.04) - 0.25) < 1e-12)
        #expect(abs(distribution.share(payingAtMost: 0.08) - 0.75) < 1e-12)
        #expect(distribution.share(payingAtMost: 0.01) == 0)
        #expect(distribution.share(payingAtMost: 0.2) == 1)
        #expect(abs(distribution.quantilePrice(0.75) - 0.08) < 1e-12)
    }

    @Test("hashprice ranks among every day since 2016-01-01 when both series reach back to it")
    func hashpricePercentile() throws {
        // 2015-12-30 … 2016-01-09 (subsidy 25): 500 EH/s, close $400, except $300 on 2016-01-04 and $500 on 2016-01-09.
        // Hashprice = 144 × 25 × close / 500,000 PH/s = 0.0072 × close: $2.88 on most days. On 2016-01-09 ($3.60, the
        // highest of the 9 days since 2016-01-01) the percentile is 9/9 = 1; on 2016-01-04 ($2.16, the lowest of 4) 1/4 =
        // 0.25. Before 2016 there is none, and that is no shortfall of history.
        let start = UTCDay(year: 2015, month: 12, day: 30)
        let days = (0..<11).map { start.adding(days: $0) }
        let closes: [UTCDay: Double] = [UTCDay(year: 2016, month: 1, day: 4): 300, UTCDay(year: 2016, month: 1, day: 9): 500]
        let prices = days.map { PriceCandle(day: $0, open: closes[$0] ?? 400, high: closes[$0] ?? 400, low: closes[$0] ?? 400, close: closes[$0] ?? 400) }
        let history = MarketHistory(prices: prices, hashrate: days.map { HashrateSample(day: $0, exahashesPerSecond: 500) })
        func percentile(_ day: UTCDay) throws -> Double? {
            try #require(TechnicalRegime.technicals(history, asOf: day.end, costModel: .defaults, weights: .defaults)?.hashprice).percentileSince2016
        }
        #expect(try percentile(UTCDay(year: 2016, month: 1, day: 9)) == 1)
        #expect(try percentile(UTCDay(year: 2016, month: 1, day: 4)) == 0.25)
        #expect(try percentile(UTCDay(year: 2015, month: 12, day: 31)) == nil)
        #expect(TechnicalRegime.technicals(history, asOf: start.adding(days: 1).end, costModel: .defaults, weights: .defaults)?.unavailable
                    .contains { $0.reading == "hashprice.percentile_since_2016" } == false)
    }

    @Test("hashprice is (blocks × subsidy + fees) × price per PH/s per day")
    func hashprice() {
        // (144 × 3.125 + 10) × $70,000 / 1,000,000 PH/s = 460 × 0.07 = $32.20; with 150 blocks 478.75 × 0.07 = $33.5125.
        let day = UTCDay(year: 2026, month: 2, day: 7)
        #expect(abs(Hashprice.usdPerPHPerDay(on: day, price: 70_000, hashrateEHs: 1_000, feesBTC: 10) - 32.2) < 1e-9)
        #expect(abs(Hashprice.usdPerPHPerDay(on: day, price: 70_000, hashrateEHs: 1_000, feesBTC: 10, blocks: 150)
                    - 33.5125) < 1e-9)
    }

    @Test("technicals take fees from the daily series when stored, else from the config; no percentile on a history that starts after 2016")
    func hashpriceFromSeries() throws {
        // Flat $50,000 and 500 EH/s from 2024-06-01 (subsidy 3.125) for 30 days; fees 45 BTC on the last day only.
        // Last day: (450 + 45) × 50,000 / 500,000 PH/s = $49.50. Ranking it among 30 days would be a percentile of a
        // truncated window: it is null, with the reason.
        // Other days use fees_per_block_btc 0: 450 × 0.1 = $45.00. Fees per block 45/144 = 0.3125 lower the cost.
        let start = UTCDay(year: 2024, month: 6, day: 1)
        let days = (0..<30).map { start.adding(days: $0) }
        let prices = days.map { PriceCandle(day: $0, open: 50_000, high: 50_000, low: 50_000, close: 50_000) }
        let hashrate = days.map { HashrateSample(day: $0, exahashesPerSecond: 500) }
        let fees = [FeeSample(day: days[29], btc: 45)]
        let asOf = days[29].end
        let withFees = try #require(TechnicalRegime.technicals(MarketHistory(prices: prices, hashrate: hashrate, fees: fees),
                                                               asOf: asOf, costModel: .defaults, weights: .defaults))
        let hashprice = try #require(withFees.hashprice)
        #expect(abs(hashprice.usdPerPHPerDay - 49.5) < 1e-9)
        #expect(hashprice.percentileSince2016 == nil)
        #expect(withFees.reasonUnavailable("hashprice.percentile_since_2016")
                == "needs prices and hashrate since 2016-01-01 (from 2016-01-01); prices stored from 2024-06-01, hashrate stored from 2024-06-01")
        #expect(hashprice.feesSource == "series")
        let plain = try #require(TechnicalRegime.technicals(MarketHistory(prices: prices, hashrate: hashrate),
                                                            asOf: asOf, costModel: .defaults, weights: .defaults))
        #expect(abs((plain.hashprice?.usdPerPHPerDay ?? .nan) - 45) < 1e-9)
        #expect(plain.hashprice?.feesSource == "config")
        let ratio = try #require(withFees.productionCost?.allIn) / (try #require(plain.productionCost?.allIn))
        #expect(abs(ratio - 3.125 / 3.4375) < 1e-12)
    }
}

@Suite("Daily cost with stored fees")
struct DailyCostTests {
    @Test("the daily cost (chart line, cost crossings) takes fees per block from the stored series on its day, else the config's")
    func feesFromSeries() throws {
        // 500 EH/s from 2024-06-01 (subsidy 3.125) for 10 days; the series has 144 BTC of fees (1 BTC a block) on the last
        // day only. Cost ∝ 1 / (subsidy + fees per block): the last day's cost is 3.125 / 4.125 of the day before's.
        let start = UTCDay(year: 2024, month: 6, day: 1)
        let days = (0..<10).map { start.adding(days: $0) }
        let history = MarketHistory(prices: days.map { PriceCandle(day: $0, open: 60_000, high: 60_000, low: 60_000, close: 60_000) },
                                    hashrate: days.map { HashrateSample(day: $0, exahashesPerSecond: 500) },
                                    fees: [FeeSample(day: days[9], btc: 144, blocks: 144)])
        let cost = DailyCost(history, model: .defaults).days
        #expect(cost.map(\.day) == Array(days[6...]), "from the 7th sample, when the 7-day mean exists")
        #expect(cost.map(\.feesPerBlock) == [nil, nil, nil, 1])
        #expect(abs(cost[3].allInUSD / cost[2].allInUSD - 3.125 / 4.125) < 1e-12)
        #expect(cost[2].allInUSD == ProductionCostModel.defaults.cost(on: days[8], hashrateEHs: 500).allInUSD)
    }
}
