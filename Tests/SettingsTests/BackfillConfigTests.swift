import Foundation
import Market
import Settings
import Testing

@Suite("Backfill keys of a [[source]]")
struct BackfillConfigTests {
    func parse(_ text: String) throws(ConfigError) -> DivergenceConfig {
        try ConfigLoader.parse(text, file: "divergence.toml", baseDirectory: URL(fileURLWithPath: "/srv/divergence/feeds"))
    }

    @Test("a backfill URL's endpoint comes from backfill_format or its host, and starts at the endpoint's first day unless backfill_from says otherwise")
    func settings() throws {
        let config = try parse("""
            [[source]]
            kind = "prices"
            url = "https://api.kraken.com/0/public/OHLC?pair=XBTUSD&interval=1440"
            backfill = "https://www.bitstamp.net/api/v2/ohlc/btcusd/?step=86400&limit=1000"

            [[source]]
            kind = "hashrate"
            url = "https://api.blockchain.info/charts/hash-rate?timespan=3years&format=json"
            backfill = "http://127.0.0.1:8080/hash-rate"
            backfill_format = "blockchain-charts"
            backfill_from = "2016-01-01"
            """)
        let prices = try #require(BackfillSettings(options: config.sources[0].options))
        #expect(prices.endpoint == .bitstampOHLC && prices.from == UTCDay(year: 2011, month: 8, day: 18))
        let hashrate = try #require(BackfillSettings(options: config.sources[1].options))
        #expect(hashrate.endpoint == .blockchainCharts && hashrate.from == UTCDay(year: 2016, month: 1, day: 1))
    }

    @Test("bad backfill keys stop the config with the line, key and reason", arguments: [
        ("kind = \"news\"\nurl = \"https://a.example/feed\"\nbackfill = \"https://www.bitstamp.net/api/v2/ohlc/btcusd/\"",
         "divergence.toml:4: source.backfill: only prices and hashrate sources take a backfill"),
        ("kind = \"prices\"\nurl = \"https://a.example/p.csv\"\nbackfill_format = \"bitstamp-ohlc\"",
         "divergence.toml:4: source.backfill_format: give backfill = \"<paged endpoint URL>\" with it"),
        ("kind = \"prices\"\nurl = \"https://a.example/p.csv\"\nbackfill = \"ftp://a.example/ohlc\"",
         "divergence.toml:4: source.backfill: 'ftp://a.example/ohlc' is not an http or https URL"),
        ("kind = \"prices\"\nurl = \"https://a.example/p.csv\"\nbackfill = \"https://a.example/ohlc\"",
         "divergence.toml:4: source.backfill: cannot tell the endpoint from the URL: add backfill_format = one of bitstamp-ohlc, coinbase-candles"),
        ("kind = \"hashrate\"\nurl = \"https://a.example/h.csv\"\nbackfill = \"https://a.example/h\"\nbackfill_format = \"coinbase-candles\"",
         "divergence.toml:5: source.backfill_format: 'coinbase-candles' is not a hashrate backfill format (blockchain-charts)"),
        ("kind = \"hashrate\"\nurl = \"https://a.example/h.csv\"\nbackfill = \"https://api.exchange.coinbase.com/products/BTC-USD/candles\"",
         "divergence.toml:4: source.backfill: coinbase-candles serves prices, not hashrate"),
        ("kind = \"prices\"\nurl = \"https://a.example/p.csv\"\nbackfill = \"https://www.bitstamp.net/api/v2/ohlc/btcusd/\"\nbackfill_from = \"2011-13-01\"",
         "divergence.toml:5: source.backfill_from: '2011-13-01' is not a date like 2011-08-18"),
    ])
    func rejected(body: String, message: String) {
        do {
            _ = try parse("[[source]]\n" + body + "\n")
            Issue.record("accepted: \(body)")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test("the live config's market sources declare their backfills")
    func liveConfig() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("feeds/divergence.toml")
        let config = try ConfigLoader.load(path: file.path)
        let endpoints = config.sources.compactMap { BackfillSettings(options: $0.options) }.map(\.endpoint)
        #expect(endpoints == [.bitstampOHLC, .blockchainCharts])
    }
}
