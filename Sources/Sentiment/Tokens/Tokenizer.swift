/// The kind of a token produced by ``Tokenizer``.
public enum TokenKind: UInt8, Sendable, Codable {
    case word, number, ticker, punctuation
}

/// One token of a sentence: its exact text and kind.
public struct Token: Sendable, Equatable, Codable {
    public var text: String
    public var kind: TokenKind

    /// A token of `kind` with the exact source `text`.
    public init(text: String, kind: TokenKind) {
        self.text = text
        self.kind = kind
    }
}

/// Punctuation classes the scorer cares about.
enum PunctClass: UInt8 {
    case none = 0, clauseBreak, sentenceEnd, quote, equals, other
}

/// A token as byte offsets into the UTF-8 sentence, with its lower-cased FNV-1a hash.
struct RawToken {
    var start: Int32
    var end: Int32
    var hash: UInt64
    var kind: TokenKind
    var punct: PunctClass
    var capitalised: Bool
    var hyphenated = false
}

/// Splits financial and crypto text into words, numbers, tickers and punctuation, keeping
/// amounts (`$64,478`), shares (`27%`), ranges (`10–15%`), rates (`1.1 ZH/s`), `Q4`, tickers
/// and abbreviations (`U.S.`, `Inc.`) as single tokens.
public enum Tokenizer {
    /// Tokens of `text` in order.
    public static func tokenize(_ text: String) -> [Token] {
        var copy = text
        return copy.withUTF8 { buf -> [Token] in
            var raw: [RawToken] = []
            scan(buf, into: &raw)
            return raw.map { t in
                let slice = UnsafeBufferPointer(rebasing: buf[Int(t.start)..<Int(t.end)])
                return Token(text: String(decoding: slice, as: UTF8.self), kind: t.kind)
            }
        }
    }

    static let fnvOffset: UInt64 = 0xcbf2_9ce4_8422_2325
    static let fnvPrime: UInt64 = 0x100_0000_01b3

    @inline(__always) static func fnv(_ h: UInt64, _ b: UInt8) -> UInt64 {
        (h ^ UInt64(b)) &* fnvPrime
    }

    /// FNV-1a of a plain lower-case ASCII string; used to build the lexicon.
    static func hash(_ s: String) -> UInt64 {
        var h = fnvOffset
        for b in s.utf8 { h = fnv(h, lower(b)) }
        return h
    }

    @inline(__always) static func lower(_ b: UInt8) -> UInt8 {
        (b >= 65 && b <= 90) ? b | 0x20 : b
    }

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
    @inline(__always) static func isASCIILetter(_ b: UInt8) -> Bool {
        let l = b | 0x20
        return l >= 97 && l <= 122
    }
    @inline(__always) static func isSpace(_ b: UInt8) -> Bool {
        b == 32 || b == 9 || b == 10 || b == 13 || b == 12 || b == 11
    }

    /// Length of a multi-byte punctuation or space sequence at `i`, or 0 when the bytes there are a letter.
    @inline(__always) static func multibytePunct(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        let b = p[i]
        if b == 0xE2, i + 2 < p.count, p[i + 1] == 0x80 || p[i + 1] == 0x82 { return 3 }
        // Latin-1 punctuation and spaces, and C1 controls (U+0080–U+009F: Windows-1252 quotes and dashes decoded as
        // Latin-1, as in "bitcoin\u{92}s") that would otherwise glue two words together.
        if b == 0xC2, i + 1 < p.count, p[i + 1] >= 0x80 { return 2 }
        if b == 0xE3, i + 2 < p.count, p[i + 1] == 0x80 { return 3 }
        return 0
    }

    /// Byte length of a UTF-8 sequence from its lead byte.
    @inline(__always) static func seqLen(_ b: UInt8) -> Int {
        if b < 0xC0 { return 1 }
        if b < 0xE0 { return 2 }
        if b < 0xF0 { return 3 }
        return 4
    }

    /// True when a word-continuing character (letter, digit or non-punctuation multi-byte) starts at `i`.
    @inline(__always) static func isWordChar(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        let b = p[i]
        if b < 0x80 { return isASCIILetter(b) || isDigit(b) }
        return multibytePunct(p, i) == 0
    }

    @inline(__always) static func isEnDash(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        i + 2 < p.count && p[i] == 0xE2 && p[i + 1] == 0x80 && (p[i + 2] == 0x93 || p[i + 2] == 0x94)
    }

    /// Currency symbol length at `i` ($, €, £), or 0.
    @inline(__always) static func currency(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        let b = p[i]
        if b == 36 { return 1 }
        if b == 0xE2, i + 2 < p.count, p[i + 1] == 0x82, p[i + 2] == 0xAC { return 3 }
        if b == 0xC2, i + 1 < p.count, p[i + 1] == 0xA3 { return 2 }
        return 0
    }

    static let abbreviations: Set<UInt64> = Set([
        "inc", "corp", "ltd", "co", "plc", "mr", "mrs", "ms", "dr", "jr", "sr", "st", "vs", "etc", "no",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "est",
        "approx", "prof", "gen", "gov", "sen", "rep", "dept", "fig", "bros", "mt", "ft", "avg",
    ].map(hash))

    /// Scans `p` into raw tokens appended to `out`.
    static func scan(_ p: UnsafeBufferPointer<UInt8>, into out: inout [RawToken]) {
        let n = p.count
        var i = 0
        while i < n {
            let b = p[i]
            if isSpace(b) { i += 1; continue }
            if b == 0xC2, i + 1 < n, p[i + 1] == 0xA0 { i += 2; continue }
            let cur = currency(p, i)
            if cur > 0, i + cur < n, isDigit(p[i + cur]) {
                i = scanNumber(p, i, start: i + cur, into: &out)
                continue
            }
            if b == 36, i + 1 < n, isASCIILetter(p[i + 1]) {
                var j = i + 1
                var h = fnvOffset
                while j < n, isASCIILetter(p[j]) || isDigit(p[j]) { h = fnv(h, lower(p[j])); j += 1 }
                out.append(RawToken(start: Int32(i), end: Int32(j), hash: h, kind: .ticker, punct: .none, capitalised: true))
                i = j
                continue
            }
            if isDigit(b) || (b == 46 && i + 1 < n && isDigit(p[i + 1]) && (i == 0 || isSpace(p[i - 1]))) {
                i = scanNumber(p, i, start: i, into: &out)
                continue
            }
            if b >= 0x80 {
                let m = multibytePunct(p, i)
                if m > 0 {
                    let cls: PunctClass = isEnDash(p, i) ? .clauseBreak
                        : (p[i + 1] == 0x80 && (p[i + 2] >= 0x98 && p[i + 2] <= 0x9F)) ? .quote : .other
                    out.append(RawToken(start: Int32(i), end: Int32(i + m), hash: 0, kind: .punctuation, punct: cls, capitalised: false))
                    i += m
                    continue
                }
                i = scanWord(p, i, into: &out)
                continue
            }
            if isASCIILetter(b) {
                i = scanWord(p, i, into: &out)
                continue
            }
            let cls: PunctClass
            switch b {
            case 44, 59, 58, 40, 41, 91, 93: cls = .clauseBreak
            case 46, 33, 63: cls = .sentenceEnd
            case 34, 39, 96: cls = .quote
            case 61: cls = .equals
            case 45: cls = .clauseBreak
            default: cls = .other
            }
            out.append(RawToken(start: Int32(i), end: Int32(i + 1), hash: fnv(fnvOffset, b), kind: .punctuation, punct: cls, capitalised: false))
            i += 1
        }
    }

    /// Scans a number from `numStart` (after any currency symbol at `i`): digits with `,`/`.`
    /// groups, ranges with `-`/`–`, a `%`, attached unit letters and a following hashrate unit.
    static func scanNumber(_ p: UnsafeBufferPointer<UInt8>, _ i: Int, start numStart: Int, into out: inout [RawToken]) -> Int {
        let n = p.count
        var j = numStart
        var h = fnvOffset
        if j < n, p[j] == 46 { h = fnv(h, 46); j += 1 }
        while true {
            while j < n, isDigit(p[j]) { h = fnv(h, p[j]); j += 1 }
            if j + 1 < n, p[j] == 44 || p[j] == 46, isDigit(p[j + 1]) { h = fnv(h, p[j]); j += 1; continue }
            if j < n, p[j] == 37 { h = fnv(h, 37); j += 1 }
            while j < n, isASCIILetter(p[j]) { h = fnv(h, lower(p[j])); j += 1 }
            if j + 1 < n, p[j] == 45, isDigit(p[j + 1]) || currency(p, j + 1) > 0 {
                j += 1
                j += currency(p, j)
                continue
            }
            if isEnDash(p, j), j + 3 < n, isDigit(p[j + 3]) || currency(p, j + 3) > 0 {
                j += 3
                j += currency(p, j)
                continue
            }
            break
        }
        // Compound adjectives keep their number: "3.3-percent", "10-year".
        if j + 1 < n, p[j] == 45, isASCIILetter(p[j + 1]) {
            j += 1
            while j < n, isASCIILetter(p[j]) { h = fnv(h, lower(p[j])); j += 1 }
        }
        if j + 4 < n, p[j] == 32 {
            var k = j + 1
            if isASCIILetter(p[k]), p[k] != 72, p[k] != 104 { k += 1 }
            if k + 2 < n, p[k] == 72 || p[k] == 104, p[k + 1] == 47, p[k + 2] == 115,
               k + 3 >= n || !isWordChar(p, k + 3) {
                j = k + 3
            }
        }
        out.append(RawToken(start: Int32(i), end: Int32(j), hash: h, kind: .number, punct: .none, capitalised: false))
        return j
    }

    /// Scans a word: letters and digits joined by inner `'`, `’`, `-`, `&`, dotted initialisms
    /// (`U.S.`), and a trailing period for known abbreviations (`Inc.`).
    static func scanWord(_ p: UnsafeBufferPointer<UInt8>, _ i: Int, into out: inout [RawToken]) -> Int {
        let n = p.count
        var j = i
        var h = fnvOffset
        var segment = 0
        var dotted = false
        var allUpper = true
        var letters = 0
        var hyphenated = false
        var beforeApostrophe: UInt64 = 0
        var apostropheEnd = -1
        while j < n {
            let b = p[j]
            if b < 0x80 {
                if isASCIILetter(b) {
                    if b >= 97 { allUpper = false }
                    letters += 1
                    h = fnv(h, lower(b)); j += 1; segment += 1
                    continue
                }
                if isDigit(b) { h = fnv(h, b); j += 1; segment += 1; continue }
                if j + 1 < n, b == 39 || b == 45 || b == 38, isWordChar(p, j + 1) {
                    if b == 39 { beforeApostrophe = h; apostropheEnd = j + 1 }
                    if b == 45 { hyphenated = true }
                    h = fnv(h, b); j += 1; segment = 0
                    continue
                }
                if b == 46, segment == 1, j + 1 < n, isASCIILetter(p[j + 1]),
                   j + 2 >= n || !isASCIILetter(p[j + 2]) {
                    h = fnv(h, b); j += 1; segment = 0; dotted = true
                    continue
                }
                break
            }
            if b == 0xE2, j + 3 < n, p[j + 1] == 0x80, p[j + 2] == 0x99, isWordChar(p, j + 3) {
                beforeApostrophe = h; apostropheEnd = j + 3
                h = fnv(h, 39); j += 3; segment = 0
                continue
            }
            if multibytePunct(p, j) > 0 { break }
            let l = seqLen(b)
            for k in 0..<l where j + k < n { h = fnv(h, p[j + k]) }
            j += l; segment += 1; allUpper = false; letters += 1
        }
        // A possessive "'s" does not change the word looked up ("Bitcoin's" → "bitcoin").
        if apostropheEnd >= 0, j == apostropheEnd + 1, p[apostropheEnd] | 0x20 == 115 { h = beforeApostrophe }
        if j < n, p[j] == 46 {
            if dotted || abbreviations.contains(h) {
                h = fnv(h, 46)
                j += 1
            }
        }
        let first = p[i]
        let cap = first >= 65 && first <= 90
        let isTicker = allUpper && !dotted && letters >= 2 && letters <= 5 && (j - i) <= 6
        out.append(RawToken(start: Int32(i), end: Int32(j), hash: h, kind: isTicker ? .ticker : .word, punct: .none,
                            capitalised: cap, hyphenated: hyphenated))
        return j
    }
}
