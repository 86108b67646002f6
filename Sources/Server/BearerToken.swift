import Foundation

/// The secret a client must send as `Authorization: Bearer <token>`; compared in constant time.
public struct BearerToken: Sendable, CustomStringConvertible {
    /// Shortest token accepted, in bytes: a guessable token is worse than none because it looks safe.
    public static let minimumLength = 16

    let bytes: [UInt8]

    /// A token from its text (surrounding whitespace removed); at least 16 printable ASCII characters, no spaces.
    public init(_ text: String) throws(BearerTokenError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .empty }
        guard trimmed.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { throw .invalidCharacters }
        guard trimmed.utf8.count >= Self.minimumLength else { throw .tooShort(length: trimmed.utf8.count) }
        bytes = Array(trimmed.utf8)
    }

    /// Reads the token from the first line of a file (e.g. one written by `openssl rand -hex 32 > token`).
    public static func load(path: String) throws(BearerTokenError) -> BearerToken {
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path: path) }
        guard data.count <= 4096 else { throw .tooLarge(path: path) }
        let text = String(decoding: data, as: UTF8.self)
        let firstLine = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        do { return try BearerToken(firstLine) } catch { throw .inFile(path: path, error) }
    }

    /// True when `header` is `Bearer <this token>` (scheme case-insensitive). The comparison takes the same time
    /// wherever the first difference is, so response timing does not reveal a prefix of the token.
    public func accepts(authorization header: String?) -> Bool {
        guard let header else { return false }
        let utf8 = Array(header.utf8)
        let scheme = Array("bearer ".utf8)
        guard utf8.count > scheme.count, zip(utf8.prefix(scheme.count), scheme).allSatisfy({ $0 | 0x20 == $1 | 0x20 }) else { return false }
        var offered = utf8[scheme.count...].drop { $0 == 0x20 }
        while offered.last == 0x20 { offered = offered.dropLast() }
        return Self.constantTimeEquals(Array(offered), bytes)
    }

    /// True when the request's `Cookie` header carries this token as `divergence_token` (set by the dashboard's login form).
    public func accepts(cookie header: String?) -> Bool {
        guard let header else { return false }
        for pair in header.split(separator: ";") {
            let trimmed = pair.drop { $0 == " " }
            guard trimmed.hasPrefix(Self.cookieName + "=") else { continue }
            if Self.constantTimeEquals(Array(trimmed.dropFirst(Self.cookieName.count + 1).utf8), bytes) { return true }
        }
        return false
    }

    /// True when `text` is the token itself (the dashboard's login form).
    public func accepts(token text: String) -> Bool {
        Self.constantTimeEquals(Array(text.trimmingCharacters(in: .whitespacesAndNewlines).utf8), bytes)
    }

    /// The cookie that carries the token after the dashboard's login (HttpOnly, SameSite=Strict).
    public static let cookieName = "divergence_token"

    /// The `Set-Cookie` value that logs a browser in.
    var cookie: String { "\(Self.cookieName)=\(String(decoding: bytes, as: UTF8.self)); Path=/; HttpOnly; SameSite=Strict" }

    /// Compares every byte of `expected` whatever `offered` holds; only the lengths' equality is visible in timing.
    static func constantTimeEquals(_ offered: [UInt8], _ expected: [UInt8]) -> Bool {
        var difference: UInt8 = offered.count == expected.count ? 0 : 1
        for index in expected.indices {
            difference |= (index < offered.count ? offered[index] : 0) ^ expected[index]
        }
        return difference == 0
    }

    /// Never the secret itself.
    public var description: String { "BearerToken(\(bytes.count) bytes)" }
}

/// Why a bearer token could not be used.
public enum BearerTokenError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case invalidCharacters
    case tooShort(length: Int)
    case unreadable(path: String)
    case tooLarge(path: String)
    indirect case inFile(path: String, BearerTokenError)

    public var description: String {
        switch self {
        case .empty: "the token is empty"
        case .invalidCharacters: "the token must be printable ASCII without spaces"
        case .tooShort(let length): "the token has \(length) characters; use at least \(BearerToken.minimumLength) (e.g. `openssl rand -hex 32`)"
        case .unreadable(let path): "\(path): cannot read the token file"
        case .tooLarge(let path): "\(path): the token file is larger than 4 KB"
        case .inFile(let path, let error): "\(path): \(error)"
        }
    }
}
