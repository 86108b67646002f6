import Foundation
import Storage
import Surveys

/// A survey file read for import (`surveys import`): the observations to store, the rows refused and the warnings,
/// before anything is stored.
public struct SurveyFileImport: Sendable {
    /// The file as the user named it; rejected rows and the summary name it.
    public var file: String
    /// The observations, problems, warnings and empty rows the file's layout reader found.
    public var read: SurveyImport

    /// What committing the file changed.
    public struct Counts: Sendable, Equatable {
        public var inserted: Int
        public var alreadyStored: Int
    }

    /// Reads `bytes` by `layout` (`long-csv`, `json`, `wide-csv` with a built-in `mapping`; default by the file's
    /// extension); bad rows land in `read.problems`, a file that cannot be read at all throws.
    public init(_ bytes: [UInt8], file: String, layout: String? = nil, mapping: String? = nil) throws(SurveyError) {
        self.file = file
        var options: [String: String] = [:]
        if let layout { options["layout"] = layout }
        if let mapping { options["mapping"] = mapping }
        read = try SurveyFile.read(bytes, source: file, options: options)
    }

    /// Stores the observations in one transaction; an observation already stored is counted, not duplicated.
    public func commit(to store: Store) throws(StoreError) -> Counts {
        var batch = IngestBatch()
        batch.surveyObservations = read.observations
        let counts = try store.commit(batch, sourceID: nil, fetchState: nil)
        return Counts(inserted: counts.surveyRowsInserted, alreadyStored: counts.surveyRowsAlreadyStored)
    }

    /// The line `surveys import` prints after committing.
    public func summary(_ counts: Counts) -> String {
        "\(file): \(counts.inserted) new observation(s), \(counts.alreadyStored) already stored, \(read.problems.count) rejected row(s), \(read.emptyRows) empty row(s)"
    }
}
