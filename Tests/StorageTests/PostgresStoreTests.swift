import Foundation
import Market
import Scoring
import StoreTestSupport
import Testing
@testable import Storage

@Suite("PostgreSQL store location")
struct PostgresLocationTests {
    @Test("the password comes from the URL, else password_file, else PGPASSWORD, and never shows in messages")
    func passwordSources() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pg-password-\(UUID().uuidString)")
        try "from-file\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let environment = ["PGPASSWORD": "from-env"]
        let inURL = try PostgresLocation.parse("postgresql://app:s%40cret@db.example:6432/desk?sslmode=require", passwordFile: file.path, environment: environment)
        #expect(inURL.password == "s@cret" && inURL.host == "db.example" && inURL.port == 6432 && inURL.database == "desk" && inURL.sslMode == "require")
        #expect(!inURL.redacted.contains("cret"))
        #expect(try PostgresLocation.parse("postgresql://app@db.example/desk", passwordFile: file.path, environment: environment).password == "from-file")
        #expect(try PostgresLocation.parse("postgres://app@db.example/desk", environment: environment).password == "from-env")
        let socket = try PostgresLocation.parse("postgresql://app@/desk?host=/run/postgresql", environment: [:])
        #expect(socket.socketDirectory == "/run/postgresql" && socket.host == nil && socket.port == 5432 && socket.sslMode == "prefer")
    }

    @Test("a bad URL is refused with its reason and without its password", arguments: [
        ("postgresql://app:hunter2@db.example/desk?sslmode=sometimes", "sslmode 'sometimes'"),
        ("postgresql://app:hunter2@db.example/desk?pool=9", "unknown parameter 'pool'"),
        ("postgresql://app:hunter2@db.example:99999/desk", "not a port number"),
        ("postgresql://app:hunter2@/desk?host=/run/postgresql&sslmode=require", "needs a TCP host"),
        ("mysql://app:hunter2@db.example/desk", "a mysql:// URL"),
    ])
    func refused(url: String, reason: String) {
        do {
            _ = try StoreLocation.parse(url, environment: [:])
            Issue.record("\(url) was accepted")
        } catch {
            #expect(error.description.contains(reason), "\(error)")
            #expect(!error.description.contains("hunter2"))
        }
    }
}

@Suite("PostgreSQL store on a private server", .enabled(if: StoreBackendKind.available.contains(.postgresql), "PostgreSQL is not installed here (CI installs it)"))
struct PostgresStoreTests {
    @Test("two processes' worth of stores opening one new database at once migrate it once")
    func concurrentMigration() async throws {
        let url = try StoreBackendKind.postgresql.freshLocation()
        try await withThrowingTaskGroup(of: [String].self) { group in
            for _ in 0..<4 { group.addTask { try Store(path: url).appliedMigrations() } }
            for try await applied in group { #expect(applied == PostgresSchema.identifiers) }
        }
    }

    @Test("a role that may only SELECT reads the store read-only, and a write through it is refused with a clear error")
    func selectOnlyRole() throws {
        let cluster = try PostgresTestCluster.shared()
        let url = try cluster.createDatabase()
        let writer = try Store(path: url)
        var batch = IngestBatch()
        batch.hashrate = [HashrateSample(day: UTCDay(daysSinceEpoch: 20_491), exahashesPerSecond: 913)]
        try writer.commit(batch, sourceID: nil, fetchState: nil)
        let database = String(try #require(URLComponents(string: url)?.path.dropFirst()))
        let role = "reader_\(UUID().uuidString.prefix(8).lowercased())"
        try cluster.psql("CREATE ROLE \(role) LOGIN; GRANT USAGE ON SCHEMA public TO \(role); GRANT SELECT ON ALL TABLES IN SCHEMA public TO \(role); GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO \(role)",
                         database: database)
        let reader = try Store(path: cluster.url(database: database, user: role), access: .readOnly)
        #expect(try reader.hashrate().map(\.exahashesPerSecond) == [913])
        #expect(try StoreChangeCounter(store: reader).current() >= 1, "the reader sees the change counter the writer moved")
        #expect(throws: StoreError.self) { try reader.commit(batch, sourceID: nil, fetchState: nil) }
        // Opened read-write (nothing left to migrate), the role still cannot write: the server refuses, and says why.
        let misconfigured = try Store(path: cluster.url(database: database, user: role))
        do {
            try misconfigured.commit(batch, sourceID: nil, fetchState: nil)
            Issue.record("a SELECT-only role wrote")
        } catch {
            #expect(error.description.contains("permission denied"), "\(error)")
        }
        #expect(try writer.hashrate().count == 1, "nothing half-written")
    }

    @Test("openIfPresent is nil for a database without divergence's tables and creates none; a store opens read-only unless asked")
    func openIfPresent() throws {
        let location = try StoreLocation.parse(try StoreBackendKind.postgresql.freshLocation())
        #expect(try Store.openIfPresent(location: location) == nil)
        #expect(try Store.openIfPresent(location: location, access: .readWrite) == nil)
        #expect(try Store.openIfPresent(location: location) == nil, "the read-write probe created no tables")
        _ = try Store(location: location)
        var batch = IngestBatch()
        batch.hashrate = [HashrateSample(day: UTCDay(daysSinceEpoch: 20_491), exahashesPerSecond: 913)]
        let reader = try #require(try Store.openIfPresent(location: location))
        #expect(reader.access == .readOnly)
        #expect(throws: StoreError.self) { try reader.commit(batch, sourceID: nil, fetchState: nil) }
        let writer = try #require(try Store.openIfPresent(location: location, access: .readWrite))
        try writer.commit(batch, sourceID: nil, fetchState: nil)
        #expect(try reader.hashrate().map(\.exahashesPerSecond) == [913])
    }

    @Test("a reader does not migrate a database on an older schema, whether opened directly or through openIfPresent; it says who must")
    func olderSchema() throws {
        let cluster = try PostgresTestCluster.shared()
        let url = try cluster.createDatabase()
        _ = try Store(path: url)
        let latest = try #require(PostgresSchema.identifiers.last)
        let database = String(try #require(URLComponents(string: url)?.path.dropFirst()))
        // As a database last migrated by an older build: its newest migration not recorded.
        try cluster.psql("DELETE FROM divergence_migrations WHERE identifier = '\(latest)'", database: database)
        let location = try StoreLocation.parse(url)
        for open in [{ try Store(location: location, access: .readOnly) }, { try Store.openIfPresent(location: location) }] as [() throws -> Store?] {
            do {
                _ = try open()
                Issue.record("a reader opened a store that needs a migration")
            } catch {
                #expect("\(error)".contains("run `divergence ingest` once"), "\(error)")
            }
        }
        #expect(try Store.inspect(location: location).pendingMigrations == [latest], "the readers applied no migration")
    }

    @Test("the change counter moves after each commit, and only then")
    func changeCounter() throws {
        let store = try StoreBackendKind.postgresql.freshStore()
        let counter = try StoreChangeCounter(store: store)
        let before = try counter.current()
        #expect(try counter.current() == before, "no commit, no change")
        var batch = IngestBatch()
        batch.hashrate = [HashrateSample(day: UTCDay(daysSinceEpoch: 20_491), exahashesPerSecond: 900)]
        try store.commit(batch, sourceID: nil, fetchState: nil)
        #expect(try counter.current() != before)
    }

    @Test("store copy moves every row SQLite → PostgreSQL → SQLite, a second run adds nothing, and B is the same on all three")
    func copyBothWays() throws {
        let original = try StoreBackendKind.sqlite.freshStore()
        let expected = try AggregateTests.bullishnessThroughSQL(original)
        let postgresql = try StoreBackendKind.postgresql.freshStore()
        let there = try StoreCopy.copy(from: original, to: postgresql)
        #expect(there.allSatisfy { $0.read == $0.inserted } && there.reduce(0) { $0 + $1.read } > 500)
        #expect(try StoreCopy.copy(from: original, to: postgresql).allSatisfy { $0.inserted == 0 }, "idempotent: a rerun copies nothing")
        let back = try StoreBackendKind.sqlite.freshStore("back")
        let returned = try StoreCopy.copy(from: postgresql, to: back)
        #expect(returned.map(\.read) == there.map(\.read))
        #expect(try back.summary() == original.summary())
        let asOf = Date(timeIntervalSince1970: 1_770_508_800)
        for store in [postgresql, back] {
            let parameters = BullishnessParameters()
            let score = BullishnessIndex.compute(surveys: try store.surveyObservations(asOf: asOf),
                                                 claims: try store.claimAggregate(asOf: asOf, maxAge: 365 * 86_400, parameters: parameters),
                                                 news: try store.newsAggregate(asOf: asOf, maxAge: 56 * 86_400, parameters: parameters), asOf: asOf, parameters: parameters)
            #expect(abs((score.score ?? .nan) - (expected.score ?? .nan)) < 1e-9)
        }
        // New rows after a copy get new IDs: the identity sequences continue after the copied ones.
        try postgresql.syncConfiguredSources([SourceDefinition(location: "https://y.example/feed", name: "Y", kind: .news, publisherType: .media, intervalSeconds: 60)])
        let ids = try postgresql.sources(includeInactive: true).map(\.id)
        #expect(Set(ids).count == ids.count && ids.count == 2)
    }
}
