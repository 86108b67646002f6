import Feeds
import Foundation
import Sentiment
import Vocabulary

/// A configured or user-added source with its fetch state.
public struct StoredSource: Sendable, Codable, Equatable {
    public var id: Int64
    /// The URL or local path as configured; unique.
    public var location: String
    public var name: String
    public var kind: SourceKind
    public var publisherType: PublisherType
    /// Seconds between fetches.
    public var intervalSeconds: Double
    /// `config` when it comes from the config file, `cli` when added with `sources add`.
    public var origin: String
    /// Format-specific options (survey layout, series format, unit…) as key/value strings.
    public var options: [String: String]
    public var active: Bool
    public var etag: String?
    public var lastModified: String?
    public var lastStatus: Int?
    public var lastError: String?
    public var consecutiveFailures: Int
    public var nextFetch: Date?
    public var lastSuccess: Date?
    public var disabled: Bool

    /// Creates a source value; sources are normally read from the store.
    public init(id: Int64, location: String, name: String, kind: SourceKind, publisherType: PublisherType, intervalSeconds: Double,
                origin: String, options: [String: String], active: Bool, etag: String?, lastModified: String?, lastStatus: Int?,
                lastError: String?, consecutiveFailures: Int, nextFetch: Date?, lastSuccess: Date?, disabled: Bool) {
        self.id = id
        self.location = location
        self.name = name
        self.kind = kind
        self.publisherType = publisherType
        self.intervalSeconds = intervalSeconds
        self.origin = origin
        self.options = options
        self.active = active
        self.etag = etag
        self.lastModified = lastModified
        self.lastStatus = lastStatus
        self.lastError = lastError
        self.consecutiveFailures = consecutiveFailures
        self.nextFetch = nextFetch
        self.lastSuccess = lastSuccess
        self.disabled = disabled
    }
}

/// A source to create or refresh in the store.
public struct SourceDefinition: Sendable, Equatable {
    public var location: String
    public var name: String
    public var kind: SourceKind
    public var publisherType: PublisherType
    public var intervalSeconds: Double
    public var options: [String: String]

    public init(location: String, name: String, kind: SourceKind, publisherType: PublisherType, intervalSeconds: Double, options: [String: String] = [:]) {
        self.location = location
        self.name = name
        self.kind = kind
        self.publisherType = publisherType
        self.intervalSeconds = intervalSeconds
        self.options = options
    }
}

/// The fetch outcome to record for a source.
public struct FetchStateUpdate: Sendable, Equatable {
    public var location: String?
    public var etag: String?
    public var lastModified: String?
    public var lastStatus: Int?
    public var lastError: String?
    public var consecutiveFailures: Int
    public var nextFetch: Date?
    public var succeededAt: Date?
    public var disabled: Bool

    public init(location: String? = nil, etag: String?, lastModified: String?, lastStatus: Int?, lastError: String?,
                consecutiveFailures: Int, nextFetch: Date?, succeededAt: Date?, disabled: Bool) {
        self.location = location
        self.etag = etag
        self.lastModified = lastModified
        self.lastStatus = lastStatus
        self.lastError = lastError
        self.consecutiveFailures = consecutiveFailures
        self.nextFetch = nextFetch
        self.succeededAt = succeededAt
        self.disabled = disabled
    }
}

/// A scored opinion unit of a document: a clause with its holder, or a whole sentence when it has one view.
public struct NewSentence: Sendable, Equatable {
    public var text: String
    /// −1…1.
    public var score: Double
    public var relevant: Bool
    /// The holder's speaker type, or the publisher's when no holder was found.
    public var speakerType: SpeakerType
    /// Who holds the view ("Fidelity", "analysts"), when named.
    public var holder: String?
    /// A belief about Bitcoin's value or prospects (B's evidence) or technical, price-action commentary (R's).
    public var topic: OpinionTopic

    public init(text: String, score: Double, relevant: Bool, speakerType: SpeakerType, holder: String? = nil, topic: OpinionTopic = .belief) {
        self.text = text
        self.score = score
        self.relevant = relevant
        self.speakerType = speakerType
        self.holder = holder
        self.topic = topic
    }
}

/// A document ready to store, with its scored sentences and claims.
public struct NewDocument: Sendable, Equatable {
    /// Stable across http→https, tracking parameters and re-sends; unique in the store.
    public var dedupKey: String
    public var url: String?
    public var title: String?
    public var author: String?
    /// When published (UTC); nil when the feed gave no usable date (then `fetched` is used for point-in-time).
    public var published: Date?
    public var fetched: Date
    public var text: String
    /// Mean sentence score −1…1 over relevant sentences, or nil.
    public var sentiment: Double?
    public var relevant: Bool
    /// The publisher's own voice (`PublisherType.speakerType`).
    public var speakerType: SpeakerType
    public var sentences: [NewSentence]
    public var claims: [Claim]
    /// The story signature and URL key computed ahead of the commit (`prepareForCommit()`), with what they were
    /// computed from.
    var prepared: PreparedKeys?

    public init(dedupKey: String, url: String?, title: String?, author: String?, published: Date?, fetched: Date, text: String,
                sentiment: Double?, relevant: Bool, speakerType: SpeakerType, sentences: [NewSentence] = [], claims: [Claim] = []) {
        self.dedupKey = dedupKey
        self.url = url
        self.title = title
        self.author = author
        self.published = published
        self.fetched = fetched
        self.text = text
        self.sentiment = sentiment
        self.relevant = relevant
        self.speakerType = speakerType
        self.sentences = sentences
        self.claims = claims
    }

    /// The MinHash signature of the text (`StorySignature`), or nil when the text is too short to tell copies apart.
    var storySignature: [UInt64]? {
        if let prepared, prepared.text == text { return prepared.signature }
        return StorySignature.signature(text)
    }

    /// The normalised URL (`EntryDedup.normalise`) a feed entry and its article page share.
    var urlKey: String? {
        if let prepared, prepared.url == url { return prepared.urlKey }
        return url.map(EntryDedup.normalise)
    }

    /// Computes the story signature (of a relevant document) and the URL key now, where parsing runs, on any core, so
    /// the single writer does not.
    public mutating func prepareForCommit() {
        prepared = PreparedKeys(text: text, signature: relevant ? StorySignature.signature(text) : nil, url: url, urlKey: url.map(EntryDedup.normalise))
    }

    /// Equal when every stored field is equal; a signature computed ahead is a cache, not part of the document.
    public static func == (lhs: NewDocument, rhs: NewDocument) -> Bool {
        lhs.dedupKey == rhs.dedupKey && lhs.url == rhs.url && lhs.title == rhs.title && lhs.author == rhs.author && lhs.published == rhs.published
            && lhs.fetched == rhs.fetched && lhs.text == rhs.text && lhs.sentiment == rhs.sentiment && lhs.relevant == rhs.relevant
            && lhs.speakerType == rhs.speakerType && lhs.sentences == rhs.sentences && lhs.claims == rhs.claims
    }
}

/// A document's story signature and URL key, with the text and URL they were computed from.
struct PreparedKeys: Sendable {
    var text: String
    var signature: [UInt64]?
    var url: String?
    var urlKey: String?
}

/// A stored document as listed by queries.
public struct StoredDocument: Sendable, Codable, Equatable {
    public var id: Int64
    public var sourceID: Int64
    public var url: String?
    public var title: String?
    public var author: String?
    public var published: Date
    public var sentiment: Double?
    public var relevant: Bool
    /// The publisher's own voice.
    public var speakerType: SpeakerType
}

/// What one ingest of one source changed.
public struct IngestCounts: Sendable, Equatable {
    public var documentsInserted = 0
    public var documentsAlreadyStored = 0
    public var surveyRowsInserted = 0
    public var surveyRowsAlreadyStored = 0
    public var seriesPointsInserted = 0
    public var seriesPointsReplaced = 0
    /// ETF fund-days and TFF reports stored for the first time, and those a later revision replaced.
    public var positioningRowsInserted = 0
    public var positioningRowsRevised = 0
    /// The first revisions, one line each (`IBIT 2026-02-03: −12.5 → −14.0 USD m`).
    public var revisions: [String] = []
    public init() {}

    /// Items newly stored: documents, survey rows, series points and positioning rows inserted or replaced.
    public var itemsNew: Int { documentsInserted + surveyRowsInserted + seriesPointsInserted + seriesPointsReplaced + positioningRowsInserted + positioningRowsRevised }

    /// Items the source delivered, new or already stored.
    public var itemsSeen: Int { itemsNew + documentsAlreadyStored + surveyRowsAlreadyStored }
}

/// Counts of what the store holds.
public struct StoreSummary: Sendable, Codable, Equatable {
    public var sources: Int
    public var documents: Int
    public var claims: Int
    public var surveyObservations: Int
    public var pricePoints: Int
    public var hashratePoints: Int
    public var snapshots: Int
    public var isEmpty: Bool { documents == 0 && surveyObservations == 0 && pricePoints == 0 && hashratePoints == 0 }
}

/// The headline numbers of a stored score snapshot.
public struct StoredScores: Sendable, Equatable {
    public var bullishness: Double?
    public var regime: Double?
    public var regimeLabel: String?
    public var divergence: Double?
    public var label: String?
    /// Stated Bₛ and revealed Bᵣ, from the snapshot's JSON (nil in snapshots saved before revealed B existed).
    public var stated: Double?
    public var revealed: Double?
}
