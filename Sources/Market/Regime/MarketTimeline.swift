import Foundation

/// Every causal indicator precomputed once over a history, so any day can be read point-in-time.
///
/// Each array element at index i depends only on rows 0...i, so reading day d uses exactly what a history cut at
/// d's end would compute; this makes R for every day linear in the history length.
struct MarketTimeline: Sendable {
    let prices: [PriceCandle]
    let hashrate: [HashrateSample]
    let closes: [Double]
    let sma50: [Double?]
    let sma200: [Double?]
    let rsi14: [Double?]
    let macd: [MACDPoint?]
    let drawdown: [Double]
    let peakIndex: [Int]
    let lastCross: [CrossEvent?]
    let weeks: [WeeklyCandle]
    let ichimoku: IchimokuWeekly
    let sma200w: [Double?]
    let ribbon: [HashRibbonDay?]
    let trend: [HashrateTrendDay?]
    let support: SupportZones
    let swings: [SwingLow]
    let hashprice: HashpriceSeries

    init(_ history: MarketHistory, costModel: ProductionCostModel) {
        prices = history.prices
        hashrate = history.hashrate
        closes = prices.map(\.close)
        sma50 = Indicators.sma(closes, period: 50)
        sma200 = Indicators.sma(closes, period: 200)
        rsi14 = Indicators.rsi(closes, period: 14)
        macd = Indicators.macd(closes)
        drawdown = Indicators.drawdown(closes)
        var peaks: [Int] = []
        peaks.reserveCapacity(closes.count)
        for index in closes.indices {
            peaks.append(index > 0 && closes[peaks[index - 1]] >= closes[index] ? peaks[index - 1] : index)
        }
        peakIndex = peaks
        var crossAt = [CrossEvent?](repeating: nil, count: closes.count)
        var latest: CrossEvent?
        var events = Indicators.crosses(fast: sma50, slow: sma200)[...]
        for index in closes.indices {
            if let next = events.first, next.index == index {
                latest = next
                events = events.dropFirst()
            }
            crossAt[index] = latest
        }
        lastCross = crossAt
        weeks = WeeklyCandle.weeks(from: prices, asOf: .distantFuture)
        ichimoku = IchimokuWeekly(weeks: weeks)
        sma200w = WeeklyCandle.movingAverage(weeks, period: 200)
        let ribbonRun = HashRibbon(hashrate: hashrate, prices: prices)
        var ribbonAt = [HashRibbonDay?](repeating: nil, count: hashrate.count)
        var cursor = 0
        for entry in ribbonRun.days {
            while hashrate[cursor].day < entry.day { cursor += 1 }
            ribbonAt[cursor] = entry
        }
        ribbon = ribbonAt
        var trendAt = [HashrateTrendDay?](repeating: nil, count: hashrate.count)
        cursor = 0
        for entry in HashrateTrendDay.series(hashrate) {
            while hashrate[cursor].day < entry.day { cursor += 1 }
            trendAt[cursor] = entry
        }
        trend = trendAt
        support = SupportZones()
        swings = support.swingLows(prices)
        hashprice = HashpriceSeries(history, model: costModel)
    }

    /// Index of the last element with day ≤ `day`, searching forward from `hint` (pass the previous answer).
    static func lastIndex<Row>(_ rows: [Row], atOrBefore day: UTCDay, hint: Int, dayOf: (Row) -> UTCDay) -> Int? {
        var index = max(hint, -1)
        if index >= rows.count || (index >= 0 && dayOf(rows[index]) > day) { index = -1 }
        while index + 1 < rows.count, dayOf(rows[index + 1]) <= day { index += 1 }
        return index >= 0 ? index : nil
    }

    /// Cursor over the three series for walking days forward.
    struct Cursor {
        var price = -1
        var hash = -1
        var week = -1
    }

    /// Index of the last element with day ≤ `day` by binary search (rows sorted by day).
    static func lastIndex<Row>(_ rows: [Row], atOrBefore day: UTCDay, dayOf: (Row) -> UTCDay) -> Int? {
        var low = 0, high = rows.count
        while low < high {
            let middle = (low + high) / 2
            if dayOf(rows[middle]) <= day { low = middle + 1 } else { high = middle }
        }
        return low > 0 ? low - 1 : nil
    }

    /// The snapshot at the end of `day` (asOf = `asOf`), reading only rows dated ≤ `day`; signals on inputs older
    /// than `freshness` allows are listed as stale instead of scored.
    func snapshot(day: UTCDay, asOf: Date, cursor: inout Cursor, costModel: ProductionCostModel,
                  weights: RegimeWeights, freshness: FreshnessLimits) -> (RegimeAssessment, TechnicalsSnapshot?) {
        guard let p = MarketTimeline.lastIndex(prices, atOrBefore: day, hint: cursor.price, dayOf: { $0.day }) else {
            return (TechnicalRegime.combine([], asOf: asOf, omitted: TechnicalRegime.signalIDs), nil)
        }
        cursor.price = p
        let h = MarketTimeline.lastIndex(hashrate, atOrBefore: day, hint: cursor.hash, dayOf: { $0.day })
        cursor.hash = h ?? -1
        let w = MarketTimeline.lastIndex(weeks, atOrBefore: day, hint: cursor.week, dayOf: { $0.weekEnding })
        cursor.week = w ?? -1

        let price = closes[p]
        var signals: [RegimeSignal] = []
        var omitted: [String] = []
        var stale: [StaleReading] = []
        var snap = TechnicalsSnapshot(
            asOf: asOf, day: day, price: price, drawdown: drawdown[p], supportZones: [],
            regime: .init(score: 0, label: "neutral", signals: []))
        let priceDay = prices[p].day
        let hashDay = h.map { hashrate[$0].day }
        let priceStale = priceDay.days(to: day) > freshness.priceDays
        let hashStale = hashDay.map { $0.days(to: day) > freshness.hashrateDays } ?? false
        snap.priceDay = priceDay
        snap.hashrateDay = hashDay
        /// Appends `signal` dated `dataDay`, or its stale reading when `isStale`.
        func add(_ signal: RegimeSignal, dataDay: UTCDay, isStale: Bool, reason: String) {
            if isStale {
                stale.append(StaleReading(id: signal.id, name: signal.name, weight: signal.weight, dataDay: dataDay,
                                          reason: reason))
            } else {
                var dated = signal
                dated.dataDay = dataDay
                signals.append(dated)
            }
        }
        let priceReason = "stale: last candle \(priceDay.iso)"

        // Production cost and stress, price and the 7-day mean hashrate read for the latest day both have.
        let common = h.flatMap { h -> (price: Int, hash: Int)? in
            if hashrate[h].day >= priceDay {
                return MarketTimeline.lastIndex(hashrate, atOrBefore: priceDay, dayOf: { $0.day }).map { (p, $0) }
            }
            return MarketTimeline.lastIndex(prices, atOrBefore: hashrate[h].day, dayOf: { $0.day }).map { ($0, h) }
        }
        if let latest = h.flatMap({ trend[$0] }), latest.mean7 > 0 {
            snap.hashrate = .init(currentEHs: latest.mean7, peakEHs: latest.peak, peakDate: latest.peakDay,
                                  drawdown: latest.drawdown)
        }
        if let common, let trendDay = trend[common.hash], trendDay.mean7 > 0 {
            let commonDay = min(prices[common.price].day, hashrate[common.hash].day)
            let costPrice = closes[common.price]
            let fees = hashprice.feesPerBlock(at: common.hash)
            let cost = costModel.cost(on: commonDay, hashrateEHs: trendDay.mean7, feesPerBlock: fees)
            snap.productionCost = .init(electricity: cost.electricityUSD, allIn: cost.allInUSD,
                                        efficiencyJPerTH: cost.joulesPerTerahash,
                                        electricityUSDPerKWh: cost.electricityUSDPerKWh, subsidyBTC: cost.subsidyBTC,
                                        day: commonDay, price: costPrice)
            let gap = costPrice / cost.allInUSD - 1
            snap.costGap = gap
            snap.minerLossPerCoin = cost.allInUSD - costPrice
            snap.stress = MinerStress.run(price: costPrice, hashrateEHs: trendDay.mean7, on: commonDay, model: costModel,
                                          feesPerBlock: fees)
            add(TechnicalRegime.costSignal(price: costPrice, allIn: cost.allInUSD, weight: weights.productionCost),
                dataDay: commonDay,
                isStale: commonDay.days(to: day) > max(freshness.priceDays, freshness.hashrateDays),
                reason: "stale: last day with both price and hashrate \(commonDay.iso)")
        } else {
            omitted.append("production_cost")
        }

        snap.hashprice = (common?.hash ?? h).flatMap { hashprice.reading(at: $0) }

        // Hash ribbon.
        if let ribbonDay = h.flatMap({ ribbon[$0] }) {
            snap.hashRibbon = .init(state: ribbonDay.state, since: ribbonDay.since, sma30: ribbonDay.sma30,
                                    sma60: ribbonDay.sma60, lastBuySignal: ribbonDay.lastBuySignal)
            add(TechnicalRegime.ribbonSignal(ribbonDay, today: day, weight: weights.hashRibbon), dataDay: ribbonDay.day,
                isStale: hashStale, reason: "stale: last hashrate sample \(ribbonDay.day.iso)")
        } else {
            omitted.append("hash_ribbon")
        }

        // Weekly Ichimoku.
        if let w {
            let bar = ichimoku.bars[w]
            let twist = ichimoku.twists.last { $0.weekEnding <= bar.weekEnding }
            snap.ichimokuWeekly = .init(weekEnding: bar.weekEnding, close: bar.close, tenkan: bar.tenkan,
                                        kijun: bar.kijun, spanA: bar.cloudA, spanB: bar.cloudB, cloud: bar.cloud,
                                        priceVsCloud: bar.priceVersusCloud, lastTwist: twist)
            snap.sma200w = sma200w[w]
        }
        if let w, let signal = TechnicalRegime.ichimokuSignal(ichimoku.bars[w], twist: snap.ichimokuWeekly?.lastTwist,
                                                              weight: weights.ichimoku) {
            add(signal, dataDay: priceDay, isStale: priceStale, reason: priceReason)
        } else {
            omitted.append("ichimoku")
        }

        // Support zones.
        let position = support.position(at: p, candles: prices, swings: swings)
        snap.supportZones = position.zones
        snap.nearestSupport = position.nearest
        snap.brokenSupport = position.broken
        if position.zones.isEmpty {
            omitted.append("support")
        } else {
            add(TechnicalRegime.supportSignal(position, price: price, weight: weights.support), dataDay: priceDay,
                isStale: priceStale, reason: priceReason)
        }

        // Trend.
        let mayer = sma200[p].map { price / $0 }
        snap.mayerMultiple = mayer
        if let signal = TechnicalRegime.trendSignal(price: price, mayer: mayer, sma50: sma50[p], sma200: sma200[p],
                                                    lastCross: lastCross[p].map { (prices[$0.index].day, $0.kind) },
                                                    sma200w: snap.sma200w, weight: weights.trend) {
            add(signal, dataDay: priceDay, isStale: priceStale, reason: priceReason)
        } else {
            omitted.append("trend")
        }

        // Momentum.
        snap.rsi14 = rsi14[p]
        snap.macd = macd[p]
        if let signal = TechnicalRegime.momentumSignal(price: price, rsi: rsi14[p], macd: macd[p],
                                                       weight: weights.momentum) {
            add(signal, dataDay: priceDay, isStale: priceStale, reason: priceReason)
        } else {
            omitted.append("momentum")
        }

        // Drawdown.
        add(TechnicalRegime.drawdownSignal(drawdown: drawdown[p], peak: closes[peakIndex[p]],
                                           peakDay: prices[peakIndex[p]].day, weight: weights.drawdown),
            dataDay: priceDay, isStale: priceStale, reason: priceReason)

        snap.unavailable = unavailable(snap, day: day)
        let assessment = TechnicalRegime.combine(signals, asOf: asOf, omitted: omitted, stale: stale)
        snap.regime = .init(score: assessment.score, label: assessment.label, signals: assessment.signals,
                            stale: assessment.stale, staleShare: assessment.staleShare)
        return (assessment, snap)
    }

    /// The readings of `snap` that are null for lack of history, each with its `HistoryNeed`'s reason.
    func unavailable(_ snap: TechnicalsSnapshot, day: UTCDay) -> [UnavailableReading] {
        var starts: [MarketSeries: UTCDay] = [:]
        starts[.prices] = prices.first?.day
        starts[.hashrate] = hashrate.first?.day
        let missing: [(HistoryNeed, Bool)] = [
            (.sma200w, snap.sma200w == nil), (.weeklyCloud, snap.ichimokuWeekly?.spanB == nil), (.mayerMultiple, snap.mayerMultiple == nil),
            (.hashRibbon, snap.hashRibbon == nil), (.hashpricePercentile, snap.hashprice != nil && snap.hashprice?.percentileSince2016 == nil && day >= HashpriceSeries.percentileStart),
        ]
        return missing.filter(\.1).map { need, _ in
            UnavailableReading(reading: need.reading, reason: need.shortfall(on: day, starts: starts)
                               ?? "needs \(need.rule); the stored series have gaps within it")
        }
    }
}
