import Foundation
public enum FeedFormat: String, Sendable, Codable { case rss090 = "rss090", rss091, rss092, rss093, rss094, rss20, rss10, atom03, atom10, json10, json11 }
public struct FeedMetadata: Sendable, Codable, Equatable { public var title, link, id: String?; public var updated: Date?; public var language: String? }
public struct FeedEntry: Sendable, Codable, Equatable {
  public var id, title, link: String?; public var published, updated: Date?; public var author: String?
  public var summary, content: String?; public var summaryHTML, contentHTML: String?
  public var categories: [String]; public var enclosureURL: String?; public var dedupKey: String }
public struct FeedDocument: Sendable, Codable { public var format: FeedFormat; public var bozo: Bool; public var warnings: [String]; public var feed: FeedMetadata; public var entries: [FeedEntry] }
public enum FeedError: Error, Sendable, CustomStringConvertible { case empty(source: String), notAFeed(source: String, reason: String), malformed(source: String, line: Int?, reason: String); public var description: String { "" } }
public enum FeedParser { public static func parse(_ bytes: [UInt8], source: String, contentType: String? = nil) throws(FeedError) -> FeedDocument { fatalError() } }
public enum FeedDates { public static func parse(_ text: String) -> Date? { nil } }
