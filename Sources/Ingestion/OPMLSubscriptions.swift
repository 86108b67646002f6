import Feeds
import Foundation
import Storage
import Vocabulary

/// The news sources an OPML subscription list asks for: outlines with an http(s) `xmlUrl`, folders kept as `folder`.
public struct OPMLSubscriptions: Sendable {
    /// One source per subscribable outline, in document order (repeats included; the store counts them once).
    public var definitions: [SourceDefinition] = []
    /// Outlines whose `xmlUrl` is not http(s), as `title: url`.
    public var refused: [String] = []

    /// Reads outlines into news-source definitions fetched hourly, with the given publisher type.
    public init(_ outlines: [OPMLOutline], publisherType: PublisherType) {
        definitions.reserveCapacity(outlines.count)
        for outline in outlines {
            guard let url = outline.xmlURL else { continue }
            let lowered = url.lowercased()
            guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://") else {
                refused.append("\(outline.title): \(url) is not an http(s) URL")
                continue
            }
            var options: [String: String] = [:]
            if !outline.category.isEmpty { options["folder"] = outline.category.joined(separator: "/") }
            definitions.append(SourceDefinition(location: url, name: outline.title.isEmpty ? url : outline.title, kind: .news,
                                                publisherType: publisherType, intervalSeconds: 3600, options: options))
        }
    }
}
