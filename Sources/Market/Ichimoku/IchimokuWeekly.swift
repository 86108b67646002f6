import Foundation

/// Direction of a Kumo twist: bearish when Senkou A goes below Senkou B, bullish when it goes above.
public enum TwistDirection: String, Sendable, Codable {
    case bullish, bearish
}

/// A Kumo twist dated at the week (labelled by its Sunday) where the un-shifted Senkou A − B changes sign.
///
/// It reaches the drawn cloud 26 weeks later.
public struct KumoTwist: Sendable, Codable, Equatable {
    public var direction: TwistDirection
    public var weekEnding: UTCDay

    enum CodingKeys: String, CodingKey {
        case direction, weekEnding = "week_ending"
    }
}

/// Cloud colour: green (bullish) when Senkou A ≥ B, red (bearish) when A < B.
public enum CloudColour: String, Sendable, Codable {
    case bullish, bearish
}

/// Where a price sits relative to the cloud.
public enum PriceVersusCloud: String, Sendable, Codable {
    case above, inside, below
}

/// Ichimoku values for one complete week, USD.
public struct IchimokuBar: Sendable, Equatable {
    public var weekEnding: UTCDay
    public var close: Double
    /// (9-week high + 9-week low) / 2.
    public var tenkan: Double?
    /// (26-week high + 26-week low) / 2.
    public var kijun: Double?
    /// (Tenkan + Kijun) / 2 computed at this bar, before the 26-bar shift (the leading span).
    public var leadingSpanA: Double?
    /// (52-week high + 52-week low) / 2 computed at this bar, before the 26-bar shift.
    public var leadingSpanB: Double?
    /// Senkou A drawn at this bar: `leadingSpanA` of the bar 26 weeks earlier.
    public var cloudA: Double?
    /// Senkou B drawn at this bar: `leadingSpanB` of the bar 26 weeks earlier.
    public var cloudB: Double?
    /// Chikou reference: the close 26 bars back (the lagging span compares this bar's close with it).
    public var chikou: Double?

    /// Colour of the cloud drawn at this bar.
    public var cloud: CloudColour? {
        guard let a = cloudA, let b = cloudB else { return nil }
        return a >= b ? .bullish : .bearish
    }

    /// This bar's close against the cloud drawn at this bar.
    public var priceVersusCloud: PriceVersusCloud? {
        guard let a = cloudA, let b = cloudB else { return nil }
        if close > max(a, b) { return .above }
        if close < min(a, b) { return .below }
        return .inside
    }
}

/// Weekly Ichimoku (DESIGN.md): Tenkan 9, Kijun 26, Senkou A/B (B over 52) shifted 26 bars ahead, Chikou 26 back.
///
/// Weeks run Monday 00:00 – Sunday 24:00 UTC, labelled by their Sunday; only complete weeks are used. This module
/// shifts the spans by 26 bars as the definition says; charting packages draw them 25 bars ahead (their current bar
/// counts as the first), so their cloud at a week equals ours one week later.
public struct IchimokuWeekly: Sendable {
    /// Periods in weeks: Tenkan 9, Kijun 26, Senkou B 52; spans are shifted `displacement` (26) weeks ahead.
    public static let tenkanPeriod = 9, kijunPeriod = 26, spanBPeriod = 52, displacement = 26

    /// One bar per input week, ascending.
    public var bars: [IchimokuBar]
    /// Every twist, ascending.
    public var twists: [KumoTwist]

    /// Computes the indicator from sorted daily candles, using only weeks whose Sunday ended at or before `asOf`.
    public init(daily: [PriceCandle], asOf: Date) {
        self.init(weeks: WeeklyCandle.weeks(from: daily.filter { $0.day.end <= asOf }, asOf: asOf))
    }

    /// Computes the indicator over complete `weeks` (ascending).
    public init(weeks: [WeeklyCandle]) {
        let highs = weeks.map(\.high), lows = weeks.map(\.low)
        func midpoint(_ end: Int, _ period: Int) -> Double? {
            guard end >= period - 1 else { return nil }
            var high = -Double.infinity, low = Double.infinity
            for index in (end - period + 1)...end {
                high = max(high, highs[index])
                low = min(low, lows[index])
            }
            return (high + low) / 2
        }
        var bars: [IchimokuBar] = []
        bars.reserveCapacity(weeks.count)
        var twists: [KumoTwist] = []
        var sign = 0
        let shift = IchimokuWeekly.displacement
        for index in weeks.indices {
            let tenkan = midpoint(index, IchimokuWeekly.tenkanPeriod)
            let kijun = midpoint(index, IchimokuWeekly.kijunPeriod)
            let spanA: Double? = if let tenkan, let kijun { (tenkan + kijun) / 2 } else { nil }
            let spanB = midpoint(index, IchimokuWeekly.spanBPeriod)
            let earlier = index >= shift ? bars[index - shift] : nil
            bars.append(IchimokuBar(weekEnding: weeks[index].weekEnding, close: weeks[index].close, tenkan: tenkan,
                                    kijun: kijun, leadingSpanA: spanA, leadingSpanB: spanB,
                                    cloudA: earlier?.leadingSpanA, cloudB: earlier?.leadingSpanB,
                                    chikou: index >= shift ? weeks[index - shift].close : nil))
            if let spanA, let spanB, spanA != spanB {
                let now = spanA > spanB ? 1 : -1
                if sign != 0, now != sign {
                    twists.append(KumoTwist(direction: now > 0 ? .bullish : .bearish,
                                            weekEnding: weeks[index].weekEnding))
                }
                sign = now
            }
        }
        self.bars = bars
        self.twists = twists
    }
}
