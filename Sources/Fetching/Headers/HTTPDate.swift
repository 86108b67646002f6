import Foundation

/// HTTP-date parsing (RFC 9110 §5.6.7): IMF-fixdate, obsolete RFC 850 and asctime forms, always UTC.
public enum HTTPDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// The instant an HTTP-date names, or nil when the text is not one of the three forms.
    ///
    /// Two-digit RFC 850 years below 70 are 20xx, others 19xx.
    public static func parse(_ text: String) -> Date? {
        let tokens = text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "-" || $0 == "\t" })
        var month: Int?
        var numbers: [Substring] = []
        var clock: [Int]?
        for token in tokens {
            if token.contains(":") {
                let parts = token.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
                guard parts.count == 3, parts.allSatisfy({ $0 != nil }), clock == nil else { return nil }
                clock = parts.compactMap { $0 }
            } else if token.allSatisfy(\.isASCIIDigit) {
                numbers.append(token)
            } else if let index = months.firstIndex(of: token.lowercased()) {
                guard month == nil else { return nil }
                month = index + 1
            } else if token == "GMT" || token == "UTC" {
                continue
            } else if !isWeekday(token) {
                return nil
            }
        }
        guard let month, let clock, numbers.count == 2,
            let day = Int(numbers[0]), var year = Int(numbers[1]), numbers[0].count <= 2
        else { return nil }
        switch numbers[1].count {
        case 2: year += year < 70 ? 2000 : 1900
        case 4: break
        default: return nil
        }
        guard (1...31).contains(day), (0...23).contains(clock[0]), (0...59).contains(clock[1]),
            (0...60).contains(clock[2])
        else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + clock[0] * 3600 + clock[1] * 60 + clock[2]
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    /// Seconds to wait from a `Retry-After` value: delta-seconds, or an HTTP-date measured from `reference`
    /// (the response's `Date` header when present, else the local clock). Never negative; nil when unparsable.
    public static func retryAfterSeconds(_ value: String, reference: Date) -> TimeInterval? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty, trimmed.allSatisfy(\.isASCIIDigit) {
            return TimeInterval(trimmed.prefix(12))
        }
        guard let date = parse(trimmed) else { return nil }
        return max(0, date.timeIntervalSince(reference))
    }

    private static func isWeekday(_ token: Substring) -> Bool {
        let names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        let lower = token.lowercased()
        return names.contains { lower == $0 || lower.hasPrefix($0) && lower.hasSuffix("day") }
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's `days_from_civil`).
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
