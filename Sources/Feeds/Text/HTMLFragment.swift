import CLibXML2
import Foundation

/// One pass over an HTML fragment's UTF-8 bytes producing both its plain text and a sanitised copy.
///
/// Tokenising follows the HTML rules a feed reader needs: `<` opens a tag only before a letter, `/`, `!` or `?`;
/// a tag never closed by `>` is text; quoted attribute values may contain `>`; script, style and applet
/// elements vanish with their content, other unknown elements lose only their tags. Plain text: every tag is a word break, entities decoded, whitespace
/// (including Unicode spaces) collapsed. Sanitised HTML: whitelisted elements and attributes only, URLs limited to
/// http, https and mailto (relative ones resolved against `base`), unclosed elements closed, stray end tags dropped.
struct HTMLFragment {
    var text: String
    var html: String

    static func render(_ source: String, base: String?, wantHTML: Bool = true) -> HTMLFragment {
        var copy = source
        return copy.withUTF8 { render($0, base: base, wantHTML: wantHTML) }
    }

    /// The fragment in `bytes`, valid UTF-8 (a libxml2 text node's or a string's). The HTML has no leading or
    /// trailing ASCII whitespace.
    static func render(_ bytes: UnsafeBufferPointer<UInt8>, base: String?, wantHTML: Bool = true) -> HTMLFragment {
        var scanner = Scanner(base: base, wantHTML: wantHTML)
        if bytes.count > 0 { scanner.run(bytes) }
        let html = scanner.html.withUnsafeBufferPointer { String(decoding: HTMLText.trim($0), as: UTF8.self) }
        return HTMLFragment(text: String(decoding: scanner.text, as: UTF8.self), html: html)
    }

    struct Scanner {
        let base: String?
        let wantHTML: Bool
        var text: [UInt8] = []
        var html: [UInt8] = []
        var pendingSpace = false
        var stack: [UInt64] = []
        var attributes: [(name: Range<Int>, value: Range<Int>)] = []

        init(base: String?, wantHTML: Bool) {
            self.base = base
            self.wantHTML = wantHTML
        }

        static func isASCIISpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C || b == 0x0B }
        static func isLetter(_ b: UInt8) -> Bool { let l = b | 0x20; return l >= 0x61 && l <= 0x7A }

        /// Length of a Unicode space sequence at `i` (U+0085, U+00A0, U+1680, U+2000–200A, U+2028/9, U+202F, U+205F, U+3000), else 0.
        static func unicodeSpaceLength(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
            let c = b[i]
            if c == 0xC2, i + 1 < b.count, b[i + 1] == 0x85 || b[i + 1] == 0xA0 { return 2 }
            if c == 0xE2, i + 2 < b.count {
                let c1 = b[i + 1], c2 = b[i + 2]
                if c1 == 0x80, (c2 >= 0x80 && c2 <= 0x8A) || c2 == 0xA8 || c2 == 0xA9 || c2 == 0xAF { return 3 }
                if c1 == 0x81, c2 == 0x9F { return 3 }
            }
            if c == 0xE3, i + 2 < b.count, b[i + 1] == 0x80, b[i + 2] == 0x80 { return 3 }
            if c == 0xE1, i + 2 < b.count, b[i + 1] == 0x9A, b[i + 2] == 0x80 { return 3 }
            return 0
        }

        static func isSpaceScalar(_ v: UInt32) -> Bool {
            v == 0x20 || (v >= 0x09 && v <= 0x0D) || v == 0x85 || v == 0xA0 || v == 0x1680 || (v >= 0x2000 && v <= 0x200A)
                || v == 0x2028 || v == 0x2029 || v == 0x202F || v == 0x205F || v == 0x3000
        }

        mutating func wordBreak() { pendingSpace = !text.isEmpty }

        mutating func textByte(_ b: UInt8) {
            if pendingSpace { text.append(0x20); pendingSpace = false }
            text.append(b)
        }

        mutating func htmlEscaped(_ b: UInt8) {
            switch b {
            case UInt8(ascii: "&"): html.append(contentsOf: [0x26, 0x61, 0x6D, 0x70, 0x3B])
            case UInt8(ascii: "<"): html.append(contentsOf: [0x26, 0x6C, 0x74, 0x3B])
            case UInt8(ascii: ">"): html.append(contentsOf: [0x26, 0x67, 0x74, 0x3B])
            case UInt8(ascii: "\""): html.append(contentsOf: [0x26, 0x71, 0x75, 0x6F, 0x74, 0x3B])
            default: html.append(b)
            }
        }

        /// True when `value` needs no decoding, trimming or resolving to be a safe URL: it starts with `http:`,
        /// `https:` or `mailto:` (any case), has no `&` and no ASCII whitespace at either end.
        static func isPlainWebURL(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
            guard value.count > 7, !isASCIISpace(value[value.count - 1]),
                  URLResolution.webSchemes.contains(where: { value.count > $0.count && value[$0.count] == UInt8(ascii: ":")
                      && HTMLText.startsIgnoringASCIICase(value, with: $0) }) else { return false }
            return memchr(value.baseAddress!, 0x26, value.count) == nil
        }

        /// Bytes that `htmlEscaped` rewrites: `&`, `<`, `>`, `"`.
        @inline(__always) static func needsEscape(_ b: UInt8) -> Bool { b == 0x26 || b == 0x3C || b == 0x3E || b == 0x22 }

        /// Index of the first byte at or after `from` that `htmlEscaped` rewrites, else `bytes.count`; eight at a time.
        static func nextEscape(_ bytes: UnsafeBufferPointer<UInt8>, from: Int) -> Int {
            var k = from
            let raw = UnsafeRawBufferPointer(bytes)
            while k + 8 <= bytes.count {
                let word = raw.loadUnaligned(fromByteOffset: k, as: UInt64.self)
                let marks = zeroLanes(word ^ lanes(0x26)) | zeroLanes(word ^ lanes(0x3C)) | zeroLanes(word ^ lanes(0x3E)) | zeroLanes(word ^ lanes(0x22))
                if marks != 0 { return k + marks.trailingZeroBitCount / 8 }
                k += 8
            }
            while k < bytes.count, !needsEscape(bytes[k]) { k += 1 }
            return k
        }

        /// Appends `bytes` to the HTML output escaped, copying the runs between escapes in bulk.
        mutating func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>) {
            var runStart = 0
            while true {
                let k = Scanner.nextEscape(bytes, from: runStart)
                html.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<k]))
                guard k < bytes.count else { return }
                htmlEscaped(bytes[k])
                runStart = k + 1
            }
        }

        /// Appends an attribute value to the HTML output with its character references decoded, then escaped.
        mutating func appendDecodedEscaped(_ bytes: UnsafeBufferPointer<UInt8>) {
            var runStart = 0
            var k = 0
            while k < bytes.count {
                k = Scanner.nextEscape(bytes, from: k)
                guard k < bytes.count else { break }
                let c = bytes[k]
                html.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<k]))
                if c == UInt8(ascii: "&"), let (value, next) = HTMLText.referenceValue(bytes, k), let scalar = Unicode.Scalar(value) {
                    if value < 0x80 { htmlEscaped(UInt8(value)) } else { appendUTF8(scalar.value, to: &html) }
                    k = next
                } else {
                    htmlEscaped(c)
                    k += 1
                }
                runStart = k
            }
            html.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }

        mutating func emitScalar(_ v: UInt32, html writeHTML: Bool = true) {
            if Scanner.isSpaceScalar(v) {
                wordBreak()
                if wantHTML, writeHTML {
                    if v < 0x80 { html.append(UInt8(v)) } else { appendUTF8(v, to: &html) }
                }
                return
            }
            if pendingSpace { text.append(0x20); pendingSpace = false }
            appendUTF8(v, to: &text)
            if wantHTML, writeHTML {
                if v < 0x80 { htmlEscaped(UInt8(v)) } else { appendUTF8(v, to: &html) }
            }
        }

        func appendUTF8(_ v: UInt32, to out: inout [UInt8]) {
            guard let scalar = Unicode.Scalar(v) else { return }
            var buffer: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
            let count = withUnsafeMutableBytes(of: &buffer) { raw -> Int in
                var n = 0
                UTF8.encode(scalar) { raw[n] = $0; n += 1 }
                return n
            }
            withUnsafeBytes(of: &buffer) { out.append(contentsOf: $0.prefix(count)) }
        }

        /// Decodes a character reference at `i` (an `&`); returns the index after it, or nil when it is not one.
        mutating func reference(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int? {
            guard let (value, next) = HTMLText.referenceValue(b, i) else { return nil }
            emitScalar(value, html: false)
            keepReference(b, i, next)
            return next
        }

        /// Copies a character reference into the HTML output as written, adding a missing `;`.
        mutating func keepReference(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) {
            guard wantHTML else { return }
            var stop = end
            if stop > start, b[stop - 1] == UInt8(ascii: ";") { stop -= 1 }
            html.append(contentsOf: UnsafeBufferPointer(rebasing: b[start..<stop]))
            html.append(UInt8(ascii: ";"))
        }

        /// What the sanitiser does with an element: keep it, keep it as a void element, drop it with its content;
        /// elements not listed lose their tags only.
        enum ElementKind { case kept, void, dropped, stripped }

        /// Allowed element names longer than eight bytes get small codes 1, 2, … instead of packed bytes.
        static let longNames: [String] = HTMLSanitizer.allowedElements.filter { $0.utf8.count > 8 }.sorted()

        /// Element kinds by name code (see `nameCode`).
        static let elementKinds = NameCodeTable<ElementKind>(
            HTMLSanitizer.allowedElements.map { (code(of: $0), HTMLSanitizer.voidElements.contains($0) ? .void : .kept) }
                + ["script", "style", "applet"].map { (code(of: $0), .dropped) })

        /// `<name` of each allowed element, by name code.
        static let startTags = NameCodeTable<[UInt8]>(HTMLSanitizer.allowedElements.map { (code(of: $0), Array("<\($0)".utf8)) })
        /// `</name>` of each allowed element, by name code.
        static let endTags = NameCodeTable<[UInt8]>(HTMLSanitizer.allowedElements.map { (code(of: $0), Array("</\($0)>".utf8)) })

        /// ` name="` of each allowed attribute, by name code.
        static let attributeOpenings = NameCodeTable<[UInt8]>(HTMLSanitizer.allowedAttributes.map { (code(of: $0), Array(" \($0)=\"".utf8)) })

        /// Name codes of the elements dropped with their content (script, style, applet).
        static let droppedCodes: [UInt64] = ["script", "style", "applet"].map(code(of:))

        /// Allowed attributes by name code, mapped to whether they hold a URL (all allowed names fit in eight bytes).
        static let attributeKinds = NameCodeTable<Bool>(HTMLSanitizer.allowedAttributes.map { (code(of: $0), HTMLSanitizer.urlAttributes.contains($0)) })

        static func code(of name: String) -> UInt64 {
            if let index = longNames.firstIndex(of: name) { return UInt64(index + 1) }
            return name.utf8.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        }

        /// The lower-cased local name (after any `prefix:`) packed big-endian into eight bytes, a long-name code,
        /// or 0 when the name is empty, unknown and long, or not `[a-z0-9-]`.
        static func nameCode(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt64 {
            var from = start
            var k = end
            while k > start {
                k -= 1
                if b[k] == UInt8(ascii: ":") { from = k + 1; break }
            }
            let count = end - from
            guard count > 0 else { return 0 }
            if count > 8 {
                let name = lowerName(b, from, end)
                return longNames.firstIndex(of: name).map { UInt64($0 + 1) } ?? 0
            }
            var value: UInt64 = 0
            for index in from..<end {
                var c = b[index]
                if c >= 0x41 && c <= 0x5A { c |= 0x20 }
                guard (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == UInt8(ascii: "-") else { return 0 }
                value = value << 8 | UInt64(c)
            }
            return value
        }

        /// Appends the name a code stands for.
        static func appendName(_ code: UInt64, to out: inout [UInt8]) {
            if code <= UInt64(longNames.count) {
                if code > 0 { out.append(contentsOf: longNames[Int(code) - 1].utf8) }
                return
            }
            var shift = 56 - code.leadingZeroBitCount / 8 * 8
            while shift >= 0 {
                out.append(UInt8(truncatingIfNeeded: code >> UInt64(shift)))
                shift -= 8
            }
        }

        /// Bytes that need individual handling; every other byte is copied in runs to both outputs.
        static let special: [Bool] = (0..<256).map { b in
            b <= 0x20 || b == 0x22 || b == 0x26 || b == 0x3C || b == 0x3E || b == 0xC2 || b == 0xE1 || b == 0xE2 || b == 0xE3 || b == 0x7F
        }

        /// Eight bytes with one of `byte` in each lane.
        @inline(__always) static func lanes(_ byte: UInt8) -> UInt64 { 0x0101_0101_0101_0101 &* UInt64(byte) }

        /// High bit set in each lane of `word` that is zero (exact: no false positives).
        @inline(__always) static func zeroLanes(_ word: UInt64) -> UInt64 {
            ~(((word & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | word | 0x7F7F_7F7F_7F7F_7F7F)
        }

        /// High bit set in each lane of `word` whose byte needs individual handling (see `special`), treating a lone
        /// space as ordinary: bytes below 0x20, 0x7F and above, `&`, `<`, and with HTML output `"` and `>`.
        @inline(__always) func specialLanes(_ word: UInt64) -> UInt64 {
            let high = word & 0x8080_8080_8080_8080
            let control = ((word & 0x7F7F_7F7F_7F7F_7F7F) &+ Scanner.lanes(0x80 - 0x20)) & 0x8080_8080_8080_8080 ^ 0x8080_8080_8080_8080
            let delete = Scanner.zeroLanes(word ^ Scanner.lanes(0x7F))
            var marks = Scanner.zeroLanes(word ^ Scanner.lanes(0x26)) | Scanner.zeroLanes(word ^ Scanner.lanes(0x3C))
            if wantHTML { marks |= Scanner.zeroLanes(word ^ Scanner.lanes(0x22)) | Scanner.zeroLanes(word ^ Scanner.lanes(0x3E)) }
            return high | (control & ~high) | delete | marks
        }

        mutating func run(_ b: UnsafeBufferPointer<UInt8>) {
            let count = b.count
            text.reserveCapacity(count)
            if wantHTML { html.reserveCapacity(count + 16) }
            let raw = UnsafeRawBufferPointer(b)
            let spaces = Scanner.lanes(0x20)
            Scanner.special.withUnsafeBufferPointer { special in
                var i = 0
                while i < count {
                    // Runs of ordinary bytes, with single spaces between words, go to both outputs in bulk:
                    // eight bytes at a time while a word holds no special byte, no double space, and a space
                    // in its last lane is followed by an ordinary byte.
                    let runStart = i
                    var j = i
                    scan: while true {
                        while j + 9 <= count {
                            let word = raw.loadUnaligned(fromByteOffset: j, as: UInt64.self)
                            if specialLanes(word) != 0 { break }
                            let spaceLanes = Scanner.zeroLanes(word ^ spaces)
                            if spaceLanes & (spaceLanes >> 8) != 0 { break }
                            if j == runStart, spaceLanes & 0x80 != 0 { break }
                            if spaceLanes & 0x8000_0000_0000_0000 != 0 {
                                let after = b[j + 8]
                                if after == 0x20 || special[Int(after)] { break }
                            }
                            j += 8
                        }
                        // One step byte by byte, then back to words: the byte or pair that stopped them is ordinary
                        // text more often than not (a non-ASCII letter, a space before a word).
                        guard j < count else { break scan }
                        let c = b[j]
                        if !special[Int(c)] {
                            j += 1
                        } else if c == 0x20, j + 1 < count, !special[Int(b[j + 1])], j > runStart {
                            j += 2
                        } else if c >= 0x80, Scanner.unicodeSpaceLength(b, j) == 0 {
                            j += 1
                        } else {
                            break scan
                        }
                    }
                    i = j
                    if i > runStart {
                        let run = UnsafeBufferPointer(rebasing: b[runStart..<i])
                        if pendingSpace { text.append(0x20); pendingSpace = false }
                        text.append(contentsOf: run)
                        if wantHTML { html.append(contentsOf: run) }
                        continue
                    }
                    let c = b[i]
                    if c == UInt8(ascii: "<"), i + 1 < count {
                        let n = b[i + 1]
                        if Scanner.isLetter(n) || n == UInt8(ascii: "/") || n == UInt8(ascii: "!") || n == UInt8(ascii: "?") {
                            if let next = markup(b, i) {
                                i = next
                                continue
                            }
                        }
                    }
                    if c == UInt8(ascii: "&"), let next = reference(b, i) {
                        i = next
                        continue
                    }
                    if Scanner.isASCIISpace(c) {
                        wordBreak()
                        if wantHTML { html.append(c) }
                        i += 1
                        continue
                    }
                    if c >= 0x80 {
                        let spaceLength = Scanner.unicodeSpaceLength(b, i)
                        if spaceLength > 0 {
                            wordBreak()
                            if wantHTML { html.append(contentsOf: UnsafeBufferPointer(rebasing: b[i..<(i + spaceLength)])) }
                            i += spaceLength
                            continue
                        }
                    }
                    textByte(c)
                    if wantHTML { htmlEscaped(c) }
                    i += 1
                }
            }
            if wantHTML {
                while let open = stack.popLast() { appendEndTag(open) }
            }
        }

        mutating func appendEndTag(_ code: UInt64) {
            if let tag = Scanner.endTags[code] {
                html.append(contentsOf: tag)
                return
            }
            html.append(UInt8(ascii: "<"))
            html.append(UInt8(ascii: "/"))
            Scanner.appendName(code, to: &html)
            html.append(UInt8(ascii: ">"))
        }

        /// Lower-cased ASCII name from a byte range, dropping any `prefix:`.
        static func lowerName(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String {
            var from = start
            var k = end
            while k > start {
                k -= 1
                if b[k] == UInt8(ascii: ":") { from = k + 1; break }
            }
            var needsLowering = false
            for k in from..<end where b[k] >= 0x41 && b[k] <= 0x5A { needsLowering = true; break }
            let slice = UnsafeBufferPointer(rebasing: b[from..<end])
            if !needsLowering { return String(decoding: slice, as: UTF8.self) }
            return String(decoding: slice.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
        }

        /// Index of the first `byte` at or after `from`.
        static func find1(_ b: UnsafeBufferPointer<UInt8>, _ byte: UInt8, from: Int) -> Int? {
            guard from < b.count, let found = memchr(b.baseAddress! + from, Int32(byte), b.count - from) else { return nil }
            return b.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }

        static func find(_ b: UnsafeBufferPointer<UInt8>, _ needle: [UInt8], from: Int, caseInsensitive: Bool = false) -> Int? {
            guard !needle.isEmpty, b.count >= needle.count, from <= b.count - needle.count else { return nil }
            if !caseInsensitive {
                return needle.withUnsafeBufferPointer { pattern in
                    guard let found = feeds_find(b.baseAddress! + from, b.count - from, pattern.baseAddress!, pattern.count) else { return nil }
                    return b.baseAddress!.distance(to: found)
                }
            }
            var i = from
            let last = b.count - needle.count
            while i <= last {
                var k = 0
                while k < needle.count, caseInsensitive ? (b[i + k] | 0x20) == (needle[k] | 0x20) : b[i + k] == needle[k] { k += 1 }
                if k == needle.count { return i }
                i += 1
            }
            return nil
        }

        /// Handles markup at `i` (`<`); returns the index after it, or nil when the tag is never closed.
        mutating func markup(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int? {
            let n = b[i + 1]
            if n == UInt8(ascii: "!") {
                if i + 3 < b.count, b[i + 2] == UInt8(ascii: "-"), b[i + 3] == UInt8(ascii: "-") {
                    wordBreak()
                    return Scanner.find(b, Array("-->".utf8), from: i + 4).map { $0 + 3 } ?? b.count
                }
                if let cdataEnd = cdata(b, i) { return cdataEnd }
            }
            if n == UInt8(ascii: "!") || n == UInt8(ascii: "?") {
                guard let close = Scanner.find1(b, UInt8(ascii: ">"), from: i + 2) else { return nil }
                wordBreak()
                return close + 1
            }
            let closing = n == UInt8(ascii: "/")
            var j = i + (closing ? 2 : 1)
            let nameStart = j
            while j < b.count, !Scanner.isASCIISpace(b[j]), b[j] != UInt8(ascii: ">"), b[j] != UInt8(ascii: "/") { j += 1 }
            let nameEnd = j
            if !attributes.isEmpty { attributes.removeAll(keepingCapacity: true) }
            var selfClosing = false
            while true {
                while j < b.count, Scanner.isASCIISpace(b[j]) { j += 1 }
                guard j < b.count else { return nil }
                if b[j] == UInt8(ascii: ">") { j += 1; break }
                if b[j] == UInt8(ascii: "/") {
                    j += 1
                    if j < b.count, b[j] == UInt8(ascii: ">") { selfClosing = true; j += 1; break }
                    continue
                }
                let attrStart = j
                while j < b.count, !Scanner.isASCIISpace(b[j]), b[j] != UInt8(ascii: ">"), b[j] != UInt8(ascii: "="), !(b[j] == UInt8(ascii: "/") && j + 1 < b.count && b[j + 1] == UInt8(ascii: ">")) { j += 1 }
                let attrEnd = j
                while j < b.count, Scanner.isASCIISpace(b[j]) { j += 1 }
                var value = j..<j
                if j < b.count, b[j] == UInt8(ascii: "=") {
                    j += 1
                    while j < b.count, Scanner.isASCIISpace(b[j]) { j += 1 }
                    guard j < b.count else { return nil }
                    if b[j] == UInt8(ascii: "\"") || b[j] == UInt8(ascii: "'") {
                        let quote = b[j]
                        guard let end = Scanner.find1(b, quote, from: j + 1) else { return nil }
                        value = (j + 1)..<end
                        j = end + 1
                    } else {
                        let valueStart = j
                        while j < b.count, !Scanner.isASCIISpace(b[j]), b[j] != UInt8(ascii: ">") { j += 1 }
                        value = valueStart..<j
                    }
                }
                if wantHTML, attrEnd > attrStart, attributes.count < 32 { attributes.append((attrStart..<attrEnd, value)) }
            }
            wordBreak()
            let local = Scanner.nameCode(b, nameStart, nameEnd)
            if closing {
                if wantHTML, local != 0, let index = stack.lastIndex(of: local) {
                    while stack.count > index { appendEndTag(stack.removeLast()) }
                }
                return j
            }
            let kind: ElementKind
            if local == 0 {
                kind = .stripped
            } else if wantHTML {
                kind = Scanner.elementKinds[local] ?? .stripped
            } else {
                kind = Scanner.droppedCodes.contains(local) ? .dropped : .stripped
            }
            if kind == .dropped, !selfClosing {
                var closeTag: [UInt8] = [UInt8(ascii: "<"), UInt8(ascii: "/")]
                Scanner.appendName(local, to: &closeTag)
                guard let end = Scanner.find(b, closeTag, from: j, caseInsensitive: true) else { return b.count }
                return Scanner.find1(b, UInt8(ascii: ">"), from: end).map { $0 + 1 } ?? b.count
            }
            if wantHTML, kind == .kept || kind == .void {
                if let opening = Scanner.startTags[local] {
                    html.append(contentsOf: opening)
                } else {
                    html.append(UInt8(ascii: "<"))
                    Scanner.appendName(local, to: &html)
                }
                for attribute in attributes {
                    let attrCode = Scanner.nameCode(b, attribute.name.lowerBound, attribute.name.upperBound)
                    guard attrCode != 0, let isURL = Scanner.attributeKinds[attrCode] else { continue }
                    let value = UnsafeBufferPointer(rebasing: b[attribute.value])
                    var safe: String?
                    if isURL, !Scanner.isPlainWebURL(value) {
                        let written = String(decoding: value, as: UTF8.self)
                        safe = HTMLSanitizer.safeURL(value.contains(UInt8(ascii: "&")) ? HTMLText.decodeEntities(written) : written, base: base)
                        if safe == nil { continue }
                    }
                    if let opening = Scanner.attributeOpenings[attrCode] {
                        html.append(contentsOf: opening)
                    } else {
                        html.append(UInt8(ascii: " "))
                        Scanner.appendName(attrCode, to: &html)
                        html.append(UInt8(ascii: "="))
                        html.append(UInt8(ascii: "\""))
                    }
                    if var safe {
                        safe.withUTF8 { appendEscaped($0) }
                    } else {
                        appendDecodedEscaped(value)
                    }
                    html.append(UInt8(ascii: "\""))
                }
                if kind == .void {
                    html.append(contentsOf: [0x20, 0x2F, 0x3E])
                } else if selfClosing {
                    html.append(UInt8(ascii: ">"))
                    appendEndTag(local)
                } else {
                    html.append(UInt8(ascii: ">"))
                    if stack.count < 256 { stack.append(local) }
                }
            }
            return j
        }

        /// `<![CDATA[…]]>` inside HTML: its content is literal text.
        mutating func cdata(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int? {
            let opener = Array("<![CDATA[".utf8)
            guard i + opener.count <= b.count, UnsafeBufferPointer(rebasing: b[i..<(i + opener.count)]).elementsEqual(opener) else { return nil }
            let start = i + opener.count
            let end = Scanner.find(b, Array("]]>".utf8), from: start) ?? b.count
            for k in start..<end {
                let c = b[k]
                if Scanner.isASCIISpace(c) { wordBreak(); if wantHTML { html.append(c) } } else { textByte(c); if wantHTML { htmlEscaped(c) } }
            }
            return min(end + 3, b.count)
        }
    }
}

/// A map from non-zero name codes to values by open addressing with a multiplicative hash: one probe or two
/// per tag, where `Dictionary` would run SipHash.
struct NameCodeTable<Value: Sendable>: Sendable {
    private var codes: [UInt64]
    private var values: [Value?]
    private let shift: UInt64

    /// A table holding `pairs` (code 0 is reserved for empty slots and skipped).
    init(_ pairs: [(UInt64, Value)]) {
        var bits: UInt64 = 4
        while (1 << bits) < pairs.count * 4 { bits += 1 }
        shift = 64 - bits
        codes = [UInt64](repeating: 0, count: 1 << bits)
        values = [Value?](repeating: nil, count: 1 << bits)
        for (code, value) in pairs where code != 0 {
            var slot = slot(of: code)
            while codes[slot] != 0, codes[slot] != code { slot = (slot + 1) & (codes.count - 1) }
            codes[slot] = code
            values[slot] = value
        }
    }

    private func slot(of code: UInt64) -> Int { Int(truncatingIfNeeded: (code &* 0x9E37_79B9_7F4A_7C15) >> shift) }

    /// The value stored for `code`, or nil.
    subscript(code: UInt64) -> Value? {
        var slot = slot(of: code)
        while codes[slot] != 0 {
            if codes[slot] == code { return values[slot] }
            slot = (slot + 1) & (codes.count - 1)
        }
        return nil
    }
}
