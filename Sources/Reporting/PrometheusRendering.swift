import Foundation
import Market
import Scoring
import Storage

/// One metric family of the Prometheus text exposition format 0.0.4: a name, its help text, its type and its samples.
public struct PrometheusFamily: Sendable, Equatable {
    /// The metric types this tool exposes.
    public enum Kind: String, Sendable {
        case gauge, counter
    }

    /// One label of a sample; the value is any UTF-8 text (escaped on output).
    public struct Label: Sendable, Equatable {
        public var name: String
        public var value: String

        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// One series of the family and its current value.
    public struct Sample: Sendable, Equatable {
        public var labels: [Label]
        public var value: Double

        public init(labels: [Label] = [], value: Double) {
            self.labels = labels
            self.value = value
        }
    }

    /// Matches `[a-zA-Z_:][a-zA-Z0-9_:]*`.
    public var name: String
    public var help: String
    public var kind: Kind
    public var samples: [Sample]

    public init(name: String, help: String, kind: Kind = .gauge, samples: [Sample]) {
        self.name = name
        self.help = help
        self.kind = kind
        self.samples = samples
    }
}

/// Renders the report, the sources' fetch state and their ingest counters as Prometheus text (format 0.0.4).
///
/// Scores are gauges on their own scales (B, R and D on −100…+100, regime signals on −1…+1); timestamps are Unix
/// seconds (UTC). Store counts are gauges because `prune` can lower them; per-source ingest counts only grow and are
/// counters. Families without a sample (e.g. D when R cannot be scored) are left out.
public enum PrometheusRendering {
    /// The `Content-Type` of the text format.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// The full exposition: the report's scores, store counts, every source's fetch state and ingest counters, then
    /// `additional` families (e.g. the HTTP server's own request counters).
    public static func text(_ report: DivergenceReport, sources: [StoredSource], ingest: [SourceIngestMetrics] = [],
                            additional: [PrometheusFamily] = []) -> String {
        text(families(report, sources: sources, ingest: ingest) + additional)
    }

    /// Every family of the report, the store and the sources, in a fixed order.
    public static func families(_ report: DivergenceReport, sources: [StoredSource], ingest: [SourceIngestMetrics] = []) -> [PrometheusFamily] {
        scoreFamilies(report) + minerFamilies(report) + historyFamilies(report.technicals) + storeFamilies(report) + sourceFamilies(sources)
            + ingestFamilies(ingest)
    }

    /// B, R, D, their components, signals and labels.
    static func scoreFamilies(_ report: DivergenceReport) -> [PrometheusFamily] {
        let snapshot = report.snapshot
        typealias Sample = PrometheusFamily.Sample
        typealias Label = PrometheusFamily.Label
        var families: [PrometheusFamily] = [
            PrometheusFamily(name: "divergence_report_timestamp_seconds", help: "The instant the scores are computed as of (Unix seconds, UTC).",
                             samples: [Sample(value: snapshot.asOf.timeIntervalSince1970)]),
        ]
        let divergence = snapshot.divergence
        families.append(PrometheusFamily(name: "divergence_score", help: "Divergence D = (B - R) / 2 on -100..+100; positive when sentiment is more bullish than the technicals.",
                                         samples: divergence.map { [Sample(value: $0.value)] } ?? []))
        families.append(PrometheusFamily(name: "divergence_percentile", help: "Percentile (0..100) of D among the stored score snapshots before the as-of instant.",
                                         samples: divergence?.percentile.map { [Sample(value: $0)] } ?? []))
        families.append(PrometheusFamily(name: "divergence_label", help: "1 for the current divergence label (aligned, mild, strong, extreme), 0 for the others.",
                                         samples: divergence.map { d in DivergenceLabel.allCases.map { Sample(labels: [Label("label", $0.rawValue)], value: $0 == d.label ? 1 : 0) } } ?? []))

        let bullishness = snapshot.bullishness
        families.append(PrometheusFamily(name: "bullishness_score", help: "Institutional bullishness B on -100..+100.",
                                         samples: bullishness.score.map { [Sample(value: $0)] } ?? []))
        let components = bullishness.components
        families.append(PrometheusFamily(name: "bullishness_component_score", help: "Value of each component of B (surveys, claims, news) on -100..+100.",
                                         samples: components.map { Sample(labels: [Label("component", $0.id)], value: $0.value) }))
        families.append(PrometheusFamily(name: "bullishness_component_weight", help: "Configured weight of each component of B.",
                                         samples: components.map { Sample(labels: [Label("component", $0.id)], value: $0.weight) }))
        families.append(PrometheusFamily(name: "bullishness_component_contribution", help: "Contribution of each component to B (weight x value / sum of weights present).",
                                         samples: components.map { Sample(labels: [Label("component", $0.id)], value: $0.contribution) }))
        families.append(PrometheusFamily(name: "bullishness_component_evidence", help: "Pieces of evidence (survey rows, claims, sentences) shown for each component of B.",
                                         samples: components.map { Sample(labels: [Label("component", $0.id)], value: Double($0.evidence.count)) }))
        families.append(PrometheusFamily(name: "retail_survey_net_bullish", help: "Latest retail survey reading beside B (not inside it): share bullish minus share bearish, -1..+1.",
                                         samples: bullishness.retail.map { Sample(labels: [Label("survey", $0.survey)], value: $0.netBullish) }))
        families.append(PrometheusFamily(name: "news_voice_score", help: "Views in the news of a group reported beside B (not inside it): analysts, media, retail, miners; -100..+100.",
                                         samples: bullishness.voices.map { Sample(labels: [Label("speaker_type", $0.speakerType.rawValue)], value: $0.score) }))
        families += RevealedRendering.prometheusFamilies(snapshot)

        let regime = snapshot.regime
        families.append(PrometheusFamily(name: "regime_score", help: "Technical regime R on -100 (deeply bearish)..+100.",
                                         samples: regime.map { [Sample(value: $0.score)] } ?? []))
        let regimeLabels = ["capitulation", "bear", "neutral", "bull", "euphoria"]
        families.append(PrometheusFamily(name: "regime_label", help: "1 for the current regime label (capitulation, bear, neutral, bull, euphoria), 0 for the others.",
                                         samples: regime.map { r in regimeLabels.map { Sample(labels: [Label("label", $0)], value: $0 == r.label ? 1 : 0) } } ?? []))
        let signals = regime?.signals ?? []
        families.append(PrometheusFamily(name: "regime_signal_score", help: "Score of each regime signal on -1 (bearish)..+1 (bullish).",
                                         samples: signals.map { Sample(labels: [Label("signal", $0.id)], value: $0.score) }))
        families.append(PrometheusFamily(name: "regime_signal_value", help: "Headline raw value of each regime signal (units per signal: see the report's explanation).",
                                         samples: signals.compactMap { s in s.value.map { Sample(labels: [Label("signal", s.id)], value: $0) } }))
        families.append(PrometheusFamily(name: "regime_signal_weight", help: "Configured weight of each regime signal.",
                                         samples: signals.map { Sample(labels: [Label("signal", $0.id)], value: $0.weight) }))
        families.append(PrometheusFamily(name: "regime_signal_contribution", help: "Contribution of each signal to R (weight x score x 100 / sum of weights present).",
                                         samples: signals.map { Sample(labels: [Label("signal", $0.id)], value: $0.contribution) }))
        return families
    }

    /// What the store holds and how recent its market data is.
    static func storeFamilies(_ report: DivergenceReport) -> [PrometheusFamily] {
        typealias Sample = PrometheusFamily.Sample
        typealias Label = PrometheusFamily.Label
        let store = report.store
        let lastDays = [("btc_usd", report.lastPriceDay), ("hashrate_ehs", report.lastHashrateDay)]
        return [
            PrometheusFamily(name: "divergence_market_last_day_timestamp_seconds", help: "End (Unix seconds, UTC) of the last stored day of each series knowable at the as-of instant.",
                             samples: lastDays.compactMap { series, day in day.map { Sample(labels: [Label("series", series)], value: $0.end.timeIntervalSince1970) } }),
            PrometheusFamily(name: "divergence_series_age_days", help: "Whole UTC days from each series' last stored day to the last complete day at the as-of instant.",
                             samples: SeriesAge.ages(lastPriceDay: report.lastPriceDay, lastHashrateDay: report.lastHashrateDay, asOf: report.snapshot.asOf, limits: report.freshnessLimits)
                                .compactMap { age in age.ageDays.map { Sample(labels: [Label("series", age.series)], value: Double($0)) } }),
            PrometheusFamily(name: "divergence_series_stale", help: "1 when a series' last day is older than its freshness limit, else 0.",
                             samples: SeriesAge.ages(lastPriceDay: report.lastPriceDay, lastHashrateDay: report.lastHashrateDay, asOf: report.snapshot.asOf, limits: report.freshnessLimits)
                                .filter { $0.lastDay != nil }.map { Sample(labels: [Label("series", $0.series)], value: $0.isStale ? 1 : 0) }),
            PrometheusFamily(name: "divergence_stale_share", help: "Share (0..1) of each score's weight whose input is stale and left out (bullishness, regime, divergence).",
                             samples: [("bullishness", report.snapshot.freshness.bullishnessStaleShare), ("regime", report.snapshot.freshness.regimeStaleShare),
                                       ("divergence", report.snapshot.freshness.divergenceStaleShare)].map { Sample(labels: [Label("score", $0.0)], value: $0.1) }),
            PrometheusFamily(name: "divergence_store_sources", help: "Active sources in the store.", samples: [Sample(value: Double(store.sources))]),
            PrometheusFamily(name: "divergence_store_documents", help: "Documents in the store.", samples: [Sample(value: Double(store.documents))]),
            PrometheusFamily(name: "divergence_store_claims", help: "Survey-style claims extracted from stored documents.", samples: [Sample(value: Double(store.claims))]),
            PrometheusFamily(name: "divergence_store_survey_observations", help: "Survey observations in the store.", samples: [Sample(value: Double(store.surveyObservations))]),
            PrometheusFamily(name: "divergence_store_series_points", help: "Daily series points in the store, per series.",
                             samples: [Sample(labels: [Label("series", "btc_usd")], value: Double(store.pricePoints)),
                                       Sample(labels: [Label("series", "hashrate_ehs")], value: Double(store.hashratePoints))]),
            PrometheusFamily(name: "divergence_store_snapshots", help: "Stored score snapshots.", samples: [Sample(value: Double(store.snapshots))]),
        ]
    }

    /// The fetch state of every source: last success, consecutive failures, last HTTP status, disabled, next fetch.
    static func sourceFamilies(_ sources: [StoredSource]) -> [PrometheusFamily] {
        typealias Sample = PrometheusFamily.Sample
        func labels(_ source: StoredSource) -> [PrometheusFamily.Label] {
            [.init("source_id", String(source.id)), .init("source", source.name), .init("kind", source.kind.rawValue)]
        }
        return [
            PrometheusFamily(name: "divergence_source_last_success_timestamp_seconds", help: "Last successful fetch of each source (Unix seconds, UTC); absent when it never succeeded.",
                             samples: sources.compactMap { s in s.lastSuccess.map { Sample(labels: labels(s), value: $0.timeIntervalSince1970) } }),
            PrometheusFamily(name: "divergence_source_consecutive_failures", help: "Failures of each source since its last success (drives the backoff).",
                             samples: sources.map { Sample(labels: labels($0), value: Double($0.consecutiveFailures)) }),
            PrometheusFamily(name: "divergence_source_last_status", help: "HTTP status of each source's last fetch; absent for local files and sources never fetched.",
                             samples: sources.compactMap { s in s.lastStatus.map { Sample(labels: labels(s), value: Double($0)) } }),
            PrometheusFamily(name: "divergence_source_disabled", help: "1 when the source is disabled (e.g. HTTP 410 Gone), else 0.",
                             samples: sources.map { Sample(labels: labels($0), value: $0.disabled ? 1 : 0) }),
            PrometheusFamily(name: "divergence_source_interval_seconds", help: "Configured seconds between fetches of each source.",
                             samples: sources.map { Sample(labels: labels($0), value: $0.intervalSeconds) }),
            PrometheusFamily(name: "divergence_source_next_fetch_timestamp_seconds", help: "When each source is due next (Unix seconds, UTC).",
                             samples: sources.compactMap { s in s.nextFetch.map { Sample(labels: labels(s), value: $0.timeIntervalSince1970) } }),
        ]
    }

    /// Per-source ingest counters (`Store.ingestMetrics()`): fetches, failures, items, transfer time.
    static func ingestFamilies(_ metrics: [SourceIngestMetrics]) -> [PrometheusFamily] {
        typealias Sample = PrometheusFamily.Sample
        func labels(_ m: SourceIngestMetrics) -> [PrometheusFamily.Label] {
            [.init("source_id", String(m.sourceID)), .init("source", m.name), .init("kind", m.kind.rawValue)]
        }
        func each(_ value: (SourceIngestMetrics) -> Double?) -> [Sample] {
            metrics.compactMap { m in value(m).map { Sample(labels: labels(m), value: $0) } }
        }
        return [
            PrometheusFamily(name: "divergence_source_fetches_total", help: "Fetch attempts of each source that reached an outcome.", kind: .counter,
                             samples: each { Double($0.fetches) }),
            PrometheusFamily(name: "divergence_source_fetch_failures_total", help: "Fetch or parse failures of each source.", kind: .counter,
                             samples: each { Double($0.failures) }),
            PrometheusFamily(name: "divergence_source_items_new_total", help: "Documents, survey rows and series points newly stored from each source.", kind: .counter,
                             samples: each { Double($0.itemsNew) }),
            PrometheusFamily(name: "divergence_source_items_seen_total", help: "Items each source delivered, new or already stored.", kind: .counter,
                             samples: each { Double($0.itemsSeen) }),
            PrometheusFamily(name: "divergence_source_fetch_seconds_total", help: "Time spent transferring each source's data (seconds).", kind: .counter,
                             samples: each { $0.fetchSecondsTotal }),
            PrometheusFamily(name: "divergence_source_last_fetch_seconds", help: "Duration of each source's last transfer (seconds).",
                             samples: each { $0.lastFetchSeconds }),
            PrometheusFamily(name: "divergence_source_last_attempt_timestamp_seconds", help: "Last fetch attempt of each source (Unix seconds, UTC).",
                             samples: each { $0.lastAttempt?.timeIntervalSince1970 }),
            PrometheusFamily(name: "divergence_source_last_failure_timestamp_seconds", help: "Last failed fetch of each source (Unix seconds, UTC).",
                             samples: each { $0.lastFailure?.timeIntervalSince1970 }),
        ]
    }

    /// Renders families as text: `# HELP`, `# TYPE`, then one line per sample. Families without samples are left out,
    /// and a sample whose name and labels repeat an earlier one is dropped, so no series appears twice.
    public static func text(_ families: [PrometheusFamily]) -> String {
        var output = ""
        var seenNames = Set<String>()
        for family in families where !family.samples.isEmpty && seenNames.insert(family.name).inserted {
            output += "# HELP \(family.name) \(escapeHelp(family.help))\n"
            output += "# TYPE \(family.name) \(family.kind.rawValue)\n"
            var seenSeries = Set<String>()
            for sample in family.samples {
                let labels = sample.labels.isEmpty ? "" : "{" + sample.labels.map { "\($0.name)=\"\(escapeLabelValue($0.value))\"" }.joined(separator: ",") + "}"
                guard seenSeries.insert(labels).inserted else { continue }
                output += "\(family.name)\(labels) \(format(sample.value))\n"
            }
        }
        return output
    }

    /// A sample value: integers without a fraction, `NaN`, `+Inf`, `-Inf`, otherwise the shortest round-tripping decimal.
    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 9_007_199_254_740_992 { return String(Int64(value)) }
        return "\(value)"
    }

    /// HELP text escapes `\` and line feeds.
    static func escapeHelp(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }

    /// Label values escape `\`, `"` and line feeds.
    static func escapeLabelValue(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }

    /// Writes `text` to `path` so a reader (node_exporter's textfile collector) never sees a partial file: a temporary
    /// file in the same directory (not ending in `.prom`), flushed to disk, then renamed over `path`.
    public static func writeAtomically(_ text: String, to path: String) throws(PrometheusWriteError) {
        let target = URL(fileURLWithPath: path)
        let directory = target.deletingLastPathComponent().path
        let temporary = directory + "/." + target.lastPathComponent + ".\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw PrometheusWriteError(path: path, reason: "cannot create a temporary file in \(directory): \(String(cString: strerror(errno)))") }
        var failure: String?
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                failure = "write failed: \(String(cString: strerror(errno)))"
                break
            }
            offset += written
        }
        if failure == nil, fsync(descriptor) != 0 { failure = "fsync failed: \(String(cString: strerror(errno)))" }
        close(descriptor)
        if failure == nil, rename(temporary, path) != 0 { failure = "cannot rename into place: \(String(cString: strerror(errno)))" }
        if let failure {
            unlink(temporary)
            throw PrometheusWriteError(path: path, reason: failure)
        }
    }
}

/// Writing the Prometheus text file failed; nothing at `path` was changed.
public struct PrometheusWriteError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public var description: String { "\(path): \(reason)" }
}
