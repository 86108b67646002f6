import Foundation
import LoopbackHTTP
import Storage
import StoreTestSupport

/// `divergence-bench DATA postgresql`: a shared PostgreSQL store on a private cluster, measured from whole processes.
///
/// 1. 2,000 loopback feeds ingested by one `divergence ingest` process and by two at once against PostgreSQL (fresh
///    database each), and by one process against SQLite; target: two workers ≤ 0.65 × one worker's time.
/// 2. `divergence report` on a PostgreSQL store of 1,000,000 documents (the demo store copied in, plus bulk-loaded
///    documents with one belief unit each over two years); target ≤ 300 ms, best of three.
/// 3. `wrk -t1 -c16 -d8s` against `divergence serve` reading that store; targets ≥ 5,000 req/s, p99 ≤ 10 ms.
///
/// `postgresql-report` runs parts 2 and 3 alone.
func benchmarkSharedStore(feeds: Int = 2_000, feedBytes: Int = 20_000, documents: Int = 1_000_000, ingest includeIngest: Bool = true) {
    guard let divergence = siblingExecutable("divergence") else { print("postgresql: skipped (no release `divergence` beside the bench)"); return }
    guard PostgresTestCluster.isInstalled else { print("postgresql: skipped (PostgreSQL is not installed; Debian: apt-get install postgresql)"); return }
    do {
        let cluster = try PostgresTestCluster.shared()
        defer { cluster.stop() }
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        for index in 0..<feeds {
            server.setRoute("/feeds/\(index).xml", .respond(headers: [("Content-Type", "application/rss+xml")], body: syntheticFeed(index: index, bytes: feedBytes)))
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("divergence-bench-pg-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // All feeds are on 127.0.0.1: the per-host limit is raised to its maximum so that it is not what is measured
        // (thousands of feeds live on hundreds of hosts).
        let config = directory.appendingPathComponent("feeds.toml")
        let text = "[fetch]\nper_host_concurrency = 16\nconcurrency = 32\n\n"
            + (0..<feeds).map { "[[source]]\nkind = \"news\"\nurl = \"\(server.url("/feeds/\($0).xml"))\"\nallow_private_network = true\n" }.joined(separator: "\n")
        try text.write(to: config, atomically: true, encoding: .utf8)

        func ingest(_ stores: [String]) -> Double? {
            let started = DispatchTime.now().uptimeNanoseconds
            let processes = stores.map { store -> Process in
                let process = Process()
                process.executableURL = URL(fileURLWithPath: divergence)
                process.arguments = ["ingest", "--config", config.path, "--store", store, "--quiet"]
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                return process
            }
            for process in processes { try? process.run() }
            for process in processes { process.waitUntilExit() }
            guard processes.allSatisfy({ $0.terminationStatus == 0 || $0.terminationStatus == 3 }) else {
                print("postgresql: an ingest exited with \(processes.map(\.terminationStatus))")
                return nil
            }
            return Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        }
        let oneURL = try cluster.createDatabase("one"), twoURL = try cluster.createDatabase("two")
        _ = try Store(path: oneURL)
        _ = try Store(path: twoURL)
        if includeIngest {
            guard let one = ingest([oneURL]), let two = ingest([twoURL, twoURL]),
                  let sqlite = ingest([directory.appendingPathComponent("feeds.sqlite").path]) else { return }
            let storedOne = try Store(path: oneURL, access: .readOnly).summary().documents
            let storedTwo = try Store(path: twoURL, access: .readOnly).summary().documents
            print(String(format: "postgresql: %d loopback feeds × ~%d KB: one worker %.2f s (%d documents), two workers %.2f s (%d documents) = %.2f × one (target ≤ 0.65); one process on SQLite %.2f s",
                         feeds, feedBytes / 1000, one, storedOne, two, storedTwo, two / one, sqlite))
        }

        // A store of `documents` documents: the demo store copied in, then documents bulk-loaded in SQL.
        let big = try cluster.createDatabase("big")
        let demo = directory.appendingPathComponent("demo.sqlite").path
        guard timeProcess(divergence, ["run", "--config", "feeds/demo/divergence.toml", "--store", demo, "--as-of", "2026-02-07"], expectingStatus: [0, 3]) != nil,
              timeProcess(divergence, ["store", "copy", "--from", demo, "--to", big, "--quiet"]) != nil else {
            print("postgresql: the demo store could not be built or copied (run from the repository root)")
            return
        }
        let database = String(URLComponents(string: big)?.path.dropFirst() ?? "")
        let loadStart = DispatchTime.now().uptimeNanoseconds
        // Two years up to the demo's as-of day (2026-02-07), one document a minute or so, one belief unit each.
        try cluster.psql("""
            INSERT INTO document (source_id, dedup_key, url, title, published, fetched, knowable, text, sentiment, relevant, speaker_type)
            SELECT (SELECT MIN(id) FROM source), 'bulk-' || n, 'https://bulk.example/' || n, 'Bulk story ' || n,
                   1770508800 - n * (63072000.0 / \(documents)), 1770508800 - n * (63072000.0 / \(documents)), 1770508800 - n * (63072000.0 / \(documents)),
                   'Fund managers say Bitcoin looks cheap.', (n % 7) / 7.0 - 0.4, 1,
                   (ARRAY['institutional','analyst','media','retail','miner'])[1 + n % 5]
            FROM generate_series(1, \(documents)) AS n;
            INSERT INTO sentence (document_id, position, text, score, relevant, speaker_type, knowable, holder, topic)
            SELECT id, 0, 'Fund managers say Bitcoin looks cheap.', sentiment, 1, speaker_type, knowable, NULL, 'belief' FROM document WHERE dedup_key LIKE 'bulk-%';
            """, database: database)
        // What autovacuum does to a store that has been running a while (and `divergence prune` does): statistics, and a
        // visibility map, without which counting rows reads every heap page of a freshly loaded table.
        try cluster.psql("VACUUM ANALYZE", database: database)
        try Store(path: big).rebuildDayMoments()
        let loaded = Double(DispatchTime.now().uptimeNanoseconds - loadStart) / 1e9
        let total = try Store(path: big, access: .readOnly).summary().documents
        let reportArguments = ["report", "--config", "feeds/demo/divergence.toml", "--store", big, "--as-of", "2026-02-07", "--format", "json"]
        _ = timeProcess(divergence, reportArguments)
        let runs = (0..<3).compactMap { _ in timeProcess(divergence, reportArguments) }
        let sqliteRuns = (0..<3).compactMap { _ in timeProcess(divergence, ["report", "--config", "feeds/demo/divergence.toml", "--store", demo, "--as-of", "2026-02-07", "--format", "json"]) }
        print(String(format: "postgresql: report --format json on %d documents: best of 3 %.0f ms (target ≤ 300 ms; loaded in %.0f s); the demo store on SQLite: %.0f ms",
                     total, (runs.min() ?? .nan) * 1000, loaded, (sqliteRuns.min() ?? .nan) * 1000))
        benchmarkServeWithWrk(store: big, label: "PostgreSQL store of \(total) documents", targets: "targets ≥ 5,000 req/s, p99 ≤ 10 ms")
    } catch {
        print("postgresql: \(error)")
    }
}
