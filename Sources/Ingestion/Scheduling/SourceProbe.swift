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

/// Fetches and parses sources exactly as an ingest would, without writing anything.
public enum SourceProbe {
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
                    let items = batch.documents.count + batch.surveyObservations.count + batch.prices.count + batch.hashrate.count + batch.etfFlows.count + batch.tffReports.count
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
