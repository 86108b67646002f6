import Foundation

/// Byte-level repairs applied before libxml2 sees a document, each reported as a warning:
/// junk before the first tag, HTML named entities undeclared in XML (`&nbsp;` → `&#160;`), bare `&` (→ `&amp;`).
/// CDATA sections, comments and the DOCTYPE are left untouched. Only for ASCII-compatible encodings.
enum XMLRepair {
    /// True when `bytes[start..<end]` names one of XML's five predefined entities (amp, lt, gt, quot, apos).
    static func isPredefined(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Bool {
        let name = bytes[start..<end]
        switch name.count {
        case 2: return name.last == UInt8(ascii: "t") && (name.first == UInt8(ascii: "l") || name.first == UInt8(ascii: "g"))
        case 3: return name.elementsEqual("amp".utf8)
        case 4: return name.elementsEqual("quot".utf8) || name.elementsEqual("apos".utf8)
        default: return false
        }
    }

    static func repair(_ bytes: [UInt8], warnings: inout [String]) -> [UInt8] {
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        var firstTag = start
        while firstTag < bytes.count, bytes[firstTag] != UInt8(ascii: "<") { firstTag += 1 }
        if firstTag == bytes.count { return bytes }
        let skipped = bytes[start..<firstTag]
        if !skipped.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            warnings.append("ignored \(skipped.count) bytes of junk before the first tag")
        }
        var out: [UInt8]? = nil
        if firstTag != start { out = Array(bytes[0..<start]) }
        var declared: Set<String> = []
        var undefinedNames: [String] = []
        var bareAmpersands = 0
        var i = firstTag
        var copied = firstTag
        func flush(_ upTo: Int) {
            if out == nil { out = Array(bytes[0..<copied]) }
            out!.append(contentsOf: bytes[copied..<upTo])
            copied = upTo
        }
        // The next `&` and `<!` at or after `i`, each searched again only once `i` has passed it.
        var nextAmp = -1
        var nextBang = -1
        while i < bytes.count {
            // Jump to the next `&` or `<!`; everything between needs no repair.
            if nextAmp < i { nextAmp = nextIndex(of: UInt8(ascii: "&"), in: bytes, from: i) ?? bytes.count }
            if nextBang < i { nextBang = nextMarkupDeclaration(in: bytes, from: i) }
            i = min(nextAmp, nextBang)
            guard i < bytes.count else { break }
            let b = bytes[i]
            if b == UInt8(ascii: "<"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "!") {
                if matches(bytes, i, "<![CDATA[") {
                    i = HTMLText.find(Array("]]>".utf8), in: bytes, from: i + 9).map { $0 + 3 } ?? bytes.count
                    continue
                }
                if matches(bytes, i, "<!--") {
                    i = HTMLText.find(Array("-->".utf8), in: bytes, from: i + 4).map { $0 + 3 } ?? bytes.count
                    continue
                }
                if matches(bytes, i, "<!DOCTYPE") {
                    var j = i + 9
                    var inSubset = false
                    while j < bytes.count {
                        if bytes[j] == UInt8(ascii: "[") { inSubset = true }
                        if bytes[j] == UInt8(ascii: "]") { inSubset = false }
                        if bytes[j] == UInt8(ascii: ">"), !inSubset { break }
                        j += 1
                    }
                    let doctype = String(decoding: bytes[i..<min(j, bytes.count)], as: UTF8.self)
                    for part in doctype.components(separatedBy: "<!ENTITY").dropFirst() {
                        let name = part.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).first.map(String.init) ?? ""
                        declared.insert(name)
                    }
                    i = j + 1
                    continue
                }
            }
            if b == UInt8(ascii: "&") {
                var j = i + 1
                if j < bytes.count, bytes[j] == UInt8(ascii: "#") {
                    j += 1
                    var hex = false
                    if j < bytes.count, bytes[j] | 0x20 == UInt8(ascii: "x") { hex = true; j += 1 }
                    let digitsStart = j
                    while j < bytes.count, isDigit(bytes[j]) || (hex && isHex(bytes[j])) { j += 1 }
                    if j > digitsStart, j < bytes.count, bytes[j] == UInt8(ascii: ";") {
                        i = j + 1
                        continue
                    }
                    flush(i)
                    out!.append(contentsOf: Array("&amp;".utf8))
                    copied = i + 1
                    bareAmpersands += 1
                    i += 1
                    continue
                }
                let nameStart = j
                while j < bytes.count, j - nameStart < 40, isNameByte(bytes[j]) { j += 1 }
                if j > nameStart, j < bytes.count, bytes[j] == UInt8(ascii: ";") {
                    if isPredefined(bytes, nameStart, j) {
                        i = j + 1
                        continue
                    }
                    let name = String(decoding: bytes[nameStart..<j], as: UTF8.self)
                    if declared.contains(name) {
                        i = j + 1
                        continue
                    }
                    if let value = HTMLText.namedEntity(name), let scalar = value.unicodeScalars.first {
                        flush(i)
                        out!.append(contentsOf: Array("&#\(scalar.value);".utf8))
                        copied = j + 1
                        if undefinedNames.count < 5, !undefinedNames.contains(name) { undefinedNames.append(name) }
                        i = j + 1
                        continue
                    }
                }
                flush(i)
                out!.append(contentsOf: Array("&amp;".utf8))
                copied = i + 1
                bareAmpersands += 1
                i += 1
                continue
            }
            i += 1
        }
        guard var result = out else { return bytes }
        result.append(contentsOf: bytes[copied..<bytes.count])
        if !undefinedNames.isEmpty {
            warnings.append("undefined entity " + undefinedNames.map { "&\($0);" }.joined(separator: ", ") + " read as HTML")
        }
        if bareAmpersands > 0 {
            warnings.append("\(bareAmpersands) unescaped '&' read as text")
        }
        return result
    }

    static func nextIndex(of byte: UInt8, in bytes: [UInt8], from start: Int) -> Int? {
        guard start < bytes.count else { return nil }
        return bytes.withUnsafeBufferPointer { HTMLFragment.Scanner.find1($0, byte, from: start) }
    }

    /// Index of the next `<!` at or after `start`, else `bytes.count`; found by its `!`, rarer than `<` in feeds.
    static func nextMarkupDeclaration(in bytes: [UInt8], from start: Int) -> Int {
        var probe = start + 1
        while let bang = nextIndex(of: UInt8(ascii: "!"), in: bytes, from: probe) {
            if bytes[bang - 1] == UInt8(ascii: "<") { return bang - 1 }
            probe = bang + 1
        }
        return bytes.count
    }

    static func matches(_ bytes: [UInt8], _ at: Int, _ literal: String) -> Bool {
        let needle = Array(literal.utf8)
        guard at + needle.count <= bytes.count else { return false }
        return bytes[at..<(at + needle.count)].elementsEqual(needle)
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
    static func isHex(_ b: UInt8) -> Bool { isDigit(b) || ((b | 0x20) >= 97 && (b | 0x20) <= 102) }
    static func isNameByte(_ b: UInt8) -> Bool {
        isDigit(b) || ((b | 0x20) >= 97 && (b | 0x20) <= 122) || b == UInt8(ascii: "_") || b == UInt8(ascii: "-") || b == UInt8(ascii: ".") || b == UInt8(ascii: ":") || b >= 0x80
    }
}
