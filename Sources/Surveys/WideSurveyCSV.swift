import DelimitedText
import Foundation

/// How a wide survey CSV (one row per survey date, one column per metric) maps to observations.
public struct WideSurveyMapping: Sendable, Equatable {
    public var survey: String
    public var publisher: String
    public var population: SurveyPopulation
    /// The column holding the date the result was reported.
    public var dateColumn: String
    /// Metric for each share column.
    public var metricColumns: [(column: String, metric: SurveyMetric)]
    /// The unit of the shares, or nil to detect it.
    public var unit: ShareUnit?
    /// Respondents per row, when the survey states it.
    public var sampleSize: Int?

    public init(survey: String, publisher: String, population: SurveyPopulation, dateColumn: String,
                metricColumns: [(column: String, metric: SurveyMetric)], unit: ShareUnit?, sampleSize: Int? = nil) {
        self.survey = survey
        self.publisher = publisher
        self.population = population
        self.dateColumn = dateColumn
        self.metricColumns = metricColumns
        self.unit = unit
        self.sampleSize = sampleSize
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.survey == rhs.survey && lhs.publisher == rhs.publisher && lhs.population == rhs.population && lhs.dateColumn == rhs.dateColumn
            && lhs.metricColumns.map(\.column) == rhs.metricColumns.map(\.column) && lhs.metricColumns.map(\.metric) == rhs.metricColumns.map(\.metric)
            && lhs.unit == rhs.unit && lhs.sampleSize == rhs.sampleSize
    }

    /// The AAII Investor Sentiment Survey's weekly history: `reported_date, bullish, neutral, bearish` as fractions (retail).
    public static let aaii = WideSurveyMapping(
        survey: "AAII Investor Sentiment Survey", publisher: "AAII", population: .retail, dateColumn: "reported_date",
        metricColumns: [("bullish", .bullish), ("neutral", .neutral), ("bearish", .bearish)], unit: .fraction)

    /// Mappings known by name (`--mapping NAME`).
    public static let builtIn: [String: WideSurveyMapping] = ["aaii": .aaii]
}

/// Reads a wide survey CSV through a column mapping.
public enum WideSurveyCSV {
    /// Parses rows into observations; rows with no shares at all are counted as empty, not as problems.
    public static func read(_ bytes: [UInt8], source: String, mapping: WideSurveyMapping) throws(SurveyError) -> SurveyImport {
        let table: DelimitedTable
        do { table = try DelimitedTable(bytes: bytes, source: source) } catch { throw .unreadable(source: source, reason: error.reason) }
        guard let dateIndex = table.column(mapping.dateColumn) else { throw .unreadable(source: source, reason: "missing column '\(mapping.dateColumn)'") }
        var metricIndexes: [(Int, SurveyMetric, String)] = []
        for (column, metric) in mapping.metricColumns {
            guard let index = table.column(column) else { throw .unreadable(source: source, reason: "missing column '\(column)'") }
            metricIndexes.append((index, metric, column))
        }
        let unit = mapping.unit ?? SurveyValues.detectUnit(table.records.flatMap { record in metricIndexes.compactMap { record[column: $0.0] } })

        var result = SurveyImport()
        for record in table.records {
            let present = metricIndexes.filter { record[column: $0.0] != nil }
            if present.isEmpty { result.emptyRows += 1; continue }
            let dateText = record[column: dateIndex] ?? ""
            guard let published = SurveyValues.date(dateText) else {
                result.problems.append(SurveyProblem(source: source, line: record.line, reason: "unparseable date '\(dateText)'")); continue
            }
            if let reason = SurveyValues.implausible(published: published) {
                result.problems.append(SurveyProblem(source: source, line: record.line, reason: reason)); continue
            }
            var rowObservations: [SurveyObservation] = []
            var rowProblem: String?
            for (index, metric, column) in metricIndexes {
                guard let text = record[column: index] else { rowProblem = "missing \(column) share"; break }
                guard let share = SurveyValues.share(text, unit: unit) else { rowProblem = "unparseable \(column) share '\(text)'"; break }
                guard (0...1).contains(share) else { rowProblem = "\(column) share \(text) is outside 0–1"; break }
                rowObservations.append(SurveyObservation(
                    survey: mapping.survey, publisher: mapping.publisher, population: mapping.population, metric: metric,
                    share: share, sampleSize: mapping.sampleSize, published: published))
            }
            if let rowProblem {
                result.problems.append(SurveyProblem(source: source, line: record.line, reason: rowProblem))
            } else {
                result.observations += rowObservations
            }
        }
        result.warnings = SurveyValues.sumWarnings(result.observations, source: source)
        return result
    }
}
