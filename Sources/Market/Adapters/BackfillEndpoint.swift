import Foundation

/// A keyless public endpoint that serves a daily series' full history page by page, in its own layout.
///
/// - `bitstamp-ohlc`: BTC-USD from 2011-08-18; `start` (Unix seconds) and `limit` (≤ 1000 rows) page forward; a page
///   shorter than `limit` is the last.
/// - `coinbase-candles`: BTC-USD from 2015-07-20; `start`/`end` (ISO 8601) windows of 300 days, walked forward until a
///   window reaches today (a window before the first candle is empty, not the end).
/// - `blockchain-charts`: network hashrate from 2009-01-03; `timespan=all&start=YYYY-MM-DD` returns everything from
///   `start` in one page.
public enum BackfillEndpoint: String, Sendable, CaseIterable {
    case bitstampOHLC = "bitstamp-ohlc"
    case coinbaseCandles = "coinbase-candles"
    case blockchainCharts = "blockchain-charts"

    /// Which series the endpoint serves.
    public var series: MarketSeries {
        switch self {
        case .bitstampOHLC, .coinbaseCandles: .prices
        case .blockchainCharts: .hashrate
        }
    }

    /// The endpoints that can fill `series`, for config checks.
    public static func formats(for series: MarketSeries) -> [BackfillEndpoint] { allCases.filter { $0.series == series } }

    /// The first UTC day the endpoint has data for: where a backfill starts unless the config says otherwise.
    public var firstDay: UTCDay {
        switch self {
        case .bitstampOHLC: UTCDay(year: 2011, month: 8, day: 18)
        case .coinbaseCandles: UTCDay(year: 2015, month: 7, day: 20)
        case .blockchainCharts: SeriesValidation.firstDay
        }
    }

    /// The endpoint a URL belongs to, by host, or nil.
    public static func guess(url: String) -> BackfillEndpoint? {
        let location = url.lowercased()
        if location.contains("bitstamp.net") { return .bitstampOHLC }
        if location.contains("coinbase.com") { return .coinbaseCandles }
        if location.contains("blockchain.info") || location.contains("blockchain.com") { return .blockchainCharts }
        return nil
    }

    /// Rows per page: the configured `limit` (Bitstamp, at most 1000), 300 for Coinbase, nil for one unbounded page.
    func pageRows(_ components: URLComponents) -> Int? {
        switch self {
        case .bitstampOHLC: min(1_000, max(1, components.queryItems?.first { $0.name == "limit" }?.value.flatMap { Int($0) } ?? 1_000))
        case .coinbaseCandles: CoinbaseCandles.maxRows
        case .blockchainCharts: nil
        }
    }

    /// The request for the page starting on `from` (UTC), built on the configured `base` URL; nil when `base` is not a URL.
    public func pageURL(_ base: String, from: UTCDay) -> String? {
        guard var components = URLComponents(string: base) else { return nil }
        var items = components.queryItems ?? []
        func set(_ name: String, _ value: String) {
            items.removeAll { $0.name == name }
            items.append(URLQueryItem(name: name, value: value))
        }
        switch self {
        case .bitstampOHLC:
            set("step", "86400")
            set("limit", String(pageRows(components) ?? 1_000))
            set("start", String(Int(from.start.timeIntervalSince1970)))
        case .coinbaseCandles:
            set("granularity", "86400")
            set("start", from.iso + "T00:00:00Z")
            set("end", from.adding(days: CoinbaseCandles.maxRows - 1).iso + "T00:00:00Z")
        case .blockchainCharts:
            set("timespan", "all")
            set("sampled", "false")
            set("format", "json")
            set("start", from.iso)
        }
        components.queryItems = items
        return components.string
    }

    /// One page read: its points, findings, and where the next page starts (nil when this was the last).
    public struct Page: Sendable {
        /// Complete daily candles (prices endpoints).
        public var prices: [PriceCandle] = []
        /// Complete daily samples, EH/s (hashrate endpoints).
        public var hashrate: [HashrateSample] = []
        /// Rows rejected, each with its position and reason.
        public var problems: [SeriesProblem] = []
        /// Duplicates, order and gaps found while cleaning.
        public var warnings: [SeriesProblem] = []
        /// Rows the endpoint sent (the day in progress included).
        public var rowsRead = 0
        /// The first day of the next page, or nil when the history is complete up to yesterday.
        public var next: UTCDay?
        /// The days the page covers (nil when it held no point).
        public var days: ClosedRange<UTCDay>? {
            let all = prices.map(\.day) + hashrate.map(\.day)
            guard let first = all.min(), let last = all.max() else { return nil }
            return first...last
        }
    }

    /// Reads the page requested from `from` with `url` (the URL decides the page size); `now` drops the day in progress.
    public func page(_ bytes: [UInt8], source: String, url: String, from: UTCDay, now: Date) throws(SeriesError) -> Page {
        let today = UTCDay(containing: now)
        var page = Page()
        switch self {
        case .bitstampOHLC:
            let read = try BitstampOHLC.candles(bytes, source: source, now: now)
            (page.prices, page.problems, page.warnings, page.rowsRead) = (read.points, read.problems, read.warnings, read.rowsRead)
            let limit = URLComponents(string: url).flatMap(pageRows) ?? 1_000
            // A full page continues after its last row (the day in progress counts as a row the exchange sent).
            if read.rowsRead >= limit, let last = read.points.last?.day, last.adding(days: 1) < today { page.next = last.adding(days: 1) }
        case .coinbaseCandles:
            let read = try CoinbaseCandles.candles(bytes, source: source, now: now)
            (page.prices, page.problems, page.warnings, page.rowsRead) = (read.points, read.problems, read.warnings, read.rowsRead)
            let next = from.adding(days: CoinbaseCandles.maxRows)
            if next < today { page.next = next }
        case .blockchainCharts:
            let read = try BlockchainChartsHashrate.samples(bytes, source: source, validation: SeriesValidation(now: now))
            // The day in progress is an estimate of part of a day: left for the live source.
            (page.hashrate, page.problems, page.warnings, page.rowsRead) = (read.points.filter { $0.day < today }, read.problems, read.warnings, read.rowsRead)
        }
        return page
    }
}
