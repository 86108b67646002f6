import DelimitedText
import Foundation

/// Reads the long survey layout: one row per survey × population × metric.
///
/// Columns: `survey, publisher, population, metric, share, sample_size, field_start, field_end, published`
/// (`sample_size`, `field_start`, `field_end` optional). Shares are percent or fractions, detected per file
/// unless `unit` is given.
public enum LongSurveyCSV {
    /// Parses a long-layout CSV; bad rows become problems and the good rows are kept.
    public static func read(_ bytes: [UInt8], source: String, unit: ShareUnit? = nil) throws(SurveyError) -> SurveyImport {
        let table: DelimitedTable
        do { table = try DelimitedTable(bytes: bytes, source: source) } catch { throw .unreadable(source: source, reason: error.reason) }
        var columns: [String: Int] = [:]
        for name in ["survey", "publisher", "population", "metric", "share", "published"] {
            guard let index = table.column(name) else { throw .unreadable(source: source, reason: "missing column '\(name)'") }
            columns[name] = index
        }
        let sampleColumn = table.column("sample_size"), startColumn = table.column("field_start"), endColumn = table.column("field_end")
        let shareUnit = unit ?? SurveyValues.detectUnit(table.records.compactMap { $0[column: columns["share"]] })

        var result = SurveyImport()
        for record in table.records {
            func problem(_ reason: String) { result.problems.append(SurveyProblem(source: source, line: record.line, reason: reason)) }
            guard let survey = record[column: columns["survey"]] else { problem("missing survey name"); continue }
            let populationText = record[column: columns["population"]] ?? ""
            guard let population = SurveyPopulation(name: populationText) else { problem("unknown population '\(populationText)'"); continue }
            let metricText = record[column: columns["metric"]] ?? ""
            guard let metric = SurveyMetric(name: metricText) else { problem("unknown metric '\(metricText)'"); continue }
            let shareText = record[column: columns["share"]] ?? ""
            guard let share = SurveyValues.share(shareText, unit: shareUnit) else { problem("unparseable share '\(shareText)'"); continue }
            guard (0...1).contains(share) else { problem("share \(shareText) is outside 0–1"); continue }
            let publishedText = record[column: columns["published"]] ?? ""
            guard let published = SurveyValues.date(publishedText) else { problem("unparseable published date '\(publishedText)'"); continue }
            if let reason = SurveyValues.implausible(published: published) { problem(reason); continue }
            var sampleSize: Int?
            if let text = record[column: sampleColumn] {
                guard let value = Int(text), value > 0 else { problem("sample size '\(text)' is not a positive integer"); continue }
                sampleSize = value
            }
            result.observations.append(SurveyObservation(
                survey: survey, publisher: record[column: columns["publisher"]] ?? "", population: population, metric: metric,
                share: share, sampleSize: sampleSize,
                fieldStart: record[column: startColumn].flatMap(SurveyValues.date), fieldEnd: record[column: endColumn].flatMap(SurveyValues.date),
                published: published))
        }
        result.warnings = SurveyValues.sumWarnings(result.observations, source: source)
        return result
    }
}
