import Foundation

/// Hash-ribbon state on a day: miners capitulating (30d < 60d), recovered awaiting a buy signal, or normal.
public enum HashRibbonState: String, Sendable, Codable {
    case capitulation, recovery, normal
}

/// One capitulation episode (30-day hashrate SMA under the 60-day), with flickers ≤ 7 days apart merged.
public struct CapitulationEpisode: Sendable, Codable, Equatable {
    /// First day with 30d < 60d.
    public var start: UTCDay
    /// First day the 30d SMA was back at or above the 60d (recovery); nil while ongoing.
    public var end: UTCDay?
    /// `end − start` in days, or up to the last day seen while ongoing.
    public var lengthDays: Int
    /// Deepest (60d − 30d) / 60d during the episode, a fraction 0–1.
    public var depth: Double
    /// Raw crossings merged into this episode (0 when there was no flicker).
    public var mergedFlickers: Int
}

/// A hash-ribbon buy signal: first day ≥ 7 days after a merged episode's recovery with the 10-day price SMA over the 20-day.
public struct HashRibbonBuySignal: Sendable, Codable, Equatable {
    public var day: UTCDay
    /// Close on that day, USD.
    public var price: Double
}

/// The hash ribbon as known at the end of one UTC day (point-in-time: uses only samples up to that day).
public struct HashRibbonDay: Sendable, Equatable {
    public var day: UTCDay
    /// 30-sample SMA of daily hashrate, EH/s.
    public var sma30: Double
    /// 60-sample SMA of daily hashrate, EH/s.
    public var sma60: Double
    public var state: HashRibbonState
    /// Day the current state began (episode start, recovery day, or buy-signal / recovery day for normal).
    public var since: UTCDay?
    /// The latest buy signal known on this day.
    public var lastBuySignal: HashRibbonBuySignal?
    /// The open episode's deepest (60d − 30d)/60d so far (0 when not in capitulation).
    public var depth: Double
}

/// Hash ribbons (DESIGN.md): 30- and 60-day SMAs of daily hashrate; capitulation while 30d < 60d.
///
/// Raw crossings flicker, so a new capitulation that starts ≤ `mergeGapDays` (7) days after the previous episode's
/// recovery is merged into that episode (the recovery is withdrawn). A buy signal therefore waits until the merged
/// episode has ended: the first day at least `mergeGapDays` after the recovery (no flicker can reopen it any more)
/// with the 30d still at or above the 60d and the 10-day price SMA above the 20-day — never inside an episode.
/// SMAs run over consecutive samples; the cleaned series reports gaps rather than filling them.
public struct HashRibbon: Sendable {
    /// Every capitulation episode in the series, ascending; the last may be ongoing.
    public var episodes: [CapitulationEpisode]
    /// Every buy signal, ascending.
    public var buySignals: [HashRibbonBuySignal]
    /// The ribbon as known at the end of each sample day from the 60th sample on.
    public var days: [HashRibbonDay]

    /// Runs the ribbon over sorted daily `hashrate` samples; `prices` (sorted) supply the 10/20-day SMAs for buys.
    public init(hashrate: [HashrateSample], prices: [PriceCandle], mergeGapDays: Int = 7) {
        let values = hashrate.map(\.exahashesPerSecond)
        self.init(days: hashrate.map(\.day), sma30: Indicators.sma(values, period: 30),
                  sma60: Indicators.sma(values, period: 60), prices: prices, mergeGapDays: mergeGapDays)
    }

    /// Runs the state machine over given per-day 30/60-day averages (index-aligned with `days`, ascending).
    init(days hashrateDays: [UTCDay], sma30: [Double?], sma60: [Double?], prices: [PriceCandle], mergeGapDays: Int) {
        let closes = prices.map(\.close)
        let price10 = Indicators.sma(closes, period: 10), price20 = Indicators.sma(closes, period: 20)
        var priceIndex = 0

        var episodes: [CapitulationEpisode] = []
        var buySignals: [HashRibbonBuySignal] = []
        var days: [HashRibbonDay] = []
        days.reserveCapacity(hashrateDays.count)
        var open = false
        var awaitingBuy = false
        var state = HashRibbonState.normal
        var since: UTCDay?
        for index in hashrateDays.indices {
            guard let fast = sma30[index], let slow = sma60[index] else { continue }
            let day = hashrateDays[index]
            let gap = slow > 0 ? (slow - fast) / slow : 0
            if fast < slow {
                if open {
                    episodes[episodes.count - 1].depth = max(episodes[episodes.count - 1].depth, gap)
                } else if var last = episodes.last, let end = last.end, end.days(to: day) <= mergeGapDays {
                    last.end = nil
                    last.depth = max(last.depth, gap)
                    last.mergedFlickers += 1
                    episodes[episodes.count - 1] = last
                    open = true
                } else {
                    episodes.append(CapitulationEpisode(start: day, end: nil, lengthDays: 0, depth: gap,
                                                        mergedFlickers: 0))
                    open = true
                }
                awaitingBuy = false
                state = .capitulation
                since = episodes[episodes.count - 1].start
            } else if open {
                episodes[episodes.count - 1].end = day
                open = false
                awaitingBuy = true
                state = .recovery
                since = day
            }
            if awaitingBuy, let end = episodes.last?.end, end.days(to: day) >= mergeGapDays {
                while priceIndex < prices.count, prices[priceIndex].day < day { priceIndex += 1 }
                if priceIndex < prices.count, prices[priceIndex].day == day,
                   let short = price10[priceIndex], let long = price20[priceIndex], short > long {
                    buySignals.append(HashRibbonBuySignal(day: day, price: prices[priceIndex].close))
                    awaitingBuy = false
                    state = .normal
                    since = day
                }
            }
            if var last = episodes.last {
                last.lengthDays = last.start.days(to: last.end ?? day)
                episodes[episodes.count - 1] = last
            }
            days.append(HashRibbonDay(day: day, sma30: fast, sma60: slow, state: state, since: since,
                                      lastBuySignal: buySignals.last,
                                      depth: open ? episodes[episodes.count - 1].depth : 0))
        }
        self.episodes = episodes
        self.buySignals = buySignals
        self.days = days
    }
}

/// The network hashrate trend on one day: 7-day mean, its running peak, and the drawdown from that peak.
public struct HashrateTrendDay: Sendable, Equatable {
    public var day: UTCDay
    /// Mean of the last 7 samples, EH/s.
    public var mean7: Double
    /// Highest 7-day mean up to this day, EH/s.
    public var peak: Double
    public var peakDay: UTCDay
    /// mean7 / peak − 1 (≤ 0).
    public var drawdown: Double

    /// The trend for each sample day from the 7th sample on (point-in-time: running peak, no look-ahead).
    public static func series(_ samples: [HashrateSample]) -> [HashrateTrendDay] {
        let mean = Indicators.sma(samples.map(\.exahashesPerSecond), period: 7)
        var result: [HashrateTrendDay] = []
        result.reserveCapacity(samples.count)
        var peak = -Double.infinity
        var peakDay = samples.first?.day ?? UTCDay(daysSinceEpoch: 0)
        for index in samples.indices {
            guard let value = mean[index] else { continue }
            if value > peak {
                peak = value
                peakDay = samples[index].day
            }
            result.append(HashrateTrendDay(day: samples[index].day, mean7: value, peak: peak, peakDay: peakDay,
                                           drawdown: peak > 0 ? value / peak - 1 : 0))
        }
        return result
    }
}
