import Foundation
import Market
import Settings

/// The read path over stored series: whatever numbers a store holds (an older version's import, a hand edit), every
/// reading, event, event study and its JSON is computed without a trap.
enum ReadingTargets {
    /// Values per day in an input: open, high, low, close, volume, hashrate (little-endian IEEE 754 doubles).
    static let valuesPerDay = 6
    /// Days read at most, so one input stays fast.
    static let maxDays = 1_500

    /// The first two bytes pick the first day (days after 2009-01-03); then `valuesPerDay` doubles per day, any bits.
    static func history(_ bytes: [UInt8]) -> (MarketHistory, UTCDay)? {
        guard bytes.count >= 2 + 8 * valuesPerDay else { return nil }
        let first = UTCDay(year: 2009, month: 1, day: 3).adding(days: Int(bytes[0]) | Int(bytes[1]) << 8)
        var prices: [PriceCandle] = [], hashrate: [HashrateSample] = []
        var offset = 2, index = 0
        func double() -> Double {
            var bits: UInt64 = 0
            for k in 0..<8 { bits |= UInt64(bytes[offset + k]) << (8 * k) }
            offset += 8
            return Double(bitPattern: bits)
        }
        while offset + 8 * valuesPerDay <= bytes.count && index < maxDays {
            let day = first.adding(days: index)
            let open = double(), high = double(), low = double(), close = double(), volume = double(), rate = double()
            prices.append(PriceCandle(day: day, open: open, high: high, low: low, close: close, volume: volume.isNaN ? nil : volume))
            hashrate.append(HashrateSample(day: day, exahashesPerSecond: rate))
            index += 1
        }
        return (MarketHistory(prices: prices, hashrate: hashrate), first.adding(days: index - 1))
    }

    /// Technicals as of the last day and 30 days before, every event, the event study and their JSON: no trap.
    static func readings(_ bytes: [UInt8]) throws(FuzzInvariantViolation) {
        guard let (history, last) = history(bytes) else { return }
        let config = DivergenceConfig()
        for asOf in [last.end, last.adding(days: -30).end] {
            if let snapshot = TechnicalRegime.technicals(history, asOf: asOf, costModel: config.productionCost, weights: config.regimeWeights) {
                _ = try? JSONEncoder().encode(snapshot)
            }
            let assessment = TechnicalRegime.assess(history, asOf: asOf, costModel: config.productionCost, weights: config.regimeWeights)
            _ = String(describing: assessment)
        }
        let events = MarketEvents.list(history, costModel: config.productionCost)
        let outcomes = EventStudy.outcomes(events, prices: history.prices)
        _ = EventStudy.summary(outcomes)
        try require(zip(events, events.dropFirst()).allSatisfy { $0.day <= $1.day }, "readings", "events are not in day order")
    }
}
