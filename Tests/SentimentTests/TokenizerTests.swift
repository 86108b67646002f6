import Testing
@testable import Sentiment

@Suite("Tokenizer keeps financial tokens intact")
struct TokenizerTests {
    @Test("amounts, shares, ranges, rates, quarters, tickers and abbreviations stay single tokens", arguments: [
        ("BTC near $64,478 today", ["BTC", "near", "$64,478", "today"]),
        ("27% under water", ["27%", "under", "water"]),
        ("a further 10–15% drop", ["a", "further", "10–15%", "drop"]),
        ("down from 1.1 ZH/s to 913 EH/s.", ["down", "from", "1.1 ZH/s", "to", "913 EH/s", "."]),
        ("Q4 revenue at IBIT", ["Q4", "revenue", "at", "IBIT"]),
        ("U.S. funds and Apple Inc. shares", ["U.S.", "funds", "and", "Apple", "Inc.", "shares"]),
        ("€1.5bn and £20m", ["€1.5bn", "and", "£20m"]),
        ("$60k–$65k support", ["$60k–$65k", "support"]),
        ("year-on-year, don't", ["year-on-year", ",", "don't"]),
        ("EPS EUR0 .98", ["EPS", "EUR0", ".98"]),
    ])
    func keepsTokens(input: String, expected: [String]) {
        #expect(Tokenizer.tokenize(input).map(\.text) == expected)
    }

    @Test("token kinds: numbers, tickers, words and punctuation")
    func kinds() {
        let kinds = Tokenizer.tokenize("IBIT rose 5%, analysts said").map(\.kind)
        #expect(kinds == [.ticker, .word, .number, .punctuation, .word, .word])
    }

    @Test("a possessive looks up the bare word")
    func possessive() {
        #expect(SentimentScorer().score("Bitcoin's hashrate").relevant)
        #expect(SentimentScorer().score("Bitcoin’s hashrate").relevant)
    }
}

@Suite("Sentence splitting")
struct SentenceSplitterTests {
    @Test("splits on terminators but not inside decimals, initialisms or mid-sentence abbreviations")
    func splits() {
        let text = "Shares of Apple Inc. rose 1.5% in the U.S. market. Bitcoin fell to $64,478! Was it capitulation? Yes."
        #expect(SentenceSplitter.split(text) == [
            "Shares of Apple Inc. rose 1.5% in the U.S. market.",
            "Bitcoin fell to $64,478!",
            "Was it capitulation?",
            "Yes.",
        ])
    }

    @Test("an abbreviation ends a sentence when a sentence starter follows")
    func abbreviationAtEnd() {
        #expect(SentenceSplitter.split("He joined Apple Inc. The company grew.") == ["He joined Apple Inc.", "The company grew."])
    }

    @Test("closing quotes stay with their sentence; blank lines split")
    func quotesAndBlankLines() {
        #expect(SentenceSplitter.split("He said \"prices fell.\" Then it rallied") == ["He said \"prices fell.\"", "Then it rallied"])
        #expect(SentenceSplitter.split("Bitcoin slides\n\nMiners capitulate") == ["Bitcoin slides", "Miners capitulate"])
    }

    @Test("a line break ends a headline but not a wrapped sentence")
    func lineBreaks() {
        #expect(SentenceSplitter.split("Bitcoin slides below $65,000\nMiners capitulate as hashprice falls") ==
                ["Bitcoin slides below $65,000", "Miners capitulate as hashprice falls"])
        #expect(SentenceSplitter.split("Analysts at the\nBank of America said bitcoin rose.") ==
                ["Analysts at the\nBank of America said bitcoin rose."])
        #expect(SentenceSplitter.split("Prices fell sharply,\nMiners said.") == ["Prices fell sharply,\nMiners said."])
    }

    @Test("an initial is not a sentence end")
    func initials() {
        #expect(SentenceSplitter.split("J. Smith said bitcoin rose.") == ["J. Smith said bitcoin rose."])
    }
}
