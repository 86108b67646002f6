import Foundation
import Testing
@testable import Market

@Suite("Hash ribbon")
struct HashRibbonTests {
    static let start = UTCDay(year: 2020, month: 1, day: 1)

    /// 100 days at 100 EH/s, 40 at 80, then 120; prices flat at 100 until day 150, then 110.
    static func scenario() -> HashRibbon {
        let hashrate = (0..<200).map { offset in
            HashrateSample(day: start.adding(days: offset),
                           exahashesPerSecond: offset < 100 ? 100 : offset < 140 ? 80 : 120)
        }
        let prices = (0..<200).map { offset in
            let close: Double = offset < 150 ? 100 : 110
            return PriceCandle(day: start.adding(days: offset), open: close, high: close, low: close, close: close)
        }
        return HashRibbon(hashrate: hashrate, prices: prices)
    }

    @Test("hash ribbon enters capitulation when 30d < 60d and recovers when it crosses back")
    func episode() throws {
        // Day 100: 30d (29×100+80)/30 = 99.33 < 60d 99.67 → start. For t in 140…159:
        // 30d = 80 + (4/3)(t − 139), 60d = (2420 + 20t)/60 → first 30d ≥ 60d at t = 146 (89.33 vs 89.00).
        // Depth peaks at t = 129: 30d 80, 60d 90 → 10/90.
        let ribbon = Self.scenario()
        let episode = try #require(ribbon.episodes.first)
        #expect(ribbon.episodes.count == 1)
        #expect(episode.start == Self.start.adding(days: 100))
        #expect(episode.end == Self.start.adding(days: 146))
        #expect(episode.lengthDays == 46)
        #expect(abs(episode.depth - 1.0 / 9) < 1e-12)
        #expect(episode.mergedFlickers == 0)
    }

    @Test("buy signal waits 7 days after recovery for the 10-day price SMA to be above the 20-day")
    func buySignal() throws {
        // Recovery day 146; the merged episode is final 7 days later, day 153. There 10d = (6×100 + 4×110)/10 = 104
        // over 20d = (16×100 + 4×110)/20 = 102. Days 150…152 already have 10d > 20d but lie in the merge window.
        let ribbon = Self.scenario()
        #expect(ribbon.buySignals == [HashRibbonBuySignal(day: Self.start.adding(days: 153), price: 110)])
        func state(_ offset: Int) -> HashRibbonState? {
            ribbon.days.first { $0.day == Self.start.adding(days: offset) }?.state
        }
        #expect(state(99) == .normal)
        #expect(state(100) == .capitulation)
        #expect(state(145) == .capitulation)
        #expect(state(146) == .recovery)
        #expect(state(152) == .recovery)
        #expect(state(153) == .normal)
        let day = try #require(ribbon.days.first { $0.day == Self.start.adding(days: 153) })
        #expect(day.since == Self.start.adding(days: 153))
        #expect(day.lastBuySignal?.price == 110)
    }

    @Test("no buy signal inside a merged episode: a flicker's recovery with rising prices does not buy")
    func noBuyInsideMergedEpisode() throws {
        // Below on days 0…9, above 10…14, below 15…19, above from 20 (gap 5 → one episode 0…20). Closes rise by 1 a
        // day, so 10d > 20d from day 19 on: the old rule bought on day 10, inside the episode; now the first day
        // ≥ 20 + 7 buys, day 27 at close 127.
        let count = 40
        let below = (0..<count).map { $0 < 10 || ($0 >= 15 && $0 < 20) }
        let prices = (0..<count).map { offset in
            let close = 100 + Double(offset)
            return PriceCandle(day: Self.start.adding(days: offset), open: close, high: close, low: close, close: close)
        }
        let ribbon = HashRibbon(days: (0..<count).map { Self.start.adding(days: $0) },
                                sma30: below.map { $0 ? 90 : 110 }, sma60: Array(repeating: 100, count: count),
                                prices: prices, mergeGapDays: 7)
        let episode = try #require(ribbon.episodes.first)
        #expect(ribbon.episodes.count == 1)
        #expect(episode.end == Self.start.adding(days: 20))
        #expect(ribbon.buySignals == [HashRibbonBuySignal(day: Self.start.adding(days: 27), price: 127)])
    }

    /// Averages below for days 0…9, above for `gap` days, below again for 5 days, then above.
    static func flicker(gap: Int) -> HashRibbon {
        let count = 10 + gap + 5 + 20
        let below = (0..<count).map { $0 < 10 || ($0 >= 10 + gap && $0 < 15 + gap) }
        return HashRibbon(days: (0..<count).map { start.adding(days: $0) },
                          sma30: below.map { $0 ? 90 : 110 }, sma60: Array(repeating: 100, count: count),
                          prices: [], mergeGapDays: 7)
    }

    @Test("flickers separated by at most 7 days merge into one episode", arguments: [
        (1, 1), (5, 1), (7, 1), (8, 2), (20, 2),
    ])
    func merge(gap: Int, episodes: Int) throws {
        let ribbon = Self.flicker(gap: gap)
        #expect(ribbon.episodes.count == episodes)
        let first = try #require(ribbon.episodes.first)
        #expect(first.start == Self.start)
        if episodes == 1 {
            #expect(first.end == Self.start.adding(days: 15 + gap))
            #expect(first.mergedFlickers == 1)
            #expect(first.lengthDays == 15 + gap)
        } else {
            #expect(first.end == Self.start.adding(days: 10))
            #expect(ribbon.episodes[1].start == Self.start.adding(days: 10 + gap))
        }
    }

    @Test("an ongoing episode has no end and its length runs to the last day")
    func ongoing() throws {
        let days = (0..<5).map { Self.start.adding(days: $0) }
        let ribbon = HashRibbon(days: days, sma30: [110, 90, 90, 90, 90], sma60: Array(repeating: 100, count: 5),
                                prices: [], mergeGapDays: 7)
        let episode = try #require(ribbon.episodes.first)
        #expect(episode.end == nil)
        #expect(episode.lengthDays == 3)
        #expect(abs(episode.depth - 0.1) < 1e-12)
        #expect(ribbon.days.last?.state == .capitulation)
        #expect(ribbon.days.last?.since == Self.start.adding(days: 1))
    }
}
