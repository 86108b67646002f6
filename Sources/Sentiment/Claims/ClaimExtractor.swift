/// Reads survey-style claims ("70% of institutions surveyed believe Bitcoin is undervalued") from
/// one sentence: share, population, proposition with stance, sample size and hedging.
public enum ClaimExtractor {
    /// Claims in `sentence`, in the order their shares appear.
    public static func extract(from sentence: String) -> [Claim] {
        let tokens = Tokenizer.tokenize(sentence)
        let words = tokens.map { normalisedWord($0.text) }
        let kinds = tokens.map(\.kind)
        var shares = findShares(words, kinds)
        let globalSample = findSampleSize(words, kinds, excluding: shares)
        if shares.isEmpty, let sample = globalSample {
            shares = countShares(words, kinds, of: sample)
        }
        if shares.isEmpty { return [] }
        let hedged = words.contains { hedgeWords.contains($0) }
        let conditional = words.indices.contains { i in
            words[i] == "if" || words[i] == "unless" || (words[i] == "provided" && i + 1 < words.count && words[i + 1] == "that")
        }
        var claims: [Claim] = []
        var previous: (population: ClaimPopulation, proposition: ClaimProposition, stance: Int)?
        for (index, share) in shares.enumerated() {
            let nextStart = index + 1 < shares.count ? shares[index + 1].start : words.count
            let prevEnd = index > 0 ? shares[index - 1].end : 0
            var population: ClaimPopulation?
            var cursor = share.end
            var localSample: Int? = share.sample
            var j = share.end
            while j < min(nextStart, share.end + 8) {
                if let p = populationAt(words, j) {
                    population = p.key
                    cursor = j + p.length
                    break
                }
                if kinds[j] == .number, !words[j].hasSuffix("%"), let v = integerValue(words[j]) { localSample = v }
                if stopWords.contains(words[j]) { break }
                j += 1
            }
            if population == nil {
                j = share.start - 1
                while j >= max(prevEnd, share.start - 12) {
                    if let p = populationAt(words, j) { population = p.key; break }
                    j -= 1
                }
            }
            if population == nil { population = previous?.population }
            if population == nil {
                for k in 0..<words.count { if let p = populationAt(words, k) { population = p.key; break } }
            }
            guard let pop = population else { continue }

            var found = share.restated ? findProposition(words, from: prevEnd, to: share.start) : nil
            if found == nil { found = findProposition(words, from: cursor, to: nextStart) }
            if found == nil, nextStart < words.count { found = findProposition(words, from: cursor, to: words.count) }
            if found == nil, previous == nil { found = findProposition(words, from: 0, to: share.start) }
            var proposition: ClaimProposition
            var stance: Int
            if let f = found {
                proposition = f.key
                stance = f.stance
                if f.negated { stance = -stance }
            } else if let prev = previous, (cursor..<nextStart).contains(where: { negators.contains(words[$0]) || words[$0] == "disagree" }) {
                proposition = prev.proposition
                stance = -prev.stance
            } else if let prev = previous, prev.proposition.isAllocation,
                      let verb = (cursor..<nextStart).first(where: { upVerbs.contains(words[$0]) || downVerbs.contains(words[$0]) || holdVerbs.contains(words[$0]) }) {
                if upVerbs.contains(words[verb]) { proposition = .increaseAllocation; stance = 1 }
                else if downVerbs.contains(words[verb]) { proposition = .decreaseAllocation; stance = -1 }
                else { proposition = .maintainAllocation; stance = 0 }
            } else if let f = findProposition(words, from: 0, to: share.start) {
                proposition = f.key
                stance = f.negated ? -f.stance : f.stance
            } else {
                continue
            }
            claims.append(Claim(population: pop, share: share.value, proposition: proposition, stance: stance,
                                sampleSize: localSample ?? globalSample, hedged: hedged, quote: sentence,
                                conditional: conditional))
            previous = (pop, proposition, stance)
        }
        return claims
    }

    /// A token lower-cased with the typographic apostrophe as `'`; ASCII (nearly every token) skips Unicode case mapping.
    static func normalisedWord(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 && !($0 >= 0x41 && $0 <= 0x5A) }) { return text }
        var bytes = Array(text.utf8)
        if bytes.allSatisfy({ $0 < 0x80 }) {
            for index in bytes.indices where bytes[index] >= 0x41 && bytes[index] <= 0x5A { bytes[index] |= 0x20 }
            return String(decoding: bytes, as: UTF8.self)
        }
        return String(text.lowercased().map { $0 == "\u{2019}" ? "'" : $0 })
    }

    /// The speaker class that a claim's population belongs to.
    public static func speaker(forPopulation population: ClaimPopulation) -> SpeakerType { population.speakerType }

    struct Share {
        var start: Int
        var end: Int
        var value: Double
        var sample: Int?
        /// "the share of X who … rose to 25%": the proposition precedes the number.
        var restated = false
    }

    /// Words before a percentage that make it a move, not a share of people ("fell another 10%", "down 8%").
    static let moveWords: Set<String> = [
        "another", "fell", "fall", "falls", "rose", "rise", "rises", "dropped", "drop", "drops", "gained", "gain", "lost",
        "lose", "down", "up", "by", "further", "slid", "jumped", "surged", "plunged", "climbed", "declined", "decline",
    ]
    static let hedgeWords: Set<String> = [
        "may", "might", "could", "possibly", "perhaps", "likely", "unlikely", "suggest", "suggests", "suggested",
        "appear", "appears", "appeared", "seem", "seems", "seemed", "reportedly", "would", "preliminary", "tentatively",
    ]
    static let negators: Set<String> = [
        "not", "no", "never", "don't", "doesn't", "didn't", "isn't", "aren't", "wasn't", "weren't", "won't",
        "cannot", "can't", "neither", "nor", "disagree", "disagreed", "reject", "rejected",
    ]
    static let stopWords: Set<String> = [
        "believe", "believes", "believed", "said", "say", "says", "think", "thinks", "thought", "expect", "expects",
        "expected", "see", "sees", "view", "views", "viewed", "consider", "considers", "considered", "are", "were",
        "is", "was", "plan", "plans", "planned", "reported", "indicated", "agreed", "agree", "predict", "predicted",
        "anticipate", "described", "called", "described", "regard", "regarded", "feel", "felt", "hold", "held",
        "want", "intend", "intends", "do", "did", "does", "have", "had", "and", "while", "but", "whereas",
    ]
    static let wordNumbers: [String: Double] = [
        "a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
        "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "hundred": 100,
    ]
    static let tensWords: [String: Double] = [
        "ten": 10, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
        "ninety": 90,
    ]
    /// Words that may follow a percentage used as a share of people ("70% said", "70% of", "20%,").
    static let shareFollowers: Set<String> = [
        "of", ",", ":", ")", "said", "say", "says", "saying", "believe", "believed", "think", "thought", "expect",
        "expected", "view", "viewed", "see", "saw", "consider", "considered", "called", "calling", "described",
        "describe", "are", "were", "plan", "planned", "hold", "held", "remain", "remained", "feel", "felt", "have",
        "had", "would", "could", "may", "might", "will", "do", "did", "does", "agree", "agreed", "anticipate",
        "predicted", "predict", "regarded", "regard", "want", "intend", "now", "still", "also", "surveyed",
        "polled", "reported", "indicated", "favour", "favor", "answered", "chose", "selected", "identified", "labelled",
        "labeled", "responded", "rated", "named",
    ]
    static let fractionWords: [String: Double] = [
        "half": 0.5, "one-half": 0.5, "third": 1.0 / 3, "one-third": 1.0 / 3, "thirds": 2.0 / 3, "two-thirds": 2.0 / 3,
        "quarter": 0.25, "one-quarter": 0.25, "three-quarters": 0.75, "quarters": 0.75, "fifth": 0.2,
        "one-fifth": 0.2, "two-fifths": 0.4, "three-fifths": 0.6, "four-fifths": 0.8, "fifths": 0.4,
        "tenth": 0.1, "one-tenth": 0.1,
    ]

    /// Value of a number token: currency, thousands separators and unit letters dropped; a range gives its midpoint.
    static func numberValue(_ text: String) -> Double? {
        var parts: [Double] = []
        var current = ""
        for ch in text {
            if ch.isNumber || ch == "." { current.append(ch) }
            else if ch == "," { continue }
            else if ch == "-" || ch == "\u{2013}" || ch == "\u{2014}" {
                if let v = Double(current) { parts.append(v) }
                current = ""
            } else if ch == "$" || ch == "\u{20AC}" || ch == "\u{00A3}" { continue }
            else { break }
        }
        if let v = Double(current) { parts.append(v) }
        guard !parts.isEmpty else { return nil }
        return parts.reduce(0, +) / Double(parts.count)
    }

    static func integerValue(_ text: String) -> Int? {
        guard text.allSatisfy({ $0.isNumber || $0 == "," }) else { return nil }
        return Int(text.filter { $0 != "," })
    }

    static func countValue(_ word: String, _ kind: TokenKind) -> Double? {
        if kind == .number { return integerValue(word).map(Double.init) }
        return wordNumbers[word]
    }

    /// Bare counts against a stated sample: "Among 75 institutional investors polled, 45 said …" → 45/75.
    static func countShares(_ w: [String], _ kinds: [TokenKind], of sample: Int) -> [Share] {
        var out: [Share] = []
        for i in 0..<w.count where kinds[i] == .number {
            guard let v = integerValue(w[i]), v > 0, v < sample, i + 1 < w.count,
                  (shareFollowers.contains(w[i + 1]) && w[i + 1] != "of" && w[i + 1] != ",") || populationAt(w, i + 1) != nil
            else { continue }
            out.append(Share(start: i, end: i + 1, value: Double(v) / Double(sample), sample: nil))
        }
        return out
    }

    /// Value of a spelled-out percentage such as "forty" or "sixty-two".
    static func tensValue(_ word: String) -> Double? {
        if let v = tensWords[word] { return v }
        guard word.utf8.contains(UInt8(ascii: "-")) else { return nil }
        let parts = word.split(separator: "-")
        guard parts.count == 2, let tens = tensWords[String(parts[0])], let unit = wordNumbers[String(parts[1])],
              unit < 10, String(parts[1]) != "a" else { return nil }
        return tens + unit
    }

    /// Share expressions: percentages, "N in M", "N out of M", fractions, majorities, "N of M".
    static func findShares(_ w: [String], _ kinds: [TokenKind]) -> [Share] {
        var out: [Share] = []
        var i = 0
        let n = w.count
        func word(_ k: Int) -> String { k < n ? w[k] : "" }
        while i < n {
            var percentValue: Double?
            var percentEnd = i
            if kinds[i] == .number, w[i].hasSuffix("%"), let v = numberValue(w[i]) {
                percentValue = v; percentEnd = i + 1
            } else if kinds[i] == .number || tensValue(w[i]) != nil,
                      let v = kinds[i] == .number ? numberValue(w[i]) : tensValue(w[i]) {
                if word(i + 1) == "%" || word(i + 1) == "percent" || word(i + 1) == "pct" {
                    percentValue = v; percentEnd = i + 2
                } else if word(i + 1) == "per", word(i + 2) == "cent" {
                    percentValue = v; percentEnd = i + 3
                }
            }
            if let v = percentValue, v >= 0, v <= 100, i > 0, moveWords.contains(w[i - 1]) {
                i = percentEnd
                continue
            }
            if let v = percentValue, v >= 0, v <= 100 {
                let follower = word(percentEnd)
                let restatesShare = i > 0 && (w[i - 1] == "to" || w[i - 1] == "at")
                    && w[..<i].contains { $0 == "share" || $0 == "proportion" || $0 == "percentage" }
                if percentEnd >= n || follower == "." || restatesShare || shareFollowers.contains(follower)
                    || populationAt(w, percentEnd) != nil {
                    out.append(Share(start: i, end: percentEnd, value: v / 100, sample: nil, restated: restatesShare))
                }
                i = percentEnd
                continue
            }
            if let a = countValue(w[i], kinds[i]), w[i] != "a" {
                var denominatorAt = -1
                if word(i + 1) == "in" { denominatorAt = i + 2 }
                if word(i + 1) == "out", word(i + 2) == "of" { denominatorAt = i + 3 }
                if denominatorAt >= 0, denominatorAt < n, let b = countValue(w[denominatorAt], kinds[denominatorAt]),
                   b > a, b <= 100 {
                    out.append(Share(start: i, end: denominatorAt + 1, value: a / b, sample: nil))
                    i = denominatorAt + 1; continue
                }
                if kinds[i] == .number, word(i + 1) == "of", i + 2 < n, kinds[i + 2] == .number,
                   let b = countValue(w[i + 2], kinds[i + 2]), b > a, !word(i + 3).hasPrefix("%") {
                    out.append(Share(start: i, end: i + 3, value: a / b, sample: Int(b)))
                    i += 3; continue
                }
            }
            if let f = fractionWords[w[i]] {
                var value = f
                let before = i > 0 ? w[i - 1] : ""
                if w[i] == "thirds" || w[i] == "quarters" || w[i] == "fifths" {
                    guard let count = wordNumbers[before], before != "a" else { i += 1; continue }
                    value = count / (w[i] == "thirds" ? 3 : w[i] == "quarters" ? 4 : 5)
                }
                let next = word(i + 1)
                if next == "of" || populationAt(w, i + 1) != nil || (w[i] == "half" && stopWords.contains(next)) {
                    let start = (before == "a" || before == "one" || wordNumbers[before] != nil) && i > 0 ? i - 1 : i
                    out.append(Share(start: start, end: i + 1, value: value, sample: nil)); i += 1; continue
                }
            }
            if w[i] == "majority" || w[i] == "minority" {
                let before = i > 0 ? w[i - 1] : ""
                var value = w[i] == "majority" ? 0.55 : 0.3
                if ["vast", "overwhelming", "large", "huge"].contains(before) { value = 0.8 }
                out.append(Share(start: i, end: i + 1, value: value, sample: nil)); i += 1; continue
            }
            if w[i] == "most", word(i + 1) == "of" || populationAt(w, i + 1) != nil {
                out.append(Share(start: i, end: i + 1, value: 0.55, sample: nil)); i += 1; continue
            }
            i += 1
        }
        // A qualitative share restated with a number ("a minority of institutions, 20%,") keeps the number.
        var kept: [Share] = []
        for (k, share) in out.enumerated() {
            let qualitative = ["majority", "minority", "most"].contains(w[share.start])
            if qualitative, k + 1 < out.count, out[k + 1].start - share.end <= 4 { continue }
            // "Just under half of wealth managers, 48%, think …": the number restates the words.
            if kinds[share.start] != .number, k + 1 < out.count, kinds[out[k + 1].start] == .number,
               out[k + 1].start > share.end, w[out[k + 1].start - 1] == ",", out[k + 1].start - share.end <= 6 { continue }
            kept.append(share)
        }
        return kept
    }

    static let investorNouns: Set<String> = ["investors", "respondents", "clients", "participants", "allocators", "buyers", "holders", "investor"]

    /// Population phrase starting at `k`: its key and token length.
    static func populationAt(_ w: [String], _ k: Int) -> (key: ClaimPopulation, length: Int)? {
        guard k < w.count else { return nil }
        let a = w[k]
        let b = k + 1 < w.count ? w[k + 1] : ""
        switch a {
        case "non-institutional", "noninstitutional":
            return (.nonInstitutional, investorNouns.contains(b) ? 2 : 1)
        case "non":
            if b == "-" || b == "institutional" { return (.nonInstitutional, 2) }
        case "independent":
            if investorNouns.contains(b) || b == "advisors" || b == "advisers" { return (.nonInstitutional, 2) }
        case "institutional":
            return (.institutionalInvestors, investorNouns.contains(b) ? 2 : 1)
        case "institutions", "institution":
            return (.institutions, 1)
        case "fund", "asset", "portfolio", "money", "wealth", "investment":
            if b == "managers" || b == "manager" { return (.fundManagers, 2) }
        case "hedge", "pension":
            if b == "funds" || b == "fund" { return (.institutions, 2) }
        case "family":
            if b == "offices" { return (.institutions, 2) }
        case "endowments", "treasuries", "treasurers":
            return (.institutions, 1)
        case "corporate":
            if b == "treasuries" || b == "treasurers" || b == "treasury" { return (.institutions, 2) }
        case "sovereign":
            if b == "wealth" { return (.institutions, k + 2 < w.count && w[k + 2].hasPrefix("fund") ? 3 : 2) }
        case "financial":
            if b == "advisers" || b == "advisors" || b == "planners" { return (.fundManagers, 2) }
        case "advisers", "advisors", "rias":
            return (.fundManagers, 1)
        case "respondents":
            // "institutional respondents" is read from its first word.
            if k > 0, populationAt(w, k - 1) != nil { return nil }
            return (.respondents, 1)
        case "allocators":
            return (.institutionalInvestors, 1)
        case "retail":
            return (.retail, investorNouns.contains(b) || b == "traders" ? 2 : 1)
        case "individual":
            if investorNouns.contains(b) { return (.retail, 2) }
        case "analysts", "strategists", "economists":
            return (.analysts, 1)
        case "miners":
            return (.miners, 1)
        case "mining":
            if b == "companies" || b == "firms" || b == "executives" { return (.miners, 2) }
        default:
            break
        }
        return nil
    }

    static let upVerbs: Set<String> = [
        "increase", "increased", "increasing", "increases", "raise", "raised", "raising", "boost", "boosted", "boosting",
        "add", "added", "adding", "grow", "growing", "expand", "expanded", "expanding", "higher", "more", "larger", "rise", "up",
    ]
    static let downVerbs: Set<String> = [
        "reduce", "reduced", "reducing", "decrease", "decreased", "decreasing", "cut", "cutting", "lower", "lowered",
        "lowering", "trim", "trimmed", "trimming", "shrink", "less", "smaller", "fall", "down", "sell",
    ]
    static let holdVerbs: Set<String> = ["maintain", "maintained", "maintaining", "keep", "keeping", "unchanged", "steady"]
    static let allocationNouns: Set<String> = [
        "allocation", "allocations", "exposure", "exposures", "holdings", "position", "positions", "stake", "stakes", "weighting",
    ]

    /// First proposition in `from..<to`: key, stance, and whether a negator precedes it in the range.
    static func findProposition(_ w: [String], from: Int, to: Int) -> (key: ClaimProposition, stance: Int, negated: Bool)? {
        var negated = false
        var k = from
        func next(_ j: Int) -> String { j < w.count ? w[j] : "" }
        while k < min(to, w.count) {
            let a = w[k]
            let b = next(k + 1)
            if negators.contains(a) { negated.toggle() }
            var hit: (ClaimProposition, Int)?
            switch a {
            case "undervalued", "under-valued", "undervalue", "cheap", "underpriced": hit = (.undervalued, 1)
            case "overvalued", "over-valued", "overpriced", "bubble", "expensive": hit = (.overvalued, -1)
            case "under" where b == "valued" || b == "priced": hit = (.undervalued, 1)
            case "over" where b == "valued" || b == "priced": hit = (.overvalued, -1)
            case "fairly", "correctly", "appropriately", "reasonably", "fair", "properly":
                if b == "valued" || b == "priced" || b == "value" { hit = (.fairlyValued, 0) }
            case "bear":
                if ["market", "markets", "phase", "cycle", "territory", "trend"].contains(b) { hit = (.bearMarket, -1) }
            case "bull":
                if ["market", "markets", "run", "cycle", "phase", "trend"].contains(b) { hit = (.bullMarket, 1) }
            case "crypto" where b == "winter": hit = (.bearMarket, -1)
            case "bullish", "optimistic": hit = (.bullish, 1)
            case "bearish", "pessimistic": hit = (.bearish, -1)
            case "buy", "buying", "accumulate", "accumulating", "overweight": hit = (.increaseAllocation, 1)
            case "underweight", "sell", "selling", "exit", "offload": hit = (.decreaseAllocation, -1)
            case "bottomed": hit = (.marketBottom, 1)
            case "net" where b == "long": hit = (.netLong, 1)
            case "net" where b == "short": hit = (.netShort, -1)
            case "hold", "maintain", "keep":
                if b == "or" || b == "and", k + 2 < w.count, ["increase", "raise", "add", "boost", "grow"].contains(w[k + 2]) {
                    hit = (.holdOrIncreaseAllocation, 1)
                }
            case "higher", "rise", "climb", "rally", "gain", "appreciate", "lower", "fall", "drop", "decline", "slide":
                if expectsPrice(w, from: from, to: k) {
                    hit = ["higher", "rise", "climb", "rally", "gain", "appreciate"].contains(a) ? (.priceHigher, 1) : (.priceLower, -1)
                }
            default:
                if allocationNouns.contains(a) {
                    var j = k - 1
                    while j >= max(from, k - 4) {
                        if upVerbs.contains(w[j]) { hit = (.increaseAllocation, 1); break }
                        if downVerbs.contains(w[j]) { hit = (.decreaseAllocation, -1); break }
                        if holdVerbs.contains(w[j]) { hit = (.maintainAllocation, 0); break }
                        j -= 1
                    }
                    if hit == nil {
                        j = k + 1
                        while j < min(w.count, k + 4) {
                            if upVerbs.contains(w[j]) { hit = (.increaseAllocation, 1); break }
                            if downVerbs.contains(w[j]) { hit = (.decreaseAllocation, -1); break }
                            j += 1
                        }
                    }
                }
            }
            if let h = hit { return (h.0, h.1, negated) }
            k += 1
        }
        return nil
    }

    static let expectationVerbs: Set<String> = [
        "expect", "expects", "expected", "expecting", "see", "sees", "predict", "predicts", "predicted", "forecast",
        "forecasts", "anticipate", "anticipates", "think", "thinks", "believe", "believes", "project", "projects",
    ]

    /// A price expectation before `k`: an expectation verb and then Bitcoin or its price ("expect bitcoin to end the
    /// year lower", "see prices rising").
    static func expectsPrice(_ w: [String], from: Int, to k: Int) -> Bool {
        guard let verb = (max(from, k - 10)..<k).first(where: { expectationVerbs.contains(w[$0]) }) else { return false }
        return ((verb + 1)..<k).contains { ["bitcoin", "btc", "price", "prices", "it", "crypto"].contains(w[$0]) }
    }

    static let respondentNouns: Set<String> = [
        "respondents", "participants", "investors", "institutions", "managers", "people", "allocators", "analysts",
        "miners", "firms", "organizations", "organisations", "professionals", "executives", "advisors", "advisers",
        "clients", "institutional", "non-institutional", "fund", "asset", "decision-makers", "individuals",
        "companies", "family", "hedge", "retail", "respondent", "independent",
    ]
    static let introducers: Set<String> = ["of", "surveyed", "polled", "among", "questioned", "interviewed", "asked", "with", "from"]

    /// Sample size: "n=75", "of 148 respondents", "survey of 148 investors", "sample of 148".
    static func findSampleSize(_ w: [String], _ kinds: [TokenKind], excluding shares: [Share]) -> Int? {
        func inShare(_ index: Int) -> Bool { shares.contains { $0.start <= index && index < $0.end } }
        for (i, word) in w.enumerated() {
            if word == "n", i + 2 < w.count, w[i + 1] == "=", let v = integerValue(w[i + 2]) { return v }
            if word.hasPrefix("n="), let v = integerValue(String(word.dropFirst(2))) { return v }
        }
        for i in 0..<w.count where kinds[i] == .number && !inShare(i) {
            guard let v = integerValue(w[i]), v >= 5 else { continue }
            let next = i + 1 < w.count ? w[i + 1] : ""
            let prev = i > 0 ? w[i - 1] : ""
            let prev2 = i > 1 ? w[i - 2] : ""
            if next.hasPrefix("respondent") { return v }
            if prev == "sample" || (prev == "of" && (prev2 == "sample" || prev2 == "size")) { return v }
            let introduced = introducers.contains(prev) || (prev == "the" && introducers.contains(prev2))
                || ["more", "over", "nearly", "almost", "about", "around", "roughly"].contains(prev)
            if introduced, respondentNouns.contains(next) || (i + 2 < w.count && respondentNouns.contains(w[i + 2])) {
                return v
            }
        }
        return nil
    }
}
