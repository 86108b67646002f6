import Foundation
import Market
import Settings

/// Where a series' history stands against what the readings need, and where a backfill (re)starts.
///
/// The store is the cursor: pages are committed as they arrive, so after an interruption the backfill resumes from the
/// last day of the stored run that begins at the endpoint's first day (that day is fetched again: a revised row
/// replaces it). Runs are stored days no more than `maxGapDays` apart.
public struct BackfillPlan: Sendable, Equatable {
    /// Stored days more than this far apart split the history into two runs.
    public static let maxGapDays = 7

    /// The series planned.
    public var series: MarketSeries
    /// The run of stored days that ends with the latest one: the history the readings can use.
    public var held: ClosedRange<UTCDay>?
    /// The first day the readings on `today` need (`HistoryNeed`).
    public var neededFrom: UTCDay
    /// The readings short of history today.
    public var missing: [HistoryNeed]
    /// The first page's day, or nil when the history is long enough (or reaches the endpoint's first day).
    public var start: UTCDay?
    /// True when `start` continues an earlier, interrupted backfill.
    public var resumes: Bool

    /// The plan for stored `days` (ascending) of `series`, filled from `settings`, as of `today` (the last complete UTC day).
    public init(series: MarketSeries, days: [UTCDay], settings: BackfillSettings, today: UTCDay) {
        self.series = series
        neededFrom = HistoryNeed.firstDayNeeded(for: series, on: today) ?? today
        let runs = Self.runs(days)
        held = runs.last
        let heldFrom = held?.lowerBound
        missing = HistoryNeed.all.filter { need in
            need.series.contains(series) && heldFrom.map { $0 > need.firstDayNeeded(on: today) } != false
        }
        let reachesStart = heldFrom.map { $0 <= settings.from.adding(days: Self.maxGapDays) } == true
        resumes = false
        if missing.isEmpty || reachesStart {
            start = nil
        } else if let leading = runs.first, runs.count > 1, leading.lowerBound <= settings.from.adding(days: Self.maxGapDays) {
            start = leading.upperBound
            resumes = true
        } else {
            start = settings.from
        }
    }

    /// Consecutive stored days no more than `maxGapDays` apart, ascending.
    static func runs(_ days: [UTCDay]) -> [ClosedRange<UTCDay>] {
        var runs: [ClosedRange<UTCDay>] = []
        for day in days {
            if let last = runs.last, last.upperBound.days(to: day) <= maxGapDays {
                runs[runs.count - 1] = last.lowerBound...max(last.upperBound, day)
            } else {
                runs.append(day...day)
            }
        }
        return runs
    }

    /// One line: what is held, what the readings need, and which are missing until the backfill completes.
    public var shortfallLine: String? {
        guard !missing.isEmpty else { return nil }
        let holding = held.map { "\(series.rawValue) stored \($0.lowerBound.iso) … \($0.upperBound.iso) (\($0.lowerBound.days(to: $0.upperBound) + 1) days)" }
            ?? "no \(series.rawValue) stored"
        let readings = missing.map { "\($0.name) (\($0.rule))" }.joined(separator: ", ")
        return "\(holding); the readings need \(series.rawValue) from \(neededFrom.iso): missing until the backfill completes: \(readings)"
    }
}
