import Foundation

/// Why a fetch produced no usable response; each case names the URL.
public enum FetchError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The URL cannot be parsed.
    case invalidURL(String)
    /// The URL, or a redirect target, uses a scheme this request may not use.
    case schemeNotAllowed(url: String, scheme: String)
    /// The host resolved to a private, loopback, link-local or otherwise internal address.
    case blockedAddress(url: String, address: String)
    /// The connect, total or low-speed limit ended the transfer after `seconds`.
    case timedOut(url: String, seconds: Double)
    /// The body (decoded or on the wire) exceeded `limit` bytes.
    case tooLarge(url: String, limit: Int)
    /// More redirects than the policy allows, or a redirect loop.
    case tooManyRedirects(url: String)
    /// The final response had a status other than 2xx or 304.
    case httpStatus(url: String, status: Int, retryAfter: TimeInterval?)
    /// Any other libcurl failure (`code` is the `CURLcode`).
    case transport(url: String, code: Int, message: String)
    /// The calling task was cancelled before the transfer finished.
    case cancelled(url: String)
    /// A local source file could not be read: `no such file`, `permission denied`, `is a folder`.
    case localFile(path: String, reason: String)

    /// The URL the error is about.
    public var url: String {
        switch self {
        case .invalidURL(let url): url
        case .schemeNotAllowed(let url, _), .blockedAddress(let url, _), .timedOut(let url, _),
            .tooLarge(let url, _), .tooManyRedirects(let url), .httpStatus(let url, _, _),
            .transport(let url, _, _), .cancelled(let url), .localFile(let url, _):
            url
        }
    }

    /// One line: `<url>: <reason>`.
    public var description: String {
        switch self {
        case .invalidURL(let url):
            "\(url): invalid URL"
        case .schemeNotAllowed(let url, let scheme):
            "\(url): scheme '\(scheme)' is not allowed"
        case .blockedAddress(let url, let address):
            "\(url): refused to connect to internal address \(address)"
        case .timedOut(let url, let seconds):
            "\(url): timed out after \(String(format: "%.1f", seconds)) s"
        case .tooLarge(let url, let limit):
            "\(url): body exceeds \(limit) bytes"
        case .tooManyRedirects(let url):
            "\(url): too many redirects"
        case .httpStatus(let url, let status, let retryAfter):
            if let retryAfter {
                "\(url): HTTP \(status) (retry after \(Int(retryAfter.rounded())) s)"
            } else {
                "\(url): HTTP \(status)"
            }
        case .transport(let url, let code, let message):
            "\(url): \(message) (curl error \(code))"
        case .cancelled(let url):
            "\(url): cancelled"
        case .localFile(let path, let reason):
            "\(path): \(reason)"
        }
    }
}
