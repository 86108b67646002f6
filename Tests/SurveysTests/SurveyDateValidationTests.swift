import Foundation
import Testing
@testable import Surveys

@Suite("Survey publication dates are plausible where they enter")
struct SurveyDateValidationTests {
    @Test("a row published in 1800 or next year is rejected with its line and reason; the rest is kept")
    func implausibleDates() throws {
        let nextYear = Calendar(identifier: .gregorian).component(.year, from: Date()) + 1
        let csv = """
            survey,publisher,population,metric,share,published
            S,P,retail,bullish,0.7,2026-01-01
            S,P,retail,bullish,0.7,1800-01-01
            S,P,retail,bullish,0.7,\(nextYear)-06-01
            """
        let result = try LongSurveyCSV.read(Array(csv.utf8), source: "s.csv")
        #expect(result.observations.count == 1)
        #expect(result.problems.map(\.line) == [3, 4])
        #expect(result.problems[0].reason == "published date 1800-01-01 is before 1900")
        #expect(result.problems[1].reason == "published date \(nextYear)-06-01 is in the future")
    }
}
