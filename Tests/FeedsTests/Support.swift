import Foundation
@testable import Feeds

/// Loads a fixture from `Tests/FeedsTests/Fixtures`.
func fixture(_ name: String) throws -> [UInt8] {
    let url = try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"))
    return [UInt8](try Data(contentsOf: url))
}

func iso(_ date: Date?) -> String? { date.map(FeedDates.iso8601) }

func parse(_ xml: String, source: String = "test-feed", contentType: String? = nil) throws(FeedError) -> FeedDocument {
    try FeedParser.parse(Array(xml.utf8), source: source, contentType: contentType)
}

import Testing
