/// Limits applied to one fetch: timeouts in seconds, sizes in bytes, and which addresses may be reached.
public struct FetchPolicy: Sendable, Equatable {
    /// The `User-Agent` sent when a policy names no other.
    public static let defaultUserAgent = "divergence/0.1 (+https://github.com/divergence)"

    /// Seconds allowed to establish the TCP (and TLS) connection.
    public var connectTimeout: Double = 10
    /// Seconds allowed for the whole transfer, redirects included.
    public var totalTimeout: Double = 30
    /// Redirects followed before the fetch fails with `tooManyRedirects`.
    public var maxRedirects: Int = 5
    /// Cap on the decoded (decompressed) body, enforced while bytes arrive.
    public var maxBytes: Int = 20_000_000
    /// Cap on the bytes received on the wire (before content decoding).
    public var maxCompressedBytes: Int = 20_000_000
    /// Allows private, loopback and link-local destinations (tests and explicitly trusted sources only).
    public var allowPrivateNetwork = false
    /// Internal addresses the guard lets through even when `allowPrivateNetwork` is false (e.g. one trusted LAN host).
    public var allowedAddresses: Set<InternetAddress> = []
    /// The `User-Agent` header value.
    public var userAgent: String
    /// A transfer slower than this many bytes per second for `lowSpeedTime` seconds is aborted as timed out.
    public var lowSpeedLimit: Int = 100
    /// Seconds the transfer may stay under `lowSpeedLimit` before it is aborted.
    public var lowSpeedTime: Double = 15

    /// Creates a policy; every limit has a conservative default.
    public init(
        connectTimeout: Double = 10,
        totalTimeout: Double = 30,
        maxRedirects: Int = 5,
        maxBytes: Int = 20_000_000,
        maxCompressedBytes: Int = 20_000_000,
        allowPrivateNetwork: Bool = false,
        allowedAddresses: Set<InternetAddress> = [],
        userAgent: String = FetchPolicy.defaultUserAgent,
        lowSpeedLimit: Int = 100,
        lowSpeedTime: Double = 15
    ) {
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.maxRedirects = maxRedirects
        self.maxBytes = maxBytes
        self.maxCompressedBytes = maxCompressedBytes
        self.allowPrivateNetwork = allowPrivateNetwork
        self.allowedAddresses = allowedAddresses
        self.userAgent = userAgent
        self.lowSpeedLimit = lowSpeedLimit
        self.lowSpeedTime = lowSpeedTime
    }
}

/// One document to fetch, with the validators stored from the previous fetch for a conditional GET.
public struct FetchRequest: Sendable, Equatable {
    /// An `http`/`https` URL, or (only when `isLocalPath`) a `file://` URL or an absolute path.
    public var url: String
    /// The stored `ETag`, sent as `If-None-Match`.
    public var etag: String?
    /// The stored `Last-Modified`, sent as `If-Modified-Since`.
    public var lastModified: String?
    /// The user listed this source as a local path: `file` is the only scheme allowed.
    public var isLocalPath: Bool
    /// Limits for this fetch.
    public var policy: FetchPolicy
    /// A body to POST instead of a GET (e.g. an alert to a webhook), with its content type.
    public var postBody: [UInt8]?
    public var postContentType = "application/json"

    /// Creates a request; without validators the GET is unconditional.
    public init(
        url: String,
        etag: String? = nil,
        lastModified: String? = nil,
        isLocalPath: Bool = false,
        policy: FetchPolicy = FetchPolicy()
    ) {
        self.url = url
        self.etag = etag
        self.lastModified = lastModified
        self.isLocalPath = isLocalPath
        self.policy = policy
    }
}
