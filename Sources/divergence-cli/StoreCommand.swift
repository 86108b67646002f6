import ArgumentParser
import Foundation
import Settings
import Storage

/// `divergence store …`: operations on a whole store.
struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "store", abstract: "Operations on a whole store (copy between SQLite and PostgreSQL).",
                                                    subcommands: [Copy.self])

    struct Copy: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "copy",
            abstract: "Copy a whole store to another (SQLite file or postgresql:// URL, either direction).",
            discussion: """
                Every table is copied, parents first, in pages; rows already in the destination are kept, so an interrupted \
                copy resumes by running the same command again, and a second run copies nothing. The destination is \
                created and migrated when needed; the source is only read. Stop ingest workers writing the source first.
                """)

        @Option(name: .long, help: ArgumentHelp("The store to read: a SQLite file or a postgresql:// URL.", valueName: "path-or-url"))
        var from: String

        @Option(name: .long, help: ArgumentHelp("The store to write: a SQLite file or a postgresql:// URL.", valueName: "path-or-url"))
        var to: String

        @Flag(name: .long, help: "No progress lines on stderr.")
        var quiet = false

        func validate() throws {
            for (flag, value) in [("--from", from), ("--to", to)] {
                if let reason = StoreLocationRule.problem(value) { throw ValidationError("\(flag) '\(value)': \(reason)") }
            }
            if from == to { throw ValidationError("--from and --to name the same store") }
        }

        func run() throws {
            let counts = try CommandFailure.store { () throws(StoreError) -> [StoreCopyCounts] in
                guard let source = try Store.openIfPresent(location: StoreLocation.parse(from), access: .readOnly) else {
                    throw StoreError.notFound(path: from, what: "a divergence store to copy")
                }
                let destination = try Store(location: StoreLocation.parse(to))
                return try StoreCopy.copy(from: source, to: destination) { line in if !quiet { printDiagnostic("copy: " + line) } }
            }
            let read = counts.reduce(0) { $0 + $1.read }, inserted = counts.reduce(0) { $0 + $1.inserted }
            print("copied \(counts.count) tables: \(read) rows read, \(inserted) new in the destination, \(read - inserted) already there")
        }
    }
}
