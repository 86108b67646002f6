import Foundation
import JSONOutput
import Synchronization
import Testing

@Suite("JSON writer")
struct JSONWriterTests {
    func text(_ build: (inout JSONWriter) -> Void) -> String {
        var out = JSONWriter()
        build(&out)
        return String(decoding: out.bytes, as: UTF8.self)
    }

    @Test("strings escape only quote, backslash and control bytes; other UTF-8 passes through")
    func escapes() {
        #expect(text { $0.string("a\"b\\c\nd\re\tf\u{01}g\u{1F}h\u{7F}/") } == #""a\"b\\c\nd\re\tf\u0001g\u001fh"# + "\u{7F}/\"")
        #expect(text { $0.string("café € 😀 ünïcødé") } == "\"café € 😀 ünïcødé\"")
        #expect(text { $0.string("") } == "\"\"")
        #expect(text { $0.string(nil as String?) } == "null")
    }

    @Test("a byte to escape is found at every offset of the eight-byte words scanned at once, beside multi-byte UTF-8")
    func escapesAtEveryOffset() {
        // RFC 8259, byte by byte: the reference the bulk scan must equal.
        func reference(_ sample: String) -> String {
            var out: [UInt8] = [0x22]
            for byte in sample.utf8 {
                switch byte {
                case 0x22: out += Array(#"\""#.utf8)
                case 0x5C: out += Array(#"\\"#.utf8)
                case 0x0A: out += Array(#"\n"#.utf8)
                case 0x0D: out += Array(#"\r"#.utf8)
                case 0x09: out += Array(#"\t"#.utf8)
                case 0..<0x20: out += Array((#"\u00"# + (byte < 0x10 ? "0" : "") + String(byte, radix: 16)).utf8)
                default: out.append(byte)
                }
            }
            return String(decoding: out + [0x22], as: UTF8.self)
        }
        for special: UInt8 in [0x00, 0x01, 0x09, 0x0A, 0x0D, 0x1F, 0x22, 0x5C] {
            for offset in 0..<17 {
                let sample = String(repeating: "é", count: offset / 2) + String(repeating: "a", count: offset % 2)
                    + String(decoding: [special], as: UTF8.self) + String(repeating: "z", count: 16 - offset)
                #expect(text { $0.string(sample) } == reference(sample), "byte \(special) after \(offset) bytes")
            }
        }
        let clean = String(repeating: "ü plain € text ", count: 9)
        #expect(text { $0.string(clean) } == "\"" + clean + "\"")
    }

    @Test("every string from every scalar class reads back unchanged through JSONSerialization")
    func roundTrip() throws {
        let scalars = (0..<0x80).compactMap(Unicode.Scalar.init) + ["é", "€", "😀", "\u{2028}", "\u{FEFF}"]
        let original = String(String.UnicodeScalarView(scalars)) + String(repeating: "plain run ", count: 50)
        let json = text { $0.array([original, "second"]) { $0.string($1) } }
        let decoded = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String]
        #expect(decoded == [original, "second"])
    }

    @Test("numbers round to the given places without exponent or trailing zeros; non-finite is 0")
    func numbers() {
        #expect(text { $0.number(-0.5, places: 4) } == "-0.5")
        #expect(text { $0.number(1, places: 4) } == "1")
        #expect(text { $0.number(0.05, places: 4) } == "0.05")
        #expect(text { $0.number(1.00009, places: 4) } == "1.0001")
        #expect(text { $0.number(0.00001, places: 4) } == "0")
        #expect(text { $0.number(-1234.56789, places: 2) } == "-1234.57")
        #expect(text { $0.number(.nan, places: 4) } == "0")
        #expect(text { $0.number(.infinity, places: 4) } == "0")
        #expect(text { $0.integer(-42); $0.raw(","); $0.integer(7); $0.raw(","); $0.integer(nil as Int?) } == "-42,7,null")
        #expect(text { $0.bool(true); $0.raw(byte: 0x2C); $0.bool(false) } == "true,false")
    }

    @Test("flush writes every byte to the descriptor and empties the buffer; a bad descriptor throws")
    func flush() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]) }
        var out = JSONWriter()
        out.string(String(repeating: "x", count: 10_000))
        let expected = out.bytes
        try out.flush(to: fds[1])
        close(fds[1])
        #expect(out.count == 0)
        let read = FileHandle(fileDescriptor: fds[0]).readDataToEndOfFile()
        #expect(Array(read) == expected)
        out.raw("{}")
        #expect(throws: OutputWriteError.self) { try out.flush(to: -1) }
    }
}

@Suite("JSON encoding")
struct JSONEncodingTests {
    struct Sample: Encodable {
        var asOf: Date
        var valueUSD: Double
        var name: String
    }

    @Test("one configured encoder: sorted snake_case keys, ISO 8601 dates, unescaped slashes, non-finite numbers as strings")
    func configured() throws {
        let sample = Sample(asOf: Date(timeIntervalSince1970: 1_770_422_400), valueUSD: .nan, name: "a/b")
        let compact = String(decoding: try JSONEncoding.encode(sample, layout: .compact), as: UTF8.self)
        #expect(compact == #"{"as_of":"2026-02-07T00:00:00Z","name":"a/b","value_usd":"nan"}"#)
        let declared = String(decoding: try JSONEncoding.encode(sample, layout: .compact, keys: .asDeclared), as: UTF8.self)
        #expect(declared == #"{"asOf":"2026-02-07T00:00:00Z","name":"a/b","valueUSD":"nan"}"#)
        let document = JSONEncoding.document(sample)
        #expect(document.hasSuffix("}\n") && document.contains("\n  \"as_of\" : \"2026-02-07T00:00:00Z\""))
    }
}

@Suite("ordered output")
struct OrderedOutputTests {
    @Test("results arrive in input order with at most jobs items working and at most 4 × jobs pulled but undelivered")
    func order() async throws {
        let running = Atomic<Int>(0)
        let mostRunning = Atomic<Int>(0)
        var pulled = 0
        var delivered: [Int] = []
        var mostUndelivered = 0
        try await OrderedOutput.run(jobs: 3, next: { () -> Int? in
            guard pulled < 500 else { return nil }
            pulled += 1
            mostUndelivered = max(mostUndelivered, pulled - delivered.count)
            return pulled - 1
        }, work: { item in
            let now = running.add(1, ordering: .relaxed).newValue
            mostRunning.max(now, ordering: .relaxed)
            var x = UInt64(item)
            for _ in 0..<((item % 7) * 20_000) { x = x &* 6_364_136_223_846_793_005 &+ 1 }
            running.subtract(1, ordering: .relaxed)
            return (item, x)
        }, deliver: { result in
            delivered.append(result.0)
        })
        #expect(delivered == Array(0..<500))
        #expect(mostRunning.load(ordering: .relaxed) <= 3)
        #expect(mostUndelivered <= 12)
    }

    /// What a run of 40 items saw behind a slow item 0: how many others had finished when it returned, the most items
    /// pulled and not yet delivered, and the order of delivery.
    struct SlowItemRun {
        var slowSawOthers: Int
        var mostUndelivered: Int
        var delivered: [Int]
    }

    /// Runs 40 items with two jobs; item 0 waits (on a watchdog of 120 s) until `othersToWait` others have finished,
    /// then up to `grace` more for one beyond those, and returns. Every result holds 1,000 bytes.
    func runBehindSlowItem(lookahead: Int, heldBytesLimit: Int = .max, othersToWait: Int, grace: Duration = .zero) async throws -> SlowItemRun {
        let finishedOthers = Atomic<Int>(0)
        let slowSawOthers = Atomic<Int>(0)
        var pulled = 0
        var delivered: [Int] = []
        var mostUndelivered = 0
        // The slow item blocks its thread: threads of the test's own, so that it never holds up the shared pool that
        // the rest of the suite runs on (on two cores, two blocked jobs would stall everything).
        let threads = DedicatedThreads(count: 3)
        defer { threads.stop() }
        try await withTaskExecutorPreference(threads) {
            try await OrderedOutput.run(jobs: 2, lookahead: lookahead, heldBytesLimit: heldBytesLimit, size: { _ in 1_000 }, next: { () -> Int? in
                guard pulled < 40 else { return nil }
                pulled += 1
                mostUndelivered = max(mostUndelivered, pulled - delivered.count)
                return pulled - 1
            }, work: { item in
                guard item == 0 else {
                    finishedOthers.add(1, ordering: .relaxed)
                    return item
                }
                let deadline = ContinuousClock.now + .seconds(120)
                while finishedOthers.load(ordering: .relaxed) < othersToWait && ContinuousClock.now < deadline { usleep(1_000) }
                let graceEnd = ContinuousClock.now + grace
                while finishedOthers.load(ordering: .relaxed) <= othersToWait && ContinuousClock.now < graceEnd { usleep(1_000) }
                slowSawOthers.store(finishedOthers.load(ordering: .relaxed), ordering: .relaxed)
                return item
            }, deliver: { delivered.append($0) })
        }
        return SlowItemRun(slowSawOthers: slowSawOthers.load(ordering: .relaxed), mostUndelivered: mostUndelivered, delivered: delivered)
    }

    @Test("with a longer look-ahead the other jobs go on past a slow item, still delivered in order")
    func lookahead() async throws {
        // 12 others can finish only when more than 4 × jobs may be pulled ahead of the slow item; otherwise the watchdog
        // ends its wait and the test fails instead of hanging.
        let run = try await runBehindSlowItem(lookahead: 16, othersToWait: 12)
        #expect(run.slowSawOthers >= 12)
        #expect(run.delivered == Array(0..<40))
        #expect(run.mostUndelivered <= 16)
    }

    @Test("no further item is pulled while the results waiting behind a slow one hold the byte limit")
    func heldBytesLimit() async throws {
        // Results of 1,000 bytes against a limit of 5,000: behind the slow item, items 1–5 finish and wait, and then
        // nothing more is pulled (the look-ahead alone would allow 64). The slow item gives a sixth 300 ms to appear:
        // one would mean the limit let another item through. A busy machine only shortens what this sees; it cannot
        // make a sound limit fail.
        let run = try await runBehindSlowItem(lookahead: 64, heldBytesLimit: 5_000, othersToWait: 5, grace: .milliseconds(300))
        #expect(run.slowSawOthers == 5)
        #expect(run.mostUndelivered <= 6)
        #expect(run.delivered == Array(0..<40))
    }

    @Test("a byte limit of zero still delivers every item, in order, one pulled at a time")
    func zeroByteLimit() async throws {
        var items = (0..<50).makeIterator()
        var delivered: [Int] = []
        try await OrderedOutput.run(jobs: 2, heldBytesLimit: 0, size: { _ in 1 }, next: { items.next() }, work: { $0 }, deliver: { delivered.append($0) })
        #expect(delivered == Array(0..<50))
    }

    @Test("an error from deliver stops the run and is rethrown")
    func deliverError() async {
        struct Stop: Error {}
        var items = (0..<100).makeIterator()
        await #expect(throws: Stop.self) {
            try await OrderedOutput.run(jobs: 2, next: { items.next() }, work: { $0 }, deliver: { if $0 == 10 { throw Stop() } })
        }
    }
}

/// A task executor with threads of its own, for a test whose work blocks a thread on purpose.
final class DedicatedThreads: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var stopped = false

    init(count: Int) {
        for _ in 0..<count { Thread { self.runJobs() }.start() }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Lets each thread end once the jobs queued so far have run.
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    private func runJobs() {
        while true {
            condition.lock()
            while jobs.isEmpty && !stopped { condition.wait() }
            if jobs.isEmpty {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
