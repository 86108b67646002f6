import Foundation
import Testing
@testable import Sentiment

/// One line of `Fixtures/claims.jsonl` or `Fixtures/claim-families.jsonl`: a sentence, the family of cases it stands
/// for (in the families fixture), and the claims expected from it.
struct ClaimCase: Decodable, CustomTestStringConvertible {
    struct Expected: Decodable {
        var population: ClaimPopulation
        var share: Double
        var proposition: ClaimProposition
        var stance: Int
        var sample_size: Int?
        var hedged: Bool
        var conditional: Bool?
    }
    var family: String?
    var sentence: String
    var claims: [Expected]
    var testDescription: String { family.map { "\($0): \(sentence)" } ?? sentence }

    func expectedClaims() -> [Claim] {
        claims.map {
            Claim(population: $0.population, share: $0.share, proposition: $0.proposition, stance: $0.stance,
                  sampleSize: $0.sample_size, hedged: $0.hedged, quote: sentence, conditional: $0.conditional ?? false)
        }
    }

    static func load(_ name: String = "claims") -> [ClaimCase] {
        guard let url = Bundle.module.url(forResource: name, withExtension: "jsonl", subdirectory: "Fixtures"),
              let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { try? JSONDecoder().decode(ClaimCase.self, from: Data($0.utf8)) }
    }
}

/// One line of `Fixtures/crypto-headlines.tsv`: label, relevance, headline.
struct HeadlineCase: CustomTestStringConvertible {
    var label: SentimentLabel
    var relevant: Bool
    var headline: String
    var testDescription: String { headline }

    static func load() -> [HeadlineCase] {
        guard let url = Bundle.module.url(forResource: "crypto-headlines", withExtension: "tsv", subdirectory: "Fixtures"),
              let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            let f = line.split(separator: "\t", maxSplits: 2).map(String.init)
            guard f.count == 3, let label = SentimentLabel(rawValue: f[0]) else { return nil }
            return HeadlineCase(label: label, relevant: f[1] == "true", headline: f[2])
        }
    }
}

/// Claims are compared with shares rounded to 3 decimals ("two-thirds" is written 0.6667 in the fixture).
func rounded(_ claims: [Claim]) -> [Claim] {
    claims.map { var c = $0; c.share = ($0.share * 1000).rounded() / 1000; return c }
}

@Suite("Fixtures")
struct FixtureTests {
    static let claimCases = ClaimCase.load()
    static let headlineCases = HeadlineCase.load()

    @Test("fixture files load with at least 60 claim sentences and 40 headlines")
    func sizes() {
        #expect(Self.claimCases.count >= 60)
        #expect(Self.headlineCases.count >= 40)
    }

    @Test("survey claims are extracted exactly", arguments: claimCases)
    func claims(c: ClaimCase) {
        #expect(rounded(ClaimExtractor.extract(from: c.sentence)) == rounded(c.expectedClaims()))
    }

    @Test("crypto headlines get their labelled polarity and relevance", arguments: headlineCases)
    func headlines(h: HeadlineCase) {
        let s = SentimentScorer().score(h.headline)
        #expect(s.label == h.label)
        #expect(s.relevant == h.relevant)
    }
}

@Suite("Claims rules")
struct ClaimRuleTests {
    @Test("two populations in one sentence give two claims sharing the proposition")
    func twoPopulations() {
        let claims = ClaimExtractor.extract(from: "71% of institutions and 60% of independent investors believe Bitcoin is undervalued.")
        #expect(claims.map(\.population) == [.institutions, .nonInstitutional])
        #expect(claims.map(\.share) == [0.71, 0.6])
        #expect(claims.allSatisfy { $0.proposition == .undervalued && $0.stance == 1 })
    }

    @Test("negation flips the stance, keeping the proposition")
    func negation() {
        let claims = ClaimExtractor.extract(from: "65% of fund managers do not believe bitcoin is undervalued.")
        #expect(claims.first?.proposition == .undervalued)
        #expect(claims.first?.stance == -1)
    }

    @Test("a percentage that is a price move is not a claim")
    func priceMove() {
        #expect(ClaimExtractor.extract(from: "Bitcoin fell 27% as institutions sold.").isEmpty)
    }

    @Test("claims attach to the scored sentence and set its speaker")
    func scorerAttachesClaims() {
        let s = SentimentScorer().score("Seven in ten institutional investors said bitcoin was undervalued (n=148).")
        #expect(s.claims == [Claim(population: .institutionalInvestors, share: 0.7, proposition: .undervalued, stance: 1,
                                   sampleSize: 148, hedged: false,
                                   quote: "Seven in ten institutional investors said bitcoin was undervalued (n=148).")])
        #expect(s.speakerType == .institutional)
    }
}

@Suite("JSONL output")
struct JSONLTests {
    @Test("one line with the documented keys, escaped text and rounded numbers")
    func line() {
        let s = SentenceSentiment(
            text: "He said \"up\"\n", score: 0.123456, label: .positive, relevant: true, speakerType: .analyst,
            claims: [Claim(population: .institutions, share: 0.7, proposition: .undervalued, stance: 1,
                           sampleSize: nil, hedged: false, quote: "q")])
        #expect(SentimentJSONL.line(for: s) == #"{"text":"He said \"up\"\n","score":0.1235,"label":"positive","relevant":true,"speaker_type":"analyst","claims":[{"population":"institutions","share":0.7,"proposition":"undervalued","stance":1,"sample_size":null,"hedged":false,"conditional":false}],"units":[]}"#)
    }

    @Test("negative and whole scores render without exponent")
    func numbers() {
        #expect(SentimentJSONL.number(-0.5) == "-0.5")
        #expect(SentimentJSONL.number(1) == "1")
        #expect(SentimentJSONL.number(0.00001) == "0")
        #expect(SentimentJSONL.number(.nan) == "0")
    }

    @Test("a document is split and every sentence scored")
    func document() {
        let out = SentimentScorer().scoreDocument("Bitcoin fell 5%. Institutions are bullish.")
        #expect(out.map(\.label) == [.negative, .positive])
    }
}
