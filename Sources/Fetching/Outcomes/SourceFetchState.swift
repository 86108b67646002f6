import Foundation

/// What the scheduler remembers about one source between fetches (dates UTC).
public struct SourceFetchState: Sendable, Codable, Equatable {
    /// The URL to fetch next (updated by permanent redirects).
    public var url: String
    /// Validator sent as `If-None-Match`.
    public var etag: String?
    /// Validator sent as `If-Modified-Since`.
    public var lastModified: String?
    /// HTTP status of the last fetch that got a response.
    public var lastStatus: Int?
    /// One-line description of the last failure; nil after a success.
    public var lastError: String?
    /// Failures since the last success (drives the backoff).
    public var consecutiveFailures: Int
    /// Earliest time to fetch again; nil when disabled.
    public var nextFetch: Date?
    /// True once the source answered 410 Gone: it is not fetched again.
    public var disabled: Bool

    /// Creates the state of a source never fetched.
    public init(
        url: String,
        etag: String? = nil,
        lastModified: String? = nil,
        lastStatus: Int? = nil,
        lastError: String? = nil,
        consecutiveFailures: Int = 0,
        nextFetch: Date? = nil,
        disabled: Bool = false
    ) {
        self.url = url
        self.etag = etag
        self.lastModified = lastModified
        self.lastStatus = lastStatus
        self.lastError = lastError
        self.consecutiveFailures = consecutiveFailures
        self.nextFetch = nextFetch
        self.disabled = disabled
    }

    /// The conditional request for this source's next fetch.
    public func request(isLocalPath: Bool = false, policy: FetchPolicy = FetchPolicy()) -> FetchRequest {
        FetchRequest(url: url, etag: etag, lastModified: lastModified, isLocalPath: isLocalPath, policy: policy)
    }
}
