import Foundation
public struct UTCDay: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
  public let daysSinceEpoch: Int
  public init(daysSinceEpoch: Int) { self.daysSinceEpoch = daysSinceEpoch }
  public init(year: Int, month: Int, day: Int) { fatalError() }
  public init?(iso: String) { fatalError() }
  public init(containing date: Date) { fatalError() }
  public var iso: String { fatalError() }
  public var description: String { iso }
  public var start: Date { fatalError() }
  public var end: Date { fatalError() }
  public func adding(days: Int) -> UTCDay { fatalError() }
  public static func < (a: UTCDay, b: UTCDay) -> Bool { a.daysSinceEpoch < b.daysSinceEpoch }
}
public struct PriceCandle: Sendable, Codable, Equatable { public var day: UTCDay; public var open, high, low, close, volume: Double
  public init(day: UTCDay, open: Double, high: Double, low: Double, close: Double, volume: Double) { self.day = day; self.open = open; self.high = high; self.low = low; self.close = close; self.volume = volume } }
public struct HashrateSample: Sendable, Codable, Equatable { public var day: UTCDay; public var exahashesPerSecond: Double
  public init(day: UTCDay, exahashesPerSecond: Double) { self.day = day; self.exahashesPerSecond = exahashesPerSecond } }
public enum HashrateUnit: String, Sendable, CaseIterable { case hashesPerSecond = "H/s", terahashesPerSecond = "TH/s", exahashesPerSecond = "EH/s"; public func toExahashes(_ v: Double) -> Double { v } }
public struct EfficiencyStep: Sendable, Codable { public var since: UTCDay; public var joulesPerTerahash: Double; public init(since: UTCDay, joulesPerTerahash: Double) { self.since = since; self.joulesPerTerahash = joulesPerTerahash } }
public struct ProductionCostModel: Sendable, Codable {
  public var efficiencySchedule: [EfficiencyStep]; public var electricityUSDPerKWh: Double; public var allInMultiplier: Double; public var feesPerBlockBTC: Double
  public static var defaults: ProductionCostModel { fatalError() }
}
public struct RegimeWeights: Sendable, Codable { public var productionCost, hashRibbon, ichimoku, support, trend, momentum, drawdown: Double; public static var defaults: RegimeWeights { fatalError() } }
public struct RegimeSignal: Sendable, Codable { public var id: String; public var name: String; public var value: Double?; public var weight: Double; public var score: Double; public var contribution: Double; public var explanation: String }
public struct RegimeAssessment: Sendable, Codable { public var asOf: Date; public var score: Double; public var label: String; public var signals: [RegimeSignal] }
public struct MarketHistory: Sendable { public init(prices: [PriceCandle], hashrate: [HashrateSample]) {} }
public enum TechnicalRegime { public static func assess(_ history: MarketHistory, asOf: Date, costModel: ProductionCostModel, weights: RegimeWeights) -> RegimeAssessment { fatalError() } }
