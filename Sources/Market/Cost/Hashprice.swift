import Foundation

/// Transaction fees paid to miners on one UTC day: a total in BTC or in USD, and the blocks mined when known.
public struct FeeSample: Sendable, Codable, Equatable {
    public var day: UTCDay
    /// Fees for the whole day, BTC.
    public var btc: Double?
    /// Fees for the whole day, USD (used when `btc` is absent, converted at the day's close).
    public var usd: Double?
    /// Blocks mined on the day; nil when the source does not say (144 is assumed).
    public var blocks: Int?

    /// A sample for `day` (UTC) with the day's fees in BTC and/or USD and, when known, the blocks mined.
    public init(day: UTCDay, btc: Double? = nil, usd: Double? = nil, blocks: Int? = nil) {
        self.day = day
        self.btc = btc
        self.usd = usd
        self.blocks = blocks
    }

    /// The day's fees in BTC, converting USD at `price` (USD per BTC) when only USD is known.
    public func totalBTC(price: Double) -> Double? {
        btc ?? usd.flatMap { price > 0 ? $0 / price : nil }
    }
}

/// Hashprice: what one PH/s of hashrate earns in a day, USD, with its rank since 2016.
public struct Hashprice: Sendable, Codable, Equatable {
    /// USD per PH/s per day.
    public var usdPerPHPerDay: Double
    /// Share (0–1) of days from 2016-01-01 up to this one whose hashprice was at or below this one; nil before 2016
    /// and when the stored prices or hashrate start after 2016-01-01 (the technicals say why).
    public var percentileSince2016: Double?
    /// Fees on the day, BTC.
    public var feesBTC: Double
    /// `series` when the fees come from the stored daily fees series, `config` from `fees_per_block_btc` × 144.
    public var feesSource: String

    enum CodingKeys: String, CodingKey {
        case usdPerPHPerDay = "usd_per_ph_per_day", percentileSince2016 = "percentile_since_2016", feesBTC = "fees_btc",
             feesSource = "fees_source"
    }

    /// Every key written, a missing percentile as `null`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(usdPerPHPerDay, forKey: .usdPerPHPerDay)
        try container.encode(percentileSince2016, forKey: .percentileSince2016)
        try container.encode(feesBTC, forKey: .feesBTC)
        try container.encode(feesSource, forKey: .feesSource)
    }

    /// Daily hashprice (USD per PH/s per day) for every hashrate sample of `history` with a candle the same day.
    ///
    /// Fees come from `history.fees` (with its block counts) where stored, else `model.feesPerBlockBTC` × 144.
    public static func daily(_ history: MarketHistory, model: ProductionCostModel) -> [(day: UTCDay, usd: Double)] {
        let series = HashpriceSeries(history, model: model)
        return zip(history.hashrate, series.values).compactMap { sample, value in value.map { (sample.day, $0.usd) } }
    }

    /// (blocks × subsidy + fees, BTC per day) × price (USD) ÷ hashrate (PH/s); `blocks` defaults to 144 a day.
    public static func usdPerPHPerDay(on day: UTCDay, price: Double, hashrateEHs: Double, feesBTC: Double,
                                      blocks: Double = 144) -> Double {
        // DESIGN.md "Production cost": hashprice = (subsidy + fees) × price / hashrate, per day.
        let petahashes = hashrateEHs * 1_000
        return petahashes > 0 ? (blocks * BlockSubsidy.btc(on: day) + feesBTC) * price / petahashes : .nan
    }
}

/// Daily hashprice over a history, aligned with its hashrate samples (nil where the day has no candle).
struct HashpriceSeries: Sendable {
    /// Per hashrate sample: hashprice (USD per PH/s per day), fees (BTC) and whether they came from the series.
    let values: [(usd: Double, feesBTC: Double, blocks: Double, fromSeries: Bool)?]
    let firstIndexSince2016: Int

    init(_ history: MarketHistory, model: ProductionCostModel) {
        var closeByDay: [UTCDay: Double] = [:]
        for candle in history.prices { closeByDay[candle.day] = candle.close }
        var feesByDay: [UTCDay: FeeSample] = [:]
        for sample in history.fees { feesByDay[sample.day] = sample }
        values = history.hashrate.map { sample in
            guard let close = closeByDay[sample.day] else { return nil }
            let fee = feesByDay[sample.day]
            let feesBTC = fee?.totalBTC(price: close)
            let blocks = Double(fee?.blocks ?? 144)
            let fees = feesBTC ?? model.feesPerBlockBTC * blocks
            let usd = Hashprice.usdPerPHPerDay(on: sample.day, price: close, hashrateEHs: sample.exahashesPerSecond,
                                               feesBTC: fees, blocks: blocks)
            return usd.isFinite ? (usd, fees, blocks, feesBTC != nil) : nil
        }
        // The percentile ranks among every day since 2016: a history starting later would rank among a truncated window.
        let start = Self.percentileStart
        let covers = (history.hashrate.first?.day).map { $0 <= start } == true && (history.prices.first?.day).map { $0 <= start } == true
        firstIndexSince2016 = covers ? history.hashrate.firstIndex { $0.day >= start } ?? history.hashrate.count : history.hashrate.count
    }

    /// The first day of hashprice's percentile window (2016-01-01).
    static let percentileStart = UTCDay(year: 2016, month: 1, day: 1)

    /// Hashprice at sample `index` with its percentile among the days since 2016 up to it.
    func reading(at index: Int) -> Hashprice? {
        guard let today = values[index] else { return nil }
        var percentile: Double?
        if index >= firstIndexSince2016 {
            var atOrBelow = 0, count = 0
            for value in values[firstIndexSince2016...index] {
                guard let value else { continue }
                count += 1
                if value.usd <= today.usd { atOrBelow += 1 }
            }
            percentile = Double(atOrBelow) / Double(count)
        }
        return Hashprice(usdPerPHPerDay: today.usd, percentileSince2016: percentile, feesBTC: today.feesBTC,
                         feesSource: today.fromSeries ? "series" : "config")
    }

    /// Fees per block (BTC) from the series on the sample's day, or nil when the series has none for it.
    func feesPerBlock(at index: Int) -> Double? {
        guard let value = values[index], value.fromSeries, value.blocks > 0 else { return nil }
        return value.feesBTC / value.blocks
    }
}
