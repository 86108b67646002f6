import Foundation
import Testing
@testable import Sentiment

/// One line of `Fixtures/wrong-way.jsonl`: a sentence the scorer once read the wrong way, the family of cases it
/// stands for, its label for Bitcoin and, when the sentence names one, the holder of its (first) unit.
struct WrongWayCase: Decodable, CustomTestStringConvertible {
    var family: String
    var sentence: String
    var label: SentimentLabel
    var holder: String?
    var speaker_type: SpeakerType?
    var testDescription: String { "\(family): \(sentence)" }

    static func load() -> [WrongWayCase] {
        guard let url = Bundle.module.url(forResource: "wrong-way", withExtension: "jsonl", subdirectory: "Fixtures"),
              let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { try? JSONDecoder().decode(WrongWayCase.self, from: Data($0.utf8)) }
    }
}

@Suite("Opinion units")
struct OpinionUnitTests {
    let scorer = SentimentScorer()
    static let seed = "While 70% of institutions surveyed still believe Bitcoin is undervalued, a chorus of analysts now labels the regime bearish."

    @Test("the seed sentence gives a bullish institutional unit and a bearish analyst unit")
    func seedSentence() {
        let units = scorer.scoreSentence(Self.seed, publisherType: .media).units
        #expect(units.count == 2)
        #expect(units.map(\.holder) == ["institutions", "analysts"])
        #expect(units.map(\.speakerType) == [.institutional, .analyst])
        #expect(units[0].score > 0.3)
        #expect(units[1].score < -0.3)
        #expect(units.allSatisfy { $0.topic == .belief && $0.relevant })
    }

    @Test("a generic group opening the clause holds it", arguments: [
        ("Retail traders panic-sold their coins as prices slid.", "Retail traders", SpeakerType.retail),
        ("Miners are selling coins to cover power bills.", "Miners", .miner),
        ("Hedge funds are piling into bitcoin futures.", "Hedge funds", .institutional),
        ("A chorus of analysts now labels the regime bearish.", "analysts", .analyst),
    ])
    func openingHolder(sentence: String, holder: String, type: SpeakerType) {
        let units = scorer.scoreSentence(sentence, publisherType: .media).units
        #expect(units.count == 1)
        #expect(units.first?.holder == holder)
        #expect(units.first?.speakerType == type)
    }

    @Test("reporting frames give the holder and leave the frame out of the unit")
    func reportingFrames() {
        let said = scorer.scoreSentence("Fidelity said bitcoin is undervalued.", publisherType: .media).units
        #expect(said.map(\.holder) == ["Fidelity"])
        #expect(said.map(\.text) == ["bitcoin is undervalued"])
        let according = scorer.scoreSentence("According to JPMorgan analysts, bitcoin looks cheap.", publisherType: .media).units
        #expect(according.map(\.holder) == ["JPMorgan analysts"])
        #expect(according.map(\.speakerType) == [.analyst])
        #expect(according.map(\.text) == ["bitcoin looks cheap"])
        let warned = scorer.scoreSentence("Analysts at Bernstein warned that bitcoin could slide further.", publisherType: .media).units
        #expect(warned.map(\.speakerType) == [.analyst])
        #expect(warned.map(\.text) == ["bitcoin could slide further"])
        #expect(warned[0].score < 0)
    }

    @Test("an unknown named speaker holds the unit with type unknown, never the publisher's type")
    func unknownNamedSpeaker() {
        let units = scorer.scoreSentence("The SEC said the exchange broke securities law.", publisherType: .institutional).units
        #expect(units.map(\.holder) == ["SEC"])
        #expect(units.map(\.speakerType) == [.unknown])
    }

    @Test("a unit without a holder takes the publisher type")
    func publisherFallback() {
        let units = scorer.scoreSentence("Bitcoin is undervalued at these levels.", publisherType: .institutional).units
        #expect(units.map(\.holder) == [nil])
        #expect(units.map(\.speakerType) == [.institutional])
        #expect(scorer.score("Bitcoin is undervalued at these levels.").units.map(\.speakerType) == [.unknown])
    }

    @Test("market news and price action are technical and name no holder", arguments: [
        "The SEC sued the exchange, sending bitcoin down 8%.",
        "Weekly chart shows a bearish Kumo twist for Bitcoin.",
        "Bitcoin broke support at $60,000.",
        "Bitcoin fell 4% on Tuesday.",
        "BTC's RSI slipped below 30 as the 50-day average rolled over.",
    ])
    func technical(sentence: String) {
        let units = scorer.scoreSentence(sentence, publisherType: .institutional).units
        #expect(units.count == 1)
        #expect(units.first?.topic == .technical)
        #expect(units.first?.holder == nil)
    }

    @Test("a view about value, or a forecast, is a belief", arguments: [
        "Institutions still believe Bitcoin is undervalued.",
        "Fidelity expects bitcoin to rise 50% by next year.",
        "Bitcoin is a buying opportunity, said Fidelity.",
    ])
    func belief(sentence: String) {
        #expect(scorer.scoreSentence(sentence, publisherType: .media).units.allSatisfy { $0.topic == .belief })
    }

    @Test("contrast words split; each side keeps its own polarity")
    func contrastSplit() {
        let units = scorer.scoreSentence("Institutions are bullish on bitcoin, but retail traders are selling in panic.", publisherType: .media).units
        #expect(units.map(\.speakerType) == [.institutional, .retail])
        #expect(units[0].score > 0.3 && units[1].score < -0.3)
        let semicolon = scorer.scoreSentence("Analysts are bearish; miners are bullish.", publisherType: .media).units
        #expect(semicolon.map(\.speakerType) == [.analyst, .miner])
    }

    @Test("a clause about another asset is set aside and the sentence follows Bitcoin's clause")
    func otherAsset() {
        let s = scorer.scoreSentence("Ethereum rallied 8% while Bitcoin lagged.", publisherType: .media)
        #expect(s.units.map(\.relevant) == [false, true])
        #expect(s.units[0].score == 0)
        #expect(s.label == .negative)
    }

    @Test("the config extends the gazetteer with its own holders")
    func extraHolders() {
        let plain = SentimentScorer().scoreSentence("Acme Capital said bitcoin is undervalued.", publisherType: .media).units
        #expect(plain.map(\.speakerType) == [.unknown])
        let extended = SentimentScorer(threshold: 0.3, holders: HolderGazetteer(extra: ["Acme Capital": .institutional]))
        let units = extended.scoreSentence("Acme Capital said bitcoin is undervalued.", publisherType: .media).units
        #expect(units.map(\.holder) == ["Acme Capital"])
        #expect(units.map(\.speakerType) == [.institutional])
        #expect(HolderGazetteer(extra: ["Acme Capital": .institutional]).speakerType(of: "ACME capital") == .institutional)
        #expect(HolderGazetteer().speakerType(of: "BlackRock") == .institutional)
    }

    @Test("a sentence with nothing to split is one unit with the sentence's score")
    func singleUnit() {
        let s = scorer.scoreSentence("Bitcoin demand is strong.", publisherType: .analyst)
        #expect(s.units == [OpinionUnit(text: "Bitcoin demand is strong.", holder: nil, speakerType: .analyst, score: s.score,
                                        topic: .belief, relevant: true)])
    }

    @Test("sentences once scored the wrong way get their label and holder", arguments: WrongWayCase.load())
    func wrongWay(c: WrongWayCase) {
        let s = scorer.scoreSentence(c.sentence, publisherType: .media)
        #expect(s.label == c.label)
        if let holder = c.holder {
            #expect(s.units.first?.holder == holder)
            #expect(s.units.first?.speakerType == c.speaker_type)
        }
    }

    @Test("the wrong-way fixture covers every family with at least two sentences")
    func wrongWayFamilies() {
        let families = Dictionary(grouping: WrongWayCase.load(), by: \.family)
        #expect(Set(families.keys) == ["failure-verb", "target-other-than-bitcoin", "comparative", "softened-view",
                                       "minority-share", "trailing-attribution"])
        #expect(families.values.allSatisfy { $0.count >= 2 })
    }

    @Test("units appear in the JSONL line with holder, speaker type, score, topic and relevance")
    func jsonl() {
        let s = SentenceSentiment(text: "t", score: 0.5, label: .positive, relevant: true, speakerType: .unknown, claims: [],
                                  units: [OpinionUnit(text: "a \"b\"", holder: nil, speakerType: .media, score: -0.25,
                                                      topic: .technical, relevant: false)])
        #expect(SentimentJSONL.line(for: s).hasSuffix(#","claims":[],"units":[{"text":"a \"b\"","holder":null,"speaker_type":"media","score":-0.25,"topic":"technical","relevant":false}]}"#))
    }
}
