import Feeds
import Fetching
import Foundation

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

    /// The documented JSON (README "parse output"); a failure is `{"source", "error"}`.
    public func json(source: String?) -> [UInt8] {
        switch self {
        case .feed(let document): return ParsedFeedJSON.encode(document, source: source)
        case .article(let page): return ParsedArticleJSON.encode(page, source: source)
        case .failure(let reason):
            var object: [String: String] = ["error": reason]
            if let source { object["source"] = source }
            return Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data())
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
    /// The bytes and content type of each input, in order, or a one-line reason it could not be read.
    public static func read(_ inputs: [String], policy: FetchPolicy) async -> [Result<(bytes: [UInt8], contentType: String?), InputReadError>] {
        var results = [Result<(bytes: [UInt8], contentType: String?), InputReadError>](repeating: .failure(InputReadError(reason: "not read")), count: inputs.count)
        var remote: [(Int, FetchRequest)] = []
        for (index, input) in inputs.enumerated() {
            let lower = input.lowercased()
            if lower.hasPrefix("http://") || lower.hasPrefix("https://") {
                remote.append((index, FetchRequest(url: input, etag: nil, lastModified: nil, isLocalPath: false, policy: policy)))
            } else if lower.contains("://") {
                results[index] = .failure(InputReadError(reason: "\(input): only http(s) URLs and local paths can be parsed"))
            } else if let data = FileManager.default.contents(atPath: input) {
                results[index] = .success((Array(data), nil))
            } else {
                results[index] = .failure(InputReadError(reason: "\(input): no such file or not readable"))
            }
        }
        let fetched = await HTTPFetcher().fetchAll(remote.map(\.1))
        for ((index, _), outcome) in zip(remote, fetched) {
            switch outcome {
            case .success(let response): results[index] = .success((response.body, response.contentType))
            case .failure(let error): results[index] = .failure(InputReadError(reason: error.description))
            }
        }
        return results
    }
}

/// Why an input could not be read.
public struct InputReadError: Error, Sendable {
    public var reason: String
}
