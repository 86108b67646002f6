import Foundation
import Market
import Positioning

/// The positioning tables: ETF flows per fund per day, TFF reports per market and report date.
enum PositioningTables {
    static let create = """
        CREATE TABLE etf_flow (
            day TEXT NOT NULL,
            fund TEXT NOT NULL,
            flow_usd_m REAL NOT NULL,
            knowable REAL NOT NULL,
            source_id INTEGER REFERENCES source(id),
            revised_at REAL,
            PRIMARY KEY (day, fund)
        ) WITHOUT ROWID;
        CREATE TABLE tff_report (
            market TEXT NOT NULL,
            report_date TEXT NOT NULL,
            knowable REAL NOT NULL,
            unit TEXT NOT NULL,
            open_interest REAL NOT NULL,
            asset_manager_long REAL NOT NULL, asset_manager_short REAL NOT NULL,
            leveraged_funds_long REAL NOT NULL, leveraged_funds_short REAL NOT NULL,
            dealer_long REAL NOT NULL, dealer_short REAL NOT NULL,
            other_reportable_long REAL, other_reportable_short REAL,
            non_reportable_long REAL, non_reportable_short REAL,
            source_id INTEGER REFERENCES source(id),
            revised_at REAL,
            PRIMARY KEY (market, report_date)
        ) WITHOUT ROWID;
        CREATE INDEX tff_report_knowable ON tff_report(knowable);
        """

    /// Revisions described one by one in `IngestCounts.revisions`; the rest are only counted.
    static let describedRevisions = 20

    /// Inserts new rows and replaces revised ones (a later figure for the same fund-day or report), counting both.
    static func store(flows: [ETFFlow], reports: [TFFReport], sourceID: Int64?, db: any SQLSession, counts: inout IngestCounts) throws {
        let now = Date().storeSeconds
        // The stored figures of the batch's days, read in one range scan rather than one lookup per fund-day.
        var stored: [String: Double] = [:]
        if let first = flows.map(\.day).min(), let last = flows.map(\.day).max() {
            for row in try SQLRow.fetchAll(db, sql: "SELECT day, fund, flow_usd_m FROM etf_flow WHERE day >= ? AND day <= ?", arguments: [first.iso, last.iso]) {
                stored[(row["day"] as String) + "|" + (row["fund"] as String)] = row["flow_usd_m"]
            }
        }
        let insert = """
            INSERT INTO etf_flow (day, fund, flow_usd_m, knowable, source_id, revised_at) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (day, fund) DO UPDATE SET flow_usd_m = excluded.flow_usd_m, knowable = excluded.knowable, source_id = excluded.source_id,
                revised_at = excluded.revised_at
            """
        var isoByDay: [UTCDay: String] = [:]
        for flow in flows {
            let iso = isoByDay[flow.day] ?? flow.day.iso
            isoByDay[flow.day] = iso
            let existing = stored[iso + "|" + flow.fund]
            if let existing, existing == flow.flowUSDMillions { continue }
            try db.execute(sql: insert, arguments: [iso, flow.fund, flow.flowUSDMillions, flow.day.end.storeSeconds, sourceID, existing == nil ? nil : now])
            if let existing {
                counts.positioningRowsRevised += 1
                if counts.revisions.count < describedRevisions {
                    counts.revisions.append("\(flow.fund) \(flow.day.iso): \(String(format: "%g", existing)) → \(String(format: "%g", flow.flowUSDMillions)) USD m")
                }
            } else {
                counts.positioningRowsInserted += 1
            }
        }
        for report in reports {
            let values: [Double?] = [report.openInterest, report.assetManagerLong, report.assetManagerShort, report.leveragedFundsLong, report.leveragedFundsShort,
                                     report.dealerLong, report.dealerShort, report.otherReportableLong, report.otherReportableShort,
                                     report.nonReportableLong, report.nonReportableShort]
            let existing = try SQLRow.fetchOne(db, sql: """
                SELECT open_interest, asset_manager_long, asset_manager_short, leveraged_funds_long, leveraged_funds_short, dealer_long, dealer_short,
                       other_reportable_long, other_reportable_short, non_reportable_long, non_reportable_short, unit
                FROM tff_report WHERE market = ? AND report_date = ?
                """, arguments: [report.market, report.reportDate.iso])
            if let existing, (0..<11).map({ existing[$0] as Double? }) == values, existing[11] == report.unit.rawValue { continue }
            try db.execute(sql: """
                INSERT INTO tff_report (market, report_date, knowable, unit, open_interest, asset_manager_long, asset_manager_short,
                    leveraged_funds_long, leveraged_funds_short, dealer_long, dealer_short, other_reportable_long, other_reportable_short,
                    non_reportable_long, non_reportable_short, source_id, revised_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (market, report_date) DO UPDATE SET knowable = excluded.knowable, unit = excluded.unit, open_interest = excluded.open_interest,
                    asset_manager_long = excluded.asset_manager_long, asset_manager_short = excluded.asset_manager_short,
                    leveraged_funds_long = excluded.leveraged_funds_long, leveraged_funds_short = excluded.leveraged_funds_short,
                    dealer_long = excluded.dealer_long, dealer_short = excluded.dealer_short,
                    other_reportable_long = excluded.other_reportable_long, other_reportable_short = excluded.other_reportable_short,
                    non_reportable_long = excluded.non_reportable_long, non_reportable_short = excluded.non_reportable_short,
                    source_id = excluded.source_id, revised_at = excluded.revised_at
                """, arguments: [report.market, report.reportDate.iso, report.knowable.storeSeconds, report.unit.rawValue]
                    + SQLArguments(values) + [sourceID, existing == nil ? nil : now])
            if existing != nil {
                counts.positioningRowsRevised += 1
                if counts.revisions.count < describedRevisions {
                    counts.revisions.append("TFF \(report.market) \(report.reportDate.iso): revised (open interest \(String(format: "%g", report.openInterest)))")
                }
            } else {
                counts.positioningRowsInserted += 1
            }
        }
    }
}

extension Store {
    /// Net flow of all funds per trading day, for days that ended at or before `asOf` (UTC); days on which every
    /// stored fund shows exactly zero (market holidays in trackers' tables) are left out.
    public func etfFlowDays(asOf: Date) throws(StoreError) -> [ETFFlowDay] {
        try read { db in
            try SQLRow.fetchAll(db, sql: """
                SELECT day, SUM(flow_usd_m) AS net FROM etf_flow WHERE knowable <= ? GROUP BY day HAVING SUM(abs(flow_usd_m)) > 0 ORDER BY day
                """, arguments: [asOf.storeSeconds]).compactMap { row in
                UTCDay(iso: row["day"]).map { ETFFlowDay(day: $0, netUSDMillions: row["net"]) }
            }
        }
    }

    /// Per-fund flows of one day, largest outflow first.
    public func etfFlows(day: UTCDay) throws(StoreError) -> [ETFFlow] {
        try read { db in
            try SQLRow.fetchAll(db, sql: "SELECT fund, flow_usd_m FROM etf_flow WHERE day = ? ORDER BY flow_usd_m, fund", arguments: [day.iso]).map { row in
                ETFFlow(day: day, fund: row["fund"], flowUSDMillions: row["flow_usd_m"])
            }
        }
    }

    /// TFF reports published (knowable, end of the Friday after their Tuesday) at or before `asOf`, oldest first.
    public func tffReports(asOf: Date) throws(StoreError) -> [TFFReport] {
        try read { db in
            try SQLRow.fetchAll(db, sql: "SELECT * FROM tff_report WHERE knowable <= ? ORDER BY market, report_date", arguments: [asOf.storeSeconds]).compactMap { row in
                guard let day = UTCDay(iso: row["report_date"]), let unit = PositionUnit(rawValue: row["unit"]) else { return nil }
                return TFFReport(market: row["market"], reportDate: day, unit: unit, openInterest: row["open_interest"],
                                 assetManagerLong: row["asset_manager_long"], assetManagerShort: row["asset_manager_short"],
                                 leveragedFundsLong: row["leveraged_funds_long"], leveragedFundsShort: row["leveraged_funds_short"],
                                 dealerLong: row["dealer_long"], dealerShort: row["dealer_short"],
                                 otherReportableLong: row["other_reportable_long"], otherReportableShort: row["other_reportable_short"],
                                 nonReportableLong: row["non_reportable_long"], nonReportableShort: row["non_reportable_short"])
            }
        }
    }
}
