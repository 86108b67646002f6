import Fetching
import Foundation
import Market
import Scoring
import Sentiment
import Vocabulary

/// A bad config: which file, which line and key, and why.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var key: String?
    public var reason: String

    public init(file: String, line: Int?, key: String?, reason: String) {
        self.file = file
        self.line = line
        self.key = key
        self.reason = reason
    }

    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        if let key { return "\(location): \(key): \(reason)" }
        return "\(location): \(reason)"
    }
}

/// One `[[source]]` of the config.
public struct ConfiguredSource: Sendable, Equatable {
    public var name: String
    public var kind: SourceKind
    /// An http(s) URL, or a local path resolved against the config file's folder.
    public var location: String
    public var isLocalPath: Bool
    public var publisherType: PublisherType
    /// Seconds between fetches.
    public var intervalSeconds: Double
    /// Format options: `format`, `unit`, `layout`, `mapping`, `allow_private_network`, `full_text`.
    public var options: [String: String]
    /// The line of the `[[source]]` header.
    public var line: Int
}

/// A per-site extraction rule for article pages: it overrides the readability heuristic on one host.
public struct SiteRule: Sendable, Equatable {
    /// The host it applies to (`www.` ignored), e.g. `ledger-desk.example`.
    public var host: String
    /// XPath of the article body; nil keeps the heuristic and only drops.
    public var bodyXPath: String?
    /// XPaths of blocks to drop before extraction.
    public var dropXPaths: [String]
    public var line: Int
}

/// The whole configuration with documented defaults for everything not written.
public struct DivergenceConfig: Sendable {
    /// The file it was read from, or nil for the built-in defaults.
    public var file: String?
    /// Store path; relative paths are relative to the current directory.
    public var storePath: String = ".divergence/divergence.sqlite"
    /// The file holding a PostgreSQL store's password (`password_file`), when the URL and `PGPASSWORD` do not give it.
    public var storePasswordFile: String?
    public var fetchPolicy = FetchPolicy()
    public var globalConcurrency = 8
    public var perHostConcurrency = 2
    public var productionCost = ProductionCostModel.defaults
    public var regimeWeights = RegimeWeights.defaults
    public var bullishness = BullishnessParameters()
    /// Revealed Bᵣ (`[revealed]`) and how B mixes it with stated Bₛ (`[bullishness] stated_weight, revealed_weight, gap_level`).
    public var revealed = RevealedParameters()
    public var bullishnessMix = BullishnessMixWeights()
    /// `[sentiment.holders]`: names added to the holder gazetteer, with their speaker types.
    public var holders: [String: SpeakerType] = [:]
    public var divergenceThresholds = DivergenceThresholds()
    /// How many days behind the as-of day the last price candle and hashrate sample may be before R's readings on
    /// them are stale (B's components go stale by their half-lives and survey cadence).
    public var freshness = FreshnessLimits.defaults
    public var sources: [ConfiguredSource] = []
    public var siteRules: [SiteRule] = []
    /// `[[alert]]` rules, evaluated after each ingest.
    public var alerts: [AlertRule] = []

    public init() {}

    /// The sentence scorer with the configured holders added to its gazetteer.
    public var scorer: SentimentScorer {
        var scorer = SentimentScorer()
        scorer.holders = HolderGazetteer(extra: holders)
        return scorer
    }

    /// The rule for a URL's host, if one is configured.
    public func siteRule(for url: String) -> SiteRule? {
        guard var host = URL(string: url)?.host?.lowercased() else { return nil }
        if host.hasPrefix("www.") { host.removeFirst(4) }
        return siteRules.first { $0.host == host }
    }
}
