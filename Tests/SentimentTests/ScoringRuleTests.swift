import Testing
@testable import Sentiment

/// Reference scores are worked by hand: the raw sum S of rule contributions is squashed as
/// S / sqrt(S² + 0.6), so S = 1 gives 0.7906, S = 0.6 gives 0.6124, S = −0.7 gives −0.6705.
@Suite("Scoring rules")
struct ScoringRuleTests {
    let scorer = SentimentScorer()

    func value(_ s: String) -> Double { scorer.score(s).score }

    @Test("directional phrases: polarity is direction × quantity", arguments: [
        ("Operating profit rose to EUR 13.1 mn from EUR 8.7 mn.", SentimentLabel.positive),
        ("Net sales decreased.", .negative),
        ("Costs fell 5%.", .positive),
        ("Revenue declined in the quarter.", .negative),
        ("The net loss widened to EUR 3 mn.", .negative),
        ("Operating loss narrowed to EUR 2 mn.", .positive),
        ("The company will cut 300 jobs.", .negative),
        ("The group reduced its debt.", .positive),
        ("Bitcoin dropped below $60,000.", .negative),
        ("Spot ETF inflows jumped to a record.", .positive),
        ("The company signed a supply agreement with a Finnish utility.", .positive),
    ])
    func directional(sentence: String, label: SentimentLabel) {
        #expect(scorer.score(sentence).label == label)
    }

    @Test("a direction with its quantity scores 1 before squashing")
    func directionalValue() {
        #expect(abs(value("Sales rose.") - 0.7906) < 0.0001)
        #expect(abs(value("Losses rose.") + 0.7906) < 0.0001)
    }

    @Test("plain factual statements are neutral", arguments: [
        "The company has 120 employees in Finland.",
        "Bitcoin trades near $64,478 ahead of US jobs data.",
        "The annual general meeting will be held on 15 March 2026.",
        "Net sales totalled EUR 54.5 mn in the first quarter.",
    ])
    func neutral(sentence: String) {
        #expect(scorer.score(sentence).label == .neutral)
    }

    @Test("negation flips a phrase within its scope: S = −0.7")
    func negation() {
        #expect(abs(value("Sales did not rise.") + 0.6705) < 0.0001)
        #expect(scorer.score("Analysts are not bullish on bitcoin.").label == .negative)
        #expect(scorer.score("The company has no debt problems.").label == .positive)
    }

    @Test("hedges dampen their clause: could × 0.6")
    func hedges() {
        #expect(abs(value("Sales could rise.") - 0.6124) < 0.0001)
        #expect(abs(value("Bitcoin could fall.")) < abs(value("Bitcoin fell.")))
    }

    @Test("contrast: the clause after but dominates; a despite-clause is discounted")
    func contrast() {
        // "great" 0.6 negated (×−0.7) and discounted (×0.35) = −0.147; "extremely bullish" 1.0 × 1.5.
        // S = 1.353, score = 1.353 / sqrt(1.353² + 0.6) = 0.8678.
        #expect(abs(value("Not looking great, but institutions are extremely bullish.") - 0.8678) < 0.0001)
        #expect(scorer.score("Revenue rose, but the company swung to a net loss.").label == .negative)
        #expect(scorer.score("Despite the rally, miners are struggling.").label == .negative)
        #expect(scorer.score("Miners are struggling despite the rally.").label == .negative)
        #expect(scorer.score("Even as hashrate fell, institutions stayed bullish.").label == .positive)
    }

    @Test("intensifiers and dampeners scale the next polar word")
    func modifiers() {
        #expect(value("Institutions are extremely bullish.") > value("Institutions are bullish."))
        #expect(value("Profit rose slightly.") < value("Sales rose."))
    }

    @Test("comparatives against expectations")
    func comparatives() {
        #expect(scorer.score("Costs were higher than expected.").label == .negative)
        #expect(scorer.score("Earnings came in above expectations.").label == .positive)
        #expect(scorer.score("Quarterly revenue fell short of expectations.").label == .negative)
        #expect(scorer.score("An individual promotion generated slightly higher-than-expected revenues.").label == .positive)
    }

    @Test("a level change compared with a baseline: loss versus profit, or smaller figure")
    func comparisons() {
        #expect(scorer.score("Operating loss totalled EUR 3.2 mn, compared to a profit of EUR 7.2 mn.").label == .negative)
        #expect(scorer.score("Pretax profit totalled EUR 2.0 mn, compared to a loss of EUR 159.2 mn.").label == .positive)
        #expect(scorer.score("Operating profit was EUR 1.6 mn in 2005 compared to EUR 5.9 mn in 2004.").label == .negative)
        #expect(scorer.score("The company slipped to a net loss of EUR 7.3 mn from a net profit of EUR 12.5 mn.").label == .negative)
        #expect(scorer.score("EPS amounted to EUR 0.98, up from the loss of EUR 0.02.").label == .positive)
    }

    @Test("domain words general lexicons miss", arguments: [
        ("70% of institutions surveyed believe Bitcoin is undervalued.", SentimentLabel.positive),
        ("Bitcoin looks overvalued after the run-up.", .negative),
        ("Miners are in capitulation.", .negative),
        ("Funds recorded strong inflows.", .positive),
        ("The exchange filed for bankruptcy.", .negative),
    ])
    func domainWords(sentence: String, label: SentimentLabel) {
        #expect(scorer.score(sentence).label == label)
    }

    @Test("score stays within −1…1 and empty input is neutral")
    func bounds() {
        let s = scorer.score("Extremely bullish, very strong, record profit, surging sales, soaring inflows, booming demand.")
        #expect(s.score <= 1 && s.score > 0.9)
        #expect(scorer.score("").label == .neutral)
        #expect(scorer.score("").score == 0)
    }
}

@Suite("Relevance and speaker type")
struct RelevanceSpeakerTests {
    let scorer = SentimentScorer()

    @Test("relevance follows Bitcoin and crypto-market words", arguments: [
        ("Bitcoin fell 5%.", true),
        ("IBIT saw record inflows.", true),
        ("Miners' hashrate hit a new high.", true),
        ("Spot ETFs drew demand as crypto markets rallied.", true),
        ("Nokia's operating profit rose.", false),
    ])
    func relevance(sentence: String, relevant: Bool) {
        #expect(scorer.score(sentence).relevant == relevant)
    }

    @Test("speaker from attribution", arguments: [
        ("Bitcoin is undervalued, BlackRock said.", SpeakerType.institutional),
        ("According to JPMorgan, bitcoin could rise.", .institutional),
        ("Analysts at Goldman Sachs said bitcoin could fall.", .analyst),
        ("Strategists expect a rebound in bitcoin.", .analyst),
        ("Marathon Digital said it sold 500 BTC.", .miner),
        ("Retail investors say they are bearish on bitcoin.", .retail),
        ("Bitcoin fell 5%, Reuters reported.", .media),
        ("A survey of 300 fund managers found 40% are bullish on bitcoin.", .institutional),
        ("Bitcoin fell 5%.", .unknown),
    ])
    func speaker(sentence: String, speaker: SpeakerType) {
        #expect(scorer.score(sentence).speakerType == speaker)
    }
}

@Suite("Market-structure rules")
struct MarketRuleTests {
    let scorer = SentimentScorer()

    @Test("distress of shorts or bears is good news")
    func counterparty() {
        #expect(scorer.score("BTC reclaims $70K as shorts get liquidated.").label == .positive)
        #expect(scorer.score("Longs get liquidated as BTC slides.").label == .negative)
    }

    @Test("a direction word can take a gain as its object: erasing gains is negative")
    func objectOfDirection() {
        #expect(scorer.score("Bitcoin erases weekly gains.").label == .negative)
        #expect(scorer.score("MicroStrategy adds 5,000 BTC to its balance sheet.").label == .positive)
        #expect(scorer.score("The staff reduction will start immediately, the company added.").label == .negative)
    }

    @Test("a transition takes the polarity of the level reached")
    func transitions() {
        #expect(scorer.score("The company swung to a net loss.").label == .negative)
        #expect(scorer.score("The group turned to an operating profit.").label == .positive)
    }

    @Test("a decimal split from its amount (\"EUR4 .5 m\") is read as one number")
    func splitDecimal() {
        // 4.5 against 3.9: earnings up, positive; read as .5 against .9 it would be negative.
        #expect(scorer.score("Earnings before tax totaled EUR4 .5 m , compared to EUR3 .9 m.").label == .positive)
    }

    @Test("a negative baseline amount counts as below zero")
    func negativeBaseline() {
        #expect(scorer.score("Cash flow totalled EUR 0.4 mn compared to a negative EUR 15.5 mn.").label == .positive)
    }

    @Test("neutral quantities carry no polarity when they change")
    func neutralQuantities() {
        #expect(scorer.score("The subscriptions increase the company's share capital by EUR 27,060.").label == .neutral)
        #expect(scorer.score("Bitcoin network difficulty adjusts upward by 5%.").label == .neutral)
    }
}

@Suite("Clause and weighting rules")
struct ClauseRuleTests {
    let scorer = SentimentScorer()

    @Test("bottom-line quantities outweigh top-line ones: profit 1.3 against sales 1.0")
    func profitOutweighsSales() {
        // S = −1.3 + 1.0 = −0.3, score = −0.3 / sqrt(0.09 + 0.6) = −0.3612.
        #expect(abs(scorer.score("Operating profit fell, while net sales rose.").score + 0.3612) < 0.0001)
    }

    @Test("a background clause after 'after' weighs half")
    func background() {
        // "record profit" 0.8 × 0.5 = 0.4 beside "rose" with "shares" 1.0.
        let c = scorer.contributions("Shares rose after the company reported record profit.")
        #expect(c.map(\.text) == ["rose", "record profit"])
        #expect(c.count == 2 && abs(c[0].value - 1) < 1e-6 && abs(c[1].value - 0.4) < 1e-6)
    }

    @Test("'No.' as an abbreviation is not a negator")
    func numberAbbreviation() {
        #expect(scorer.score("The No. 1 exchange halted withdrawals.").label == .negative)
    }

    @Test("the baseline after 'from' does not count: retreating from a record high is negative")
    func baseline() {
        #expect(scorer.score("Bitcoin retreats from record high.").label == .negative)
    }
}

@Suite("Questions and chart vocabulary")
struct QuestionChartTests {
    let scorer = SentimentScorer()

    @Test("a question halves the raw score")
    func question() {
        // "crash" on "bitcoin": direction −1 × quantity +1 = −1; halved, S = −0.5 and
        // score = −0.5 / sqrt(0.25 + 0.6) = −0.5423.
        #expect(abs(scorer.score("Will bitcoin crash?").score + 0.5423) < 0.0001)
        #expect(abs(scorer.score("Will bitcoin crash?").score) < abs(scorer.score("Bitcoin will crash.").score))
    }

    @Test("chart signals carry polarity", arguments: [
        ("Bitcoin flashes a golden cross.", SentimentLabel.positive),
        ("A death cross looms for bitcoin.", .negative),
        ("Price slipped below the cloud on the weekly chart.", .negative),
        ("Hash ribbons flash a buy signal.", .positive),
    ])
    func chart(sentence: String, label: SentimentLabel) {
        #expect(scorer.score(sentence).label == label)
    }

    /// The claim reader runs only on sentences with a share cue; "N of <word>" can never be a share, "N of M" can.
    @Test("a count followed by 'of' and a word is no share cue; 'N of M' and 'N%' still are", arguments: [
        ("Item 12 of feed 5: institutions surveyed still call the asset undervalued.", false),
        ("105 of 148 institutions said Bitcoin is undervalued.", true),
        ("Of the institutions polled, 70% said Bitcoin is undervalued.", true),
        ("Among 75 institutional investors polled, 45 said Bitcoin is undervalued.", true),
    ])
    func shareCue(sentence: String, cue: Bool) {
        var copy = sentence
        #expect(copy.withUTF8 { SentimentScorer.analyse($0) }.mayHaveClaims == cue)
        #expect(!SentimentScorer().score(sentence).claims.isEmpty == cue)
    }
}
