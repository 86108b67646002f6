import Foundation
import JSONOutput
import Market
import Scoring
import Sentiment
import Surveys

extension Store {
    /// Survey observations knowable at or before `asOf` (UTC; a date-only publication at the end of its day), oldest first.
    public func surveyObservations(asOf: Date? = nil, population: SurveyPopulation? = nil) throws(StoreError) -> [SurveyObservation] {
        try read { db in
            var sql = "SELECT * FROM survey_observation WHERE published <= ?"
            var arguments: SQLArguments = [(asOf ?? .distantFuture).storeSeconds]
            if let population {
                sql += " AND population = ?"
                arguments += [population]
            }
            return try SQLRow.fetchAll(db, sql: sql + " ORDER BY published, survey, population, metric", arguments: arguments).compactMap { row in
                guard PointInTime.knowable(published: Date(storeSeconds: row["published"])) <= (asOf ?? .distantFuture) else { return nil }
                guard let population = SurveyPopulation(rawValue: row["population"]), let metric = SurveyMetric(rawValue: row["metric"]) else { return nil }
                // A share no import accepts (not a number in 0–1: an older version, a hand edit) is not read; a sample
                // size that is not positive reads as unknown.
                guard let share = Self.number(row, "share"), share.isFinite, (0...1).contains(share) else { return nil }
                return SurveyObservation(
                    survey: row["survey"], publisher: row["publisher"], population: population, metric: metric, share: share,
                    sampleSize: (row["sample_size"] as Int?).flatMap { $0 > 0 ? $0 : nil }, fieldStart: (row["field_start"] as Double?).map(Date.init(storeSeconds:)),
                    fieldEnd: (row["field_end"] as Double?).map(Date.init(storeSeconds:)), published: Date(storeSeconds: row["published"]))
            }
        }
    }

    /// Claims in documents knowable at or before `asOf` and no older than `maxAge` seconds.
    public func claims(asOf: Date, maxAge: TimeInterval) throws(StoreError) -> [DatedClaim] {
        try read { db in
            try SQLRow.fetchAll(db, sql: """
                SELECT c.*, d.url, d.knowable, \(copiesSQL("d")) FROM claim c JOIN document d ON d.id = c.document_id
                WHERE d.knowable <= ? AND d.knowable >= ? ORDER BY d.knowable, c.id
                """, arguments: [asOf.storeSeconds, asOf.storeSeconds - maxAge]).map { row in
                DatedClaim(claim: try claim(row), documentID: row["document_id"], url: row["url"], published: Date(storeSeconds: row["knowable"]), copies: Self.copies(row))
            }
        }
    }

    /// Bitcoin-relevant opinion units of `topic` (beliefs by default: B's) in documents knowable at or before `asOf`
    /// and no older than `maxAge` seconds.
    public func relevantSentences(asOf: Date, maxAge: TimeInterval, topic: OpinionTopic = .belief) throws(StoreError) -> [DatedSentence] {
        try read { db in
            try SQLRow.fetchAll(db, sql: """
                SELECT s.text, s.score, s.speaker_type, s.holder, s.document_id, s.position, d.url, d.knowable, \(copiesSQL("d"))
                FROM sentence s JOIN document d ON d.id = s.document_id
                WHERE s.relevant = 1 AND s.topic = ? AND d.knowable <= ? AND d.knowable >= ? ORDER BY d.knowable, s.document_id, s.position
                """, arguments: [topic, asOf.storeSeconds, asOf.storeSeconds - maxAge]).map { row in
                DatedSentence(text: row["text"], score: row["score"], speakerType: try speakerType(row), holder: row["holder"], documentID: row["document_id"],
                              url: row["url"], published: Date(storeSeconds: row["knowable"]), copies: Self.copies(row))
            }
        }
    }

    /// The stored daily BTC-USD candles, oldest first.
    public func prices() throws(StoreError) -> [PriceCandle] {
        try read { db in
            try SQLRow.fetchAll(db, sql: "SELECT day, open, high, low, close, volume FROM series_point WHERE series = 'btc_usd' ORDER BY day").compactMap { row in
                guard let day = UTCDay(iso: Self.text(row, "day")) else { return nil }
                // A NULL (SQLite's NaN) or text a hand edit left reads as NaN: every reading treats it as missing data.
                func price(_ column: String) -> Double { Self.number(row, column) ?? .nan }
                return PriceCandle(day: day, open: price("open"), high: price("high"), low: price("low"), close: price("close"), volume: Self.number(row, "volume"))
            }
        }
    }

    /// The stored daily hashrate in EH/s, oldest first.
    public func hashrate() throws(StoreError) -> [HashrateSample] {
        try read { db in
            try SQLRow.fetchAll(db, sql: "SELECT day, value FROM series_point WHERE series = 'hashrate_ehs' ORDER BY day").compactMap { row in
                guard let day = UTCDay(iso: Self.text(row, "day")), let value = Self.number(row, "value") else { return nil }
                return HashrateSample(day: day, exahashesPerSecond: value)
            }
        }
    }

    /// The stored daily miner fees (series `fees`: BTC, USD, blocks), oldest first.
    public func fees() throws(StoreError) -> [FeeSample] {
        try read { db in
            try SQLRow.fetchAll(db, sql: "SELECT day, close, volume, value FROM series_point WHERE series = 'fees' ORDER BY day").compactMap { row in
                guard let day = UTCDay(iso: Self.text(row, "day")) else { return nil }
                // A poisoned count (NULL, text, non-finite, negative, beyond any day's blocks) reads as unknown instead of trapping in `Int`.
                let blocks = Self.number(row, "volume").flatMap { $0 >= 0 && $0 < 1e6 ? Int($0) : nil }
                return FeeSample(day: day, btc: Self.number(row, "value"), usd: Self.number(row, "close"), blocks: blocks)
            }
        }
    }

    /// The last stored UTC day of a series (`btc_usd` or `hashrate_ehs`), or nil when it has none.
    public func lastDay(series: String) throws(StoreError) -> UTCDay? {
        try read { db in try String.fetchOne(db, sql: "SELECT MAX(day) FROM series_point WHERE series = ?", arguments: [series]).flatMap(UTCDay.init(iso:)) }
    }

    /// Which of these dedup keys are already stored (as documents, merged into another document, or pruned).
    public func storedDedupKeys(_ keys: [String]) throws(StoreError) -> Set<String> {
        guard !keys.isEmpty else { return [] }
        return try read { db in
            var found: Set<String> = []
            for chunk in stride(from: 0, to: keys.count, by: 500).map({ Array(keys[$0..<min(keys.count, $0 + 500)]) }) {
                let marks = sqlQuestionMarks(count: chunk.count)
                found.formUnion(try String.fetchAll(db, sql: "SELECT dedup_key FROM document WHERE dedup_key IN (\(marks))", arguments: SQLArguments(chunk)))
                if try db.tableExists("document_alias") {
                    found.formUnion(try String.fetchAll(db, sql: "SELECT dedup_key FROM document_alias WHERE dedup_key IN (\(marks))", arguments: SQLArguments(chunk)))
                }
                if try db.tableExists("pruned_document") {
                    found.formUnion(try String.fetchAll(db, sql: "SELECT dedup_key FROM pruned_document WHERE dedup_key IN (\(marks))", arguments: SQLArguments(chunk)))
                }
            }
            return found
        }
    }

    /// Documents knowable at or after `since`, newest first; a stored speaker type this version does not know is
    /// `StoreError.unreadableRow` naming the document.
    public func documents(since: Date = .distantPast, limit: Int = 50) throws(StoreError) -> [StoredDocument] {
        try read { db in
            try SQLRow.fetchAll(db, sql: "SELECT * FROM document WHERE knowable >= ? ORDER BY knowable DESC, id DESC LIMIT ?",
                             arguments: [since.storeSeconds, limit]).map { row in
                StoredDocument(id: row["id"], sourceID: row["source_id"], url: row["url"], title: row["title"], author: row["author"],
                               published: Date(storeSeconds: row["knowable"]), sentiment: row["sentiment"], relevant: row["relevant"],
                               speakerType: try storedWord(row["speaker_type"], column: "speaker_type", row: "document \(row["id"] as Int64)",
                                                           fix: Self.fixUnknownWord))
            }
        }
    }

    /// Saves (or replaces) the snapshot for its as-of instant.
    public func saveSnapshot(_ snapshot: ScoreSnapshot, computedAt: Date = Date()) throws(StoreError) {
        let json: String
        do {
            json = String(decoding: try JSONEncoding.encode(snapshot, layout: .compact, keys: .asDeclared), as: UTF8.self)
        } catch {
            throw .database(path: path, reason: error.description)
        }
        try write { db in
            try db.execute(sql: """
                INSERT INTO score_snapshot (as_of, bullishness, regime, divergence, label, snapshot, computed_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (as_of) DO UPDATE SET bullishness = excluded.bullishness, regime = excluded.regime, divergence = excluded.divergence,
                    label = excluded.label, snapshot = excluded.snapshot, computed_at = excluded.computed_at
                """, arguments: [snapshot.asOf.storeSeconds, snapshot.bullishness.score, snapshot.regime?.score, snapshot.divergence?.value,
                                 snapshot.divergence?.label.rawValue, json, computedAt.storeSeconds])
        }
    }

    /// Stored snapshot scores between two instants (inclusive), by as-of instant.
    public func snapshotValues(from: Date, to: Date) throws(StoreError) -> [Date: StoredScores] {
        try read { db in
            var result: [Date: StoredScores] = [:]
            for row in try SQLRow.fetchAll(db, sql: "SELECT as_of, bullishness, regime, divergence, label, snapshot FROM score_snapshot WHERE as_of >= ? AND as_of <= ?",
                                        arguments: [from.storeSeconds, to.storeSeconds]) {
                let asOf = Date(storeSeconds: row["as_of"])
                let json: String = row["snapshot"]
                let object = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any]
                let regimeLabel = (object?["regime"] as? [String: Any])?["label"] as? String
                // Without a revealed side, B is the stated score (also in snapshots saved before the two were split).
                let revealed = object?["revealed"] as? [String: Any]
                let stated = object?["statedScore"] as? Double ?? (revealed == nil ? row["bullishness"] : nil)
                result[asOf] = StoredScores(bullishness: row["bullishness"], regime: row["regime"], regimeLabel: regimeLabel, divergence: row["divergence"], label: row["label"],
                                            stated: stated, revealed: revealed?["score"] as? Double)
            }
            return result
        }
    }

    /// Stored divergence values of snapshots strictly before `asOf`, for percentiles.
    public func divergenceHistory(before asOf: Date) throws(StoreError) -> [Double] {
        try read { db in
            try Double.fetchAll(db, sql: "SELECT divergence FROM score_snapshot WHERE divergence IS NOT NULL AND as_of < ? ORDER BY as_of", arguments: [asOf.storeSeconds])
        }
    }
}
