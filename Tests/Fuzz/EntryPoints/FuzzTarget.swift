import Foundation

/// One parser under fuzzing: its name (also the corpus folder, `Tests/Fuzz/corpus/<name>/`) and what it does with one input.
///
/// `run` hands the bytes to the parser's public entry point. A parser may accept the input or reject it with its own error
/// type; either is fine. A trap, a sanitizer report, a timeout or a broken invariant (thrown as `FuzzInvariantViolation`)
/// is a finding.
public struct FuzzTarget: Sendable {
    /// The corpus folder name and the `DIVERGENCE_FUZZ_TARGET` value, e.g. `feed`.
    public let name: String
    /// What the target covers, one line.
    public let summary: String
    /// Runs one input through the parser and checks the invariants that must hold for every input.
    public let run: @Sendable ([UInt8]) throws(FuzzInvariantViolation) -> Void

    /// Every target, in the order `make fuzz` runs them.
    public static let all: [FuzzTarget] = [
        FuzzTarget(name: "feed", summary: "RSS/Atom/RDF sniffing and reading (FeedParser)", run: FeedTargets.feed),
        FuzzTarget(name: "jsonfeed", summary: "JSON Feed 1.0/1.1 (FeedParser's JSON branch)", run: FeedTargets.jsonFeed),
        FuzzTarget(name: "opml", summary: "OPML import, and export of what was imported", run: FeedTargets.opml),
        FuzzTarget(name: "article", summary: "HTML article extraction and HTML tables (ArticlePage, HTMLTable)", run: FeedTargets.article),
        FuzzTarget(name: "date", summary: "RFC 822 / ISO 8601 / broken feed dates (FeedDates)", run: FeedTargets.date),
        FuzzTarget(name: "delimited", summary: "RFC 4180 CSV and TSV records (DelimitedTable)", run: TableTargets.delimited),
        FuzzTarget(name: "survey", summary: "long and wide survey CSVs and survey JSON (Surveys)", run: TableTargets.survey),
        FuzzTarget(name: "series", summary: "price and hashrate series: CSV files, the Kraken, Bitstamp, Coinbase, blockchain.com and mempool.space JSON, and backfill pages", run: TableTargets.series),
        FuzzTarget(name: "config", summary: "divergence.toml: the TOML reader and ConfigLoader", run: ConfigTargets.config),
        FuzzTarget(name: "readings", summary: "the read path over any stored numbers: technicals, events, event study (Market)", run: ReadingTargets.readings),
    ]

    /// The target called `name`, if any.
    public static func named(_ name: String) -> FuzzTarget? {
        all.first { $0.name == name }
    }
}

/// An input for which a parser returned something that must never happen (e.g. output that is not valid JSON).
public struct FuzzInvariantViolation: Error, Sendable, CustomStringConvertible {
    /// The target whose invariant broke.
    public var target: String
    /// What broke, one line.
    public var reason: String

    /// Creates a violation of `target`'s invariant.
    public init(target: String, reason: String) {
        self.target = target
        self.reason = reason
    }

    /// `feed: invariant broken: …`.
    public var description: String { "\(target): invariant broken: \(reason)" }
}

/// Throws a violation for `target` unless `condition` holds.
func require(_ condition: Bool, _ target: String, _ reason: @autoclosure () -> String) throws(FuzzInvariantViolation) {
    if !condition { throw FuzzInvariantViolation(target: target, reason: reason()) }
}

/// True when `bytes` is one JSON value (what `divergence parse` promises to print).
func isJSON(_ bytes: [UInt8]) -> Bool {
    (try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])) != nil
}
