import Foundation
import GRDB
import Scoring
import Sentiment

extension Store {
    /// The news component's sums over relevant sentences knowable in [asOf − maxAge, asOf], computed in SQL with the
    /// same decay as `halfLifeDecay`, plus the strongest sentences as evidence: ranked by |score| × speaker weight ×
    /// decay among the last two half-lives (older ones weigh at most a quarter), or the whole window when those are empty.
    public func newsAggregate(asOf: Date, maxAge: TimeInterval, parameters: BullishnessParameters, evidence: Int = 6) throws(StoreError) -> NewsAggregate {
        let halfLife = parameters.newsHalfLifeDays * 86_400
        let now = asOf.storeSeconds, oldest = asOf.storeSeconds - maxAge
        return try read { db in
            // A pass over the covering index (no GROUP BY sort) for the part of the window not covered by whole days:
            // a sum and a count per configured speaker type, and one bucket for every other type, which all weigh as
            // `unknown`. Whole days are read from their per-day moments (see SentenceDayMoments).
            let known = parameters.speakerWeights.keys.filter { $0 != "unknown" }.sorted()
            func quoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }
            func bucket(_ type: String) -> String { known.contains(type) ? type : "unknown" }
            var sums: [String: NewsAggregate.SpeakerSums] = [:]
            func add(_ type: String, decayed: Double, count: Int) {
                guard count > 0 else { return }
                let previous = sums[type] ?? NewsAggregate.SpeakerSums(decayedScore: 0, count: 0)
                sums[type] = NewsAggregate.SpeakerSums(decayedScore: previous.decayedScore + decayed, count: previous.count + count)
            }
            func addRows(from lower: Double, to upper: Double, includingUpper: Bool) throws {
                guard lower < upper || (includingUpper && lower == upper) else { return }
                let decayed = "score * \(decaySQL("knowable"))"
                var columns: [String] = []
                var arguments: StatementArguments = []
                for type in known {
                    columns.append("SUM(CASE WHEN speaker_type = \(quoted(type)) THEN \(decayed) END), SUM(speaker_type = \(quoted(type)))")
                    arguments += [now, halfLife]
                }
                let knownList = known.map(quoted).joined(separator: ", ")
                let otherCondition = known.isEmpty ? "1" : "speaker_type NOT IN (\(knownList))"
                columns.append("SUM(CASE WHEN \(otherCondition) THEN \(decayed) END), SUM(\(otherCondition))")
                arguments += [now, halfLife, lower, upper]
                let sql = "SELECT \(columns.joined(separator: ", ")) FROM sentence WHERE relevant = 1 AND knowable >= ? AND knowable \(includingUpper ? "<=" : "<") ?"
                guard let row = try Row.fetchOne(db, sql: sql, arguments: arguments) else { return }
                for (position, type) in (known + ["unknown"]).enumerated() {
                    add(type, decayed: row[2 * position] ?? 0, count: row[2 * position + 1] ?? 0)
                }
            }
            let firstWholeDay = Int64((oldest / SentenceDayMoments.secondsPerDay).rounded(.up))
            let endOfWholeDays = Int64((now / SentenceDayMoments.secondsPerDay).rounded(.down))
            if halfLife >= SentenceDayMoments.shortestHalfLife, oldest >= 0, firstWholeDay < endOfWholeDays {
                try addRows(from: oldest, to: Double(firstWholeDay) * SentenceDayMoments.secondsPerDay, includingUpper: false)
                for (type, value) in try SentenceDayMoments.decayedSums(days: firstWholeDay..<endOfWholeDays, now: now, halfLife: halfLife, db: db) {
                    add(bucket(type), decayed: value.decayed, count: value.count)
                }
                try addRows(from: Double(endOfWholeDays) * SentenceDayMoments.secondsPerDay, to: now, includingUpper: true)
            } else {
                try addRows(from: oldest, to: now, includingUpper: true)
            }
            let types = Array(Set(parameters.speakerWeights.keys).union(sums.keys))
            let weightCase = "CASE s.speaker_type " + types.map { "WHEN '\($0.replacingOccurrences(of: "'", with: "''"))' THEN \(parameters.speakerWeight($0))" }.joined(separator: " ")
                + " ELSE \(parameters.speakerWeight("unknown")) END"
            func strongest(since: Double) throws -> [DatedSentence] {
                try Row.fetchAll(db, sql: """
                    SELECT s.text, s.score, s.speaker_type, s.document_id, s.knowable, d.url FROM sentence s JOIN document d ON d.id = s.document_id
                    WHERE s.relevant = 1 AND s.knowable <= ? AND s.knowable >= ?
                    ORDER BY abs(s.score) * \(decaySQL("s.knowable")) * (\(weightCase)) DESC, s.knowable DESC LIMIT ?
                    """, arguments: [now, since, now, halfLife, evidence]).map { row in
                    DatedSentence(text: row["text"], score: row["score"], speakerType: row["speaker_type"], documentID: row["document_id"],
                                  url: row["url"], published: Date(storeSeconds: row["knowable"]))
                }
            }
            var evidenceRows: [DatedSentence] = []
            if evidence > 0 {
                evidenceRows = try strongest(since: max(oldest, now - 2 * halfLife))
                if evidenceRows.isEmpty { evidenceRows = try strongest(since: oldest) }
            }
            var aggregate = NewsAggregate(bySpeaker: sums, strongest: evidenceRows)
            // The newest relevant sentence at all (also before the window), so news past its window reads as stale.
            aggregate.newest = try Double.fetchOne(db, sql: "SELECT MAX(knowable) FROM sentence WHERE relevant = 1 AND knowable <= ?",
                                                   arguments: [now]).map { Date(storeSeconds: $0) }
            return aggregate
        }
    }

    /// The claim component's sums over institutional claims knowable in [asOf − maxAge, asOf], computed in SQL, plus
    /// the most recent claims as evidence.
    public func claimAggregate(asOf: Date, maxAge: TimeInterval, parameters: BullishnessParameters, evidence: Int = 10) throws(StoreError) -> ClaimAggregate {
        let halfLife = parameters.claimHalfLifeDays * 86_400
        let now = asOf.storeSeconds, oldest = asOf.storeSeconds - maxAge
        let populations = BullishnessIndex.institutionalClaimPopulations.sorted()
        let filter = "c.knowable <= ? AND c.knowable >= ? AND c.stance != 0 AND c.population IN (\(databaseQuestionMarks(count: populations.count)))"
        let filterArguments = StatementArguments([now, oldest]) + StatementArguments(populations)
        return try read { db in
            guard let totals = try Row.fetchOne(db, sql: """
                SELECT SUM((CASE c.hedged WHEN 1 THEN 0.5 ELSE 1.0 END) * \(decaySQL("c.knowable")) * c.share * c.stance) AS value,
                       SUM(CASE c.hedged WHEN 1 THEN 0.5 ELSE 1.0 END) AS weight, COUNT(*) AS n
                FROM claim c WHERE \(filter)
                """, arguments: StatementArguments([now, halfLife]) + filterArguments) else { return ClaimAggregate(weightedValue: 0, weight: 0, count: 0, recent: []) }
            let recent = try Row.fetchAll(db, sql: """
                SELECT c.*, d.url FROM claim c JOIN document d ON d.id = c.document_id WHERE \(filter) ORDER BY c.knowable DESC, c.id LIMIT ?
                """, arguments: filterArguments + [evidence]).map { row in
                DatedClaim(claim: Claim(population: row["population"], share: row["share"], proposition: row["proposition"], stance: row["stance"],
                                        sampleSize: row["sample_size"], hedged: row["hedged"], quote: row["quote"]),
                           documentID: row["document_id"], url: row["url"], published: Date(storeSeconds: row["knowable"]))
            }
            return ClaimAggregate(weightedValue: totals["value"] ?? 0, weight: totals["weight"] ?? 0, count: totals["n"] ?? 0, recent: recent)
        }
    }
}
