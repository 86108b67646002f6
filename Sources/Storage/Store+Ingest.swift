import Feeds
import Foundation
import Market
import Positioning
import Scoring
import Surveys

/// Everything one source yielded in one fetch, committed together.
public struct IngestBatch: Sendable {
    public var documents: [NewDocument] = []
    public var surveyObservations: [SurveyObservation] = []
    public var prices: [PriceCandle] = []
    public var hashrate: [HashrateSample] = []
    /// Daily miner fees, stored as series `fees` (value = BTC, close = USD, volume = blocks).
    public var fees: [FeeSample] = []
    public var etfFlows: [ETFFlow] = []
    public var tffReports: [TFFReport] = []
    public init() {}

    /// Computes each document's story signature and URL key ahead of the commit (see `NewDocument.prepareForCommit`).
    public mutating func prepareForCommit() {
        for index in documents.indices { documents[index].prepareForCommit() }
    }
}

/// One source's part of a group commit (`Store.commit(_:)`): what its fetch yielded, if anything, its fetch state and
/// its ingest metrics.
public struct SourceCommit: Sendable {
    public var sourceID: Int64
    /// The source's data; nil when only the fetch is recorded (it failed, or the source was not modified).
    public var batch: IngestBatch?
    public var fetchState: FetchStateUpdate
    /// Item counts are filled in from what was stored.
    public var metrics: IngestMetricsUpdate?

    public init(sourceID: Int64, batch: IngestBatch?, fetchState: FetchStateUpdate, metrics: IngestMetricsUpdate?) {
        self.sourceID = sourceID
        self.batch = batch
        self.fetchState = fetchState
        self.metrics = metrics
    }
}

extension Store {
    /// Stores one source's batch, its fetch state and its ingest metrics (item counts filled in from what was stored)
    /// in a single transaction; re-sent items are not duplicated.
    ///
    /// Documents already stored (same dedup key) are left as they are; survey rows already stored are kept;
    /// series points for a day already stored are replaced when their values differ (counted as replaced).
    @discardableResult
    public func commit(_ batch: IngestBatch, sourceID: Int64?, fetchState: FetchStateUpdate?, metrics: IngestMetricsUpdate? = nil) throws(StoreError) -> IngestCounts {
        let counts = try write { db in
            var days: [SentenceDayMoments.Key: SentenceDayMoments.Sums] = [:]
            let counts = try Self.store(batch, sourceID: sourceID, fetchState: fetchState, metrics: metrics, days: &days, db: db)
            try SentenceDayMoments.add(days, db: db)
            return counts
        }
        refreshPlannerStatisticsIfDue(stored: counts.documentsInserted)
        return counts
    }

    /// Stores several sources' commits, in order, in one transaction: what `commit(_:sourceID:fetchState:metrics:)`
    /// does for each, with one commit to disk for the group. Counts are in the order of `commits`.
    ///
    /// When the group fails, it is rolled back and its sources are committed again one transaction each, so a source
    /// that cannot be stored takes no other source's data with it: the sources before it are stored, and its error
    /// is thrown.
    ///
    /// The group's per-day sums are written once, at its end: their rows are the ones concurrent writers share (on
    /// PostgreSQL), so they are locked for the shortest time, and always in the same order.
    public func commit(_ commits: [SourceCommit]) throws(StoreError) -> [IngestCounts] {
        func store(_ commits: some Sequence<SourceCommit>, db: any SQLSession) throws -> [IngestCounts] {
            var days: [SentenceDayMoments.Key: SentenceDayMoments.Sums] = [:]
            let counts = try commits.map { commit in
                guard let batch = commit.batch else {
                    try Self.record(commit.fetchState, sourceID: commit.sourceID, metrics: commit.metrics, db: db)
                    return IngestCounts()
                }
                return try Self.store(batch, sourceID: commit.sourceID, fetchState: commit.fetchState, metrics: commit.metrics, days: &days, db: db)
            }
            try SentenceDayMoments.add(days, db: db)
            return counts
        }
        var counts: [IngestCounts]
        // Only a failure inside the transaction sends the group round again, one source at a time: after a failed
        // COMMIT or change-counter bump the group may be stored already, and its metrics must not be counted twice.
        var sourceFailed = false
        do {
            counts = try write { db in
                do { return try store(commits, db: db) } catch { sourceFailed = true; throw error }
            }
        } catch where sourceFailed && commits.count > 1 {
            counts = []
            for commit in commits { counts += try write { db in try store(CollectionOfOne(commit), db: db) } }
        }
        refreshPlannerStatisticsIfDue(stored: counts.reduce(0) { $0 + $1.documentsInserted })
        return counts
    }

    /// The body of a commit: `batch` stored for `sourceID`, then its fetch state and metrics, inside the caller's
    /// transaction. Its belief units' per-day sums are added to `days`, for the caller to write.
    static func store(_ batch: IngestBatch, sourceID: Int64?, fetchState: FetchStateUpdate?, metrics: IngestMetricsUpdate?,
                      days: inout [SentenceDayMoments.Key: SentenceDayMoments.Sums], db: any SQLSession) throws -> IngestCounts {
        var counts = IngestCounts()
        var documents = DocumentChunkCommit(sourceID: sourceID ?? 0, db: db)
        try documents.store(batch.documents)
        counts.documentsInserted = documents.inserted
        counts.documentsAlreadyStored = documents.alreadyStored
        for (key, sums) in documents.days { days[key, default: .init()].add(sums) }
        // A share that is not a number cannot be stored (NOT NULL; NaN binds as NULL): such a row is never stored.
        for observation in batch.surveyObservations where observation.share.isFinite {
            let inserted = try db.execute(sql: """
                INSERT INTO survey_observation
                    (source_id, survey, publisher, population, metric, share, sample_size, field_start, field_end, published)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                """, arguments: [sourceID, observation.survey, observation.publisher, observation.population, observation.metric,
                                 observation.share, observation.sampleSize, observation.fieldStart?.storeSeconds, observation.fieldEnd?.storeSeconds,
                                 observation.published.storeSeconds])
            if inserted > 0 { counts.surveyRowsInserted += 1 } else { counts.surveyRowsAlreadyStored += 1 }
        }
        for candle in batch.prices {
            let outcome = try upsertPoint(series: "btc_usd", day: candle.day.iso,
                values: [candle.open, candle.high, candle.low, candle.close, candle.volume, nil], db: db)
            counts.add(outcome)
        }
        for sample in batch.fees {
            counts.add(try upsertPoint(series: "fees", day: sample.day.iso,
                values: [nil, nil, nil, sample.usd, sample.blocks.map(Double.init), sample.btc], db: db))
        }
        for sample in batch.hashrate {
            let outcome = try upsertPoint(series: "hashrate_ehs", day: sample.day.iso,
                values: [nil, nil, nil, nil, nil, sample.exahashesPerSecond], db: db)
            counts.add(outcome)
        }
        try PositioningTables.store(flows: batch.etfFlows, reports: batch.tffReports, sourceID: sourceID, db: db, counts: &counts)
        if let sourceID, let fetchState { try apply(fetchState, sourceID: sourceID, db: db) }
        if var metrics {
            metrics.itemsNew = counts.itemsNew
            metrics.itemsSeen = counts.itemsSeen
            try apply(metrics, db: db)
        }
        return counts
    }

    /// On PostgreSQL, ANALYZEs the tables a commit looks documents up in each time the documents this process stored
    /// have doubled since it last did (from 1,000 on).
    ///
    /// A table growing from empty has no statistics until autovacuum's first pass (a minute or more): the planner then
    /// takes a chunk's `url_key IN (…)` lookup to match a third of the table and scans every document, so a first
    /// ingest of 2,000 feeds spent two thirds of the server's time re-reading the table (quadratic). Best effort: a role
    /// that may not ANALYZE gets a server warning, and any failure leaves the statistics to autovacuum.
    func refreshPlannerStatisticsIfDue(stored: Int) {
        guard case .postgresql(let connections) = backend, stored > 0 else { return }
        let due = documentsStored.withLock { counts -> Bool in
            counts.total += stored
            guard counts.total - counts.atLastAnalyze >= max(1_000, counts.atLastAnalyze) else { return false }
            counts.atLastAnalyze = counts.total
            return true
        }
        if due {
            _ = try? connections.withConnection { session in try session.execute(sql: "ANALYZE document, document_alias, story_band, story_signature") }
        }
    }

    /// Stores a document's Bitcoin-relevant units and its claims at `knowable`, adding belief units to `days`.
    static func insertContent(_ document: NewDocument, documentID: Int64, knowable: Date, db: any SQLSession,
                              days: inout [SentenceDayMoments.Key: SentenceDayMoments.Sums]) throws {
        var units: [SQLArguments] = [], claims: [SQLArguments] = []
        appendContent(of: document, documentID: documentID, knowable: knowable.storeSeconds, units: &units, claims: &claims, days: &days)
        try insertUnits(units, db: db)
        try insertClaims(claims, db: db)
    }

    /// The rows of a document's Bitcoin-relevant units and of its claims, knowable at `knowable` (store seconds), its
    /// belief units added to `days`.
    ///
    /// Only Bitcoin-relevant units are kept: every score and evidence query reads those alone, and the document keeps
    /// its full text.
    static func appendContent(of document: NewDocument, documentID: Int64, knowable: Double, units: inout [SQLArguments], claims: inout [SQLArguments],
                              days: inout [SentenceDayMoments.Key: SentenceDayMoments.Sums]) {
        for (position, sentence) in document.sentences.enumerated() where sentence.relevant {
            units.append([documentID, position, sentence.text, sentence.score, sentence.relevant, sentence.speakerType, knowable, sentence.holder, sentence.topic])
            if sentence.topic == .belief, let day = SentenceDayMoments.day(of: knowable) {
                days[SentenceDayMoments.Key(day: day, speakerType: sentence.speakerType.rawValue), default: .init()].add(score: sentence.score, knowable: knowable, day: day)
            }
        }
        for claim in document.claims {
            claims.append([documentID, claim.population, claim.share, claim.proposition, claim.stance, claim.sampleSize, claim.hedged, claim.quote,
                           knowable, claim.conditional])
        }
    }

    static func insertUnits(_ rows: [SQLArguments], db: any SQLSession) throws {
        try db.insertRows("INSERT INTO sentence (document_id, position, text, score, relevant, speaker_type, knowable, holder, topic) VALUES", rows)
    }

    static func insertClaims(_ rows: [SQLArguments], db: any SQLSession) throws {
        try db.insertRows("INSERT INTO claim (document_id, population, share, proposition, stance, sample_size, hedged, quote, knowable, conditional) VALUES", rows)
    }

    enum PointOutcome { case inserted, replaced, unchanged }

    static func upsertPoint(series: String, day: String, values: [Double?], db: any SQLSession) throws -> PointOutcome {
        let existing = try SQLRow.fetchOne(db, sql: "SELECT open, high, low, close, volume, value FROM series_point WHERE series = ? AND day = ?", arguments: [series, day])
        if let existing {
            let old: [Double?] = (0..<6).map { existing[$0] }
            if old == values { return .unchanged }
        }
        try db.execute(sql: """
            INSERT INTO series_point (series, day, open, high, low, close, volume, value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (series, day) DO UPDATE SET open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close,
                volume = excluded.volume, value = excluded.value
            """, arguments: [series, day] + SQLArguments(values))
        return existing == nil ? .inserted : .replaced
    }
}

extension IngestCounts {
    mutating func add(_ outcome: Store.PointOutcome) {
        switch outcome {
        case .inserted: seriesPointsInserted += 1
        case .replaced: seriesPointsReplaced += 1
        case .unchanged: break
        }
    }
}
