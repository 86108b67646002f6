import Foundation
import Market
import Surveys

/// Survey observations as a table or CSV.
public enum SurveyRendering {
    /// `published,survey,publisher,population,metric,share,sample_size,field_start,field_end`, dates as UTC days.
    public static func csv(_ rows: [SurveyObservation]) -> String {
        var lines = ["published,survey,publisher,population,metric,share,sample_size,field_start,field_end"]
        for row in rows {
            let fields = [day(row.published), row.survey, row.publisher, row.population.rawValue, row.metric.rawValue, String(format: "%.4f", row.share),
                          row.sampleSize.map(String.init) ?? "", row.fieldStart.map(day) ?? "", row.fieldEnd.map(day) ?? ""]
            lines.append(fields.map(TechnicalsRendering.csvField).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One line per observation.
    public static func table(_ rows: [SurveyObservation]) -> String {
        guard !rows.isEmpty else { return "no survey observations stored\n" }
        return rows.map { row in
            "\(day(row.published))  \(ReportRendering.pad(row.population.rawValue, 18)) \(ReportRendering.pad(row.metric.rawValue, 20)) \(ReportRendering.pad(String(format: "%5.1f%%", row.share * 100), 7)) n=\(ReportRendering.pad(row.sampleSize.map(String.init) ?? "?", 6)) \(row.survey)"
        }.joined(separator: "\n") + "\n"
    }

    static func day(_ date: Date) -> String { UTCDay(containing: date).iso }
}
