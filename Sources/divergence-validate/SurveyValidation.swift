import Foundation
import Surveys

/// Imports the AAII weekly history through the wide-CSV mapping and checks its shape; true when all checks pass.
///
/// Expected: 1,975 survey weeks, the first 1987-07-24 and the last 2025-06-05, every week's shares summing to 1 ± 0.01.
/// The file has one corrupt week (1996-01-11: 42, 42, 42): it is rejected with its line and still counted as a week.
func validateSurveys(file: URL) -> Bool {
    guard let data = FileManager.default.contents(atPath: file.path) else {
        print("surveys: cannot read \(file.path)")
        return false
    }
    let result: SurveyImport
    do { result = try WideSurveyCSV.read(Array(data), source: file.lastPathComponent, mapping: .aaii) } catch {
        print("surveys: \(error)")
        return false
    }
    let weeks = Dictionary(grouping: result.observations, by: \.published)
    let days = weeks.keys.sorted()
    let format = Date.ISO8601FormatStyle().year().month().day()
    let badSums = weeks.filter { abs($0.value.reduce(0) { $0 + $1.share } - 1) > 0.01 }
    var passed = true
    func check(_ ok: Bool, _ text: String) {
        print("  [\(ok ? "ok" : "FAIL")] \(text)")
        if !ok { passed = false }
    }
    print("surveys: AAII weekly history via the wide-CSV mapping (\(result.emptyRows) empty row(s) skipped, \(result.problems.count) problem(s))")
    check(days.count + result.problems.count == 1_975, "survey weeks: \(days.count) imported + \(result.problems.count) rejected = \(days.count + result.problems.count) (expected 1,975)")
    check(result.problems.count <= 1, "rejected weeks: \(result.problems.count) (the source has one corrupt week)")
    check(days.first.map { $0.formatted(format) } == "1987-07-24", "first week: \(days.first.map { $0.formatted(format) } ?? "-") (expected 1987-07-24)")
    check(days.last.map { $0.formatted(format) } == "2025-06-05", "last week: \(days.last.map { $0.formatted(format) } ?? "-") (expected 2025-06-05)")
    check(badSums.isEmpty, "weeks whose shares do not sum to 1 ± 0.01: \(badSums.count)")
    check(weeks.values.allSatisfy { $0.count == 3 }, "every week has bullish, neutral and bearish")
    for problem in result.problems.prefix(5) { print("    problem: \(problem)") }
    return passed
}
