import Foundation
import Market

/// One fund's net flow on one trading day (creations minus redemptions), in USD millions.
///
/// A flow is dated by its UTC trading day and knowable at the end of that day (the date-only rule of the design).
public struct ETFFlow: Sendable, Equatable, Hashable {
    public var day: UTCDay
    /// The fund's ticker, upper-cased (`IBIT`, `FBTC`); `ALL` when a source publishes only the day's total.
    public var fund: String
    /// Net flow in USD millions; negative is an outflow.
    public var flowUSDMillions: Double

    public init(day: UTCDay, fund: String, flowUSDMillions: Double) {
        self.day = day
        self.fund = fund
        self.flowUSDMillions = flowUSDMillions
    }
}

/// The unit of a TFF report's positions.
public enum PositionUnit: String, Sendable, Codable, CaseIterable {
    /// Futures contracts as the CFTC publishes them (CME Bitcoin: 5 BTC each; Micro: 0.1 BTC).
    case contracts
    /// Bitcoin-equivalent.
    case btc
}

/// One CFTC Traders in Financial Futures row, futures only, for one market and report date.
///
/// The report is as of a Tuesday and published the following Friday: it is knowable at the end of that Friday (UTC),
/// not on its as-of date.
public struct TFFReport: Sendable, Equatable, Hashable {
    /// CME Bitcoin's CFTC market code.
    public static let cmeBitcoin = "133741"
    /// CME Micro Bitcoin's CFTC market code.
    public static let cmeMicroBitcoin = "133742"

    /// The CFTC contract market code (`133741`), or a name for a series that combines markets (`cme_bitcoin_btc_equivalent`).
    public var market: String
    /// The Tuesday the positions are as of (UTC day).
    public var reportDate: UTCDay
    public var unit: PositionUnit
    public var openInterest: Double
    public var assetManagerLong: Double
    public var assetManagerShort: Double
    public var leveragedFundsLong: Double
    public var leveragedFundsShort: Double
    public var dealerLong: Double
    public var dealerShort: Double
    /// Other reportables and non-reportables, when the source carries them.
    public var otherReportableLong: Double?
    public var otherReportableShort: Double?
    public var nonReportableLong: Double?
    public var nonReportableShort: Double?

    public init(market: String, reportDate: UTCDay, unit: PositionUnit, openInterest: Double, assetManagerLong: Double, assetManagerShort: Double,
                leveragedFundsLong: Double, leveragedFundsShort: Double, dealerLong: Double, dealerShort: Double,
                otherReportableLong: Double? = nil, otherReportableShort: Double? = nil, nonReportableLong: Double? = nil, nonReportableShort: Double? = nil) {
        self.market = market
        self.reportDate = reportDate
        self.unit = unit
        self.openInterest = openInterest
        self.assetManagerLong = assetManagerLong
        self.assetManagerShort = assetManagerShort
        self.leveragedFundsLong = leveragedFundsLong
        self.leveragedFundsShort = leveragedFundsShort
        self.dealerLong = dealerLong
        self.dealerShort = dealerShort
        self.otherReportableLong = otherReportableLong
        self.otherReportableShort = otherReportableShort
        self.nonReportableLong = nonReportableLong
        self.nonReportableShort = nonReportableShort
    }

    /// The Friday after the as-of Tuesday, when the CFTC publishes the report (holiday delays are not modelled).
    public var publicationDay: UTCDay { reportDate.adding(days: 3) }

    /// The instant the report becomes knowable: the end of its publication day (UTC).
    public var knowable: Date { publicationDay.end }

    /// Asset managers' net long as a share of open interest (−1…1); nil without open interest.
    public var assetManagerNetShare: Double? {
        openInterest > 0 ? (assetManagerLong - assetManagerShort) / openInterest : nil
    }

    /// Leveraged funds' net long as a share of open interest (−1…1); nil without open interest.
    public var leveragedFundsNetShare: Double? {
        openInterest > 0 ? (leveragedFundsLong - leveragedFundsShort) / openInterest : nil
    }
}

/// The net flow of every fund on one trading day, in USD millions.
public struct ETFFlowDay: Sendable, Equatable, Codable {
    public var day: UTCDay
    public var netUSDMillions: Double

    public init(day: UTCDay, netUSDMillions: Double) {
        self.day = day
        self.netUSDMillions = netUSDMillions
    }
}
