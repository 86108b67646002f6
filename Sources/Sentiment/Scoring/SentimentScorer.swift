/// A token with its lexicon entry and per-sentence scoring state.
struct ScoredUnit {
    var entry: LexEntry
    var kind: TokenKind
    var punct: PunctClass
    /// Numeric value of a number token (NaN otherwise, and for calendar years).
    var value: Float
    var start: Int32
    var end: Int32
    var clause: Int32 = 0
    var weight: Float = 1
    /// Hedge multiplier of the unit's clause.
    var hedge: Float = 1
    var contribution: Float = 0
    var consumed = false
}

/// Scores financial and crypto sentences with a domain lexicon and phrase rules: directional
/// phrases (direction × quantity polarity), negation scope, intensifiers, hedges, contrast and
/// comparatives. Also marks Bitcoin relevance, speaker type and survey claims.
public struct SentimentScorer: Sendable {
    /// Score above which a sentence is positive (and below whose negation it is negative).
    public var threshold: Double

    /// Named holders and groups that opinion units are attributed to.
    public var holders: HolderGazetteer

    /// A scorer with the default decision threshold and the built-in holder gazetteer.
    public init() {
        threshold = 0.3
        holders = HolderGazetteer()
    }

    /// A scorer with a custom decision threshold on the −1…1 score and, optionally, an extended gazetteer.
    public init(threshold: Double, holders: HolderGazetteer = HolderGazetteer()) {
        self.threshold = threshold
        self.holders = holders
    }

    /// Scores one sentence; units without a named holder get speaker type `unknown`.
    public func score(_ sentence: String) -> SentenceSentiment {
        scoreSentence(sentence, publisherType: .unknown)
    }

    /// Scores one sentence and splits it into opinion units; a unit without a named holder takes `publisherType`.
    public func scoreSentence(_ sentence: String, publisherType: SpeakerType) -> SentenceSentiment {
        var copy = sentence
        var tokens: [RawToken] = []
        let a = copy.withUTF8 { SentimentScorer.analyse($0, keeping: &tokens) }
        var value = Double(a.score)
        let claims = a.mayHaveClaims ? ClaimExtractor.extract(from: sentence) : []
        var speaker = a.speaker
        if let first = claims.first {
            speaker = ClaimExtractor.speaker(forPopulation: first.population)
        }
        var units: [OpinionUnit]
        if a.splitCue || (a.otherAsset && a.bitcoin) {
            units = OpinionReader(gazetteer: holders, sentence: sentence, tokens: tokens).units(analysis: a, publisherType: publisherType)
            value = OpinionReader.bitcoinDirected(sentenceScore: value, units: units, analysis: a)
        } else {
            units = [OpinionUnit(text: sentence, holder: nil, speakerType: publisherType, score: value,
                                 topic: a.technical ? .technical : .belief, relevant: a.relevant)]
        }
        if let minority = OpinionReader.minorityFinding(claims, sentence: sentence) {
            value = minority
            let claimSpeaker = ClaimExtractor.speaker(forPopulation: claims[0].population)
            for i in units.indices where units.count == 1 || units[i].speakerType == claimSpeaker { units[i].score = minority }
        }
        let label: SentimentLabel = value > threshold ? .positive : (value < -threshold ? .negative : .neutral)
        return SentenceSentiment(text: sentence, score: value, label: label, relevant: a.relevant,
                                 speakerType: speaker, claims: claims, units: units)
    }

    /// Splits `text` into sentences and scores each; units without a named holder take `publisherType`.
    public func scoreDocument(_ text: String, publisherType: SpeakerType) -> [SentenceSentiment] {
        SentenceSplitter.split(text).map { scoreSentence($0, publisherType: publisherType) }
    }

    /// Splits `text` into sentences and scores each.
    public func scoreDocument(_ text: String) -> [SentenceSentiment] {
        SentenceSplitter.split(text).map(score)
    }

    /// Polarity only (−1…1), without claims or speaker; the fast path for bulk scoring.
    public func polarity(_ sentence: String) -> Double {
        var copy = sentence
        return Double(copy.withUTF8 { SentimentScorer.analyse($0) }.score)
    }

    /// The words and phrases that moved the score, with their signed contributions before
    /// squashing (the evidence behind a sentence's score).
    public func contributions(_ sentence: String) -> [Contribution] {
        var copy = sentence
        return copy.withUTF8 { buf in
            var storage = SentimentScorer.units(buf)
            return storage.withUnsafeMutableBufferPointer { units in
                _ = SentimentScorer.analyse(buf, units)
                return units.compactMap { u in
                    guard u.contribution != 0 else { return nil }
                    let slice = UnsafeBufferPointer(rebasing: buf[Int(u.start)..<Int(u.end)])
                    return Contribution(text: String(decoding: slice, as: UTF8.self), value: Double(u.contribution))
                }
            }
        }
    }

    struct Analysis {
        var score: Float
        var relevant: Bool
        var speaker: SpeakerType
        var mayHaveClaims: Bool
        /// A contrast, concession, `;`, attribution, named speaker or population: the sentence may hold several units.
        var splitCue = false
        /// Chart or indicator vocabulary, or a price move stated as fact ("fell 4%").
        var technical = false
        /// Mentions an asset other than Bitcoin, and Bitcoin itself.
        var otherAsset = false
        var bitcoin = false
    }

    /// Builds lexicon units, merging phrases of up to three tokens.
    static func units(_ buf: UnsafeBufferPointer<UInt8>) -> [ScoredUnit] {
        var raw: [RawToken] = []
        return units(buf, keeping: &raw)
    }

    /// Builds lexicon units from the tokens of `buf`, which are left in `raw` for the opinion reader.
    static func units(_ buf: UnsafeBufferPointer<UInt8>, keeping raw: inout [RawToken]) -> [ScoredUnit] {
        raw.removeAll(keepingCapacity: true)
        raw.reserveCapacity(buf.count / 4 + 4)
        Tokenizer.scan(buf, into: &raw)
        let table = DomainLexicon.table
        var units: [ScoredUnit] = []
        units.reserveCapacity(raw.count)
        var i = 0
        let count = raw.count
        while i < count {
            let t = raw[i]
            // A decimal split from its integer part ("EUR4 .5") continues the previous amount.
            if t.kind == .number, buf[Int(t.start)] == 46, i > 0, !units.isEmpty,
               raw[i - 1].end + 1 == t.start, Tokenizer.isDigit(buf[Int(raw[i - 1].end) - 1]) {
                let fraction = numberValue(buf, t)
                var whole: Float = 0
                var scale: Float = 1
                var p = Int(raw[i - 1].end) - 1
                while p >= Int(raw[i - 1].start), Tokenizer.isDigit(buf[p]) {
                    whole += Float(buf[p] - 48) * scale
                    scale *= 10
                    p -= 1
                }
                units[units.count - 1].value = whole + fraction
                units[units.count - 1].kind = .number
                units[units.count - 1].end = t.end
                i += 1
                continue
            }
            var e = LexEntry()
            var span = 1
            if t.kind != .punctuation && t.kind != .number {
                var idx = table.find(t.hash)
                if idx < 0 && t.hyphenated { idx = table.find(hyphenHead(buf, t)) }
                if idx >= 0 {
                    e = table.entry(at: idx)
                    if e.flags.contains(.phraseStart), i + 1 < count, raw[i + 1].hash != 0 {
                        let h2 = DomainLexicon.combine(t.hash, raw[i + 1].hash)
                        if i + 2 < count, raw[i + 2].hash != 0 {
                            let k3 = table.find(DomainLexicon.combine(h2, raw[i + 2].hash))
                            if k3 >= 0, table.entry(at: k3).span == 3 { e = table.entry(at: k3); span = 3 }
                        }
                        if span == 1 {
                            let k2 = table.find(h2)
                            if k2 >= 0, table.entry(at: k2).span == 2 { e = table.entry(at: k2); span = 2 }
                        }
                    }
                }
            }
            let last = raw[i + span - 1]
            let value = t.kind == .number ? numberValue(buf, t) : .nan
            units.append(ScoredUnit(entry: e, kind: t.kind, punct: t.punct,
                                    value: value, start: t.start, end: last.end))
            i += span
        }
        return units
    }

    /// Hash of the part of a hyphenated word before its first hyphen ("higher-than-expected" → "higher"), or 0.
    @inline(__always) static func hyphenHead(_ buf: UnsafeBufferPointer<UInt8>, _ t: RawToken) -> UInt64 {
        var h = Tokenizer.fnvOffset
        var i = Int(t.start)
        let end = Int(t.end)
        while i < end {
            let b = buf[i]
            if b == 45 { return i > Int(t.start) ? h : 0 }
            h = Tokenizer.fnv(h, Tokenizer.lower(b))
            i += 1
        }
        return 0
    }

    /// Numeric value of a unit: a number, or an amount with a currency prefix ("EUR116m"); NaN otherwise.
    @inline(__always) static func amount(_ buf: UnsafeBufferPointer<UInt8>, _ u: ScoredUnit) -> Float {
        if u.kind == .number { return u.value }
        if u.kind == .punctuation { return .nan }
        return prefixedAmount(buf, RawToken(start: u.start, end: u.end, hash: 0, kind: u.kind, punct: .none, capitalised: false))
    }

    /// Value of an amount written with a 2–3 letter currency prefix ("EUR116m", "USD1.4"), or NaN.
    @inline(__always) static func prefixedAmount(_ buf: UnsafeBufferPointer<UInt8>, _ t: RawToken) -> Float {
        let start = Int(t.start)
        var i = start
        while i < Int(t.end) && i - start < 4, buf[i] >= 65 && buf[i] <= 90 { i += 1 }
        let letters = i - start
        guard letters >= 2 && letters <= 3, i < Int(t.end), Tokenizer.isDigit(buf[i]) else { return .nan }
        let rest = RawToken(start: Int32(i), end: t.end, hash: 0, kind: .number, punct: .none, capitalised: false)
        return numberValue(buf, rest)
    }

    /// Value of a number token, ignoring currency and thousands separators; NaN for a bare
    /// four-digit calendar year (1950–2039) or a range.
    @inline(__always) static func numberValue(_ buf: UnsafeBufferPointer<UInt8>, _ t: RawToken) -> Float {
        var i = Int(t.start)
        let end = Int(t.end)
        var whole: Float = 0
        var scale: Float = 0
        var digits = 0
        var plain = true
        while i < end {
            let b = buf[i]
            if b >= 48 && b <= 57 {
                if scale > 0 { whole += Float(b - 48) * scale; scale *= 0.1 }
                else { whole = whole * 10 + Float(b - 48) }
                digits += 1
            } else if b == 46 {
                if scale > 0 { break }
                scale = 0.1; plain = false
            } else if b == 44 {
                plain = false
            } else if b == 45 || b >= 0x80 && digits > 0 {
                return .nan
            } else if digits > 0 {
                plain = false
                break
            } else {
                plain = false
            }
            i += 1
        }
        if digits == 0 { return .nan }
        if plain && digits == 4 && whole >= 1950 && whole <= 2039 { return .nan }
        return whole
    }

    static let contrastDiscount: Float = 0.35
    static let backgroundDiscount: Float = 0.5
    static let questionFactor: Float = 0.5
    static let negationFactor: Float = -0.7
    /// How many units before a polar word a negator still reaches (within the clause).
    static let negationScope = 4
    static let undirectedFactor: Float = 0.2
    static let quantifiedFactor: Float = 0.4

    @inline(__always) static func sign(_ x: Float) -> Float { x > 0 ? 1 : (x < 0 ? -1 : 0) }

    /// Nearest quantity noun before `k` within `reach` words, not crossing a sentence end or contrast word.
    @inline(__always) static func backwardQuantity(_ units: UnsafeMutableBufferPointer<ScoredUnit>, _ k: Int, reach: Int = 10,
                                                   stopAtDirection: Bool = false) -> Int {
        var j = k - 1
        var steps = 0
        while j >= 0 && steps < reach {
            let v = units[j]
            if v.punct == .sentenceEnd { break }
            if v.entry.flags.contains(.contrastCoordinator) || v.entry.flags.contains(.contrastSubordinator) { break }
            if v.entry.quantity != 0 { return j }
            if stopAtDirection && v.entry.direction != 0 && !v.entry.flags.contains(.weakDirection) { break }
            if v.kind != .punctuation { steps += 1 }
            j -= 1
        }
        return -1
    }

    /// First quantity noun from `k` within `reach` words, stopping at punctuation, numbers,
    /// and baseline words ("from", "compared", "than").
    @inline(__always) static func forwardQuantity(_ units: UnsafeMutableBufferPointer<ScoredUnit>, _ k: Int, reach: Int = 5,
                                                  throughBaseline: Bool = false, throughNumbers: Bool = false,
                                                  stopAtFunctionWords: Bool = false) -> Int? {
        var j = k
        var steps = 0
        while j < units.count && steps < reach {
            let v = units[j]
            if v.kind == .punctuation {
                if v.punct == .clauseBreak || v.punct == .sentenceEnd { return nil }
                j += 1
                continue
            }
            if v.kind == .number {
                if !throughNumbers { return nil }
                j += 1
                continue
            }
            let f = v.entry.flags
            if !throughBaseline, f.contains(.baselinePreposition) || f.contains(.comparator) || f.contains(.than) { return nil }
            if stopAtFunctionWords && f.contains(.functionWord) { return nil }
            if v.entry.quantity != 0 { return j }
            steps += 1
            j += 1
        }
        return nil
    }

    /// The baseline quantity after "from" following a direction word ("up from a loss of …").
    @inline(__always) static func baselineQuantity(_ units: UnsafeMutableBufferPointer<ScoredUnit>, _ k: Int) -> Int? {
        var j = k + 1
        while j < min(units.count, k + 3) {
            if units[j].entry.flags.contains(.baselinePreposition) { return forwardQuantity(units, j + 1, reach: 3) }
            j += 1
        }
        return nil
    }

    /// The scoring pipeline over the sentence's UTF-8 bytes.
    static func analyse(_ buf: UnsafeBufferPointer<UInt8>) -> Analysis {
        var storage = units(buf)
        return storage.withUnsafeMutableBufferPointer { analyse(buf, $0) }
    }

    /// The analysis of `buf`, leaving its tokens in `tokens` (so the opinion reader need not scan the sentence again).
    static func analyse(_ buf: UnsafeBufferPointer<UInt8>, keeping tokens: inout [RawToken]) -> Analysis {
        var storage = units(buf, keeping: &tokens)
        return storage.withUnsafeMutableBufferPointer { analyse(buf, $0) }
    }

    /// The rule passes over the sentence's units.
    static func analyse(_ buf: UnsafeBufferPointer<UInt8>, _ units: UnsafeMutableBufferPointer<ScoredUnit>) -> Analysis {
        let n = units.count
        if n == 0 { return Analysis(score: 0, relevant: false, speaker: .unknown, mayHaveClaims: false) }
        var cues = LexFlags()
        var priceMove = false

        // Clauses, contrast weights, hedges, relevance, speaker and claim cues.
        var clause: Int32 = 0
        var subordinate = 0
        var discount = contrastDiscount
        var sawWord = false
        var relevant = false
        var shareCue = false
        var populationCue = false
        var cuePositions = 0
        var lastCue = -100
        var bestSpeaker: UInt8 = 0
        var bestDistance = Int.max
        var speakerPositions: [(Int, UInt8)] = []
        for k in 0..<n {
            let u = units[k]
            if u.kind == .number {
                // A share: "70%", "70 percent", "105 of 148", "7 in 10"; "12 of the feeds" is none (the claim reader
                // only takes "N of M" with a number after "of").
                if buf[Int(u.end) - 1] == 37 {
                    shareCue = true
                } else if k + 1 < n, units[k + 1].entry.flags.contains(.shareFollower),
                          !isOf(buf, units[k + 1]) || (k + 2 < n && units[k + 2].kind == .number) {
                    shareCue = true
                }
                units[k].clause = clause
                continue
            }
            if u.kind == .punctuation {
                if u.punct == .clauseBreak || u.punct == .sentenceEnd {
                    if buf[Int(u.start)] == 59 { cues.insert(.contrastCoordinator) }
                    clause += 1
                    if subordinate == 1 { subordinate = 0 }
                }
                units[k].clause = clause
                continue
            }
            let f = u.entry.flags
            cues.formUnion(f)
            if u.entry.speaker != 0 { cues.insert(.attributionCue) }
            if u.entry.direction != 0, !f.contains(.weakDirection) || licensed(units, k),
               (k + 1 < n && units[k + 1].kind == .number) || (k + 2 < n && units[k + 2].kind == .number
                   && units[k + 1].entry.flags.contains(.directionLicensor)) {
                priceMove = true
            }
            if f.contains(.contrastCoordinator) {
                for m in 0..<k { units[m].weight *= contrastDiscount }
                subordinate = 0
                clause += 1
            } else if f.contains(.contrastSubordinator) || (f.contains(.clauseOpener) && !sawWord) {
                subordinate = sawWord ? 2 : 1
                discount = contrastDiscount
                clause += 1
            } else if f.contains(.backgroundClause) && subordinate == 0 {
                subordinate = sawWord ? 2 : 1
                discount = backgroundDiscount
                clause += 1
            }
            sawWord = true
            units[k].clause = clause
            if subordinate != 0 { units[k].weight *= discount }
            if u.entry.hedge < 1 { units[k].hedge = u.entry.hedge }
            if f.contains(.crypto) { relevant = true }
            else if !relevant, f.isEmpty, u.entry.valence == 0, u.entry.speaker == 0, isCryptoName(buf, u) { relevant = true }
            if f.contains(.shareCue) { shareCue = true }
            if f.contains(.countWord), k + 1 < n, units[k + 1].entry.flags.contains(.shareFollower)
                || units[k + 1].entry.flags.contains(.shareCue) {
                shareCue = true
            }
            if f.contains(.population) { populationCue = true }
            if f.contains(.attributionCue) {
                cuePositions += 1
                lastCue = k
                for (p, s) in speakerPositions where abs(k - p) < bestDistance {
                    bestDistance = abs(k - p); bestSpeaker = s
                }
            }
            if u.entry.speaker != 0 {
                speakerPositions.append((k, u.entry.speaker))
                if lastCue >= 0, k - lastCue < bestDistance {
                    bestDistance = k - lastCue; bestSpeaker = u.entry.speaker
                }
            }
        }

        // Each clause takes the strongest hedge found in it.
        var clauseStart = 0
        var clauseHedge: Float = 1
        for k in 0...n {
            if k == n || units[k].clause != units[clauseStart].clause {
                if clauseHedge < 1 { for m in clauseStart..<k { units[m].hedge = clauseHedge } }
                if k == n { break }
                clauseStart = k
                clauseHedge = 1
            }
            if units[k].hedge < clauseHedge { clauseHedge = units[k].hedge }
        }

        // Directional phrases: polarity = direction × quantity polarity ("profit rose" +,
        // "loss widened" −); a transition "to a loss" takes the level's polarity.
        for k in 0..<n where units[k].entry.direction != 0 {
            let u = units[k]
            if u.entry.flags.contains(.weakDirection) && !licensed(units, k) { continue }
            if u.consumed && u.entry.quantity != 0 { continue }
            // The baseline after "from"/"than" is background: "retreats from record high".
            if k + 1 < n, units[k + 1].entry.flags.contains(.baselinePreposition) || units[k + 1].entry.flags.contains(.than) {
                var j = k + 2
                while j < min(n, k + 5), units[j].kind != .punctuation {
                    if units[j].entry.direction == 0 { units[j].consumed = true }
                    j += 1
                }
            }
            if u.entry.flags.contains(.objectDirection),
               !(k + 1 < n && units[k + 1].kind == .number) && forwardQuantity(units, k + 1, reach: 3) == nil { continue }
            if k + 1 < n, units[k + 1].entry.flags.contains(.than), let base = forwardQuantity(units, k + 2, reach: 3, throughBaseline: true) {
                units[base].consumed = true
            }
            let dir = Float(u.entry.direction)
            let back = backwardQuantity(units, k, stopAtDirection: true)
            var polarity: Float
            var noun = back
            if k + 1 < n, units[k + 1].entry.flags.contains(.levelPreposition),
               let level = forwardQuantity(units, k + 2) {
                polarity = sign(units[level].entry.quantity)
                noun = level
            } else if u.entry.flags.contains(.transitionOnly) {
                continue
            } else if let object = forwardQuantity(units, k + 1, reach: 2, stopAtFunctionWords: true) {
                // Adjectival or transitive use: "increased fixed costs", "cut its debt".
                polarity = units[object].entry.quantity * dir
                noun = object
            } else if back >= 0 {
                polarity = units[back].entry.quantity * dir
                if let baseline = baselineQuantity(units, k),
                   sign(units[baseline].entry.quantity) != sign(units[back].entry.quantity) {
                    polarity = sign(units[back].entry.quantity)
                }
            } else if let fwd = forwardQuantity(units, k + 1, throughNumbers: true) {
                polarity = units[fwd].entry.quantity * dir
                noun = fwd
            } else if u.entry.valence != 0 {
                polarity = u.entry.valence
            } else {
                let quantified = (k + 1 < n && (units[k + 1].kind == .number || units[k + 1].entry.flags.contains(.directionLicensor)))
                    || (k > 0 && units[k - 1].kind == .number) || (k > 1 && units[k - 2].kind == .number)
                polarity = dir * (quantified ? quantifiedFactor : undirectedFactor)
            }
            if noun >= 0 {
                units[noun].consumed = true
                if noun < k && units[noun].entry.direction != 0 { units[noun].contribution = 0 }
            }
            var magnitude: Float = 1
            if k > 0, units[k - 1].entry.multiplier != 1 { magnitude = units[k - 1].entry.multiplier }
            else if k + 1 < n, units[k + 1].entry.multiplier != 1 { magnitude = units[k + 1].entry.multiplier }
            if k + 2 < n, units[k + 1].entry.flags.contains(.than) {
                if units[k + 2].entry.flags.contains(.expectation) { magnitude *= 1.3 }
            }
            let from = max(0, min(k, noun >= 0 ? noun : k) - negationScope)
            if negated(units, from: from, to: k) { polarity *= negationFactor }
            units[k].contribution = polarity * magnitude * u.weight * units[k].hedge
        }

        // Comparisons without a direction word: "loss of 3 compared to a profit of 2" (−),
        // "profit was 1.6 compared to 5.9" (−): the subject's level against the baseline.
        for c in 0..<n where units[c].entry.flags.contains(.comparator) {
            let subject = backwardQuantity(units, c, reach: 14)
            guard subject >= 0 else { continue }
            let q = units[subject].entry.quantity
            var polarity: Float = 0
            if let base = forwardQuantity(units, c + 1, reach: 4), sign(units[base].entry.quantity) != sign(q) {
                polarity = sign(q)
            } else if !units[subject].consumed {
                var before = Float.nan
                var j = c - 1
                while j > subject {
                    let v = amount(buf, units[j])
                    if !v.isNaN { before = v; break }
                    j -= 1
                }
                var after = Float.nan
                var signWord = -1
                j = c + 1
                while j < min(n, c + 8) {
                    if units[j].entry.flags.contains(.signWord) { signWord = j }
                    let v = amount(buf, units[j])
                    if !v.isNaN { after = v; break }
                    j += 1
                }
                if signWord >= 0 && !after.isNaN {
                    after = -after
                    units[signWord].consumed = true
                }
                if !before.isNaN && !after.isNaN && before != after {
                    polarity = q * (before > after ? 1 : -1) * 0.8
                }
            }
            if polarity != 0 {
                units[subject].consumed = true
                units[c].contribution += polarity * units[c].weight * units[c].hedge
            }
        }

        // Standalone polar words.
        for k in 0..<n {
            let u = units[k]
            if u.entry.direction != 0 || u.entry.valence == 0 || u.consumed { continue }
            if u.entry.flags.contains(.cryptoEvent) && !relevant { continue }
            var polarity = u.entry.valence
            var magnitude: Float = 1
            if k > 0, units[k - 1].entry.multiplier != 1 {
                magnitude = units[k - 1].entry.multiplier
                if k > 1, units[k - 2].entry.multiplier != 1 { magnitude *= units[k - 2].entry.multiplier }
            }
            if negated(units, from: max(0, k - negationScope), to: k) { polarity *= negationFactor }
            if polarity < 0, counterpartyBefore(units, k) { polarity = -polarity }
            units[k].contribution = polarity * magnitude * u.weight * units[k].hedge
        }

        var total: Float = 0
        for k in 0..<n { total += units[k].contribution }
        // A question asserts nothing: "Is the bull run over?"
        if units[n - 1].punct == .sentenceEnd, buf[Int(units[n - 1].start)] == 63 { total *= questionFactor }
        // An explainer ("How scammers…", "Why bitcoin…", "What the halving means…") reports no event either.
        else if units[0].entry.flags.contains(.explainer) { total *= questionFactor }
        let score = total / (total * total + 0.6).squareRoot()
        let speaker: SpeakerType = (cuePositions > 0 && bestSpeaker != 0)
            ? SpeakerType.allCases[Int(bestSpeaker) - 1] : .unknown
        let splitting: LexFlags = [.contrastCoordinator, .contrastSubordinator, .clauseOpener, .attributionCue, .population]
        return Analysis(score: score, relevant: relevant, speaker: refineAnalyst(speaker, units),
                        mayHaveClaims: shareCue && populationCue,
                        splitCue: !cues.isDisjoint(with: splitting),
                        technical: cues.contains(.technical)
                            || (priceMove && relevant && !cues.contains(.forwardLooking) && !cues.contains(.attributionCue)),
                        otherAsset: cues.contains(.otherAsset), bitcoin: cues.contains(.bitcoin))
    }

    /// A capitalised name built from crypto morphemes ("CoinMetro", "Tokocrypto", "SushiSwap", "BitMEX", "Chainlink"):
    /// crypto projects and venues are named this way, so the sentence is about the crypto market.
    static func isCryptoName(_ buf: UnsafeBufferPointer<UInt8>, _ u: ScoredUnit) -> Bool {
        let start = Int(u.start), end = Int(u.end)
        guard end - start >= 4, buf[start] >= 65 && buf[start] <= 90, u.kind == .word || u.kind == .ticker else { return false }
        @inline(__always) func at(_ i: Int, _ s: StaticString) -> Bool {
            guard i + s.utf8CodeUnitCount <= end else { return false }
            for k in 0..<s.utf8CodeUnitCount where Tokenizer.lower(buf[i + k]) != s.utf8Start[k] { return false }
            return true
        }
        if at(start, "bit") { return true }
        for i in start..<end {
            switch Tokenizer.lower(buf[i]) {
            case 99: if at(i, "coin") || at(i, "crypto") || at(i, "chain") { return true }
            case 115: if at(i, "swap") { return true }
            case 116: if at(i, "token") { return true }
            case 100: if at(i, "defi") { return true }
            case 110: if at(i, "nft") { return true }
            default: continue
            }
        }
        return false
    }

    /// The unit is the word "of", in any case.
    static func isOf(_ buf: UnsafeBufferPointer<UInt8>, _ unit: ScoredUnit) -> Bool {
        unit.end - unit.start == 2 && buf[Int(unit.start)] | 0x20 == UInt8(ascii: "o") && buf[Int(unit.start) + 1] | 0x20 == UInt8(ascii: "f")
    }

    /// "analysts at Y": an analyst word shortly before an institution makes the speaker an analyst.
    static func refineAnalyst(_ s: SpeakerType, _ units: UnsafeMutableBufferPointer<ScoredUnit>) -> SpeakerType {
        guard s == .institutional else { return s }
        let analystIndex = UInt8(SpeakerType.allCases.firstIndex(of: .analyst)! + 1)
        let instIndex = UInt8(SpeakerType.allCases.firstIndex(of: .institutional)! + 1)
        for k in 0..<units.count where units[k].entry.speaker == analystIndex {
            var j = k + 1
            while j < units.count && j <= k + 3 {
                if units[j].entry.speaker == instIndex { return .analyst }
                j += 1
            }
        }
        return s
    }

    /// Whether a weak direction word ("up", "down") is used as a change: followed by a number,
    /// "from"/"by", the end of a clause, or preceded by a copula ("shares were up").
    @inline(__always) static func licensed(_ units: UnsafeMutableBufferPointer<ScoredUnit>, _ k: Int) -> Bool {
        if k + 1 >= units.count { return true }
        let next = units[k + 1]
        if next.kind == .number || next.kind == .punctuation { return true }
        if next.entry.flags.contains(.directionLicensor) { return true }
        var p = k - 1
        while p >= 0 && units[p].entry.multiplier != 1 { p -= 1 }
        if p >= 0, units[p].entry.flags.contains(.beVerb) { return true }
        return false
    }

    /// True when shorts or bears stand within three words before `k` in its clause ("shorts get liquidated").
    @inline(__always) static func counterpartyBefore(_ units: UnsafeMutableBufferPointer<ScoredUnit>, _ k: Int) -> Bool {
        let c = units[k].clause
        var j = max(0, k - 3)
        while j < k {
            if units[j].clause == c && units[j].entry.flags.contains(.counterparty) { return true }
            j += 1
        }
        return false
    }

    /// True when a negator occurs in `from..<to` within the same clause as `to`.
    @inline(__always) static func negated(_ units: UnsafeMutableBufferPointer<ScoredUnit>, from: Int, to: Int) -> Bool {
        let c = units[to].clause
        var j = from
        while j < to {
            if units[j].clause == c && units[j].entry.flags.contains(.negator) { return true }
            j += 1
        }
        return false
    }
}
