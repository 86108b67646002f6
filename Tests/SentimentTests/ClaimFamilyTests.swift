import Foundation
import Testing
@testable import Sentiment

@Suite("Claim families")
struct ClaimFamilyTests {
    static let cases = ClaimCase.load("claim-families")

    @Test("the fixture covers quantifier words, populations, propositions, minority shares and non-claims")
    func coverage() {
        let families = Dictionary(grouping: Self.cases) { $0.family ?? "" }
        #expect(Set(families.keys) == ["quantifier-words", "populations", "propositions", "minority", "none"])
        #expect(families.values.allSatisfy { $0.count >= 3 })
    }

    @Test("each sentence gives exactly its expected claims", arguments: cases)
    func family(c: ClaimCase) {
        #expect(rounded(ClaimExtractor.extract(from: c.sentence)) == rounded(c.expectedClaims()))
    }

    @Test("an intention with a condition is kept and flagged conditional")
    func conditional() {
        let claims = ClaimExtractor.extract(from: "Two-thirds of corporate treasuries would cut allocations if prices fell another 10%.")
        #expect(claims.count == 1)
        #expect(claims.first?.conditional == true)
        #expect(claims.first?.proposition == .decreaseAllocation)
        #expect(ClaimExtractor.extract(from: "Two-thirds of corporate treasuries plan to cut allocations.").first?.conditional == false)
    }

    @Test("new populations map to the institutional side of B")
    func populations() {
        for p in [ClaimPopulation.institutions, .fundManagers, .institutionalInvestors, .institutional] {
            #expect(ClaimExtractor.speaker(forPopulation: p) == .institutional)
        }
        #expect(ClaimExtractor.speaker(forPopulation: .nonInstitutional) == .retail)
        #expect(ClaimExtractor.speaker(forPopulation: .respondents) == .unknown)
    }

    @Test("a minority holding a bearish view is a bullish finding, and the other way round")
    func minority() {
        let bullish = SentimentScorer().score("Only 12% of institutions plan to cut their Bitcoin allocation.")
        #expect(bullish.score == 0.5)
        let bearish = SentimentScorer().score("Fewer than 10% of respondents think Bitcoin is in a bull market.")
        #expect(bearish.score == -0.5)
        #expect(bearish.claims.map(\.proposition) == [.bullMarket])
        #expect(SentimentScorer().score("Just under half of wealth managers, 48%, think bitcoin is overvalued.").label == .negative)
    }
}
