#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import JSONOutput

/// `score-text` over a stream of lines: one output line per input line (blank lines included), in input order, scored
/// in blocks on several cores while memory stays bounded (a few blocks per job, never the whole input).
public enum LineScoring {
    /// Bytes read per block before it is cut at its last line end.
    public static let blockBytes = 1 << 18

    /// Scores every line of `input` (a file descriptor; LF or CRLF, a last line without LF counts) with `jobs` workers,
    /// writing each result as `render` shapes it, then LF, to `output` in large writes.
    public static func run(input: Int32, source: String, jobs: Int, output: Int32 = 1, scorer: SentimentScorer = SentimentScorer(),
                           render: @escaping @Sendable (SentenceSentiment, inout JSONWriter) -> Void) async throws {
        var blocks = LineBlocks(fileDescriptor: input, source: source)
        // A block's output (hundreds of KB) is written as it stands, without a copy into another buffer.
        try await OrderedOutput.run(jobs: jobs, next: { try blocks.next() }, work: { block in
            score(block: block, scorer: scorer, render: render)
        }, deliver: { (scored: [UInt8]) throws(OutputWriteError) in
            try OutputWriteError.writeAll(scored, to: output)
        })
    }

    /// Each line of `block` scored and rendered, each followed by LF; a trailing CR is dropped from a line.
    public static func score(block: [UInt8], scorer: SentimentScorer, render: (SentenceSentiment, inout JSONWriter) -> Void) -> [UInt8] {
        var out = JSONWriter(capacity: block.count * 3 + 256)
        var start = 0
        func emit(_ end: Int) {
            var last = end
            if last > start && block[last - 1] == 0x0D { last -= 1 }
            render(scorer.score(String(decoding: block[start..<last], as: UTF8.self)), &out)
            out.raw(byte: 0x0A)
        }
        while let newline = block[start...].firstIndex(of: 0x0A) {
            emit(newline)
            start = newline + 1
        }
        if start < block.count { emit(block.count) }
        return out.bytes
    }
}

/// Text that could not be read: the input's name and the system's reason.
public struct LineInputError: Error, Sendable, CustomStringConvertible {
    /// The file name, or `standard input`.
    public var source: String
    /// Why the read failed.
    public var reason: String

    /// One line: where and why.
    public var description: String { "\(source): cannot be read: \(reason)" }
}

/// Blocks of whole lines read from a file descriptor: each ends at a line end, except the input's last.
struct LineBlocks {
    let fileDescriptor: Int32
    let source: String
    private var carry: [UInt8] = []
    private var ended = false

    init(fileDescriptor: Int32, source: String) {
        self.fileDescriptor = fileDescriptor
        self.source = source
    }

    /// The next block, nil at the end of input.
    mutating func next() throws(LineInputError) -> [UInt8]? {
        guard !ended else { return nil }
        var block = carry
        carry = []
        while true {
            let before = block.count
            let wanted = LineScoring.blockBytes
            block.append(contentsOf: repeatElement(0, count: wanted))
            let (count, code) = block.withUnsafeMutableBytes { raw in
                var result: Int
                repeat { result = read(fileDescriptor, raw.baseAddress! + before, wanted) } while result < 0 && errno == EINTR
                return (result, result < 0 ? errno : 0)
            }
            if count < 0 { throw LineInputError(source: source, reason: String(cString: strerror(code))) }
            block.removeLast(wanted - count)
            if count == 0 {
                ended = true
                return block.isEmpty ? nil : block
            }
            if let newline = block[before...].lastIndex(of: 0x0A) {
                carry = Array(block[(newline + 1)...])
                block.removeSubrange((newline + 1)...)
                return block
            }
        }
    }
}
