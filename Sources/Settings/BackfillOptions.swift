import Foundation
import Market
import Vocabulary

/// A source's history backfill, as configured: `backfill = "<paged endpoint URL>"`, `backfill_format` (default by host)
/// and `backfill_from` (default: the endpoint's first day).
public struct BackfillSettings: Sendable, Equatable {
    /// The endpoint's URL; the backfill sets its paging parameters.
    public var url: String
    /// The endpoint's layout and paging.
    public var endpoint: BackfillEndpoint
    /// The first UTC day to fetch.
    public var from: UTCDay

    /// The backfill a prices or hashrate source's options declare, or nil when they declare none (or a bad one, which
    /// the config loader refuses).
    public init?(options: [String: String]) {
        guard let url = options["backfill"],
              let endpoint = options["backfill_format"].flatMap(BackfillEndpoint.init(rawValue:)) ?? BackfillEndpoint.guess(url: url) else { return nil }
        self.url = url
        self.endpoint = endpoint
        from = options["backfill_from"].flatMap { UTCDay(iso: $0) } ?? endpoint.firstDay
    }
}

/// Checks of the `backfill*` keys of a `[[source]]`.
enum BackfillOptions {
    static func validate(kind: SourceKind, options: [String: String], reader: TableReader) throws(ConfigError) {
        let keys = ["backfill", "backfill_format", "backfill_from"].filter { options[$0] != nil }
        guard let first = keys.first else { return }
        let series: MarketSeries
        switch kind {
        case .prices: series = .prices
        case .hashrate: series = .hashrate
        default: throw reader.invalid(first, "only prices and hashrate sources take a backfill")
        }
        guard let url = options["backfill"] else { throw reader.invalid(first, "give backfill = \"<paged endpoint URL>\" with it") }
        guard let scheme = URL(string: url)?.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            throw reader.invalid("backfill", "'\(url)' is not an http or https URL")
        }
        let allowed = BackfillEndpoint.formats(for: series).map(\.rawValue)
        if let format = options["backfill_format"] {
            guard allowed.contains(format) else {
                throw reader.invalid("backfill_format", "'\(format)' is not a \(kind.rawValue) backfill format (\(allowed.joined(separator: ", ")))")
            }
        } else {
            guard let guessed = BackfillEndpoint.guess(url: url) else {
                throw reader.invalid("backfill", "cannot tell the endpoint from the URL: add backfill_format = one of \(allowed.joined(separator: ", "))")
            }
            guard guessed.series == series else {
                throw reader.invalid("backfill", "\(guessed.rawValue) serves \(guessed.series.rawValue), not \(kind.rawValue)")
            }
        }
        if let from = options["backfill_from"], UTCDay(iso: from) == nil {
            throw reader.invalid("backfill_from", "'\(from)' is not a date like 2011-08-18")
        }
    }
}
