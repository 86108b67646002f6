import Foundation
import Scoring
import Sentiment
import Surveys

extension Store {
    /// The news component's sums over relevant belief units knowable in [asOf − maxAge, asOf], per speaker type, computed
    /// in SQL with the same decay as `halfLifeDecay`, plus each type's strongest units as evidence: ranked by |score| ×
    /// decay among the last two half-lives (older ones weigh at most a quarter), or the whole window when those are empty.
    public func newsAggregate(asOf: Date, maxAge: TimeInterval, parameters: BullishnessParameters, evidence: Int = 6) throws(StoreError) -> NewsAggregate {
        let halfLife = parameters.newsHalfLifeDays * 86_400
        let now = asOf.storeSeconds, oldest = asOf.storeSeconds - maxAge
        return try read { db in
            // A pass over the covering index (no GROUP BY sort) for the part of the window not covered by whole days:
            // a sum and a count per configured speaker type, and one bucket for every other type, which all weigh as
            // `unknown`. Whole days are read from their per-day moments (see SentenceDayMoments). A stored word that is
            // no speaker type at all fails the read naming its sentence, never summed as `unknown`.
            let known = parameters.speakerWeights.keys.filter { $0 != .unknown }.sorted()
            func quoted(_ type: SpeakerType) -> String { "'" + type.rawValue.replacingOccurrences(of: "'", with: "''") + "'" }
            func bucket(_ type: SpeakerType) -> SpeakerType { known.contains(type) ? type : .unknown }
            var sums: [SpeakerType: NewsAggregate.SpeakerSums] = [:]
            func add(_ type: SpeakerType, decayed: Double, count: Int) {
                guard count > 0 else { return }
                let previous = sums[type] ?? NewsAggregate.SpeakerSums(decayedScore: 0, count: 0)
                sums[type] = NewsAggregate.SpeakerSums(decayedScore: previous.decayedScore + decayed, count: previous.count + count)
            }
            func addRows(from lower: Double, to upper: Double, includingUpper: Bool) throws {
                guard lower < upper || (includingUpper && lower == upper) else { return }
                let decayed = "score * \(decaySQL("knowable"))"
                var columns: [String] = []
                var arguments: SQLArguments = []
                for type in known {
                    columns.append("SUM(CASE WHEN speaker_type = \(quoted(type)) THEN \(decayed) END), SUM(CASE WHEN speaker_type = \(quoted(type)) THEN 1 ELSE 0 END)")
                    arguments += [now, halfLife]
                }
                let knownList = known.map(quoted).joined(separator: ", ")
                let otherCondition = known.isEmpty ? "1 = 1" : "speaker_type NOT IN (\(knownList))"
                columns.append("SUM(CASE WHEN \(otherCondition) THEN \(decayed) END), SUM(CASE WHEN \(otherCondition) THEN 1 ELSE 0 END)")
                columns.append("SUM(CASE WHEN speaker_type NOT IN (\(SpeakerType.allCases.map(quoted).joined(separator: ", "))) THEN 1 ELSE 0 END)")
                arguments += [now, halfLife, lower, upper]
                let sql = "SELECT \(columns.joined(separator: ", ")) FROM sentence WHERE relevant = 1 AND topic = '\(SentenceDayMoments.beliefTopic)' AND knowable >= ? AND knowable \(includingUpper ? "<=" : "<") ?"
                guard let row = try SQLRow.fetchOne(db, sql: sql, arguments: arguments) else { return }
                if (row[2 * known.count + 2] as Int?) ?? 0 > 0 { try rejectUnknownSpeakerTypes(from: lower, to: upper, db: db) }
                for (position, type) in (known + [.unknown]).enumerated() {
                    add(type, decayed: row[2 * position] ?? 0, count: row[2 * position + 1] ?? 0)
                }
            }
            let firstWholeDay = Int64((oldest / SentenceDayMoments.secondsPerDay).rounded(.up))
            let endOfWholeDays = Int64((now / SentenceDayMoments.secondsPerDay).rounded(.down))
            if halfLife >= SentenceDayMoments.shortestHalfLife, oldest >= 0, firstWholeDay < endOfWholeDays {
                try addRows(from: oldest, to: Double(firstWholeDay) * SentenceDayMoments.secondsPerDay, includingUpper: false)
                for (stored, value) in try SentenceDayMoments.decayedSums(days: firstWholeDay..<endOfWholeDays, now: now, halfLife: halfLife, db: db) {
                    guard let type = SpeakerType(rawValue: stored) else {
                        try rejectUnknownSpeakerTypes(from: Double(firstWholeDay) * SentenceDayMoments.secondsPerDay,
                                                      to: Double(endOfWholeDays) * SentenceDayMoments.secondsPerDay, db: db)
                        throw StoreError.unreadableRow(path: path, row: "sentence_day", reason: "stored speaker type '\(stored)' is not one of \(SpeakerType.choices); fix the row")
                    }
                    add(bucket(type), decayed: value.decayed, count: value.count)
                }
                try addRows(from: Double(endOfWholeDays) * SentenceDayMoments.secondsPerDay, to: now, includingUpper: true)
            } else {
                try addRows(from: oldest, to: now, includingUpper: true)
            }
            let bucketSQL = known.isEmpty ? "'unknown'" : "CASE WHEN s.speaker_type IN (\(known.map(quoted).joined(separator: ", "))) THEN s.speaker_type ELSE 'unknown' END"
            // Units are ranked alone; each kept unit's document (its URL, its syndicated copies) is read after the
            // ranking by subqueries, for the few kept: a join let PostgreSQL's planner, which cannot foresee how few
            // ranks pass, hash every document of the store (130 of 270 ms at 1,000,000 documents).
            func strongest(since: Double) throws -> [DatedSentence] {
                try SQLRow.fetchAll(db, sql: """
                    SELECT ranked.*, (SELECT d.url FROM document d WHERE d.id = ranked.document_id) AS url, \(copiesSQL(ofDocument: "ranked.document_id")) FROM (
                        SELECT s.text, s.score, s.speaker_type, s.holder, s.document_id, s.position, s.knowable, \(bucketSQL) AS bucket,
                               ROW_NUMBER() OVER (PARTITION BY \(bucketSQL) ORDER BY abs(s.score) * \(decaySQL("s.knowable")) DESC, s.knowable DESC, s.document_id, s.position) AS rank
                        FROM sentence s
                        WHERE s.relevant = 1 AND s.topic = '\(SentenceDayMoments.beliefTopic)' AND s.knowable <= ? AND s.knowable >= ?) AS ranked
                    WHERE ranked.rank <= ? ORDER BY ranked.bucket, ranked.rank
                    """, arguments: [now, halfLife, now, since, evidence]).map { row in
                    DatedSentence(text: row["text"], score: row["score"], speakerType: try speakerType(row), holder: row["holder"], documentID: row["document_id"],
                                  url: row["url"], published: Date(storeSeconds: row["knowable"]), copies: Self.copies(row))
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

    /// The claim component's sums over institutional claims knowable in [asOf − maxAge, asOf] that do not restate a
    /// survey knowable at `asOf` (`SurveyRestatement`), computed in SQL, plus the most recent claims and the restating
    /// ones as evidence.
    public func claimAggregate(asOf: Date, maxAge: TimeInterval, parameters: BullishnessParameters, evidence: Int = 10) throws(StoreError) -> ClaimAggregate {
        let halfLife = parameters.claimHalfLifeDays * 86_400
        let now = asOf.storeSeconds, oldest = asOf.storeSeconds - maxAge
        let populations = BullishnessIndex.institutionalClaimPopulations.sorted { $0.rawValue < $1.rawValue }
        let filter = "c.knowable <= ? AND c.knowable >= ? AND c.stance != 0 AND c.population IN (\(sqlQuestionMarks(count: populations.count)))"
        let filterArguments = SQLArguments([now, oldest]) + SQLArguments(populations)
        let restating = Self.restatingSurveySQL(asOf: now)
        return try read { db in
            try rejectUnknownClaimWords(from: oldest, to: now, db: db)
            guard let totals = try SQLRow.fetchOne(db, sql: """
                SELECT SUM((CASE WHEN c.hedged = 1 OR c.conditional = 1 THEN 0.5 ELSE 1.0 END) * \(decaySQL("c.knowable")) * c.share * c.stance) AS value,
                       SUM(CASE WHEN c.hedged = 1 OR c.conditional = 1 THEN 0.5 ELSE 1.0 END) AS weight, COUNT(*) AS n
                FROM claim c WHERE \(filter) AND NOT EXISTS \(restating)
                """, arguments: SQLArguments([now, halfLife]) + filterArguments) else { return ClaimAggregate(weightedValue: 0, weight: 0, count: 0, recent: []) }
            func claims(_ condition: String) throws -> [(DatedClaim, survey: String?)] {
                try SQLRow.fetchAll(db, sql: """
                    SELECT c.*, d.url, \(copiesSQL("d")), (SELECT s.survey FROM survey_observation s WHERE \(Self.restatementCondition(asOf: now)) ORDER BY s.published, s.survey, s.population, s.metric LIMIT 1) AS restated_survey
                    FROM claim c JOIN document d ON d.id = c.document_id WHERE \(filter) AND \(condition) ORDER BY c.knowable DESC, c.id LIMIT ?
                    """, arguments: filterArguments + [evidence]).map { row in
                    (DatedClaim(claim: try claim(row), documentID: row["document_id"], url: row["url"], published: Date(storeSeconds: row["knowable"]), copies: Self.copies(row)),
                     row["restated_survey"])
                }
            }
            let recent = try claims("NOT EXISTS \(restating)").map(\.0)
            let restated = try claims("EXISTS \(restating)").map { RestatedClaim(claim: $0.0, survey: $0.survey ?? "") }
            return ClaimAggregate(weightedValue: totals["value"] ?? 0, weight: totals["weight"] ?? 0, count: totals["n"] ?? 0, recent: recent, restated: restated)
        }
    }

    /// `SurveyRestatement`'s rule in SQL, for a claim aliased `c` and a survey row aliased `s`, as of `asOf` store seconds.
    static func restatementCondition(asOf: Double) -> String {
        let populations = SurveyRestatement.claimPopulations.map { "WHEN '\($0.claim.rawValue)' THEN '\($0.survey.rawValue)'" }.joined(separator: " ")
        let stances = SurveyMetric.allCases.map { "WHEN '\($0.rawValue)' THEN \($0.stance)" }.joined(separator: " ")
        return """
            s.population = (CASE c.population \(populations) END) AND s.metric = c.proposition AND c.stance = (CASE s.metric \(stances) END)
            AND abs(s.share - c.share) <= \(SurveyRestatement.shareTolerance + 1e-9) AND \(PointInTime.knowableSQL("s.published")) <= \(asOf)
            AND ((s.field_start IS NOT NULL AND s.field_end IS NOT NULL AND c.knowable >= s.field_start AND c.knowable < s.field_end + 86400)
                 OR abs(c.knowable - s.published) <= \(SurveyRestatement.daysAroundPublication * 86_400))
            """
    }

    static func restatingSurveySQL(asOf: Double) -> String {
        "(SELECT 1 FROM survey_observation s WHERE \(restatementCondition(asOf: asOf)))"
    }
}
