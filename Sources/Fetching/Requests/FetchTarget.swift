import Foundation

/// A request's URL checked before libcurl sees it: scheme allowed for the request, and the host used for
/// per-host concurrency.
struct FetchTarget: Sendable, Equatable {
    /// The URL handed to libcurl (a local path becomes a `file://` URL).
    var url: String
    /// Lower-cased scheme.
    var scheme: String
    /// Lower-cased host without user info or port; `file://` for local files.
    var hostKey: String

    /// Schemes a request may use: `file` only for user-listed local paths, otherwise `http` and `https`.
    static func allowedSchemes(isLocalPath: Bool) -> [String] {
        isLocalPath ? ["file"] : ["http", "https"]
    }

    init(_ request: FetchRequest) throws(FetchError) {
        let text = request.url.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw .invalidURL(request.url)
        }
        if request.isLocalPath && text.hasPrefix("/") {
            self.url = "file://" + Self.percentEncodedPath(text)
            self.scheme = "file"
            self.hostKey = "file://"
            return
        }
        guard !text.unicodeScalars.contains(" ") else { throw .invalidURL(request.url) }
        guard let colon = text.firstIndex(of: ":") else { throw .invalidURL(request.url) }
        let scheme = text[..<colon]
        guard let first = scheme.utf8.first, first.isASCIILetter,
            scheme.utf8.allSatisfy({ $0.isASCIILetter || $0.isASCIIDigit || $0 == 0x2B || $0 == 0x2D || $0 == 0x2E })
        else { throw .invalidURL(request.url) }
        let lowered = scheme.lowercased()
        guard Self.allowedSchemes(isLocalPath: request.isLocalPath).contains(lowered) else {
            throw .schemeNotAllowed(url: request.url, scheme: lowered)
        }
        self.url = text
        self.scheme = lowered
        if lowered == "file" {
            self.hostKey = "file://"
            return
        }
        let rest = text[text.index(after: colon)...]
        guard rest.hasPrefix("//") else { throw .invalidURL(request.url) }
        let authority = rest.dropFirst(2).prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let hostAndPort = authority.lastIndex(of: "@").map { authority[authority.index(after: $0)...] } ?? authority
        let host: Substring
        if hostAndPort.hasPrefix("[") {
            guard let close = hostAndPort.firstIndex(of: "]") else { throw .invalidURL(request.url) }
            host = hostAndPort[...close]
        } else {
            host = hostAndPort.prefix { $0 != ":" }
        }
        guard !host.isEmpty else { throw .invalidURL(request.url) }
        self.hostKey = host.lowercased()
    }

    private static func percentEncodedPath(_ path: String) -> String {
        var encoded = ""
        for byte in path.utf8 {
            if byte.isASCIILetter || byte.isASCIIDigit || "/-._~".utf8.contains(byte) {
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                encoded += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return encoded
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

extension UInt8 {
    fileprivate var isASCIILetter: Bool { (0x41...0x5A).contains(self) || (0x61...0x7A).contains(self) }
    fileprivate var isASCIIDigit: Bool { (0x30...0x39).contains(self) }
}
