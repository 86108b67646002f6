import Foundation
import Surveys

/// When dated inputs become knowable, by the point-in-time rule of DESIGN.md.
public enum PointInTime {
    /// The instant a published stamp is knowable: a stamp at exactly 00:00:00 UTC is read as date-only, knowable at the
    /// end of its day (the next midnight); any other stamp at itself.
    ///
    /// Date-only stamps ("2026-01-27" in a survey file or a feed) are parsed to 00:00 of their day, while the thing
    /// they date may appear at any hour of it. Reading them at the end of the day costs at most a day's delay for the
    /// rare stamp that really is midnight, and never lets an as-of instant see what was published later that day.
    public static func knowable(published: Date) -> Date {
        let seconds = published.timeIntervalSince1970
        guard seconds.isFinite, seconds.truncatingRemainder(dividingBy: 86_400) == 0 else { return published }
        return published.addingTimeInterval(86_400)
    }

    /// The SQL expression of `knowable(published:)` over a column of store seconds.
    public static func knowableSQL(_ column: String) -> String {
        "(CASE WHEN \(column) = CAST(\(column) / 86400 AS INTEGER) * 86400.0 THEN \(column) + 86400 ELSE \(column) END)"
    }
}

extension SurveyObservation {
    /// When this result became knowable (UTC): its published stamp, read as the end of the day when it is date-only.
    public var knowable: Date { PointInTime.knowable(published: published) }
}
