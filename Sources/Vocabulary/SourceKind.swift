/// What a source provides; the one word for it in the config, the store and the `--kind` flag.
public enum SourceKind: String, Sendable, Codable, CaseIterable {
    /// An RSS, Atom or JSON feed of news entries.
    case news
    /// A single article page.
    case article
    /// Investor-survey results.
    case survey
    /// Daily BTC-USD candles.
    case prices
    /// Daily network hashrate.
    case hashrate
    /// Daily fees per block.
    case fees
    /// Daily net flows of US spot Bitcoin ETFs, per fund.
    case etfFlows = "etf_flows"
    /// CFTC Traders in Financial Futures rows for CME Bitcoin.
    case cftcTFF = "cftc_tff"

    /// Every kind's name, comma-separated, for a message that lists the choices.
    public static let choices = allCases.map(\.rawValue).joined(separator: ", ")
}
