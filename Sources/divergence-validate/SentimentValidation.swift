import Foundation
import Sentiment

/// One line of a claims fixture: a sentence, its family when the fixture groups them, and the claims expected from it.
private struct ClaimsFixtureCase: Decodable {
    struct Expected: Decodable {
        var population: String
        var share: Double
        var proposition: String
        var stance: Int
        var sample_size: Int?
        var hedged: Bool
        var conditional: Bool?
    }
    var family: String?
    var sentence: String
    var claims: [Expected]
}

/// Scores the financial-news dev set (`fpbDev`) and the crypto-headline dev set beside it (`cryptolin-dev.tsv`),
/// printing accuracy, macro-F1 and the confusion matrix of each; prints claim precision/recall over the claims
/// fixture and, per family, over `claim-families.jsonl` beside it.
/// Returns false when a file cannot be read, financial-news macro-F1 is below 0.80, crypto macro-F1 below its
/// regression floor 0.60 (the target, 0.65, is printed as met or not), or claim precision or recall below 0.90.
public func validateSentiment(fpbDev: URL, claimsFixture: URL) -> Bool {
    let cryptoDev = fpbDev.deletingLastPathComponent().appendingPathComponent("cryptolin-dev.tsv")
    let families = claimsFixture.deletingLastPathComponent().appendingPathComponent("claim-families.jsonl")
    let scorer = SentimentScorer()
    guard let fpb = macroF1(of: fpbDev, name: "FPB dev (financial news)", scorer: scorer, target: 0.80),
          let crypto = macroF1(of: cryptoDev, name: "CryptoLin dev (crypto headlines)", scorer: scorer, target: 0.65) else {
        return false
    }
    let claims = claimAgreement(claimsFixture)
    let familyClaims = claimAgreement(families)
    return fpb >= 0.80 && crypto >= 0.60 && claims && familyClaims
}

/// Macro-F1 of the scorer's labels against `label<TAB>sentence` lines, with the confusion matrix printed; nil when unreadable.
private func macroF1(of file: URL, name: String, scorer: SentimentScorer, target: Double) -> Double? {
    let labels: [SentimentLabel] = [.positive, .neutral, .negative]
    guard let text = try? String(contentsOf: file, encoding: .utf8) else {
        print("sentiment validation: cannot read \(file.path)")
        return nil
    }
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
    print("\(name): \(total) sentences")
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
    print("accuracy \(fmt(accuracy))  macro-F1 \(fmt(macroF1))  (target >= \(fmt(target)): \(macroF1 >= target ? "met" : "not met"))")
    return macroF1
}

/// Exact-match claim precision and recall over a JSONL claims fixture, overall and per family; false when the
/// fixture is unreadable or either is below 0.90.
private func claimAgreement(_ fixture: URL) -> Bool {
    guard let text = try? String(contentsOf: fixture, encoding: .utf8) else {
        print("claims fixture: cannot read \(fixture.path)")
        return false
    }
    struct Tally { var expected = 0, predicted = 0, matched = 0, sentences = 0 }
    var tallies: [String: Tally] = [:]
    var ok = true
    let decoder = JSONDecoder()
    for line in text.split(separator: "\n") where !line.isEmpty {
        guard let c = try? decoder.decode(ClaimsFixtureCase.self, from: Data(line.utf8)) else {
            print("claims fixture: bad line: \(line.prefix(60))")
            ok = false
            continue
        }
        let got = ClaimExtractor.extract(from: c.sentence)
        var remaining = got
        var matched = 0
        for e in c.claims {
            if let i = remaining.firstIndex(where: {
                $0.population.rawValue == e.population && abs($0.share - e.share) < 0.005 && $0.proposition.rawValue == e.proposition
                    && $0.stance == e.stance && $0.sampleSize == e.sample_size && $0.hedged == e.hedged
                    && $0.conditional == (e.conditional ?? false)
            }) {
                matched += 1
                remaining.remove(at: i)
            }
        }
        for key in Set(["all", c.family ?? "all"]) {
            tallies[key, default: Tally()].sentences += 1
            tallies[key, default: Tally()].expected += c.claims.count
            tallies[key, default: Tally()].predicted += got.count
            tallies[key, default: Tally()].matched += matched
        }
    }
    func rates(_ t: Tally) -> (p: Double, r: Double) {
        (t.predicted > 0 ? Double(t.matched) / Double(t.predicted) : 1, t.expected > 0 ? Double(t.matched) / Double(t.expected) : 1)
    }
    let all = tallies["all"] ?? Tally()
    let (p, r) = rates(all)
    print("claims \(fixture.lastPathComponent): \(all.sentences) sentences, \(all.expected) expected, \(all.predicted) extracted, \(all.matched) exact matches")
    print("claims precision \(fmt(p))  recall \(fmt(r))  (target >= 0.90 each)")
    for (family, t) in tallies.sorted(by: { $0.key < $1.key }) where family != "all" {
        let (fp, fr) = rates(t)
        print("  \(family.padded(18)) \(t.sentences) sentences  precision \(fmt(fp))  recall \(fmt(fr))")
    }
    return ok && p >= 0.90 && r >= 0.90
}

private func fmt(_ x: Double) -> String { String(format: "%.4f", x) }

private extension String {
    func padded(_ n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }
    func leftPadded(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}
