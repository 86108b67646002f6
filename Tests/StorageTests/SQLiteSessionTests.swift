import Foundation
import GRDB
import StoreTestSupport
import Testing
@testable import Storage

/// `SQLiteSession` binds and reads values with SQLite's own calls: each kind must arrive as SQLite's `typeof` says it was
/// stored, and a failing statement must fail the way GRDB reports it.
@Suite("SQLite session: binding and reading values")
struct SQLiteSessionTests {
    /// A real SQLite file with one untyped column, so every value keeps the storage class it was bound with.
    func withTable<T>(_ body: (SQLiteSession) throws -> T) throws -> T {
        let folder = try ScratchDirectory()
        let queue = try DatabaseQueue(path: folder.path("session.sqlite"))
        return try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, v)")
            return try body(SQLiteSession(db: db))
        }
    }

    @Test("each value reads back as bound, with SQLite's storage class: '' is text and an empty blob is a blob, not NULL")
    func roundTrip() throws {
        let values: [SQLValue] = [
            .text(""), .blob([]), .null(nil), .null(.text), .integer(Int64.min), .integer(Int64.max), .real(-0.5), .real(1e300),
            .text("naïve café ₿ 🚀"), .text("a\u{0}b"), .blob([0, 255, 0, 1]),
        ]
        let expectedTypes = ["text", "blob", "null", "null", "integer", "integer", "real", "real", "text", "text", "blob"]
        let rows = try withTable { session in
            for (id, value) in values.enumerated() {
                #expect(try session.execute(sql: "INSERT INTO t (id, v) VALUES (?, ?)", arguments: SQLArguments([.integer(Int64(id)), value])) == 1)
            }
            return try session.fetchRows(sql: "SELECT v, typeof(v) AS kind, length(CAST(v AS BLOB)) AS bytes FROM t ORDER BY id", arguments: [])
        }
        #expect(rows.map { $0["kind"] as String } == expectedTypes)
        for (row, value) in zip(rows, values) {
            // A typed NULL is still NULL when read back.
            let read = row.value("v")
            if value.isNull { #expect(read.isNull) } else { #expect(read == value) }
        }
        // The text with a NUL inside is stored whole (3 bytes), not cut at the NUL.
        #expect(rows[9]["bytes"] as Int == 3)
    }

    @Test("a cached statement run again binds only the new arguments")
    func reusedStatement() throws {
        let read = try withTable { session in
            let insert = "INSERT INTO t (id, v) VALUES (?, ?)"
            try session.execute(sql: insert, arguments: [1, "first"])
            try session.execute(sql: insert, arguments: SQLArguments([.integer(2), .null(nil)]))
            return try session.fetchRows(sql: "SELECT v FROM t WHERE id = ?", arguments: [2])
        }
        #expect(read.count == 1 && read[0].value("v").isNull)
    }

    @Test("a wrong number of arguments is an error naming the counts, never a silent NULL")
    func argumentCount() throws {
        try withTable { session in
            #expect {
                try session.execute(sql: "INSERT INTO t (id, v) VALUES (?, ?)", arguments: [1])
            } throws: { error in
                guard let error = error as? DatabaseError else { return false }
                return error.resultCode == .SQLITE_MISUSE && (error.message ?? "").contains("1 for 2")
            }
            let stored: Int? = try session.fetchRows(sql: "SELECT COUNT(*) FROM t", arguments: []).first?[0]
            #expect(stored == 0)
        }
    }

    @Test("a constraint violation is GRDB's DatabaseError with SQLite's code and statement, and the session goes on")
    func constraintFailure() throws {
        try withTable { session in
            let insert = "INSERT INTO t (id, v) VALUES (?, ?)"
            try session.execute(sql: insert, arguments: [1, "a"])
            #expect {
                try session.execute(sql: insert, arguments: [1, "b"])
            } throws: { error in
                guard let error = error as? DatabaseError else { return false }
                return error.resultCode == .SQLITE_CONSTRAINT && error.sql == insert && (error.message ?? "").contains("UNIQUE")
            }
            // The failed statement was reset: the same cached statement runs again.
            #expect(try session.execute(sql: insert, arguments: [2, "c"]) == 1)
            #expect(try String.fetchAll(session, sql: "SELECT v FROM t ORDER BY id") == ["a", "c"])
        }
    }

    @Test("flat rows lay each row's values end to end, in row order, and agree with the rows read one by one")
    func flatRows() throws {
        try withTable { session in
            for id in 1...4 { try session.execute(sql: "INSERT INTO t (id, v) VALUES (?, ?)", arguments: [id, id.isMultiple(of: 2) ? "even" : nil]) }
            let sql = "SELECT id, v FROM t WHERE id >= ? ORDER BY id DESC"
            let flat = try session.fetchFlatRows(sql: sql, arguments: [2])
            #expect(flat.width == 2)
            #expect(flat.values == [.integer(4), .text("even"), .integer(3), .null(nil), .integer(2), .text("even")])
            #expect(flat.values == (try session.fetchRows(sql: sql, arguments: [2])).flatMap(\.values))
            #expect(try session.fetchFlatRows(sql: sql, arguments: [9]).values.isEmpty)
            #expect(try Int64.fetchAll(session, sql: sql, arguments: [1]) == [4, 3, 2, 1])
        }
    }

    @Test("a query that finds nothing returns no rows; one that finds rows names their columns")
    func emptyAndNamedResults() throws {
        try withTable { session in
            #expect(try session.fetchRows(sql: "SELECT v FROM t WHERE id = ?", arguments: [42]).isEmpty)
            try session.execute(sql: "INSERT INTO t (id, v) VALUES (?, ?)", arguments: [7, 2.5])
            let rows = try session.fetchRows(sql: "SELECT id AS key, v AS amount FROM t", arguments: [])
            #expect(rows.count == 1 && rows[0]["key"] as Int64 == 7 && rows[0]["amount"] as Double == 2.5)
        }
    }
}
