import Foundation
import Sentiment
@testable import Storage
import Testing
@testable import Ingestion

/// A feed's sentences are scored once per batch (`SentenceScoreMemo`): every document must come out exactly as scoring
/// it alone would make it, including sentences that differ from a scored one only by a number or a word.
@Suite("Sentences repeated across a feed's items")
struct SentenceScoreMemoTests {
    let now = Date(timeIntervalSince1970: 1_770_465_600)  // 2026-02-07T12:00Z

    /// Six items sharing a standing line and a survey line; items 0 and 3 add the survey line with another share, and the
    /// even items rally where the odd ones slump.
    var feed: String {
        let items = (0..<6).map { index in
            let move = index.isMultiple(of: 2) ? "Bitcoin rallies as ETF inflows surge." : "Bitcoin slumps as ETF outflows surge."
            let other = index % 3 == 0 ? " About 30% of institutional investors surveyed call bitcoin undervalued." : ""
            return """
                <item><title>Item \(index)</title><guid>item-\(index)</guid><link>https://x.example/\(index)</link>
                <description>\(move) About 70% of institutional investors surveyed call bitcoin undervalued.\(other) This letter is not investment advice.</description></item>
                """
        }
        return "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Desk</title><link>https://x.example/</link>\(items.joined())</channel></rss>"
    }

    @Test("each document equals the same document scored alone, and lines differing by a number keep their own claims")
    func sameAsScoringAlone() throws {
        let source = StoredSource(id: 1, location: "https://x.example/feed.xml", name: "desk", kind: .news, publisherType: .media,
                                  intervalSeconds: 3600, origin: "config", options: [:], active: true, etag: nil, lastModified: nil, lastStatus: nil,
                                  lastError: nil, consecutiveFailures: 0, nextFetch: nil, lastSuccess: nil, disabled: false)
        let scorer = SentimentScorer()
        let (batch, warnings) = try SourceParsing.batch(for: source, body: Array(feed.utf8), contentType: "application/rss+xml", scorer: scorer, now: now)
        #expect(warnings.isEmpty)
        #expect(batch.documents.count == 6)
        for document in batch.documents {
            let alone = TextScoring.document(dedupKey: document.dedupKey, url: document.url, title: document.title, author: document.author,
                                             published: document.published, fetched: document.fetched, text: document.text,
                                             publisherType: .media, scorer: scorer)
            #expect(document == alone, "\(document.title ?? "?") differs from scoring it alone")
        }
        // The memo did not merge look-alike lines: the rally and the slump score apart, and items 0 and 3 carry both shares.
        let rally = try #require(batch.documents[0].sentences.first { $0.text.contains("rallies") })
        let slump = try #require(batch.documents[1].sentences.first { $0.text.contains("slumps") })
        #expect(rally.score > 0 && slump.score < 0)
        let shares = batch.documents.map { Set($0.claims.map(\.share)) }
        #expect(shares[0] == [0.3, 0.7] && shares[3] == [0.3, 0.7])
        #expect(shares[1] == [0.7] && shares[2] == [0.7])
    }

    @Test("two spellings of one sentence (é as one code point, or e and a combining accent) each keep their own bytes")
    func canonicallyEquivalentSentences() throws {
        let composed = "Caf\u{E9} desks call bitcoin undervalued.", decomposed = "Cafe\u{301} desks call bitcoin undervalued."
        #expect(composed == decomposed, "Swift's String equality takes them for one")
        let scorer = SentimentScorer()
        let memo = SentenceScoreMemo(scorer: scorer, publisherType: .media)
        let first = memo.score(composed), second = memo.score(decomposed)
        #expect(first.map { Array($0.text.utf8) } == [Array(composed.utf8)])
        #expect(second.map { Array($0.text.utf8) } == [Array(decomposed.utf8)])
    }
}
