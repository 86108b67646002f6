import Foundation

/// A completed fetch: a 2xx body or a 304 with no body.
public struct FetchResponse: Sendable, Equatable {
    /// HTTP status of the final response (200 for a `file://` read).
    public var status: Int
    /// The URL the body came from, after redirects.
    public var finalURL: String
    /// The decoded body (empty for 304).
    public var body: [UInt8]
    /// `ETag` of the final response.
    public var etag: String?
    /// `Last-Modified` of the final response.
    public var lastModified: String?
    /// `Content-Type` of the final response.
    public var contentType: String?
    /// `Retry-After` of the final response, in seconds from when it was received.
    public var retryAfter: TimeInterval?
    /// The URL reached through the leading run of 301/308 redirects, which should replace the stored one.
    public var permanentRedirect: String?
    /// Seconds the transfer took, redirects included.
    public var elapsed: TimeInterval
    /// `Cache-Control: max-age` of the final response, in seconds (nil when absent, or with `no-cache`/`no-store`).
    public var maxAge: TimeInterval?
    /// True for a 304: the stored copy is current and nothing should be parsed.
    public var notModified: Bool { status == 304 }

    /// Creates a response value.
    public init(
        status: Int,
        finalURL: String,
        body: [UInt8],
        etag: String? = nil,
        lastModified: String? = nil,
        contentType: String? = nil,
        retryAfter: TimeInterval? = nil,
        permanentRedirect: String? = nil,
        elapsed: TimeInterval = 0,
        maxAge: TimeInterval? = nil
    ) {
        self.status = status
        self.finalURL = finalURL
        self.body = body
        self.etag = etag
        self.lastModified = lastModified
        self.contentType = contentType
        self.retryAfter = retryAfter
        self.permanentRedirect = permanentRedirect
        self.elapsed = elapsed
        self.maxAge = maxAge
    }
}
