import Foundation

/// Date parsing for feeds: RFC 822/1123 with real-world variants, ISO 8601 / W3CDTF, asctime and broken forms; results in UTC.
public enum FeedDates {
    /// The instant `text` names, or nil when no supported form matches. A missing zone means UTC.
    public static func parse(_ text: String) -> Date? {
        let trimmed = HTMLText.trim(text)
        guard !trimmed.isEmpty, trimmed.utf8.count < 100 else { return nil }
        let bytes = Array(trimmed.utf8)
        if bytes.count >= 4, bytes[0...3].allSatisfy(isDigit) {
            if let date = parseISO(bytes) { return date }
        }
        return parseRFC822(bytes) ?? parseTokens(trimmed)
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }

    /// W3CDTF / ISO 8601: `YYYY[-MM[-DD]][(T| )hh:mm[:ss[.f]]][Z|±hh[:]mm]`, also compact `YYYYMMDD[Thhmmss]`.
    static func parseISO(_ b: [UInt8]) -> Date? {
        var i = 0
        func number(_ maxDigits: Int) -> Int? {
            var value = 0
            var n = 0
            while i < b.count, n < maxDigits, isDigit(b[i]) {
                value = value * 10 + Int(b[i] - 48)
                i += 1
                n += 1
            }
            return n == 0 ? nil : value
        }
        func skip(_ c: Character) -> Bool {
            if i < b.count, b[i] == c.asciiValue! { i += 1; return true }
            return false
        }
        guard let year = number(4) else { return nil }
        var month = 1
        var day = 1
        let dashed = skip("-")
        if let m = number(2) {
            month = m
            if dashed { _ = skip("-") }
            if let d = number(2) { day = d }
        } else if dashed {
            return nil
        }
        var hour = 0, minute = 0, second = 0
        var fraction = 0.0
        var offset = 0
        if i < b.count, b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: "t") || b[i] == UInt8(ascii: " ") {
            i += 1
            guard let h = number(2) else { return nil }
            hour = h
            let colon = skip(":")
            if let m = number(2) { minute = m }
            if colon ? skip(":") : true, let s = number(2) { second = s }
            if i < b.count, b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: ",") {
                i += 1
                let start = i
                _ = number(9)
                if i > start, let f = Double("0." + String(decoding: b[start..<i], as: UTF8.self)) { fraction = f }
            }
            while i < b.count, b[i] == UInt8(ascii: " ") { i += 1 }
            if i < b.count {
                if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
                    i += 1
                } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
                    let sign = b[i] == UInt8(ascii: "-") ? -1 : 1
                    i += 1
                    guard let oh = number(2) else { return nil }
                    _ = skip(":")
                    let om = number(2) ?? 0
                    offset = sign * (oh * 3600 + om * 60)
                } else {
                    let rest = HTMLText.trim(String(decoding: b[i...], as: UTF8.self))
                    guard let zone = zoneOffset(rest) else { return nil }
                    offset = zone
                    i = b.count
                }
            }
        }
        guard i == b.count || b[i...].allSatisfy({ $0 == UInt8(ascii: " ") }) else { return nil }
        return make(year: year, month: month, day: day, hour: hour, minute: minute, second: second, offset: offset).map { $0.addingTimeInterval(fraction) }
    }

    static let months: [String: Int] = [
        "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
        "january": 1, "february": 2, "march": 3, "april": 4, "june": 6, "july": 7, "august": 8, "sept": 9,
        "september": 9, "october": 10, "november": 11, "december": 12,
    ]
    static let weekdays: Set<String> = ["mon", "tue", "wed", "thu", "fri", "sat", "sun", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "tues", "thur", "thurs"]

    /// Named and military zones (RFC 822 §5, plus common North American and European abbreviations).
    static let namedZones: [String: Int] = [
        "ut": 0, "utc": 0, "gmt": 0, "z": 0, "wet": 0, "bst": 1, "cet": 1, "cest": 2, "met": 1, "mest": 2, "eet": 2, "eest": 3,
        "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6, "pst": -8, "pdt": -7, "akst": -9, "akdt": -8,
        "hst": -10, "ast": -4, "adt": -3, "nst": -3, "jst": 9, "kst": 9, "ist": 5, "aest": 10, "aedt": 11, "msk": 3,
    ]

    /// `text` without leading and trailing characters from `set` (ASCII only).
    static func strip(_ text: String, _ set: String) -> String {
        let bytes = Set(set.utf8)
        let u = text.utf8
        guard let first = u.firstIndex(where: { !bytes.contains($0) }) else { return "" }
        let last = u.lastIndex(where: { !bytes.contains($0) })!
        return String(text[first...last])
    }

    /// Offset in seconds for a zone token: ±hhmm, ±hh:mm, named, or military letter (A–M east, N–Y west, Z zero).
    static func zoneOffset(_ raw: String) -> Int? {
        var token = strip(raw, " ()")
        if token.isEmpty { return nil }
        let lower = token.lowercased()
        if let hours = namedZones[lower] { return hours * 3600 }
        for prefix in ["gmt", "utc", "ut"] where lower.hasPrefix(prefix) && lower.count > prefix.count {
            token = String(token.dropFirst(prefix.count))
            break
        }
        if let first = token.first, first == "+" || first == "-" {
            let sign = first == "-" ? -1 : 1
            let digits = token.dropFirst().filter { $0 != ":" }
            guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber), digits.count <= 4 else { return nil }
            let value = Int(digits)!
            let (h, m) = digits.count <= 2 ? (value, 0) : (value / 100, value % 100)
            guard h <= 14, m < 60 else { return nil }
            return sign * (h * 3600 + m * 60)
        }
        if lower.count == 1, let c = lower.unicodeScalars.first, c.isASCII, ("a"..."y").contains(Character(c)), c != "j" {
            let v = Int(c.value) - 96
            if v <= 9 { return v * 3600 }
            if v <= 13 { return (v - 1) * 3600 }
            return -(v - 13) * 3600
        }
        return nil
    }

    /// Fast path for the canonical RFC 822 shape `[Www, ]D[D] Mon YY[YY] HH:MM[:SS] [zone]`; nil sends the text to `parseTokens`.
    static func parseRFC822(_ b: [UInt8]) -> Date? {
        var i = 0
        func skipSpaces() { while i < b.count, b[i] == 0x20 || b[i] == UInt8(ascii: ",") || b[i] == 0x09 { i += 1 } }
        func letters() -> UInt32? {
            var packed: UInt32 = 0
            var n = 0
            while i < b.count, HTMLFragment.Scanner.isLetter(b[i]) {
                if n < 3 { packed = packed << 8 | UInt32(b[i] | 0x20) }
                n += 1
                i += 1
            }
            return n >= 3 ? packed : nil
        }
        func digits(_ maxCount: Int) -> (Int, Int)? {
            var value = 0
            var n = 0
            while i < b.count, n < maxCount, isDigit(b[i]) {
                value = value * 10 + Int(b[i] - 48)
                n += 1
                i += 1
            }
            return n == 0 ? nil : (value, n)
        }
        skipSpaces()
        if i < b.count, HTMLFragment.Scanner.isLetter(b[i]) {
            guard letters() != nil else { return nil }
            skipSpaces()
        }
        guard let (day, _) = digits(2) else { return nil }
        skipSpaces()
        guard let monthKey = letters(), let month = monthNumbers[monthKey] else { return nil }
        skipSpaces()
        guard let (rawYear, yearWidth) = digits(4), yearWidth == 2 || yearWidth == 4 else { return nil }
        skipSpaces()
        var hour = 0, minute = 0, second = 0
        if i < b.count {
            guard let (h, _) = digits(2), i < b.count, b[i] == UInt8(ascii: ":") else { return nil }
            i += 1
            guard let (m, _) = digits(2) else { return nil }
            hour = h
            minute = m
            if i < b.count, b[i] == UInt8(ascii: ":") {
                i += 1
                guard let (sec, _) = digits(2) else { return nil }
                second = sec
            }
        }
        skipSpaces()
        var offset = 0
        if i < b.count {
            if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
                let sign = b[i] == UInt8(ascii: "-") ? -1 : 1
                i += 1
                guard let (value, width) = digits(4), width == 4 else { return nil }
                offset = sign * ((value / 100) * 3600 + (value % 100) * 60)
            } else {
                let start = i
                while i < b.count, b[i] != 0x20 { i += 1 }
                guard let zone = zoneOffset(String(decoding: b[start..<i], as: UTF8.self)) else { return nil }
                offset = zone
            }
            skipSpaces()
            guard i == b.count else { return nil }
        }
        let year = yearWidth == 2 ? rawYear + (rawYear < 50 ? 2000 : 1900) : rawYear
        return make(year: year, month: month, day: day, hour: hour, minute: minute, second: second, offset: offset)
    }

    /// Month numbers keyed by the first three lower-case letters packed big-endian.
    static let monthNumbers: [UInt32: Int] = {
        var table: [UInt32: Int] = [:]
        for (index, name) in ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"].enumerated() {
            let packed = name.utf8.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            table[packed] = index + 1
        }
        return table
    }()

    /// Token-based RFC 822 family: weekday optional, day/month/year in either order, 2- or 4-digit year, optional seconds and zone.
    static func parseTokens(_ text: String) -> Date? {
        var tokens = text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" || $0 == "\n" || $0 == "\r" }).map(String.init)
        var month: Int?
        var numbers: [Int] = []
        var numberWidths: [Int] = []
        var time: (Int, Int, Int)?
        var offset: Int?
        var index = 0
        // Split "07-Feb-2026" style tokens and "2026/02/07".
        tokens = tokens.flatMap { token -> [String] in
            if token.utf8.contains(UInt8(ascii: ":")) { return [token] }
            if token.first == "+" || (token.first == "-" && token.count > 1) { return [token] }
            let parts = token.split(whereSeparator: { $0 == "-" || $0 == "/" || $0 == "." }).map(String.init)
            return parts.count > 1 ? parts : [token]
        }
        while index < tokens.count {
            let token = tokens[index]
            let lower = strip(token.lowercased(), ".")
            index += 1
            if weekdays.contains(lower) { continue }
            if let m = months[lower] ?? (lower.count > 3 ? months[String(lower.prefix(3))] : nil), month == nil, lower.allSatisfy(\.isLetter) {
                month = m
                continue
            }
            if token.utf8.contains(UInt8(ascii: ":")) {
                var timePart = token
                var zonePart: String?
                if let z = token.firstIndex(where: { $0 == "+" || $0 == "-" || $0 == "Z" }) {
                    timePart = String(token[..<z])
                    zonePart = String(token[z...])
                }
                let pieces = timePart.split(separator: ":").map { Int($0.prefix { $0.isNumber }) }
                guard pieces.count >= 2, let h = pieces[0], let m = pieces[1], h < 25, m < 60 else { return nil }
                let s = pieces.count > 2 ? (pieces[2] ?? 0) : 0
                time = (h, m, min(s, 60))
                if let zonePart, let z = zoneOffset(zonePart) { offset = z }
                continue
            }
            if lower == "am" || lower == "pm" {
                if var t = time {
                    if lower == "pm", t.0 < 12 { t.0 += 12 }
                    if lower == "am", t.0 == 12 { t.0 = 0 }
                    time = t
                }
                continue
            }
            if let n = Int(token), token.allSatisfy(\.isNumber) {
                numbers.append(n)
                numberWidths.append(token.count)
                continue
            }
            if let z = zoneOffset(token) {
                if offset == nil { offset = z }
                continue
            }
            if token.hasSuffix("th") || token.hasSuffix("st") || token.hasSuffix("nd") || token.hasSuffix("rd"), let n = Int(token.dropLast(2)) {
                numbers.append(n)
                numberWidths.append(1)
                continue
            }
        }
        var day: Int?
        var year: Int?
        if let month {
            if numbers.count >= 2 {
                if numberWidths[0] == 4 {
                    year = numbers[0]
                    day = numbers[1]
                } else {
                    day = numbers[0]
                    year = numbers[1]
                }
            } else {
                return nil
            }
            return build(year: year!, month: month, day: day!, time: time, offset: offset)
        }
        if numbers.count >= 3 {
            if numberWidths[0] == 4 {
                return build(year: numbers[0], month: numbers[1], day: numbers[2], time: time, offset: offset)
            }
            return build(year: numbers[2], month: numbers[0], day: numbers[1], time: time, offset: offset)
        }
        return nil
    }

    static func build(year rawYear: Int, month: Int, day: Int, time: (Int, Int, Int)?, offset: Int?) -> Date? {
        var year = rawYear
        if year < 100 { year += year < 50 ? 2000 : 1900 }
        let (h, m, s) = time ?? (0, 0, 0)
        return make(year: year, month: month, day: day, hour: h, minute: m, second: s, offset: offset ?? 0)
    }

    /// Days-from-civil (Howard Hinnant's algorithm) turned into seconds since 1970 UTC, minus the zone offset.
    static func make(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, offset: Int) -> Date? {
        guard (1...12).contains(month), (1...31).contains(day), (0...24).contains(hour), (0...59).contains(minute), (0...60).contains(second),
              (1000...9999).contains(year) else { return nil }
        guard day <= daysIn(month: month, year: year) else { return nil }
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// `date` as ISO 8601 UTC with whole seconds, e.g. "2026-02-07T04:22:00Z".
    public static func iso8601(_ date: Date) -> String {
        let total = Int(floor(date.timeIntervalSince1970))
        var days = total / 86_400
        var rem = total % 86_400
        if rem < 0 { rem += 86_400; days -= 1 }
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        func pad(_ v: Int, _ w: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(rem / 3600, 2)):\(pad(rem % 3600 / 60, 2)):\(pad(rem % 60, 2))Z"
    }
}
