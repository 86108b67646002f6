/// Who a survey-style claim is about; the one word for it in the extractor, the store and the claim JSON.
/// Institutional (B): `institutions` (also hedge funds, pension funds, family offices, endowments, sovereign wealth
/// funds, corporate treasuries), `institutional_investors` (also allocators), `fund_managers` (asset, portfolio, money,
/// wealth and investment managers, financial advisers/advisors allocating for clients) and `institutional` (the word
/// earlier versions stored). Not institutional: `non_institutional` (independent investors and advisers), `retail`
/// (individual investors), `analysts`, `miners`, and `respondents` (a survey's respondents, population unstated).
public enum ClaimPopulation: String, Sendable, Codable, CaseIterable {
    case institutions
    case institutionalInvestors = "institutional_investors"
    case institutional
    case fundManagers = "fund_managers"
    case nonInstitutional = "non_institutional"
    case retail, analysts, miners, respondents

    /// Every population's name, comma-separated, for a message that lists the choices.
    public static let choices = allCases.map(\.rawValue).joined(separator: ", ")

    /// The speaker type of the people the claim is about (`unknown` for a survey's unnamed respondents).
    public var speakerType: SpeakerType {
        switch self {
        case .institutions, .institutionalInvestors, .institutional, .fundManagers: .institutional
        case .nonInstitutional, .retail: .retail
        case .analysts: .analyst
        case .miners: .miner
        case .respondents: .unknown
        }
    }
}

/// What a survey-style claim says its population holds; the one word for it in the extractor, the store and the
/// claim JSON. The valuation and outlook words are also survey metrics (`SurveyMetric`), so a claim can restate a survey.
public enum ClaimProposition: String, Sendable, Codable, CaseIterable {
    case undervalued, overvalued
    case fairlyValued = "fairly_valued"
    case bullMarket = "bull_market"
    case bearMarket = "bear_market"
    case bullish, bearish
    case marketBottom = "market_bottom"
    case increaseAllocation = "increase_allocation"
    case decreaseAllocation = "decrease_allocation"
    case maintainAllocation = "maintain_allocation"
    case holdOrIncreaseAllocation = "hold_or_increase_allocation"
    case netLong = "net_long"
    case netShort = "net_short"
    case priceHigher = "price_higher"
    case priceLower = "price_lower"

    /// Every proposition's name, comma-separated, for a message that lists the choices.
    public static let choices = allCases.map(\.rawValue).joined(separator: ", ")

    /// True for the allocation intentions (increase, decrease, maintain, hold or increase).
    public var isAllocation: Bool { rawValue.hasSuffix("_allocation") }
}
