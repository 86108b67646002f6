import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOSSL
import PostgresNIO

/// Connections to one PostgreSQL store, reused across transactions; every call blocks its thread until the server
/// answers (the store's interface is synchronous), on an event loop of its own so it never waits on itself.
final class PostgresBackend: Sendable {
    let location: PostgresLocation
    private let idle = NIOLockedValueBox<[PostgresConnection]>([])
    private let counter = NIOLockedValueBox(0)
    private let logger = Logger(label: "divergence.store.postgresql")
    /// Connections kept open between transactions; more are opened while all are busy and closed when returned.
    private let keepOpen = 4

    init(location: PostgresLocation) throws(StoreError) {
        self.location = location
        let connection = try connect()
        release(connection)
    }

    deinit {
        for connection in idle.withLockedValue({ $0 }) { Self.close(connection) }
    }

    func connect() throws(StoreError) -> PostgresConnection {
        var configuration: PostgresConnection.Configuration
        let tls: PostgresConnection.Configuration.TLS
        do {
            tls = try Self.tls(location)
        } catch {
            throw .database(path: location.redacted, reason: "TLS set-up failed: \(error)")
        }
        if let directory = location.socketDirectory {
            configuration = .init(unixSocketPath: directory + "/.s.PGSQL.\(location.port)", username: location.user, password: location.password,
                                  database: location.database)
        } else {
            configuration = .init(host: location.host ?? "localhost", port: location.port, username: location.user, password: location.password,
                                  database: location.database, tls: tls)
        }
        configuration.options.connectTimeout = .seconds(10)
        let id = counter.withLockedValue { value in value += 1; return value }
        do {
            return try PostgresConnection.connect(on: PostgresConnection.defaultEventLoopGroup.any(), configuration: configuration, id: id, logger: logger).wait()
        } catch {
            throw .notFound(path: location.redacted, what: "a PostgreSQL server that accepts the connection (\(Self.describe(error)))")
        }
    }

    static func tls(_ location: PostgresLocation) throws -> PostgresConnection.Configuration.TLS {
        switch location.sslMode {
        case "disable": return .disable
        case "allow", "prefer", "require":
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.certificateVerification = .none
            let context = try NIOSSLContext(configuration: configuration)
            return location.sslMode == "require" ? .require(context) : .prefer(context)
        default:
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.certificateVerification = location.sslMode == "verify-full" ? .fullVerification : .noHostnameVerification
            return .require(try NIOSSLContext(configuration: configuration))
        }
    }

    func checkout() throws(StoreError) -> PostgresConnection {
        while let connection = idle.withLockedValue({ $0.popLast() }) {
            if !connection.isClosed { return connection }
        }
        return try connect()
    }

    func release(_ connection: PostgresConnection) {
        guard !connection.isClosed else { return }
        let kept = idle.withLockedValue { connections -> Bool in
            guard connections.count < keepOpen else { return false }
            connections.append(connection)
            return true
        }
        if !kept { Self.close(connection) }
    }

    /// Closes a connection, keeping it alive until the close completes (it must not be released open).
    static func close(_ connection: PostgresConnection) {
        let closed: EventLoopFuture<Void> = connection.close()
        closed.whenComplete { _ in withExtendedLifetime(connection) {} }
    }

    /// Runs `body` on one connection (returned to the pool afterwards, or closed when the body failed mid-protocol).
    @discardableResult
    func withConnection<T>(_ body: (PostgresSession) throws -> T) throws(StoreError) -> T {
        let connection = try checkout()
        let session = PostgresSession(connection: connection)
        do {
            let result = try body(session)
            release(connection)
            return result
        } catch {
            release(connection)
            throw classify(error)
        }
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    func transaction<T>(readOnly: Bool, _ body: (PostgresSession) throws -> T) throws(StoreError) -> T {
        try withConnection { session in
            try session.execute(sql: readOnly ? "BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY" : "BEGIN")
            do {
                let result = try body(session)
                try session.execute(sql: "COMMIT")
                return result
            } catch {
                _ = try? session.execute(sql: "ROLLBACK")
                throw error
            }
        }
    }

    func classify(_ error: any Error) -> StoreError {
        if let error = error as? StoreError { return error }
        let message = Self.describe(error)
        if let psql = error as? PSQLError, let code = psql.serverInfo?[.sqlState] {
            // 42501 insufficient_privilege, 25006 read_only_sql_transaction.
            if code == "42501" || code == "25006" { return .notWritable(path: location.redacted, reason: message) }
        }
        return .database(path: location.redacted, reason: message)
    }

    /// The server's message for an error (PSQLError's own description hides it).
    static func describe(_ error: any Error) -> String {
        if let psql = error as? PSQLError {
            if let message = psql.serverInfo?[.message] {
                return message + (psql.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? "")
            }
            if let underlying = psql.underlying { return "\(psql.code): \(underlying)" }
            return "\(psql.code)"
        }
        if let statement = error as? SQLStatementError { return statement.message }
        return "\(error)"
    }
}

/// A `SQLSession` over one PostgreSQL connection: `?` and `?N` become `$N`, values are bound with their types.
struct PostgresSession: SQLSession {
    let connection: PostgresConnection
    var dialect: SQLDialect { .postgresql }

    @discardableResult
    func execute(sql: String, arguments: SQLArguments) throws -> Int {
        let result = try connection.query(Self.numbered(sql), arguments.values.map(Self.data)).wait()
        return result.metadata.rows ?? 0
    }

    func fetchRows(sql: String, arguments: SQLArguments) throws -> [SQLRow] {
        let result = try connection.query(Self.numbered(sql), arguments.values.map(Self.data)).wait()
        guard let first = result.rows.first else { return [] }
        let columns = SQLColumns(first.makeRandomAccess().map(\.columnName))
        return result.rows.map { row in SQLRow(columns: columns, values: row.map(Self.value)) }
    }

    func tableExists(_ name: String) throws -> Bool {
        try Bool.fetchOne(self, sql: "SELECT CASE WHEN to_regclass(?) IS NULL THEN 0 ELSE 1 END", arguments: [name]) ?? false
    }

    /// The SQL with `?` placeholders numbered as PostgreSQL's `$1`, `$2`… (`?N` keeps its number); quoted text is left alone.
    static func numbered(_ sql: String) -> String {
        guard sql.contains("?") else { return sql }
        var output = ""
        output.reserveCapacity(sql.utf8.count + 16)
        var next = 1
        var inQuote = false
        var characters = sql.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = characters.next()
        while let character = pending {
            pending = characters.next()
            if character == "'" { inQuote.toggle() }
            guard character == "?", !inQuote else { output.unicodeScalars.append(character); continue }
            var digits = ""
            while let digit = pending, ("0"..."9").contains(digit) {
                digits.unicodeScalars.append(digit)
                pending = characters.next()
            }
            if digits.isEmpty {
                output += "$\(next)"
                next += 1
            } else {
                output += "$" + digits
            }
        }
        return output
    }

    static func data(_ value: SQLValue) -> PostgresData {
        switch value {
        case .null(let type):
            switch type {
            case .integer: PostgresData(type: .int8, value: nil)
            case .real: PostgresData(type: .float8, value: nil)
            case .text: PostgresData(type: .text, value: nil)
            case .blob: PostgresData(type: .bytea, value: nil)
            case nil: .null
            }
        case .integer(let number): PostgresData(int64: number)
        case .real(let number): PostgresData(double: number)
        case .text(let text): PostgresData(string: text)
        case .blob(let bytes): PostgresData(bytes: bytes)
        }
    }

    static func value(_ cell: PostgresCell) -> SQLValue {
        guard cell.bytes != nil else { return .null(nil) }
        switch cell.dataType {
        case .int2, .int4, .int8, .oid:
            return (try? cell.decode(Int64.self)).map(SQLValue.integer) ?? .null(nil)
        case .float4, .float8:
            return (try? cell.decode(Double.self)).map(SQLValue.real) ?? .null(nil)
        case .numeric:
            guard let decimal = try? cell.decode(Decimal.self) else { return .null(nil) }
            let number = NSDecimalNumber(decimal: decimal)
            if decimal == decimal.rounded(), abs(number.doubleValue) < 9e18 { return .integer(number.int64Value) }
            return .real(number.doubleValue)
        case .bool:
            return (try? cell.decode(Bool.self)).map { .integer($0 ? 1 : 0) } ?? .null(nil)
        case .bytea:
            return cell.bytes.map { .blob(Array($0.readableBytesView)) } ?? .null(nil)
        default:
            return (try? cell.decode(String.self)).map(SQLValue.text) ?? .null(nil)
        }
    }
}

extension Decimal {
    func rounded() -> Decimal {
        var value = self
        var result = Decimal()
        NSDecimalRound(&result, &value, 0, .plain)
        return result
    }
}
