import Foundation

/// A row or value that could not be imported, with where it was.
public struct SurveyProblem: Sendable, Equatable, CustomStringConvertible {
    public var source: String
    /// 1-based line in the file, when the format has lines.
    public var line: Int?
    public var reason: String

    public init(source: String, line: Int?, reason: String) {
        self.source = source
        self.line = line
        self.reason = reason
    }

    public var description: String {
        if let line { return "\(source):\(line): \(reason)" }
        return "\(source): \(reason)"
    }
}

/// What one survey file yielded: the good rows, the bad rows with reasons, and warnings.
public struct SurveyImport: Sendable {
    public var observations: [SurveyObservation]
    /// Rows rejected (unparseable date, share outside 0–1, unknown metric…); the good rows are kept.
    public var problems: [SurveyProblem]
    /// Suspicious but kept, e.g. shares of an exhaustive question that do not sum to about 1.
    public var warnings: [SurveyProblem]
    /// Rows skipped because they carry no shares at all (e.g. weeks before a survey began).
    public var emptyRows: Int

    public init(observations: [SurveyObservation] = [], problems: [SurveyProblem] = [], warnings: [SurveyProblem] = [], emptyRows: Int = 0) {
        self.observations = observations
        self.problems = problems
        self.warnings = warnings
        self.emptyRows = emptyRows
    }
}

/// Why a survey file could not be read at all.
public enum SurveyError: Error, Sendable, CustomStringConvertible {
    case unreadable(source: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let source, let reason): "\(source): \(reason)"
        }
    }
}

/// How shares are written in a file.
public enum ShareUnit: String, Sendable, Codable {
    /// 0–100, with or without a `%` sign.
    case percent
    /// 0–1.
    case fraction
}

/// Parsing of shares and dates common to every survey layout.
enum SurveyValues {
    /// Parses "70%", "70" (percent) or "0.7" (fraction) into a fraction 0–1; nil when unparseable.
    static func share(_ text: String, unit: ShareUnit?) -> Double? {
        var body = text.trimmingCharacters(in: .whitespaces)
        var percent = unit == .percent
        if body.hasSuffix("%") {
            body.removeLast()
            percent = true
        }
        guard let value = Double(body.trimmingCharacters(in: .whitespaces)), value.isFinite else { return nil }
        return percent ? value / 100 : value
    }

    /// The earliest publication accepted: 1900-01-01 UTC (AAII's history starts in 1987).
    static let earliestPublished = Date(timeIntervalSince1970: -2_208_988_800)

    /// Why a publication date cannot be right (before 1900, or after tomorrow UTC), or nil.
    static func implausible(published: Date, now: Date = Date()) -> String? {
        if published < earliestPublished { return "published date \(published.formatted(.iso8601.year().month().day())) is before 1900" }
        if published > now.addingTimeInterval(2 * 86_400) { return "published date \(published.formatted(.iso8601.year().month().day())) is in the future" }
        return nil
    }

    /// Detects the unit of a column of shares: percent when any value has a `%` or exceeds 1.
    static func detectUnit(_ texts: [String]) -> ShareUnit {
        for text in texts {
            if text.contains("%") { return .percent }
            if let value = Double(text.trimmingCharacters(in: .whitespaces)), value > 1 { return .percent }
        }
        return .fraction
    }

    /// Parses a UTC date: `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM:SSZ`, or `M/D/YYYY`.
    static func date(_ text: String) -> Date? {
        let body = text.trimmingCharacters(in: .whitespaces)
        if let date = try? Date(body, strategy: .iso8601) { return date }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let ymd = body.split(separator: "-").compactMap { Int($0) }
        if ymd.count == 3, body.count == 10, (1...12).contains(ymd[1]), (1...31).contains(ymd[2]) {
            return calendar.date(from: DateComponents(year: ymd[0], month: ymd[1], day: ymd[2]))
        }
        let mdy = body.split(separator: "/").compactMap { Int($0) }
        if mdy.count == 3, (1...12).contains(mdy[0]), (1...31).contains(mdy[1]), mdy[2] > 1900 {
            return calendar.date(from: DateComponents(year: mdy[2], month: mdy[0], day: mdy[1]))
        }
        return nil
    }

    /// Warns where every answer of a question is reported but the shares do not sum to 1 ± 0.03.
    static func sumWarnings(_ observations: [SurveyObservation], source: String) -> [SurveyProblem] {
        struct Key: Hashable { var survey: String; var population: SurveyPopulation; var published: Date; var question: SurveyQuestion }
        var groups: [Key: [SurveyObservation]] = [:]
        for observation in observations {
            let key = Key(survey: observation.survey, population: observation.population, published: observation.published, question: observation.metric.question)
            groups[key, default: []].append(observation)
        }
        var warnings: [SurveyProblem] = []
        for (key, members) in groups where Set(members.map(\.metric)) == members[0].metric.exhaustiveAnswers {
            let total = members.reduce(0) { $0 + $1.share }
            if abs(total - 1) > 0.03 {
                let day = key.published.formatted(.iso8601.year().month().day())
                warnings.append(SurveyProblem(source: source, line: nil,
                    reason: "\(key.survey) \(key.population.rawValue) \(key.question.rawValue) shares on \(day) sum to \(String(format: "%.3f", total)), not 1"))
            }
        }
        return warnings.sorted { $0.reason < $1.reason }
    }
}
