import Foundation

/// What a bulk source import did: every definition handed in is counted exactly once.
public struct SourceImportCounts: Sendable, Equatable {
    /// Sources added.
    public var added = 0
    /// Locations already listed (active) in the store before the import, left as they were.
    public var alreadyListed = 0
    /// Repeats of a location earlier in the same import, ignored.
    public var repeated = 0
    /// Each location repeated within the import, once, in the order first repeated.
    public var repeatedLocations: [String] = []

    /// No sources yet.
    public init() {}
}

extension Store {
    /// Adds many sources from the command line (e.g. an OPML file) in one transaction, in time linear in their number.
    ///
    /// A location already listed is left as it is; a location repeated within `definitions` is added once and named once
    /// in `repeatedLocations`.
    public func importSources(_ definitions: [SourceDefinition], now: Date = Date()) throws(StoreError) -> SourceImportCounts {
        try write { db in
            var counts = SourceImportCounts()
            let listed = Set(try String.fetchAll(db, sql: "SELECT location FROM source WHERE active = 1"))
            var seen = Set<String>()
            var reported = Set<String>()
            for definition in definitions {
                guard seen.insert(definition.location).inserted else {
                    counts.repeated += 1
                    if reported.insert(definition.location).inserted { counts.repeatedLocations.append(definition.location) }
                    continue
                }
                if listed.contains(definition.location) { counts.alreadyListed += 1; continue }
                try upsert(definition, origin: "cli", db: db, now: now)
                counts.added += 1
            }
            return counts
        }
    }
}
