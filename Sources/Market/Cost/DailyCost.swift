import Foundation

/// The all-in production cost day by day, as the technicals read it on each day: the 7-day mean hashrate, and fees
/// per block from the stored fees series where it has the day, else the model's `feesPerBlockBTC`.
public struct DailyCost: Sendable {
    /// One day's all-in cost per BTC, USD, on its 7-day mean hashrate (EH/s).
    public struct Day: Sendable, Equatable {
        /// The hashrate sample's UTC day.
        public var day: UTCDay
        /// 7-day mean hashrate, EH/s.
        public var hashrateEHs: Double
        /// Fees per block from the stored series that day (BTC), or nil when the model's figure applies.
        public var feesPerBlock: Double?
        /// All-in production cost per BTC, USD.
        public var allInUSD: Double
    }

    /// One entry per hashrate sample from the 7th on, ascending.
    public let days: [Day]

    /// The daily cost over `history` under `model`.
    public init(_ history: MarketHistory, model: ProductionCostModel) {
        let fees = HashpriceSeries(history, model: model)
        var feesByDay: [UTCDay: Double] = [:]
        for index in history.hashrate.indices {
            if let perBlock = fees.feesPerBlock(at: index) { feesByDay[history.hashrate[index].day] = perBlock }
        }
        days = HashrateTrendDay.series(history.hashrate).map { trend in
            Day(day: trend.day, hashrateEHs: trend.mean7, feesPerBlock: feesByDay[trend.day],
                allInUSD: model.cost(on: trend.day, hashrateEHs: trend.mean7, feesPerBlock: feesByDay[trend.day]).allInUSD)
        }
    }
}
