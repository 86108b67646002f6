import Feeds
import Fetching
import Foundation
import JSONOutput

/// What `divergence parse` made of one input: a feed, an article page, or a one-line reason it is neither.
public enum ParsedInput: Sendable {
    case feed(FeedDocument)
    case article(ArticlePage)
    case failure(String)

    /// Sniffs the bytes: a feed (RSS, Atom, JSON Feed) when the feed parser accepts them, else an HTML article page.
    public static func parse(_ bytes: [UInt8], source: String, contentType: String?) -> ParsedInput {
        let feedError: FeedError
        do { return .feed(try FeedParser.parse(bytes, source: source, contentType: contentType, sanitizedHTML: false)) } catch { feedError = error }
        guard case .notAFeed = feedError, looksLikeHTML(bytes, contentType: contentType) else { return .failure(feedError.description) }
        do { return .article(try ArticlePage.extract(bytes, url: source, contentType: contentType)) } catch { return .failure(error.description) }
    }

    /// The documented JSON (README "parse output"); a failure is `{"error", "source"}`.
    public func json(source: String?) -> [UInt8] {
        var out = JSONWriter()
        write(source: source, into: &out)
        return out.bytes
    }

    /// Appends the same JSON as `json(source:)` to `out`.
    public func write(source: String?, into out: inout JSONWriter) {
        switch self {
        case .feed(let document): ParsedFeedJSON.write(document, source: source, into: &out)
        case .article(let page): ParsedArticleJSON.write(page, source: source, into: &out)
        case .failure(let reason):
            out.raw("{\"error\":")
            out.string(reason)
            if let source {
                out.raw(",\"source\":")
                out.string(source)
            }
            out.raw("}")
        }
    }

    public var isFailure: Bool { if case .failure = self { true } else { false } }

    static func looksLikeHTML(_ bytes: [UInt8], contentType: String?) -> Bool {
        if contentType?.lowercased().contains("html") == true { return true }
        let head = String(decoding: bytes.prefix(2048), as: UTF8.self).lowercased()
        return head.contains("<html") || head.contains("<!doctype html") || head.contains("<body") || head.contains("<article")
    }
}

/// Reads `parse` inputs: local files directly, URLs through the fetcher with its limits and address guard.
public enum InputReader {
    /// What one input holds: its bytes and content type, or a one-line reason it could not be read.
    public typealias Outcome = Result<(bytes: [UInt8], contentType: String?), InputReadError>

    /// The bytes and content type of each input, in order, or a one-line reason it could not be read.
    public static func read(_ inputs: [String], policy: FetchPolicy) async -> [Outcome] {
        var results = inputs.map { isURL($0) ? Outcome.failure(InputReadError(reason: "not read")) : readLocal($0) }
        let remote = inputs.indices.filter { isURL(inputs[$0]) }
        let fetched = await HTTPFetcher().fetchAll(remote.map { FetchRequest(url: inputs[$0], etag: nil, lastModified: nil, isLocalPath: false, policy: policy) })
        for (index, outcome) in zip(remote, fetched) {
            switch outcome {
            case .success(let response): results[index] = .success((response.body, response.contentType))
            case .failure(let error): results[index] = .failure(InputReadError(reason: error.description))
            }
        }
        return results
    }

    /// Whether `input` is an http(s) URL, read through the fetcher.
    public static func isURL(_ input: String) -> Bool {
        let lower = input.lowercased()
        return lower.hasPrefix("http://") || lower.hasPrefix("https://")
    }

    /// A local input read from its file; another scheme than http(s) is refused.
    public static func readLocal(_ input: String) -> Outcome {
        if input.lowercased().contains("://") {
            return .failure(InputReadError(reason: "\(input): only http(s) URLs and local paths can be parsed"))
        }
        guard let bytes = fileBytes(atPath: input) else {
            return .failure(InputReadError(reason: "\(input): no such file or not readable"))
        }
        return .success((bytes, nil))
    }

    /// The whole content of the file at `path`, read straight into the array (no `Data` to copy from); nil when it
    /// cannot be opened or read (a missing file, a directory, no permission).
    static func fileBytes(atPath path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return nil }
        // Room for the size a regular file states plus one byte, so its end is seen without growing the array; reads
        // go into the spare capacity, which doubles only for a pipe or a file that grows while it is read.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(max(status.st_size, 0)) + 1)
        while true {
            if bytes.capacity == bytes.count { bytes.reserveCapacity(max(bytes.count * 2, 1 << 16)) }
            let before = bytes.count
            let room = bytes.capacity - before
            bytes.append(contentsOf: repeatElement(0, count: room))
            let count = bytes.withUnsafeMutableBytes { raw in
                var result: Int
                repeat { result = readDescriptor(descriptor, raw.baseAddress! + before, room) } while result < 0 && errno == EINTR
                return result
            }
            guard count >= 0 else { return nil }
            bytes.removeLast(room - count)
            if count == 0 { return bytes }
        }
    }
}

/// `read(2)`, named apart from `InputReader.read`.
private func readDescriptor(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}

/// Why an input could not be read.
public struct InputReadError: Error, Sendable {
    public var reason: String
}
