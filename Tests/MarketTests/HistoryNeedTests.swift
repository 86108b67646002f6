import Foundation
import Market
import Testing

@Suite("Readings null for lack of history")
struct HistoryNeedTests {
    @Test("150 days of prices: the 200-week average, the weekly cloud and the Mayer multiple are null, each with the days it needs")
    func shortHistory() throws {
        // 2022-01-03 (a Monday) … 2022-06-01 (a Wednesday); the last complete week ends Sunday 2022-05-29.
        // 200 weeks back from it: 2022-05-29 − 1,399 days = 2018-07-30; 78 weeks: − 545 days = 2020-11-30;
        // 200 closes back from 2022-06-01: − 199 days = 2021-11-14. The hash ribbon's 60 days are there.
        let history = SyntheticMarket.history(days: 150)
        let snapshot = try #require(TechnicalRegime.technicals(history, asOf: UTCDay(year: 2022, month: 6, day: 1).end,
                                                              costModel: .defaults, weights: .defaults))
        #expect(snapshot.sma200w == nil && snapshot.mayerMultiple == nil && snapshot.ichimokuWeekly?.spanB == nil)
        #expect(snapshot.hashRibbon != nil)
        #expect(snapshot.unavailable == [
            UnavailableReading(reading: "sma200w", reason: "needs 200 complete weeks of closes (1,400 days) (from 2018-07-30); prices stored from 2022-01-03"),
            UnavailableReading(reading: "ichimoku_weekly.span_b",
                               reason: "needs 78 complete weeks of candles (52-week span B drawn 26 weeks ahead; 546 days) (from 2020-11-30); prices stored from 2022-01-03"),
            UnavailableReading(reading: "mayer_multiple", reason: "needs 200 daily closes (from 2021-11-14); prices stored from 2022-01-03"),
            UnavailableReading(reading: "hashprice.percentile_since_2016",
                               reason: "needs prices and hashrate since 2016-01-01 (from 2016-01-01); prices stored from 2022-01-03, hashrate stored from 2022-01-03"),
        ])
        // JSON writes the null readings as null (not absent) beside their reasons.
        let object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(snapshot)) as? [String: Any])
        #expect(object["sma200w"] is NSNull && object["mayer_multiple"] is NSNull)
        #expect((object["ichimoku_weekly"] as? [String: Any])?["span_b"] is NSNull)
        #expect((object["unavailable"] as? [[String: Any]])?.compactMap { $0["reading"] as? String } == ["sma200w", "ichimoku_weekly.span_b", "mayer_multiple", "hashprice.percentile_since_2016"])
        #expect((object["hashprice"] as? [String: Any])?["percentile_since_2016"] is NSNull)
    }

    @Test("1,500 days from 2022: only the percentile since 2016 still lacks history")
    func longHistory() throws {
        let history = SyntheticMarket.history(days: 1_500)
        let snapshot = try #require(TechnicalRegime.technicals(history, asOf: SyntheticMarket.start.adding(days: 1_499).end,
                                                              costModel: .defaults, weights: .defaults))
        #expect(snapshot.sma200w != nil)
        #expect(snapshot.unavailable.map(\.reading) == ["hashprice.percentile_since_2016"], "\(snapshot.unavailable)")
    }
}
