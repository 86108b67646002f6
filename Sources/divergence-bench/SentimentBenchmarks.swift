import Foundation
import Sentiment

/// Measures single-core scoring throughput (sentences/s) over the dev set repeated to at least
/// 1M sentences, and runs the Python VADER scorer on the same sentences for comparison when
/// `$VADER_PYTHON` (default `.build/venv/bin/python`) has vaderSentiment installed.
public func benchmarkSentiment(fpbDev: URL) {
    guard let text = try? String(contentsOf: fpbDev, encoding: .utf8) else {
        print("sentiment benchmark: cannot read \(fpbDev.path); skipped")
        return
    }
    let sentences: [String] = text.split(separator: "\n").compactMap { line in
        let parts = line.split(separator: "\t", maxSplits: 1)
        return parts.count == 2 ? String(parts[1]) : nil
    }
    guard !sentences.isEmpty else { print("sentiment benchmark: no sentences"); return }
    let scorer = SentimentScorer()
    let repeats = (1_000_000 + sentences.count - 1) / sentences.count
    let count = repeats * sentences.count

    /// Thread CPU time in seconds: the one core's work, unaffected by other processes on the machine.
    func cpuSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
    func run(_ body: (String) -> Double) -> (wall: Double, cpu: Double, checksum: Double) {
        var checksum = 0.0
        let start = DispatchTime.now().uptimeNanoseconds
        let cpuStart = cpuSeconds()
        for _ in 0..<repeats { for s in sentences { checksum += body(s) } }
        let cpu = cpuSeconds() - cpuStart
        let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return (wall, cpu, checksum)
    }
    _ = run { scorer.polarity($0) }
    let fast = run { scorer.polarity($0) }
    let full = run { scorer.score($0).score }
    let fullRate = Double(count) / full.cpu
    print("Sentiment (Swift, 1 thread): \(count) sentences (dev set × \(repeats))")
    print("  polarity only   \(Int(Double(count) / fast.cpu)) sentences/s CPU, \(Int(Double(count) / fast.wall)) wall  (checksum \(fmt(fast.checksum)))")
    print("  full score()    \(Int(fullRate)) sentences/s CPU, \(Int(Double(count) / full.wall)) wall  (relevance, speaker, claims)")
    print("  target >= 400000 sentences/s (CPU): \(fullRate >= 400_000 ? "met" : "not met")")

    let python = URL(fileURLWithPath: ProcessInfo.processInfo.environment["VADER_PYTHON"] ?? ".build/venv/bin/python")
    guard FileManager.default.isExecutableFile(atPath: python.path) else {
        print("VADER: \(python.path) missing; run `python3 -m venv .build/venv && .build/venv/bin/pip install vaderSentiment`")
        return
    }
    let script = """
    import sys, time
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    lines = [l.rstrip('\\n').split('\\t', 1)[1] for l in open(sys.argv[1], encoding='utf-8') if '\\t' in l]
    a = SentimentIntensityAnalyzer()
    n = 0
    t = time.process_time()
    while time.process_time() - t < 10 or n < len(lines):
        for s in lines:
            a.polarity_scores(s)
        n += len(lines)
    print(n / (time.process_time() - t))
    """
    let scriptURL = FileManager.default.temporaryDirectory.appendingPathComponent("vader_bench_\(getpid()).py")
    do {
        try script.write(to: scriptURL, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: scriptURL) }
        let process = Process()
        process.executableURL = python
        process.arguments = [scriptURL.path, fpbDev.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let rateText = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard process.terminationStatus == 0, let vader = Double(rateText) else {
            print("VADER: run failed (status \(process.terminationStatus))")
            return
        }
        print("VADER (Python vaderSentiment, 1 thread): \(Int(vader)) sentences/s CPU")
        print("  ratio full score() / VADER: \(String(format: "%.1f", fullRate / vader))x (target >= 10x)")
    } catch {
        print("VADER: cannot run: \(error)")
    }
}

private func fmt(_ x: Double) -> String { String(format: "%.4f", x) }
