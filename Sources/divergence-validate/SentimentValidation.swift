import Foundation
import Sentiment

/// One line of the claims fixture: a sentence and the claims expected from it.
private struct ClaimsFixtureCase: Decodable {
    struct Expected: Decodable {
        var population: String
        var share: Double
        var proposition: String
        var stance: Int
        var sample_size: Int?
        var hedged: Bool
    }
    var sentence: String
    var claims: [Expected]
}

/// Scores the Financial-PhraseBank-style dev set (`label<TAB>sentence`) and prints accuracy,
/// macro-F1 and the confusion matrix; prints claim precision/recall over the claims fixture.
/// Returns false when macro-F1 is below 0.75 or a file cannot be read.
public func validateSentiment(fpbDev: URL, claimsFixture: URL) -> Bool {
    let labels: [SentimentLabel] = [.positive, .neutral, .negative]
    guard let text = try? String(contentsOf: fpbDev, encoding: .utf8) else {
        print("sentiment validation: cannot read \(fpbDev.path); skipped")
        return false
    }
    let scorer = SentimentScorer()
    var confusion = [[Int]](repeating: [Int](repeating: 0, count: 3), count: 3)
    var total = 0
    for line in text.split(separator: "\n") {
        let parts = line.split(separator: "\t", maxSplits: 1)
        guard parts.count == 2, let gold = SentimentLabel(rawValue: String(parts[0])) else { continue }
        let predicted = scorer.score(String(parts[1])).label
        confusion[labels.firstIndex(of: gold)!][labels.firstIndex(of: predicted)!] += 1
        total += 1
    }
    var correct = 0
    var f1Sum = 0.0
    print("FPB dev: \(total) sentences")
    print("gold \\ predicted   positive  neutral  negative")
    for (g, label) in labels.enumerated() {
        correct += confusion[g][g]
        let row = confusion[g].map { String($0).leftPadded(9) }.joined()
        print(label.rawValue.padded(18) + row)
    }
    for c in 0..<3 {
        let tp = Double(confusion[c][c])
        let predicted = Double((0..<3).map { confusion[$0][c] }.reduce(0, +))
        let actual = Double(confusion[c].reduce(0, +))
        let precision = predicted > 0 ? tp / predicted : 0
        let recall = actual > 0 ? tp / actual : 0
        let f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
        f1Sum += f1
        print("  \(labels[c].rawValue.padded(9)) precision \(fmt(precision))  recall \(fmt(recall))  F1 \(fmt(f1))")
    }
    let accuracy = total > 0 ? Double(correct) / Double(total) : 0
    let macroF1 = f1Sum / 3
    print("accuracy \(fmt(accuracy))  macro-F1 \(fmt(macroF1))  (target macro-F1 >= 0.75)")

    var claimsOK = true
    if let fixture = try? String(contentsOf: claimsFixture, encoding: .utf8) {
        var expectedCount = 0, predictedCount = 0, matched = 0, sentences = 0
        let decoder = JSONDecoder()
        for line in fixture.split(separator: "\n") where !line.isEmpty {
            guard let c = try? decoder.decode(ClaimsFixtureCase.self, from: Data(line.utf8)) else {
                print("claims fixture: bad line: \(line.prefix(60))")
                claimsOK = false
                continue
            }
            sentences += 1
            let got = ClaimExtractor.extract(from: c.sentence)
            expectedCount += c.claims.count
            predictedCount += got.count
            var remaining = got
            for e in c.claims {
                if let i = remaining.firstIndex(where: {
                    $0.population == e.population && abs($0.share - e.share) < 0.005 && $0.proposition == e.proposition
                        && $0.stance == e.stance && $0.sampleSize == e.sample_size && $0.hedged == e.hedged
                }) {
                    matched += 1
                    remaining.remove(at: i)
                }
            }
        }
        let p = predictedCount > 0 ? Double(matched) / Double(predictedCount) : 0
        let r = expectedCount > 0 ? Double(matched) / Double(expectedCount) : 0
        print("claims fixture: \(sentences) sentences, \(expectedCount) expected, \(predictedCount) extracted, \(matched) exact matches")
        print("claims precision \(fmt(p))  recall \(fmt(r))")
    } else {
        print("claims fixture: cannot read \(claimsFixture.path)")
        claimsOK = false
    }
    return macroF1 >= 0.75 && claimsOK
}

private func fmt(_ x: Double) -> String { String(format: "%.4f", x) }

private extension String {
    func padded(_ n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }
    func leftPadded(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}
