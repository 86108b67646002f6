/// Splits a sentence into opinion units and finds who holds each one.
///
/// Boundaries: `;`, contrast coordinators ("but", "however", "yet" after a comma), concessions ("while",
/// "although", "though", "whereas", "even as", "even though"; a sentence-initial one runs to the first comma),
/// and reporting frames ("X said …", "according to X, …", "…, said X", "…, X said", "X warned that …").
/// Holder, in order: the subject of a reporting or belief verb, a leading "according to X", a trailing attribution,
/// then a named holder or group opening the clause ("Retail traders panic-sold…"; a survey population "70% of
/// institutions…"). Unknown capitalised names before a reporting verb ("the SEC said") are holders of type unknown.
struct OpinionReader {
    let gazetteer: HolderGazetteer
    /// The sentence's UTF-8 bytes (holder names and unit texts are cut from them).
    let source: [UInt8]
    /// The sentence's words, and their lower-case texts for gazetteer lookups.
    let w: [Word]
    let texts: [String]

    /// A reader of `sentence` with the holders of `gazetteer`; `tokens` are the scorer's `Tokenizer.scan` of the same
    /// text, so the sentence is scanned once.
    init(gazetteer: HolderGazetteer, sentence: String, tokens: [RawToken]) {
        self.gazetteer = gazetteer
        source = Array(sentence.utf8)
        w = source.withUnsafeBufferPointer { Self.words($0, tokens, gazetteer: gazetteer) }
        texts = w.map(\.text)
    }

    /// A token of the sentence as the reader sees it: lower case, possessive "'s" dropped, UTF-8 offsets.
    struct Word {
        var text: String
        var start: Int
        var end: Int
        /// End of the word without its possessive "'s" (names end here).
        var nameEnd: Int
        var kind: TokenKind
        var punct: PunctClass
        var capitalised: Bool
        /// Lower-case FNV-1a hash of the word without its possessive (the tokenizer's, and the lexicon's key).
        var hash: UInt64
        var roles: Roles
        /// A gazetteer name may start here.
        var mayName: Bool
    }

    /// What a word does for the reader, looked up once per word.
    struct Roles: OptionSet {
        let rawValue: UInt8
        static let reporting = Roles(rawValue: 1 << 0)
        static let concession = Roles(rawValue: 1 << 1)
        static let coordinator = Roles(rawValue: 1 << 2)
        static let subjectEnder = Roles(rawValue: 1 << 3)
        static let notName = Roles(rawValue: 1 << 4)
        static let technical = Roles(rawValue: 1 << 5)
        static let comparative = Roles(rawValue: 1 << 6)
    }

    /// Roles by word hash, built from the word lists below.
    static let roleTable: WordHashTable<Roles> = {
        var table: [UInt64: Roles] = [:]
        for (role, words) in [(Roles.reporting, reportingVerbs), (.concession, concessions), (.coordinator, coordinators),
                              (.subjectEnder, subjectEnders), (.notName, notNames), (.technical, technicalWords),
                              (.comparative, comparativeVerbs)] {
            for word in words { table[Tokenizer.hash(word), default: []].insert(role) }
        }
        return WordHashTable(table, filler: [])
    }()

    /// A clause before scoring: its word range and the holder found for it.
    struct Span {
        var range: Range<Int>
        var holder: String?
        var holderType: SpeakerType?
        /// The clause is what a reporting or belief verb introduces ("X expects bitcoin to rise 50%").
        var reported = false
    }

    static let reportingVerbs: Set<String> = [
        "said", "says", "say", "told", "tells", "warned", "warns", "warn", "noted", "notes", "argued", "argues", "wrote",
        "writes", "stated", "states", "cautioned", "cautions", "added", "predicted", "predicts", "expects", "expect",
        "expected", "believe", "believes", "believed", "think", "thinks", "thought", "see", "sees", "reckon", "reckons",
        "insisted", "insists", "claimed", "claims", "suggested", "suggests", "estimated", "estimates", "forecast",
        "forecasts", "remarked", "commented", "explained", "acknowledged", "conceded", "admitted", "reported",
    ]
    /// Capitalised words that open sentences but name nobody.
    static let notNames: Set<String> = [
        "the", "a", "an", "this", "that", "these", "those", "some", "many", "most", "few", "fewer", "only", "just",
        "nearly", "about", "almost", "its", "their", "our", "his", "her", "more", "less", "all", "both", "each", "it",
        "they", "we", "he", "she", "i", "there", "and", "but", "bitcoin", "btc", "crypto", "ethereum",
    ]
    static let concessions: Set<String> = ["while", "although", "though", "whereas", "whilst"]
    static let coordinators: Set<String> = ["but", "however"]
    /// Words after which a clause's opening subject is over (verbs and copulas without a lexicon entry).
    static let subjectEnders: Set<String> = [
        "is", "are", "was", "were", "has", "have", "had", "will", "would", "could", "may", "might", "can", "should",
        "do", "does", "did", "now", "still", "also", "labels", "label", "labelled", "labeled", "call", "calls",
        "called", "plan", "plans", "planned", "remain", "remains", "remained", "that", "who", "which",
    ]

    /// The reader's words of the sentence in `buf`, from its tokens `raw`.
    static func words(_ buf: UnsafeBufferPointer<UInt8>, _ raw: [RawToken], gazetteer: HolderGazetteer) -> [Word] {
        raw.map { t in
            var end = Int(t.end)
            if t.kind != .punctuation, end - Int(t.start) > 2 {
                if buf[end - 2] == 39 && buf[end - 1] | 0x20 == 115 { end -= 2 }
                else if end - Int(t.start) > 4, buf[end - 4] == 0xE2, buf[end - 3] == 0x80, buf[end - 2] == 0x99,
                        buf[end - 1] | 0x20 == 115 { end -= 4 }
            }
            let slice = UnsafeBufferPointer(rebasing: buf[Int(t.start)..<end])
            let hash = t.hash
            return Word(text: lowered(slice), start: Int(t.start),
                        end: Int(t.end), nameEnd: end, kind: t.kind, punct: t.punct, capitalised: t.capitalised,
                        hash: hash, roles: t.kind == .punctuation ? [] : roleTable[hash] ?? [],
                        mayName: t.kind != .punctuation && gazetteer.mayStartName(hash))
        }
    }

    /// The word lower-cased; ASCII without a heap allocation for short words, the rest as the claim reader normalises it.
    static func lowered(_ slice: UnsafeBufferPointer<UInt8>) -> String {
        guard slice.allSatisfy({ $0 < 0x80 }) else { return ClaimExtractor.normalisedWord(String(decoding: slice, as: UTF8.self)) }
        return String(unsafeUninitializedCapacity: slice.count) { out in
            for i in 0..<slice.count { out[i] = Tokenizer.lower(slice[i]) }
            return slice.count
        }
    }

    /// The clauses of `words` with their holders.
    func spans(_ w: [Word]) -> [Span] {
        var spans: [Span] = []
        for range in clauses(w) {
            spans.append(frame(w, range))
        }
        return spans.filter { !$0.range.isEmpty }
    }

    /// Word ranges between contrast and concession boundaries; boundary words themselves are left out.
    func clauses(_ w: [Word]) -> [Range<Int>] {
        var cuts: [Range<Int>] = []
        var start = 0
        var i = 0
        let n = w.count
        func close(_ end: Int, next: Int) {
            if end > start { cuts.append(start..<end) }
            start = next
        }
        while i < n {
            let t = w[i].text
            if w[i].kind == .punctuation && t == ";" {
                close(i, next: i + 1)
            } else if w[i].roles.contains(.concession) || (t == "even" && i + 1 < n && (w[i + 1].text == "as" || w[i + 1].text == "though")) {
                let width = t == "even" ? 2 : 1
                if i == start {
                    // "While A, B": the concession runs to the first comma.
                    var j = i + width
                    while j < n && !(w[j].kind == .punctuation && w[j].text == ",") { j += 1 }
                    if j < n {
                        cuts.append((i + width)..<j)
                        start = j + 1
                        i = j + 1
                        continue
                    }
                    start = i + width
                } else {
                    close(i > start && w[i - 1].text == "," ? i - 1 : i, next: i + width)
                }
                i += width
                continue
            } else if w[i].roles.contains(.coordinator) || (t == "yet" && i > 0 && w[i - 1].text == ",") {
                close(i > start && w[i - 1].text == "," ? i - 1 : i, next: i + 1)
            }
            i += 1
        }
        if start < n {
            var end = n
            while end > start, w[end - 1].punct == .sentenceEnd || w[end - 1].punct == .quote { end -= 1 }
            if end > start { cuts.append(start..<end) }
        }
        return cuts
    }

    /// Finds the holder of a clause and trims the reporting frame around it.
    func frame(_ w: [Word], _ range: Range<Int>) -> Span {
        let lo = range.lowerBound
        var hi = range.upperBound
        while hi > lo, w[hi - 1].punct == .sentenceEnd || w[hi - 1].punct == .quote { hi -= 1 }
        // "According to X, …"
        if hi - lo > 3, w[lo].text == "according", w[lo + 1].text == "to" {
            var j = lo + 2
            while j < hi && w[j].text != "," { j += 1 }
            if j < hi {
                let h = holder(w, (lo + 2)..<j, named: true)
                return Span(range: (j + 1)..<hi, holder: h.name, holderType: h.type)
            }
        }
        // "…, said X." / "…, X said." / "…, according to X."
        if let comma = (lo..<hi).last(where: { w[$0].text == "," }), hi - comma <= 7, comma > lo {
            let tail = (comma + 1)..<hi
            var who: Range<Int>?
            if let first = tail.first, w[first].roles.contains(.reporting) {
                who = (first + 1)..<hi
            } else if let last = tail.last, w[last].roles.contains(.reporting) {
                who = tail.lowerBound..<last
            } else if tail.count > 2, w[tail.lowerBound].text == "according", w[tail.lowerBound + 1].text == "to" {
                who = (tail.lowerBound + 2)..<hi
            }
            if let who, !who.isEmpty {
                let h = holder(w, who, named: true)
                if h.name != nil { return Span(range: lo..<comma, holder: h.name, holderType: h.type) }
            }
        }
        // "X said (that) …", "70% of institutions surveyed believe …"
        if let verb = (lo..<hi).first(where: { w[$0].roles.contains(.reporting) }), verb > lo, verb + 1 < hi {
            let h = holder(w, lo..<verb, named: true)
            if h.name != nil {
                var body = verb + 1
                if w[body].text == "that" || w[body].text == "," { body += 1 }
                if body < hi { return Span(range: body..<hi, holder: h.name, holderType: h.type, reported: true) }
            }
        }
        // A holder opening the clause: "Retail traders panic-sold…", "A chorus of analysts now labels…".
        var end = lo
        let table = DomainLexicon.table
        while end < min(hi, lo + 8) {
            let t = w[end]
            if t.kind == .punctuation && t.text != "%" { break }
            if t.roles.contains(.subjectEnder) { break }
            if t.kind == .word, end > lo, !t.mayName || gazetteer.match(texts, at: end) == nil {
                let idx = table.find(t.hash)
                if idx >= 0 {
                    let e = table.entry(at: idx)
                    if e.direction != 0 || e.valence != 0 || e.flags.contains(.beVerb) { break }
                }
            }
            end += 1
        }
        let h = holder(w, lo..<end, named: false)
        return Span(range: lo..<hi, holder: h.name, holderType: h.type)
    }

    /// The holder named in `range`: the first gazetteer match ("analysts at JPMorgan" → analysts; "JPMorgan analysts"
    /// → analyst), else, when `named`, the capitalised words nearest the end ("the SEC" → SEC, type unknown).
    func holder(_ w: [Word], _ range: Range<Int>, named: Bool) -> (name: String?, type: SpeakerType?) {
        var k = range.lowerBound
        while k < range.upperBound {
            if w[k].mayName, let m = gazetteer.match(texts, at: k), k + m.length <= range.upperBound {
                var end = k + m.length
                var type = m.type
                if end < range.upperBound, w[end].mayName, let next = gazetteer.match(texts, at: end), next.type == .analyst,
                   end + next.length <= range.upperBound {
                    end += next.length
                    type = .analyst
                }
                return (name(w, k..<end), type)
            }
            k += 1
        }
        guard named else { return (nil, nil) }
        var end = range.upperBound
        while end > range.lowerBound, !w[end - 1].capitalised || w[end - 1].kind == .punctuation { end -= 1 }
        var start = end
        while start > range.lowerBound, w[start - 1].capitalised, w[start - 1].kind != .punctuation, end - start < 4,
              !w[start - 1].roles.contains(.notName) {
            start -= 1
        }
        if start < end {
            return (name(w, start..<end), .unknown)
        }
        return (nil, nil)
    }

    /// The source text of a holder's words, without a leading article or trailing possessive.
    func name(_ w: [Word], _ range: Range<Int>) -> String {
        var start = range.lowerBound
        if range.count > 1, ["the", "a", "an"].contains(w[start].text) { start += 1 }
        return String(decoding: source[w[start].start..<w[range.upperBound - 1].nameEnd], as: UTF8.self)
    }
}

extension OpinionReader {
    /// Words that make a clause technical commentary wherever they appear (multi-word cues are matched by the lexicon).
    static let technicalWords: Set<String> = [
        "resistance", "support", "chart", "charts", "technicals", "indicator", "indicators", "rsi", "macd", "ichimoku",
        "kumo", "candle", "candles", "candlestick", "trendline", "breakout", "breakdown", "fibonacci", "oversold",
        "overbought", "bollinger", "wedge", "retest", "50-day", "200-day", "200-week", "20-day", "100-day", "tenkan", "kijun",
    ]

    /// The opinion units of `sentence`, scored; `analysis` is the whole sentence's.
    func units(analysis a: SentimentScorer.Analysis, publisherType: SpeakerType) -> [OpinionUnit] {
        guard !w.isEmpty else { return [] }
        let found = spans(w)
        var whole = 0..<w.count
        while whole.upperBound > 0, w[whole.upperBound - 1].punct == .sentenceEnd || w[whole.upperBound - 1].punct == .quote {
            whole = 0..<(whole.upperBound - 1)
        }
        var units: [OpinionUnit] = []
        for span in found {
            let text = String(decoding: source[w[span.range.lowerBound].start..<w[span.range.upperBound - 1].end], as: UTF8.self)
            let unitAnalysis: SentimentScorer.Analysis
            if span.range == whole || found.count == 1 {
                // One clause: the sentence's own analysis (a reporting verb carries no polarity of its own here).
                unitAnalysis = a
            } else {
                var copy = text
                unitAnalysis = copy.withUTF8 { SentimentScorer.analyse($0) }
            }
            var score = Double(unitAnalysis.score)
            if Self.comparedAgainstBitcoin(w, span.range) { score = -score }
            // A price move someone expects or reports is their view; chart vocabulary is technical whoever uses it.
            let technical = (unitAnalysis.technical && !span.reported) || w[span.range].contains { $0.roles.contains(.technical) }
            units.append(OpinionUnit(text: text, holder: span.holder, speakerType: span.holderType ?? publisherType,
                                     score: score, topic: technical ? .technical : .belief,
                                     relevant: unitAnalysis.relevant || a.relevant))
        }
        // A clause of a Bitcoin sentence is about Bitcoin unless it is about another asset set against a clause
        // about Bitcoin, which says nothing about Bitcoin by itself.
        if units.count > 1, found.contains(where: { mentionsBitcoin(w, $0.range) }) {
            for (i, span) in found.enumerated() where !mentionsBitcoin(w, span.range) && mentionsOtherAsset(w, span.range) {
                units[i].relevant = false
                units[i].score = 0
            }
        }
        return units
    }

    func mentionsBitcoin(_ w: [Word], _ range: Range<Int>) -> Bool {
        w[range].contains { $0.text == "bitcoin" || $0.text == "btc" || $0.text == "bitcoins" || $0.text == "xbt" }
    }

    func mentionsOtherAsset(_ w: [Word], _ range: Range<Int>) -> Bool {
        let table = DomainLexicon.table
        return w[range].contains { word in
            let idx = table.find(word.hash)
            return idx >= 0 && table.entry(at: idx).flags.contains(.otherAsset)
        }
    }

    static let comparativeVerbs: Set<String> = [
        "outperformed", "outperforms", "outperform", "outperforming", "outpaced", "outpaces", "outpacing", "beat", "beats",
        "beating", "trounced", "eclipsed", "eclipses", "overtook", "overtakes",
    ]

    /// "Ethereum outperformed Bitcoin": another asset beats Bitcoin, so the clause's polarity is reversed for Bitcoin.
    static func comparedAgainstBitcoin(_ w: [Word], _ range: Range<Int>) -> Bool {
        guard let verb = range.first(where: { w[$0].roles.contains(.comparative) }) else { return false }
        let table = DomainLexicon.table
        func flag(_ k: Int, _ f: LexFlags) -> Bool {
            let idx = table.find(w[k].hash)
            return idx >= 0 && table.entry(at: idx).flags.contains(f)
        }
        let before = range.lowerBound..<verb
        let after = (verb + 1)..<range.upperBound
        return before.contains { flag($0, .otherAsset) } && !before.contains { flag($0, .bitcoin) }
            && after.contains { flag($0, .bitcoin) }
    }

    /// The sentence's Bitcoin-directed score: when clauses about another asset were set aside, the mean of the
    /// Bitcoin clauses ("Ethereum rallied 8% while Bitcoin lagged" is about Bitcoin lagging).
    static func bitcoinDirected(sentenceScore: Double, units: [OpinionUnit], analysis a: SentimentScorer.Analysis) -> Double {
        guard a.otherAsset, a.bitcoin else { return sentenceScore }
        let setAside = units.contains { !$0.relevant && $0.score == 0 }
        let kept = units.filter { $0.relevant }
        if setAside, !kept.isEmpty { return kept.map(\.score).reduce(0, +) / Double(kept.count) }
        if units.count == 1 { return units[0].score }
        return sentenceScore
    }

    static let minorityCues: Set<String> = ["only", "just", "fewer", "few", "minority", "mere"]

    /// "Only 12% … plan to cut their allocation": a finding that only a minority holds a view is evidence against
    /// that view, so the sentence scores −stance × 0.5; nil when the sentence states no such minority.
    static func minorityFinding(_ claims: [Claim], sentence: String) -> Double? {
        guard let claim = claims.first, claims.allSatisfy({ $0.share < 0.5 }), claim.stance != 0 else { return nil }
        let words = Tokenizer.tokenize(sentence).map { ClaimExtractor.normalisedWord($0.text) }
        // The cue stands right before the share: "only 12%", "just a third", "fewer than 10%" (not "just under half").
        let cued = words.indices.contains { i in
            guard minorityCues.contains(words[i]) || words[i] == "less", i + 1 < words.count else { return false }
            var j = i + 1
            if words[j] == "than" { j += 1 } else if words[i] == "fewer" || words[i] == "less" { return false }
            guard j < words.count else { return false }
            if words[j] == "a", j + 1 < words.count { j += 1 }
            return words[j].first?.isNumber == true || ClaimExtractor.fractionWords[words[j]] != nil
                || ClaimExtractor.tensValue(words[j]) != nil || ClaimExtractor.wordNumbers[words[j]] != nil
        }
        return cued ? -Double(claim.stance) * 0.5 : nil
    }
}
