import Foundation

/// Reads a hand-entered institutional survey as JSON.
///
/// ```json
/// {"survey": "…", "publisher": "…", "published": "2026-01-27",
///  "field_window": {"start": "2026-01-05", "end": "2026-01-16"}, "share_unit": "percent",
///  "populations": [{"population": "institutional", "sample_size": 75,
///                   "shares": {"undervalued": 71, "fairly_valued": 19, "overvalued": 10}}]}
/// ```
/// A file may also hold an array of such surveys.
public enum SurveyJSON {
    /// Parses one survey object or an array of them; bad values become problems and the rest are kept.
    public static func read(_ bytes: [UInt8], source: String) throws(SurveyError) -> SurveyImport {
        let root: Any
        do { root = try JSONSerialization.jsonObject(with: Data(bytes)) } catch {
            throw .unreadable(source: source, reason: "not valid JSON")
        }
        let surveys: [[String: Any]]
        if let object = root as? [String: Any] { surveys = [object] }
        else if let array = root as? [[String: Any]] { surveys = array }
        else { throw .unreadable(source: source, reason: "expected a survey object or an array of them") }

        var result = SurveyImport()
        for (position, object) in surveys.enumerated() {
            let label = surveys.count > 1 ? "survey[\(position)]" : "survey"
            func problem(_ reason: String) { result.problems.append(SurveyProblem(source: source, line: nil, reason: "\(label): \(reason)")) }
            guard let name = object["survey"] as? String, !name.isEmpty else { problem("missing \"survey\" name"); continue }
            guard let publishedText = object["published"] as? String, let published = SurveyValues.date(publishedText) else {
                problem("missing or unparseable \"published\" date"); continue
            }
            if let reason = SurveyValues.implausible(published: published) { problem(reason); continue }
            let window = object["field_window"] as? [String: Any]
            let fieldStart = (window?["start"] as? String).flatMap(SurveyValues.date)
            let fieldEnd = (window?["end"] as? String).flatMap(SurveyValues.date)
            let declaredUnit = (object["share_unit"] as? String).flatMap(ShareUnit.init(rawValue:))
            guard let populations = object["populations"] as? [[String: Any]] else { problem("missing \"populations\" array"); continue }
            for entry in populations {
                let populationText = entry["population"] as? String ?? ""
                guard let population = SurveyPopulation(name: populationText) else { problem("unknown population '\(populationText)'"); continue }
                var sampleSize: Int?
                if let raw = entry["sample_size"], !(raw is NSNull) {
                    // `intValue` would turn 1e300 into Int.min and 2.5 into 2.
                    guard let value = (raw as? NSNumber).flatMap({ Int(exactly: $0.doubleValue) }), value > 0 else {
                        problem("\(populationText): sample size '\(raw)' is not a positive integer"); continue
                    }
                    sampleSize = value
                }
                guard let shares = entry["shares"] as? [String: Any] else { problem("\(populationText): missing \"shares\""); continue }
                let texts = shares.values.map { "\($0)" }
                let unit = declaredUnit ?? SurveyValues.detectUnit(texts)
                for (metricText, value) in shares.sorted(by: { $0.key < $1.key }) {
                    guard let metric = SurveyMetric(name: metricText) else { problem("\(populationText): unknown metric '\(metricText)'"); continue }
                    guard let share = SurveyValues.share("\(value)", unit: unit) else { problem("\(populationText).\(metricText): unparseable share"); continue }
                    guard (0...1).contains(share) else { problem("\(populationText).\(metricText): share \(value) is outside 0–1"); continue }
                    result.observations.append(SurveyObservation(
                        survey: name, publisher: object["publisher"] as? String ?? "", population: population, metric: metric,
                        share: share, sampleSize: sampleSize, fieldStart: fieldStart, fieldEnd: fieldEnd, published: published))
                }
            }
        }
        result.warnings = SurveyValues.sumWarnings(result.observations, source: source)
        return result
    }
}
