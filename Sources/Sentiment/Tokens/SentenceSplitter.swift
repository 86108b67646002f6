/// Splits running text into sentences without breaking amounts, decimals, initialisms (`U.S.`)
/// or abbreviations (`Inc.`, `Mr.`); a blank line always ends a sentence, and a line break ends one
/// when the next line starts with a capital and the line before does not end mid-phrase (headlines).
public enum SentenceSplitter {
    static let closingAbbreviations: Set<UInt64> = Set(["inc.", "corp.", "ltd.", "co.", "plc.", "etc.", "u.s.", "u.k.", "e.u."].map(Tokenizer.hash))
    static let sentenceStarters: Set<UInt64> = Set("""
    the a an it its he she they we i in on at this that these those but and however meanwhile analysts
    shares bitcoin btc according as for if while after before there investors institutions some many
    """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map { Tokenizer.hash(String($0)) })

    /// Sentences of `text`, trimmed, in order.
    public static func split(_ text: String) -> [String] {
        var copy = text
        return copy.withUTF8 { buf -> [String] in
            var raw: [RawToken] = []
            Tokenizer.scan(buf, into: &raw)
            var out: [String] = []
            var first = 0
            func emit(_ last: Int) {
                guard first <= last else { return }
                let slice = UnsafeBufferPointer(rebasing: buf[Int(raw[first].start)..<Int(raw[last].end)])
                out.append(String(decoding: slice, as: UTF8.self))
                first = last + 1
            }
            var k = 0
            while k < raw.count {
                let t = raw[k]
                if k > first, blankLineBefore(buf, raw[k - 1].end, t.start)
                    || (newlineBefore(buf, raw[k - 1].end, t.start) && linesSeparate(raw[k - 1], t)) {
                    emit(k - 1)
                    continue
                }
                var boundary = false
                if t.kind == .punctuation && t.punct == .sentenceEnd {
                    boundary = k + 1 >= raw.count || startsSentence(buf, raw, k + 1, after: t)
                    if boundary, buf[Int(t.start)] == 46, k > 0, isInitial(buf, raw[k - 1]) { boundary = false }
                } else if t.kind == .word, buf[Int(t.end) - 1] == 46, closingAbbreviations.contains(t.hash) {
                    if k + 1 < raw.count, raw[k + 1].capitalised, sentenceStarters.contains(raw[k + 1].hash),
                       buf[Int(t.end)] == 32 || buf[Int(t.end)] == 10 {
                        boundary = true
                    }
                }
                if boundary {
                    var last = k
                    while last + 1 < raw.count, raw[last + 1].start == raw[last].end,
                          raw[last + 1].punct == .quote || isClosingBracket(buf, raw[last + 1]) {
                        last += 1
                    }
                    emit(last)
                    k = last + 1
                    continue
                }
                k += 1
            }
            if first < raw.count { emit(raw.count - 1) }
            return out
        }
    }

    static func isClosingBracket(_ buf: UnsafeBufferPointer<UInt8>, _ t: RawToken) -> Bool {
        t.kind == .punctuation && t.end - t.start == 1 && (buf[Int(t.start)] == 41 || buf[Int(t.start)] == 93)
    }

    /// A single capital letter before a period is an initial ("J. Smith"), not a sentence end.
    static func isInitial(_ buf: UnsafeBufferPointer<UInt8>, _ t: RawToken) -> Bool {
        t.kind == .word && t.end - t.start == 1 && t.capitalised && t.end == t.start + 1
    }

    /// True when the token at `k` can open a sentence: a capital, digit, currency or opening quote,
    /// separated from the terminator by whitespace.
    static func startsSentence(_ buf: UnsafeBufferPointer<UInt8>, _ raw: [RawToken], _ k: Int, after t: RawToken) -> Bool {
        let next = raw[k]
        if next.start == t.end {
            return next.punct == .quote && k + 1 < raw.count && (raw[k + 1].capitalised || raw[k + 1].kind == .number)
        }
        if next.capitalised || next.kind == .number || next.kind == .ticker { return true }
        if next.punct == .quote || buf[Int(next.start)] == 40 { return true }
        return false
    }

    static let continuationWords: Set<UInt64> = Set("""
    the a an of and or to in on at for with from by as but than that which who
    """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map { Tokenizer.hash(String($0)) })

    /// A line break separates sentences when the next line opens with a capital, number or ticker
    /// and the previous line does not end on a comma-like mark or a function word.
    static func linesSeparate(_ previous: RawToken, _ next: RawToken) -> Bool {
        guard next.capitalised || next.kind == .number || next.kind == .ticker else { return false }
        if previous.kind == .punctuation { return previous.punct != .clauseBreak }
        return !continuationWords.contains(previous.hash)
    }

    static func newlineBefore(_ buf: UnsafeBufferPointer<UInt8>, _ from: Int32, _ to: Int32) -> Bool {
        var i = Int(from)
        while i < Int(to) {
            if buf[i] == 10 { return true }
            i += 1
        }
        return false
    }

    static func blankLineBefore(_ buf: UnsafeBufferPointer<UInt8>, _ from: Int32, _ to: Int32) -> Bool {
        var newlines = 0
        var i = Int(from)
        while i < Int(to) {
            if buf[i] == 10 { newlines += 1; if newlines >= 2 { return true } }
            i += 1
        }
        return false
    }
}
