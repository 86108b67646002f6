import Feeds
import Fetching
import Foundation
import Sentiment
import Settings
import Storage

/// Follows a feed's new entries to their article pages (`full_text = true`) and scores the page text instead of the summary.
enum FullTextFollowing {
    /// The batch with each new document's text replaced by its page's main text, and warnings for pages that failed.
    ///
    /// Only documents not yet in the store are fetched (with the source's limits, the fetcher's per-host politeness and the
    /// site rules); a page that cannot be fetched or read keeps the feed's summary and adds a warning naming it.
    static func follow(_ batch: IngestBatch, source: StoredSource, config: DivergenceConfig, store: Store, fetcher: HTTPFetcher,
                       scorer: SentimentScorer, now: Date) async throws(StoreError) -> (IngestBatch, [String]) {
        let known = try store.storedDedupKeys(batch.documents.map(\.dedupKey))
        var policy = config.fetchPolicy
        if source.options["allow_private_network"] == "true" { policy.allowPrivateNetwork = true }
        let wanted = batch.documents.indices.filter { index in
            let document = batch.documents[index]
            guard !known.contains(document.dedupKey), let url = document.url?.lowercased() else { return false }
            return url.hasPrefix("http://") || url.hasPrefix("https://")
        }
        let responses = await fetcher.fetchAll(wanted.map { FetchRequest(url: batch.documents[$0].url!, policy: policy) })
        var result = batch
        var warnings: [String] = []
        let memo = SentenceScoreMemo(scorer: scorer, publisherType: source.publisherType.speakerType)
        for (index, response) in zip(wanted, responses) {
            let document = batch.documents[index]
            let url = document.url!
            switch response {
            case .failure(let error):
                warnings.append("\(source.name): full text of \(url) not fetched: \(error.description)")
            case .success(let fetched):
                let rules = config.siteRule(for: url).map { ArticleRules(bodyXPath: $0.bodyXPath, dropXPaths: $0.dropXPaths) }
                do {
                    let page = try ArticlePage.extract(fetched.body, url: fetched.finalURL, contentType: fetched.contentType, rules: rules)
                    var cut = 0
                    let text = TextScoring.capped([document.title ?? page.title, page.text].compactMap { $0 }.joined(separator: ". "), cut: &cut)
                    if cut > 0 { warnings.append("\(source.name): full text of \(url) longer than \(TextScoring.maxTextBytes) bytes; only the start was scored and stored") }
                    result.documents[index] = TextScoring.document(
                        dedupKey: document.dedupKey, url: document.url, title: document.title ?? page.title, author: document.author ?? page.author,
                        published: document.published ?? page.published, fetched: now,
                        text: text,
                        publisherType: source.publisherType, scorer: scorer, memo: memo)
                } catch {
                    warnings.append("\(source.name): full text of \(url) not read: \(error.description)")
                }
            }
        }
        return (result, warnings)
    }
}
