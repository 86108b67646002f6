import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What users run, timed as whole processes against the reference tools run the same way, in the same run,
/// interleaved, best of three: `divergence parse --format jsonl` over the feed corpus against Python feedparser,
/// and `divergence score-text --file - --format jsonl` over the FPB sentences against VADER.
/// Targets: parse ≥ 30× feedparser, score-text ≥ 15× VADER (wall time, start-up included).
func benchmarkProcesses(data: URL) {
    guard let divergence = siblingExecutable("divergence") else {
        print("process: skipped (no release `divergence` beside the bench; run: swift build -c release --product divergence)")
        return
    }
    let python = ".build/venv/bin/python"
    let havePython = FileManager.default.isExecutableFile(atPath: python)
    if !havePython { print("process: the Python columns are skipped (no \(python); `make bench` creates it)") }

    let corpus = data.appendingPathComponent("feeds/corpus")
    let extensions: Set<String> = ["xml", "rss", "atom", "rdf", "json"]
    let files = (FileManager.default.enumerator(atPath: corpus.path)?.compactMap { $0 as? String } ?? [])
        .filter { extensions.contains(($0 as NSString).pathExtension.lowercased()) }.sorted().map { corpus.appendingPathComponent($0).path }
    let bytes = files.reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: $1)[.size] as? Int) ?? 0) }
    if files.isEmpty {
        print("process parse: skipped (\(corpus.path) holds no feeds)")
    } else {
        let feedparser = """
        import sys, json, feedparser
        out = sys.stdout
        for path in sys.argv[1:]:
            d = feedparser.parse(path)
            entries = [{k: e.get(k) for k in ("id", "title", "link", "published", "updated", "author", "summary")} for e in d.entries]
            out.write(json.dumps({"source": path, "bozo": d.bozo, "feed": {k: d.feed.get(k) for k in ("title", "link", "id")}, "entries": entries}))
            out.write("\\n")
        """
        var ours = [Double](), theirs = [Double]()
        for _ in 0..<3 {
            ours.append(timeProcess(divergence, ["parse", "--format", "jsonl"] + files, expectingStatus: [0, 1]) ?? .nan)
            if havePython { theirs.append(timeProcess(python, ["-c", feedparser] + files) ?? .nan) }
        }
        let best = ours.min() ?? .nan
        print(String(format: "process parse: divergence parse --format jsonl, %d files, %.1f MB: best %.3f s (%.1f MB/s)",
                     files.count, Double(bytes) / 1e6, best, Double(bytes) / 1e6 / best))
        if let reference = theirs.min() {
            print(String(format: "process parse: python feedparser, same files, whole process: best %.3f s; ratio %.1fx (target ≥ 30x)", reference, reference / best))
        }
    }

    let fpb = data.appendingPathComponent("sentiment/fpb-dev.tsv")
    guard let tsv = try? String(contentsOf: fpb, encoding: .utf8) else {
        print("process score-text: skipped (\(fpb.path) is absent)")
        return
    }
    let sentences = tsv.split(separator: "\n").compactMap { line in line.firstIndex(of: "\t").map { String(line[line.index(after: $0)...]) } }
    guard !sentences.isEmpty else { return }
    let repeats = max(1, 100_000 / sentences.count)
    let input = FileManager.default.temporaryDirectory.appendingPathComponent("divergence-bench-sentences-\(getpid()).txt")
    defer { try? FileManager.default.removeItem(at: input) }
    do {
        try String(repeating: sentences.joined(separator: "\n") + "\n", count: repeats).write(to: input, atomically: true, encoding: .utf8)
    } catch {
        print("process score-text: cannot write \(input.path): \(error)")
        return
    }
    let count = sentences.count * repeats
    let vader = """
    import sys, json
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    a = SentimentIntensityAnalyzer()
    out = sys.stdout
    for line in sys.stdin:
        text = line.rstrip("\\n")
        out.write(json.dumps({"text": text, "score": a.polarity_scores(text)["compound"]}))
        out.write("\\n")
    """
    var ours = [Double](), theirs = [Double]()
    for _ in 0..<3 {
        ours.append(timeProcess(divergence, ["score-text", "--file", "-", "--format", "jsonl"], stdin: input) ?? .nan)
        if havePython { theirs.append(timeProcess(python, ["-c", vader], stdin: input) ?? .nan) }
    }
    let best = ours.min() ?? .nan
    print(String(format: "process score-text: divergence score-text --file - --format jsonl, %d sentences (FPB dev × %d): best %.3f s (%.0f sentences/s)",
                 count, repeats, best, Double(count) / best))
    if let reference = theirs.min() {
        print(String(format: "process score-text: VADER, same lines, whole process: best %.3f s (%.0f sentences/s); ratio %.1fx (target ≥ 15x)",
                     reference, Double(count) / reference, reference / best))
    }
}

/// The HTTP API as its users see it: `wrk -t1 -c16 -d8s` from a separate process against `divergence serve` on a store
/// holding the demo scenario. Target: ≥ 10,000 req/s and p99 ≤ 5 ms on 2 cores. Skipped with a message without wrk.
func benchmarkServeWithWrk(target: String = "/v1/divergence/latest", store existing: String? = nil, label: String = "demo store",
                           targets: String = "targets ≥ 10,000 req/s, p99 ≤ 5 ms") {
    guard let wrk = ["/usr/bin/wrk", "/usr/local/bin/wrk"].first(where: FileManager.default.isExecutableFile(atPath:)) else {
        print("wrk: skipped (wrk is not installed; Debian: apt-get install wrk)")
        return
    }
    guard let divergence = siblingExecutable("divergence") else {
        print("wrk: skipped (no release `divergence` beside the bench)")
        return
    }
    let config = "feeds/demo/divergence.toml"
    guard FileManager.default.fileExists(atPath: config) else {
        print("wrk: skipped (run from the repository root: \(config) not found)")
        return
    }
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("divergence-bench-wrk-\(getpid())")
    defer { try? FileManager.default.removeItem(at: directory) }
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let store = existing ?? directory.appendingPathComponent("demo.sqlite").path
    guard existing != nil || timeProcess(divergence, ["run", "--config", config, "--store", store, "--as-of", "2026-02-07"], expectingStatus: [0, 3]) != nil else {
        print("wrk: skipped (the demo store could not be built)")
        return
    }
    let serve = Process()
    serve.executableURL = URL(fileURLWithPath: divergence)
    serve.arguments = ["serve", "--config", config, "--store", store, "--port", "0"]
    let announcements = Pipe()
    serve.standardError = announcements
    serve.standardOutput = FileHandle.nullDevice
    do { try serve.run() } catch {
        print("wrk: cannot start divergence serve: \(error)")
        return
    }
    defer {
        serve.terminate()
        serve.waitUntilExit()
    }
    var seen = ""
    while !seen.contains("\n") {
        let chunk = announcements.fileHandleForReading.availableData
        if chunk.isEmpty { break }
        seen += String(decoding: chunk, as: UTF8.self)
    }
    guard let range = seen.range(of: #"http://127\.0\.0\.1:[0-9]+"#, options: .regularExpression) else {
        print("wrk: divergence serve did not announce its port: \(seen)")
        return
    }
    let url = String(seen[range]) + target
    _ = runCapturing(wrk, ["-t1", "-c16", "-d1s", url])
    guard let output = runCapturing(wrk, ["-t1", "-c16", "-d8s", "--latency", url]) else {
        print("wrk: did not run")
        return
    }
    let lines = output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
    let rate = lines.first { $0.hasPrefix("Requests/sec:") }.map { $0.dropFirst("Requests/sec:".count).trimmingCharacters(in: .whitespaces) } ?? "?"
    let p99 = lines.first { $0.hasPrefix("99%") }.map { $0.dropFirst(3).trimmingCharacters(in: .whitespaces) } ?? "?"
    let p50 = lines.first { $0.hasPrefix("50%") }.map { $0.dropFirst(3).trimmingCharacters(in: .whitespaces) } ?? "?"
    let errors = lines.filter { $0.hasPrefix("Non-2xx") || $0.hasPrefix("Socket errors") }.joined(separator: "; ")
    print("wrk: wrk -t1 -c16 -d8s \(target) against divergence serve (\(label)): \(rate) req/s, p50 \(p50), p99 \(p99)"
          + (errors.isEmpty ? "" : " (\(errors))") + " (\(targets))")
}

/// An executable built beside this one (`.build/release/NAME`), if present.
func siblingExecutable(_ name: String) -> String? {
    let path = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name).path
    return FileManager.default.isExecutableFile(atPath: path) ? path : nil
}

/// Wall seconds of one run of `executable` with stdout and stderr discarded; nil (and a message) when it fails.
///
/// Started with `posix_spawn`, not Foundation's `Process`: on Linux a `Process` launch and wait of `/bin/true` alone
/// takes ~50 ms here, which would be counted against a 60 ms command (and hardly against a 2 s reference).
func timeProcess(_ executable: String, _ arguments: [String], stdin: URL? = nil, expectingStatus: Set<Int32> = [0]) -> Double? {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, stdin?.path ?? "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var pid = pid_t()
    let started = DispatchTime.now().uptimeNanoseconds
    let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
    guard spawned == 0 else {
        print("cannot run \(executable): \(String(cString: strerror(spawned)))")
        return nil
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
    // Exited normally (no signal in the low 7 bits): the code is the next byte.
    let code: Int32 = status & 0x7F == 0 ? (status >> 8) & 0xFF : -1
    guard expectingStatus.contains(code) else {
        print("\((executable as NSString).lastPathComponent) \(arguments.prefix(3).joined(separator: " ")) … exited with \(code == -1 ? "signal \(status & 0x7F)" : String(code))")
        return nil
    }
    return seconds
}

/// The standard output of one run, nil when it cannot start.
func runCapturing(_ executable: String, _ arguments: [String]) -> String? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return nil }
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: output, as: UTF8.self)
}
