import Foundation

/// Where a PostgreSQL store is: parsed from `postgresql://user[:password]@host[:port]/database[?sslmode=…&host=/socket/dir]`.
///
/// The password comes from the URL, else `password_file`, else `PGPASSWORD`; it never appears in `redacted`.
public struct PostgresLocation: Sendable, Equatable {
    public var user: String
    public var password: String?
    /// A host name or address; nil with `socketDirectory`.
    public var host: String?
    public var port: Int
    /// The folder of the server's Unix socket (`host=/run/postgresql`, or a host that is a path).
    public var socketDirectory: String?
    public var database: String
    /// `disable`, `allow`, `prefer` (the default, as libpq), `require`, `verify-ca` or `verify-full`.
    public var sslMode: String

    /// The location as shown in messages: the URL without its password.
    public var redacted: String {
        var text = "postgresql://\(user)@"
        if let host { text += host.contains(":") ? "[\(host)]" : host }
        text += ":\(port)/\(database)"
        if let socketDirectory { text += "?host=\(socketDirectory)" }
        return text
    }

    static let sslModes = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]

    /// Parses a `postgresql://` or `postgres://` URL; `passwordFile` (the config's `password_file`) and the environment's
    /// `PGPASSWORD` fill a password the URL does not carry.
    public static func parse(_ text: String, passwordFile: String? = nil,
                             environment: [String: String] = ProcessInfo.processInfo.environment) throws(StoreError) -> PostgresLocation {
        func refuse(_ reason: String) -> StoreError { .notAStore(path: Self.redact(text), reason: reason) }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              scheme == "postgresql" || scheme == "postgres" else {
            throw refuse("not a postgresql://user@host:port/database URL")
        }
        var query: [String: String] = [:]
        for item in components.queryItems ?? [] { query[item.name] = item.value ?? "" }
        let known: Set<String> = ["sslmode", "host", "port", "user", "password", "dbname", "application_name", "connect_timeout"]
        if let unknown = query.keys.sorted().first(where: { !known.contains($0) }) { throw refuse("unknown parameter '\(unknown)'") }
        let user = components.user?.removingPercentEncoding ?? query["user"] ?? environment["PGUSER"] ?? environment["USER"] ?? "postgres"
        var password = components.password?.removingPercentEncoding ?? query["password"]
        if password == nil, let passwordFile {
            guard let contents = try? String(contentsOfFile: passwordFile, encoding: .utf8) else {
                throw refuse("cannot read password_file \(passwordFile)")
            }
            password = contents.trimmingCharacters(in: .newlines)
        }
        if password == nil { password = environment["PGPASSWORD"] }
        var host = components.host.flatMap { $0.isEmpty ? nil : $0.removingPercentEncoding }
        var socketDirectory: String?
        if let queryHost = query["host"], !queryHost.isEmpty {
            if queryHost.hasPrefix("/") { socketDirectory = queryHost; host = nil } else { host = queryHost }
        }
        if let decoded = host, decoded.hasPrefix("/") { socketDirectory = decoded; host = nil }
        if host == nil && socketDirectory == nil { host = "localhost" }
        var port = components.port ?? 5432
        if let queryPort = query["port"] {
            guard let value = Int(queryPort), (1...65_535).contains(value) else { throw refuse("port '\(queryPort)' is not a port number") }
            port = value
        }
        guard (1...65_535).contains(port) else { throw refuse("port \(port) is not a port number") }
        var database = String(components.path.drop(while: { $0 == "/" })).removingPercentEncoding ?? ""
        if database.isEmpty { database = query["dbname"] ?? user }
        let sslMode = query["sslmode"] ?? environment["PGSSLMODE"] ?? "prefer"
        guard sslModes.contains(sslMode) else { throw refuse("sslmode '\(sslMode)' is not one of \(sslModes.joined(separator: ", "))") }
        if socketDirectory != nil && ["require", "verify-ca", "verify-full"].contains(sslMode) {
            throw refuse("sslmode=\(sslMode) needs a TCP host, not a Unix socket")
        }
        return PostgresLocation(user: user, password: password, host: host, port: port, socketDirectory: socketDirectory,
                                database: database, sslMode: sslMode)
    }

    /// `text` with any password between `://user:` and `@` replaced by `***`.
    static func redact(_ text: String) -> String {
        guard let schemeEnd = text.range(of: "://"), let at = text[schemeEnd.upperBound...].firstIndex(of: "@") else { return text }
        let credentials = text[schemeEnd.upperBound..<at]
        guard let colon = credentials.firstIndex(of: ":") else { return text }
        return String(text[..<colon]) + ":***" + String(text[at...])
    }
}

/// Where the store is: an SQLite file (a path) or a PostgreSQL database (a `postgresql://` URL).
public enum StoreLocation: Sendable, Equatable {
    case sqlite(path: String)
    case postgresql(PostgresLocation)

    /// Reads a `store` setting: a `postgresql://` (or `postgres://`) URL, else a file path; any other `scheme://`
    /// value is refused rather than taken as a file name.
    public static func parse(_ text: String, passwordFile: String? = nil,
                             environment: [String: String] = ProcessInfo.processInfo.environment) throws(StoreError) -> StoreLocation {
        guard let scheme = Store.urlScheme(text) else { return .sqlite(path: text) }
        switch scheme.lowercased() {
        case "postgresql", "postgres":
            return .postgresql(try PostgresLocation.parse(text, passwordFile: passwordFile, environment: environment))
        case "file", "sqlite":
            throw .notAStore(path: text, reason: "a \(scheme):// URL; give an SQLite store as a plain path")
        default:
            throw .notAStore(path: PostgresLocation.redact(text), reason: "a \(scheme):// URL: the store is a file path or a postgresql:// URL")
        }
    }

    /// True for a store many processes write at once (PostgreSQL), false for one writer at a time (SQLite).
    public var isShared: Bool {
        if case .postgresql = self { true } else { false }
    }

    /// The location as shown in messages (no password).
    public var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgresql(let location): location.redacted
        }
    }
}
