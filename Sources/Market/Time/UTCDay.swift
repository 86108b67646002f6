import Foundation

/// A UTC calendar day, counted in days since 1970-01-01 (day 0).
///
/// A day's data (a daily candle or hashrate sample) becomes knowable at `end`, the next day's 00:00 UTC.
public struct UTCDay: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Days since 1970-01-01 UTC (negative before it).
    public let daysSinceEpoch: Int

    /// The day `daysSinceEpoch` days after 1970-01-01.
    public init(daysSinceEpoch: Int) {
        self.daysSinceEpoch = daysSinceEpoch
    }

    /// The proleptic Gregorian date `year-month-day` (UTC); out-of-range days roll over.
    public init(year: Int, month: Int, day: Int) {
        // Days-from-civil (Howard Hinnant's algorithm).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        self.daysSinceEpoch = era * 146_097 + doe - 719_468
    }

    /// Parses `YYYY-MM-DD` (exactly 10 characters, a real calendar date); nil otherwise.
    public init?(iso: String) {
        let bytes = Array(iso.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let digit = Int(bytes[index]) - 48
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              (1...12).contains(month), day >= 1, day <= UTCDay.daysIn(month: month, year: year)
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// The UTC day containing the instant `date`.
    public init(containing date: Date) {
        let seconds = date.timeIntervalSince1970
        self.daysSinceEpoch = Int((seconds / 86_400).rounded(.down))
    }

    /// Year, month (1–12) and day of month (1–31), UTC.
    public var components: (year: Int, month: Int, day: Int) {
        // Civil-from-days (Howard Hinnant's algorithm).
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// `YYYY-MM-DD`.
    public var iso: String {
        let (year, month, day) = components
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// Same as `iso`.
    public var description: String { iso }

    /// 00:00 UTC at the start of the day.
    public var start: Date { Date(timeIntervalSince1970: Double(daysSinceEpoch) * 86_400) }

    /// 00:00 UTC of the next day: when this day's candle or sample becomes knowable.
    public var end: Date { Date(timeIntervalSince1970: Double(daysSinceEpoch + 1) * 86_400) }

    /// The day `days` later (earlier when negative).
    public func adding(days: Int) -> UTCDay { UTCDay(daysSinceEpoch: daysSinceEpoch + days) }

    /// Days from `self` to `other` (positive when `other` is later).
    public func days(to other: UTCDay) -> Int { other.daysSinceEpoch - daysSinceEpoch }

    /// ISO weekday: Monday = 1 … Sunday = 7 (1970-01-01 was a Thursday).
    public var weekday: Int { ((daysSinceEpoch + 3) % 7 + 7) % 7 + 1 }

    /// The Sunday ending this day's Monday–Sunday week (the week's label).
    public var weekEnding: UTCDay { adding(days: 7 - weekday) }

    /// The latest day whose data is knowable at `instant` (its `end` ≤ `instant`).
    public static func lastComplete(asOf instant: Date) -> UTCDay {
        UTCDay(containing: instant).adding(days: -1)
    }

    /// Earlier day first.
    public static func < (lhs: UTCDay, rhs: UTCDay) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }

    /// Decodes from a `YYYY-MM-DD` string.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let day = UTCDay(iso: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected YYYY-MM-DD, got \"\(text)\"")
        }
        self = day
    }

    /// Encodes as a `YYYY-MM-DD` string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
