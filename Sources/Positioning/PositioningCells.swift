import Foundation
import Market

/// How flow trackers and the CFTC write numbers and dates in their cells.
public enum PositioningCells {
    /// What a cell holds.
    public enum Number: Sendable, Equatable {
        case value(Double)
        /// `-`, `—`, `–`, `n/a`, `na` or empty: the source has no figure for it.
        case noData
        case unreadable
    }

    /// Reads `1,234.5`, `(1,234.5)` (negative), `-12.3`, `−12.3`, `$12.3`; dashes and `n/a` are no data.
    public static func number(_ raw: String) -> Number {
        if let plain = Double(raw) { return plain.isFinite ? .value(plain) : .unreadable }
        var text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if ["", "-", "—", "–", "n/a", "na", "N/A", "NA", "#N/A"].contains(text) { return .noData }
        var negative = false
        if text.hasPrefix("("), text.hasSuffix(")") {
            negative = true
            text = String(text.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
        }
        if let first = text.first, first == "−" || first == "–" {
            negative.toggle()
            text.removeFirst()
        }
        text = text.replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "$", with: "").replacingOccurrences(of: " ", with: "")
        guard !text.isEmpty, text.utf8.count <= 40, text.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }),
              let value = Double(text), value.isFinite else { return .unreadable }
        return .value(negative ? -value : value)
    }

    /// Reads a day: `2026-02-05` (also with a time, as the CFTC API writes it), `05 Feb 2026`, `5-Feb-26`, `02/05/2026` (US order)
    /// or `260205` (the CFTC's YYMMDD).
    public static func day(_ raw: String) -> UTCDay? {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.utf8.count <= 40 else { return nil }
        if text.count >= 10, let day = UTCDay(iso: String(text.prefix(10))) { return day }
        if text.count == 6, text.allSatisfy(\.isNumber), let number = Int(text) {
            return valid(year: 2000 + number / 10_000, month: number / 100 % 100, day: number % 100)
        }
        let slash = text.split(separator: "/")
        if slash.count == 3, let month = Int(slash[0]), let day = Int(slash[1]), let year = Int(slash[2]) {
            return valid(year: year < 100 ? 2000 + year : year, month: month, day: day)
        }
        let words = text.split(whereSeparator: { $0 == " " || $0 == "-" })
        if words.count == 3, let day = Int(words[0]), let month = months[words[1].prefix(3).lowercased()], let year = Int(words[2]) {
            return valid(year: year < 100 ? 2000 + year : year, month: month, day: day)
        }
        return nil
    }

    static let months = ["jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12]

    static func valid(year: Int, month: Int, day: Int) -> UTCDay? {
        guard (1990...2200).contains(year), (1...12).contains(month), (1...31).contains(day) else { return nil }
        let result = UTCDay(year: year, month: month, day: day)
        return result.components == (year, month, day) ? result : nil
    }
}
