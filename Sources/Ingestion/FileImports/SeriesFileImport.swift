import Foundation
import Market
import Storage

/// A daily series a file can load: `btc_usd` (date,open,high,low,close[,volume]), `hashrate` (date,value) or `fees`
/// (date,fees_btc|fees_usd[,blocks]).
public enum DailySeries: String, Sendable, CaseIterable {
    case btcUSD = "btc_usd", hashrate, fees

    /// The series' name in the store.
    public var stored: String {
        switch self {
        case .btcUSD: "btc_usd"
        case .hashrate: "hashrate_ehs"
        case .fees: "fees"
        }
    }
}

/// A daily-series file read for import (`series import`): the points to store, the rows refused and the warnings,
/// before anything is stored.
public struct SeriesFileImport: Sendable {
    /// The file as the user named it; rejected rows and the summary name it.
    public var file: String
    /// The points that passed validation, in the batch the store commits.
    public var batch = IngestBatch()
    /// Data rows read, header excluded.
    public var rowsRead = 0
    /// Rows that passed the checks but were replaced by a later row for the same day.
    public var superseded = 0
    /// Rejected rows, each with its line and reason.
    public var problems: [SeriesProblem] = []
    /// Kept rows with something worth saying (duplicate days, gaps…).
    public var warnings: [SeriesProblem] = []

    /// What committing the file changed.
    public struct Counts: Sendable, Equatable {
        public var inserted: Int
        public var replaced: Int
        public var unchanged: Int
    }

    /// Reads `bytes` as `series`; bad rows land in `problems`, a file that cannot be read at all throws.
    ///
    /// `unit` is the hashrate unit (default: from the column name, else EH/s); `allowOutliers` keeps values beyond the
    /// plausibility bounds of `SeriesValidation`.
    public init(_ bytes: [UInt8], file: String, series: DailySeries, unit: HashrateUnit? = nil, allowOutliers: Bool = false) throws(SeriesError) {
        self.file = file
        let validation = SeriesValidation(allowOutliers: allowOutliers)
        switch series {
        case .btcUSD:
            let imported = try SeriesCSV.prices(bytes, source: file, validation: validation)
            batch.prices = imported.points
            (problems, warnings, rowsRead, superseded) = (imported.problems, imported.warnings, imported.rowsRead, imported.superseded)
        case .hashrate:
            let imported = try SeriesCSV.hashrate(bytes, source: file, unit: unit, validation: validation)
            batch.hashrate = imported.points
            (problems, warnings, rowsRead, superseded) = (imported.problems, imported.warnings, imported.rowsRead, imported.superseded)
        case .fees:
            let imported = try SeriesCSV.fees(bytes, source: file, validation: validation)
            batch.fees = imported.points
            (problems, warnings, rowsRead, superseded) = (imported.problems, imported.warnings, imported.rowsRead, imported.superseded)
        }
    }

    /// Stores the points in one transaction: a new day is inserted, a stored day with other values replaced, the same
    /// values left unchanged (so importing a file twice changes nothing the second time).
    public func commit(to store: Store) throws(StoreError) -> Counts {
        let counts = try store.commit(batch, sourceID: nil, fetchState: nil)
        let points = batch.prices.count + batch.hashrate.count + batch.fees.count
        return Counts(inserted: counts.seriesPointsInserted, replaced: counts.seriesPointsReplaced,
                      unchanged: points - counts.seriesPointsInserted - counts.seriesPointsReplaced)
    }

    /// The line `series import` prints after committing.
    public func summary(_ counts: Counts) -> String {
        "\(file): \(rowsRead) row(s): \(counts.inserted) new day(s), \(counts.replaced) replaced by newer rows, \(counts.unchanged) unchanged, "
            + "\(superseded) superseded by a later row for the same day, \(problems.count) rejected"
    }
}
