import Testing
@testable import Sentiment

@Suite("Hostile input")
struct HostileInputTests {
    /// Deterministic xorshift generator, so a failure reproduces.
    struct XorShift {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
    }

    static let alphabet: [String] = [
        "a", "B", "7", ".", ",", "%", "$", "€", "£", "–", "—", "’", "'", "\"", "-", "=", " ", "\n", "\n\n", "(", ")",
        "é", "日", "🚀", "\u{00A0}", "U.S.", "Inc.", "n=", "EUR4", " .5", "bitcoin", "not", "but", "rose", "loss",
        "70%", "of", "institutions", "undervalued", "seven in ten", "ZH/s", "EH/s", "1.1 ", "$64,478", "10–15%",
    ]

    @Test("random mixtures of tricky pieces never crash and keep scores in −1…1")
    func randomMixtures() {
        var rng = XorShift(state: 0x9E37_79B9_7F4A_7C15)
        let scorer = SentimentScorer()
        for _ in 0..<3_000 {
            let length = Int(rng.next() % 40)
            var text = ""
            for _ in 0..<length { text += Self.alphabet[Int(rng.next() % UInt64(Self.alphabet.count))] }
            for s in scorer.scoreDocument(text) {
                #expect(s.score >= -1 && s.score <= 1)
                for c in s.claims { #expect(c.share >= 0 && c.share <= 1) }
            }
            #expect(Tokenizer.tokenize(text).allSatisfy { !$0.text.isEmpty && text.contains($0.text) })
        }
    }

    @Test("degenerate inputs", arguments: [
        "", " ", ".", "....", "$", "%", "–", "'s", "n=", "of of of", String(repeating: "a", count: 100_000),
        String(repeating: "9", count: 10_000), String(repeating: "not ", count: 5_000), "1 of 0 respondents said",
    ])
    func degenerate(input: String) {
        let s = SentimentScorer().score(input)
        #expect(s.score >= -1 && s.score <= 1)
        #expect(ClaimExtractor.extract(from: input).allSatisfy { $0.share >= 0 && $0.share <= 1 })
        _ = SentenceSplitter.split(input)
    }
}
