import Fetching
import Foundation
import Settings
import Sentiment
import Storage

/// Whether one source can be fetched and parsed right now (for `doctor`).
public struct SourceProbeResult: Sendable, Equatable {
    public var name: String
    public var location: String
    public var passed: Bool
    /// What was found (`HTTP 200, 25 item(s), 0.12 s`) or why it failed.
    public var detail: String
}

/// How much `doctor` probes: a sample of the sources and a total time budget.
public struct SourceProbeLimits: Sendable, Equatable {
    /// Sources probed at most; the rest are counted, not fetched. Local files and market sources come first.
    public var maxSources: Int
    /// Seconds all probes together may take; fetches still running then are cancelled and reported as not answered.
    public var budgetSeconds: Double

    /// At most `maxSources` sources within `budgetSeconds`.
    public init(maxSources: Int = 50, budgetSeconds: Double = 20) {
        self.maxSources = maxSources
        self.budgetSeconds = budgetSeconds
    }
}

/// What a bounded probe found, and what it left out.
public struct SourceProbeReport: Sendable, Equatable {
    /// Probed sources, in the order given (local files and market sources first).
    public var results: [SourceProbeResult]
    /// Sources not probed because the sample was full.
    public var notSampled: Int
    /// Probed sources whose fetch had not finished when the time budget ran out.
    public var outOfTime: Int
}

/// Fetches and parses sources exactly as an ingest would, without writing anything.
public enum SourceProbe {
    /// Probes a sample of at most `limits.maxSources` definitions within `limits.budgetSeconds`: local files and
    /// market/survey sources first (few, and the readings depend on them), then news in the order given.
    public static func probe(_ definitions: [SourceDefinition], config: DivergenceConfig, limits: SourceProbeLimits) async -> SourceProbeReport {
        func rank(_ definition: SourceDefinition) -> Int {
            definition.location.hasPrefix("/") ? 0 : [.prices, .hashrate, .survey].contains(definition.kind) ? 1 : 2
        }
        let ordered = definitions.enumerated().sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }.map(\.element)
        let sample = Array(ordered.prefix(max(0, limits.maxSources)))
        let probing = Task { await probe(sample, config: config) }
        let budget = Task {
            try await Task.sleep(for: .seconds(limits.budgetSeconds))
            probing.cancel()
        }
        var results = await probing.value
        budget.cancel()
        var outOfTime = 0
        for index in results.indices where results[index].detail.hasSuffix(": cancelled") {
            outOfTime += 1
            results[index].detail = "no answer within doctor's \(Int(limits.budgetSeconds)) s budget"
        }
        return SourceProbeReport(results: results, notSampled: definitions.count - sample.count, outOfTime: outOfTime)
    }


    /// Probes every definition concurrently (within the config's fetch limits); results in the order given.
    ///
    /// The full configured URL is fetched (no conditional GET, no incremental market span), through the same
    /// fetch policy, address guard and parsers as an ingest.
    public static func probe(_ definitions: [SourceDefinition], config: DivergenceConfig) async -> [SourceProbeResult] {
        let fetcher = HTTPFetcher(globalConcurrency: config.globalConcurrency, perHostConcurrency: config.perHostConcurrency)
        let requests = definitions.map { definition in
            var policy = config.fetchPolicy
            if definition.options["allow_private_network"] == "true" { policy.allowPrivateNetwork = true }
            let isLocal = definition.location.hasPrefix("/")
            return FetchRequest(url: isLocal ? URL(fileURLWithPath: definition.location).absoluteString : definition.location,
                                etag: nil, lastModified: nil, isLocalPath: isLocal, policy: policy)
        }
        let started = Date()
        let responses = await fetcher.fetchAll(requests)
        let scorer = config.scorer
        return zip(definitions, responses).map { definition, response in
            let source = StoredSource(id: 0, location: definition.location, name: definition.name, kind: definition.kind, publisherType: definition.publisherType,
                                      intervalSeconds: definition.intervalSeconds, origin: "probe", options: definition.options, active: true,
                                      etag: nil, lastModified: nil, lastStatus: nil, lastError: nil, consecutiveFailures: 0, nextFetch: nil,
                                      lastSuccess: nil, disabled: false)
            switch response {
            case .failure(let error):
                return SourceProbeResult(name: definition.name, location: definition.location, passed: false, detail: error.description)
            case .success(let fetched):
                let seconds = String(format: "%.2f s", fetched.elapsed > 0 ? fetched.elapsed : Date().timeIntervalSince(started))
                do throws(SourceParseError) {
                    let (batch, warnings) = try SourceParsing.batch(for: source, body: fetched.body, contentType: fetched.contentType, scorer: scorer, now: Date())
                    let items = batch.documents.count + batch.surveyObservations.count + batch.prices.count + batch.hashrate.count + batch.fees.count + batch.etfFlows.count + batch.tffReports.count
                    let status = fetched.finalURL.hasPrefix("file:") ? "read" : "HTTP \(fetched.status)"
                    var detail = "\(status), \(items) item(s), \(seconds)"
                    if !warnings.isEmpty { detail += ", \(warnings.count) warning(s): \(warnings[0])" }
                    if items == 0 { return SourceProbeResult(name: definition.name, location: definition.location, passed: false, detail: "\(status), parsed but no items, \(seconds)") }
                    return SourceProbeResult(name: definition.name, location: definition.location, passed: true, detail: detail)
                } catch {
                    return SourceProbeResult(name: definition.name, location: definition.location, passed: false, detail: error.reason)
                }
            }
        }
    }
}
