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
            var sums: [String: NewsAggregate.SpeakerSums] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT speaker_type, SUM(score * \(decaySQL("knowable"))) AS decayed, COUNT(*) AS n
                FROM sentence WHERE relevant = 1 AND knowable <= ? AND knowable >= ? GROUP BY speaker_type
                """, arguments: [now, halfLife, now, oldest]) {
                sums[row["speaker_type"]] = NewsAggregate.SpeakerSums(decayedScore: row["decayed"] ?? 0, count: row["n"])
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
            var evidenceRows = try strongest(since: max(oldest, now - 2 * halfLife))
            if evidenceRows.isEmpty { evidenceRows = try strongest(since: oldest) }
            return NewsAggregate(bySpeaker: sums, strongest: evidenceRows)
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
