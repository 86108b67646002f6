import Foundation

/// Who answered a survey question.
public enum SurveyPopulation: String, Sendable, Codable, CaseIterable {
    case institutional
    case nonInstitutional = "non_institutional"
    case fundManagers = "fund_managers"
    case retail
    case newsletterWriters = "newsletter_writers"
    case analysts
    case allRespondents = "all_respondents"

    /// Populations whose answers feed the institutional-bullishness index; the rest are reported beside it.
    public var isInstitutional: Bool { self == .institutional || self == .fundManagers }

    /// Parses a population name, accepting hyphens, spaces and common synonyms.
    public init?(name: String) {
        let key = name.lowercased().trimmingCharacters(in: .whitespaces)
            .replacingOccurrences(of: "-", with: "_").replacingOccurrences(of: " ", with: "_")
        switch key {
        case "institutional", "institutions", "institutional_investors": self = .institutional
        case "non_institutional", "noninstitutional", "independent", "independent_investors": self = .nonInstitutional
        case "fund_managers", "fund_manager": self = .fundManagers
        case "retail", "individual_investors", "individuals": self = .retail
        case "newsletter_writers", "newsletters": self = .newsletterWriters
        case "analysts": self = .analysts
        case "all", "all_respondents", "total": self = .allRespondents
        default: return nil
        }
    }
}

/// The question a metric answers; shares of one question's metrics are meant to sum to about 1.
public enum SurveyQuestion: String, Sendable, Codable {
    case outlook, valuation, marketPhase = "market_phase", allocation
}

/// What a share of respondents said, with the stance it carries for Bitcoin.
public enum SurveyMetric: String, Sendable, Codable, CaseIterable {
    case bullish, neutral, bearish
    case undervalued, fairlyValued = "fairly_valued", overvalued
    case bullMarket = "bull_market", bearMarket = "bear_market"
    case increaseAllocation = "increase_allocation", maintainAllocation = "maintain_allocation", decreaseAllocation = "decrease_allocation"

    /// +1 bullish, −1 bearish, 0 neither.
    public var stance: Int {
        switch self {
        case .bullish, .undervalued, .bullMarket, .increaseAllocation: 1
        case .bearish, .overvalued, .bearMarket, .decreaseAllocation: -1
        case .neutral, .fairlyValued, .maintainAllocation: 0
        }
    }

    /// The question this metric is one answer to.
    public var question: SurveyQuestion {
        switch self {
        case .bullish, .neutral, .bearish: .outlook
        case .undervalued, .fairlyValued, .overvalued: .valuation
        case .bullMarket, .bearMarket: .marketPhase
        case .increaseAllocation, .maintainAllocation, .decreaseAllocation: .allocation
        }
    }

    /// Every answer of the question, when the survey reports them all; empty for market phase, which surveys ask
    /// with a third "neither" answer that has no metric here (so its shares need not sum to 1).
    public var exhaustiveAnswers: Set<SurveyMetric> {
        question == .marketPhase ? [] : Set(Self.allCases.filter { $0.question == question })
    }

    /// Parses a metric name, accepting hyphens and spaces.
    public init?(name: String) {
        let key = name.lowercased().trimmingCharacters(in: .whitespaces)
            .replacingOccurrences(of: "-", with: "_").replacingOccurrences(of: " ", with: "_")
        self.init(rawValue: key)
    }
}

/// One share of one population answering one way in one survey.
public struct SurveyObservation: Sendable, Codable, Equatable {
    /// The survey's name, e.g. "Institutional Investor Digital Assets Survey 2026".
    public var survey: String
    /// Who published it.
    public var publisher: String
    public var population: SurveyPopulation
    public var metric: SurveyMetric
    /// The fraction of respondents, 0–1.
    public var share: Double
    /// Respondents in this population, when stated.
    public var sampleSize: Int?
    /// First and last day of fieldwork (UTC), when stated.
    public var fieldStart: Date?
    public var fieldEnd: Date?
    /// When the result became public (UTC); the point-in-time rule uses this.
    public var published: Date

    public init(survey: String, publisher: String, population: SurveyPopulation, metric: SurveyMetric, share: Double,
                sampleSize: Int? = nil, fieldStart: Date? = nil, fieldEnd: Date? = nil, published: Date) {
        self.survey = survey
        self.publisher = publisher
        self.population = population
        self.metric = metric
        self.share = share
        self.sampleSize = sampleSize
        self.fieldStart = fieldStart
        self.fieldEnd = fieldEnd
        self.published = published
    }
}
