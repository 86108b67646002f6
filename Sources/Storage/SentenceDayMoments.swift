import Foundation
import Sentiment

/// Per-UTC-day, per-speaker-type moments of relevant sentence scores, so a decayed sum over whole days reads one row
/// per day instead of every sentence.
///
/// For a sentence knowable at `k` on day `d` (ending at `e = (d + 1) · 86,400`), let `u = (e − k) / 86,400` ∈ (0, 1].
/// The row stores `mₙ = Σ score · uⁿ` for n = 0…`order`. With a half-life `h` of at least a day, `a = 86,400 · ln 2 / h`
/// is at most ln 2, and `Σ score · 0.5^((now − k)/h) = 0.5^((now − e)/h) · Σₙ (−a)ⁿ/n! · mₙ` exactly up to the
/// series' remainder, below aⁿ⁺¹/(n+1)! ≈ 1.4e-12 of the day's |score| sum at `order` 12 (far below for a week's
/// half-life). The moments do not depend on `h`, so any configured half-life reads the same rows.
enum SentenceDayMoments {
    /// Only units of this topic (beliefs about Bitcoin's value or prospects) are summed; technical commentary is not B's.
    static let beliefTopic = OpinionTopic.belief.rawValue
    static let order = 12
    static let secondsPerDay = 86_400.0
    /// Half-lives shorter than this use the row-by-row sum (the series would need more terms).
    static let shortestHalfLife = secondsPerDay

    static var momentColumns: [String] { (0...order).map { "m\($0)" } }

    static let createTable = """
        CREATE TABLE sentence_day (
            day INTEGER NOT NULL,
            speaker_type TEXT NOT NULL,
            count INTEGER NOT NULL,
            \(momentColumns.map { "\($0) REAL NOT NULL" }.joined(separator: ", ")),
            PRIMARY KEY (day, speaker_type)
        )
        """

    /// The UTC day number of an instant in store seconds; nil before 1970, which is never materialised.
    static func day(of knowable: Double) -> Int64? {
        guard knowable >= 0, knowable.isFinite else { return nil }
        return Int64((knowable / secondsPerDay).rounded(.down))
    }

    /// One day's running sums for one speaker type.
    struct Sums {
        var count: Int64 = 0
        var moments = [Double](repeating: 0, count: SentenceDayMoments.order + 1)

        mutating func add(score: Double, knowable: Double, day: Int64) {
            accumulate(score: score, knowable: knowable, day: day)
            count += 1
        }

        /// Adds another set of sums for the same day (the sums are linear).
        mutating func add(_ other: Sums) {
            count += other.count
            for n in moments.indices { moments[n] += other.moments[n] }
        }

        /// Takes out a unit added before (the sums are linear in the score).
        mutating func remove(score: Double, knowable: Double, day: Int64) {
            accumulate(score: -score, knowable: knowable, day: day)
            count -= 1
        }

        private mutating func accumulate(score: Double, knowable: Double, day: Int64) {
            let u = (Double(day + 1) * SentenceDayMoments.secondsPerDay - knowable) / SentenceDayMoments.secondsPerDay
            var power = 1.0
            for n in moments.indices {
                moments[n] += score * power
                power *= u
            }
        }
    }

    /// A row of `sentence_day`. The speaker type is the word as stored: a unit's sums are taken out under the word they
    /// were added under, even one this version does not know.
    struct Key: Hashable, Comparable {
        var day: Int64
        var speakerType: String

        static func < (lhs: Key, rhs: Key) -> Bool { (lhs.day, lhs.speakerType) < (rhs.day, rhs.speakerType) }
    }

    /// Adds sentences stored in the current transaction to their days' rows, in day and type order: ingest writers
    /// that share rows lock them in the same order, so they wait for each other but do not deadlock on them.
    static func add(_ sums: [Key: Sums], db: any SQLSession) throws {
        guard !sums.isEmpty else { return }
        let columns = momentColumns
        let sql = """
            INSERT INTO sentence_day (day, speaker_type, count, \(columns.joined(separator: ", ")))
            VALUES (?, ?, ?, \(sqlQuestionMarks(count: columns.count)))
            ON CONFLICT (day, speaker_type) DO UPDATE SET count = sentence_day.count + excluded.count,
                \(columns.map { "\($0) = sentence_day.\($0) + excluded.\($0)" }.joined(separator: ", "))
            """
        for (key, value) in sums.sorted(by: { $0.key < $1.key }) {
            try db.execute(sql: sql, arguments: [key.day, key.speakerType, value.count] + SQLArguments(value.moments))
        }
    }

    /// Recomputes the rows of days `from..<to` from the belief units themselves (after a migration or a prune); stores
    /// from before units had a topic (`beliefOnly` false, the v5 migration) sum every relevant sentence.
    static func rebuild(days range: Range<Int64>, beliefOnly: Bool = false, db: any SQLSession) throws {
        try db.execute(sql: "DELETE FROM sentence_day WHERE day >= ? AND day < ?", arguments: [range.lowerBound, range.upperBound])
        let sums = momentColumns.indices.map { n in "SUM(score" + String(repeating: " * u", count: n) + ")" }
        try db.execute(sql: """
            INSERT INTO sentence_day (day, speaker_type, count, \(momentColumns.joined(separator: ", ")))
            SELECT day, speaker_type, COUNT(*), \(sums.joined(separator: ", "))
            FROM (SELECT day, speaker_type, score, (day + 1) - knowable / \(secondsPerDay) AS u
                  FROM (SELECT \(db.dialect.dayNumber("knowable")) AS day, speaker_type, score, knowable
                        FROM sentence WHERE relevant = 1\(beliefOnly ? " AND topic = '\(beliefTopic)'" : "") AND knowable >= ? AND knowable < ?) AS unit) AS scaled
            GROUP BY day, speaker_type
            """, arguments: [Double(range.lowerBound) * secondsPerDay, Double(range.upperBound) * secondsPerDay])
    }

    /// Σ over whole days `range` of score · 0.5^((now − k)/halfLife), and the sentence count, per speaker type.
    static func decayedSums(days range: Range<Int64>, now: Double, halfLife: Double, db: any SQLSession) throws -> [String: (decayed: Double, count: Int)] {
        let a = secondsPerDay * log(2) / halfLife
        var coefficients: [Double] = []
        var term = 1.0
        for n in 0...order {
            coefficients.append(term)
            term *= -a / Double(n + 1)
        }
        var result: [String: (decayed: Double, count: Int)] = [:]
        let rows = try SQLRow.fetchAll(db, sql: "SELECT day, speaker_type, count, \(momentColumns.joined(separator: ", ")) FROM sentence_day WHERE day >= ? AND day < ?",
                                       arguments: [range.lowerBound, range.upperBound])
        for row in rows {
            let day: Int64 = row[0]
            let type: String = row[1]
            let count: Int = row[2]
            var within = 0.0
            for n in 0...order { within += coefficients[n] * (row[3 + n] as Double) }
            let dayEnd = Double(day + 1) * secondsPerDay
            let decayed = within * pow(0.5, max(0, now - dayEnd) / halfLife)
            let previous = result[type] ?? (0, 0)
            result[type] = (previous.decayed + decayed, previous.count + count)
        }
        return result
    }
}
