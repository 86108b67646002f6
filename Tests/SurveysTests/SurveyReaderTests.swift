import Foundation
import Testing
@testable import Surveys

@Suite("Survey readers")
struct SurveyReaderTests {
    @Test("long CSV detects percent shares, keeps good rows and reports bad ones with their line")
    func longCSV() throws {
        let csv = """
            survey,publisher,population,metric,share,sample_size,field_start,field_end,published
            Pulse,North,institutional,undervalued,71%,75,2026-01-05,2026-01-16,2026-01-27
            Pulse,North,institutional,overvalued,12,75,,,2026-01-27
            Pulse,North,institutional,sideways,10,75,,,2026-01-27
            Pulse,North,martians,undervalued,10,75,,,2026-01-27
            Pulse,North,institutional,bear_market,126,75,,,2026-01-27
            Pulse,North,institutional,bull_market,41,75,,,27/01/2026
            Pulse,North,fund managers,bullish,55,,,,2026-01-27
            """
        let result = try LongSurveyCSV.read(Array(csv.utf8), source: "pulse.csv")
        #expect(result.observations.map(\.share) == [0.71, 0.12, 0.55])
        #expect(result.observations[0].sampleSize == 75)
        #expect(result.observations[2].population == .fundManagers)
        #expect(result.problems.map(\.line) == [4, 5, 6, 7])
        #expect(result.problems[0].description == "pulse.csv:4: unknown metric 'sideways'")
        #expect(result.problems[2].reason == "share 126 is outside 0–1")
    }

    @Test("fractions stay fractions when no value exceeds 1")
    func fractionDetection() throws {
        let csv = "survey,publisher,population,metric,share,published\nS,P,retail,bullish,0.7,2026-01-01\nS,P,retail,bearish,0.3,2026-01-01\n"
        let result = try LongSurveyCSV.read(Array(csv.utf8), source: "s.csv")
        #expect(result.observations.map(\.share) == [0.7, 0.3])
    }

    @Test("JSON surveys expand populations × shares with sample size and field window")
    func json() throws {
        let json = """
            {"survey": "Pulse", "publisher": "North", "published": "2026-01-27", "share_unit": "percent",
             "field_window": {"start": "2026-01-05", "end": "2026-01-16"},
             "populations": [{"population": "institutional", "sample_size": 75, "shares": {"undervalued": 71, "fairly_valued": 17, "overvalued": 12}},
                             {"population": "non_institutional", "sample_size": 73, "shares": {"undervalued": 68, "bogus": 1}}]}
            """
        let result = try SurveyJSON.read(Array(json.utf8), source: "pulse.json")
        #expect(result.observations.count == 4)
        let undervalued = try #require(result.observations.first { $0.population == .institutional && $0.metric == .undervalued })
        #expect(undervalued.share == 0.71)
        #expect(undervalued.sampleSize == 75)
        #expect(undervalued.fieldStart == Date(timeIntervalSince1970: 1_767_571_200))
        #expect(result.problems.map(\.reason) == ["survey: non_institutional: unknown metric 'bogus'"])
        #expect(result.warnings.isEmpty)
    }

    @Test("shares of an exhaustive question that do not sum to about 1 are a warning, not a rejection")
    func sumWarning() throws {
        let json = """
            {"survey": "Pulse", "publisher": "North", "published": "2026-01-27",
             "populations": [{"population": "institutional", "shares": {"undervalued": 71, "fairly_valued": 17, "overvalued": 22}}]}
            """
        let result = try SurveyJSON.read(Array(json.utf8), source: "pulse.json")
        #expect(result.observations.count == 3)
        #expect(result.warnings.count == 1)
        #expect(result.warnings[0].reason.contains("sum to 1.100"))
    }

    @Test("the AAII wide layout maps bullish/neutral/bearish columns and counts empty weeks")
    func aaiiWide() throws {
        let csv = """
            reported_date,bullish,neutral,bearish,total
            1987-06-26,,,,
            1987-07-24,0.36,0.5,0.14,1
            1987-07-31,0.26,0.48,0.26,1
            bad-date,0.3,0.3,0.4,1
            1987-08-14,0.3,,0.4,1
            """
        let result = try WideSurveyCSV.read(Array(csv.utf8), source: "aaii.csv", mapping: .aaii)
        #expect(result.emptyRows == 1)
        #expect(result.observations.count == 6)
        #expect(result.observations.allSatisfy { $0.population == .retail && $0.survey == "AAII Investor Sentiment Survey" })
        #expect(result.problems.map(\.line) == [5, 6])
        #expect(result.problems[1].reason == "missing neutral share")
    }

    @Test("unreadable files fail with the source named")
    func unreadable() {
        #expect(throws: SurveyError.self) { try SurveyJSON.read(Array("{nope".utf8), source: "x.json") }
        do {
            _ = try LongSurveyCSV.read(Array("a,b\n1,2\n".utf8), source: "x.csv")
        } catch {
            #expect(error.description == "x.csv: missing column 'survey'")
        }
    }

    @Test("each metric carries its documented stance", arguments: [
        (SurveyMetric.undervalued, 1), (.overvalued, -1), (.fairlyValued, 0), (.bearMarket, -1), (.bullMarket, 1),
        (.increaseAllocation, 1), (.decreaseAllocation, -1), (.bullish, 1), (.bearish, -1), (.neutral, 0),
    ])
    func stances(_ metric: SurveyMetric, _ stance: Int) {
        #expect(metric.stance == stance)
    }
}
