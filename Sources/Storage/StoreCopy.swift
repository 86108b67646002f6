import Foundation

/// What `StoreCopy.copy` moved: rows read from the source and rows new in the destination, per table.
public struct StoreCopyCounts: Sendable, Equatable {
    public var table: String
    public var read: Int
    public var inserted: Int
}

/// Moves a whole store between backends (SQLite ↔ PostgreSQL, or one file to another): every table, parents before
/// children, in pages read by key. A row already in the destination is left as it is, so an interrupted copy is
/// resumed by running it again, and a second run copies nothing.
public enum StoreCopy {
    /// Each table with its key, in an order where every referenced row is copied first.
    static let tables: [(name: String, key: [String])] = [
        ("source", ["id"]), ("source_metrics", ["source_id"]), ("document", ["id"]), ("document_alias", ["dedup_key"]),
        ("sentence", ["document_id", "position"]), ("claim", ["id"]), ("survey_observation", ["id"]), ("series_point", ["series", "day"]),
        ("score_snapshot", ["as_of"]), ("pruned_document", ["dedup_key"]), ("alert_state", ["name"]), ("sentence_day", ["day", "speaker_type"]),
        ("story_signature", ["document_id"]), ("story_band", ["band", "knowable", "document_id"]), ("etf_flow", ["day", "fund"]),
        ("tff_report", ["market", "report_date"]),
    ]
    /// Tables whose `id` PostgreSQL generates: its sequence must continue after the copied IDs.
    static let identityTables = ["source", "document", "claim", "survey_observation"]

    /// The dedup keys of a page of `document` rows that the destination has pruned: a pruned document never comes back,
    /// not even through a copy (ingest checks the same table before it stores a document).
    static func prunedKeys(_ rows: [[SQLValue]], column: Int, db: any SQLSession) throws -> Set<String> {
        let keys = rows.compactMap { values -> String? in if case .text(let key) = values[column] { key } else { nil } }
        guard !keys.isEmpty else { return [] }
        return Set(try String.fetchAll(db, sql: "SELECT dedup_key FROM pruned_document WHERE dedup_key IN (\(sqlQuestionMarks(count: keys.count)))",
                                       arguments: SQLArguments(keys)))
    }

    /// Copies every table of `source` into `destination`; `progress` gets one line per table (and per 10,000 rows).
    public static func copy(from source: Store, to destination: Store, pageSize: Int = 500,
                            progress: (String) -> Void = { _ in }) throws(StoreError) -> [StoreCopyCounts] {
        var counts: [StoreCopyCounts] = []
        var skippedDocuments: Set<Int64> = []
        for table in tables {
            let sourceColumns = try source.read { db in try columns(of: table.name, db: db) }
            let destinationColumns = Set(try destination.read { db in try columns(of: table.name, db: db) })
            let shared = sourceColumns.filter(destinationColumns.contains)
            guard !shared.isEmpty else { continue }
            let keyPositions = table.key.compactMap { shared.firstIndex(of: $0) }
            var count = StoreCopyCounts(table: table.name, read: 0, inserted: 0)
            var after: [SQLValue]?
            let list = shared.joined(separator: ", ")
            let keyList = table.key.joined(separator: ", ")
            let insert = "INSERT INTO \(table.name) (\(list)) VALUES (\(sqlQuestionMarks(count: shared.count))) ON CONFLICT DO NOTHING"
            // A document the destination has pruned is not copied, nor are its sentences, claims and story rows.
            let isDocument = table.name == "document"
            let keyColumn = isDocument ? shared.firstIndex(of: "dedup_key") : nil
            let idColumn = shared.firstIndex(of: isDocument ? "id" : "document_id")
            let originalColumn = isDocument ? shared.firstIndex(of: "duplicate_of") : nil
            while true {
                let condition = after == nil ? "" : "WHERE (\(keyList)) > (\(sqlQuestionMarks(count: table.key.count)))"
                let page = try source.read { db in
                    try SQLRow.fetchAll(db, sql: "SELECT \(list) FROM \(table.name) \(condition) ORDER BY \(keyList) LIMIT ?",
                                        arguments: SQLArguments((after ?? []) + [.integer(Int64(pageSize))]))
                }
                guard let last = page.last else { break }
                count.read += page.count
                count.inserted += try destination.write { db in
                    let pruned = try keyColumn.map { try prunedKeys(page.map(\.values), column: $0, db: db) } ?? []
                    var inserted = 0
                    for row in page {
                        if let keyColumn, case .text(let key) = row.values[keyColumn], pruned.contains(key) {
                            if let idColumn, case .integer(let id) = row.values[idColumn] { skippedDocuments.insert(id) }
                            continue
                        }
                        if !isDocument, let idColumn, case .integer(let id) = row.values[idColumn], skippedDocuments.contains(id) { continue }
                        var values = row.values
                        // A copy of a skipped story stands alone, as it would once its original was pruned (ON DELETE SET NULL).
                        if let originalColumn, case .integer(let original) = values[originalColumn], skippedDocuments.contains(original) {
                            values[originalColumn] = .null(.integer)
                        }
                        inserted += try db.execute(sql: insert, arguments: SQLArguments(values))
                    }
                    return inserted
                }
                after = keyPositions.map { last.values[$0] }
                if count.read % 10_000 < pageSize, count.read >= 10_000 { progress("\(table.name): \(count.read) rows read, \(count.inserted) new") }
                if page.count < pageSize { break }
            }
            progress("\(table.name): \(count.read) rows read, \(count.inserted) new")
            counts.append(count)
        }
        if case .postgresql = destination.backend {
            try destination.write { db in
                for table in identityTables {
                    try db.execute(sql: "SELECT setval(pg_get_serial_sequence('\(table)', 'id'), COALESCE((SELECT MAX(id) FROM \(table)), 0) + 1, false)")
                }
            }
        }
        return counts
    }

    /// The column names of `table`, in order.
    static func columns(of table: String, db: any SQLSession) throws -> [String] {
        switch db.dialect {
        case .sqlite:
            return try SQLRow.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?) ORDER BY cid", arguments: [table]).map { $0["name"] }
        case .postgresql:
            return try String.fetchAll(db, sql: """
                SELECT column_name::text FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position
                """, arguments: [table])
        }
    }
}
